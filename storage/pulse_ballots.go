package storage

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// An anonymous pulse's answers live in ballot boxes: one row per box, its
// ballots a JSON object in key order, rewritten whole by each answer. So
// no row is one answer's: PostgreSQL's xmin and ctid, and SQLite's rowid,
// tell at most which box was written last, never which ballot in it, and
// the order of the ballots is that of their random keys. See
// rituals/pulse_ballot.go.

// SavePulseKeys stores the public keys of a pulse's groups and opens
// their boxes. See rituals.PulseTx.
func (tx *Tx) SavePulseKeys(ctx context.Context, team string, n int64, keys []rituals.PulseKey) error {
	for _, k := range keys {
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_group_keys (team_id, pulse, role, public_key)
			VALUES (?, ?, ?, ?)`), team, n, k.Role, base64.StdEncoding.EncodeToString(k.Public))
		if err != nil {
			return fmt.Errorf("save key of pulse %d: %w", n, formatError(err))
		}
		for box := range max(k.Boxes, 1) {
			_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_ballot_boxes (team_id, pulse, role, box)
				VALUES (?, ?, ?, ?)`), team, n, k.Role, box)
			if err != nil {
				return fmt.Errorf("open ballot box of pulse %d: %w", n, formatError(err))
			}
		}
	}
	return nil
}

// PulseKeys returns the public keys of a pulse's groups, with their
// number of boxes. See rituals.PulseTx.
func (tx *Tx) PulseKeys(ctx context.Context, team string, n int64) ([]rituals.PulseKey, error) {
	var rows []struct {
		Role   string `db:"role"`
		Public string `db:"public_key"`
		Boxes  int    `db:"boxes"`
	}
	err := tx.tx.SelectContext(ctx, &rows, tx.tx.Rebind(`SELECT k.role, k.public_key,
		(SELECT COUNT(*) FROM pulse_ballot_boxes b WHERE b.team_id = k.team_id AND b.pulse = k.pulse AND b.role = k.role) AS boxes
		FROM pulse_group_keys k WHERE k.team_id = ? AND k.pulse = ? ORDER BY k.role`), team, n)
	if err != nil {
		return nil, fmt.Errorf("keys of pulse %d: %w", n, formatError(err))
	}
	out := make([]rituals.PulseKey, len(rows))
	for i, r := range rows {
		public, err := base64.StdEncoding.DecodeString(r.Public)
		if err != nil {
			return nil, fmt.Errorf("key of pulse %d: %w", n, err)
		}
		out[i] = rituals.PulseKey{Role: r.Role, Public: public, Boxes: r.Boxes}
	}
	return out, nil
}

// boxOf returns which of role's boxes holds key, and whether role has any.
func boxOf(ctx context.Context, q queryer, team string, n int64, role, key string) (int, bool, error) {
	var boxes int
	err := sqlx.GetContext(ctx, q, &boxes, q.Rebind(`SELECT COUNT(*) FROM pulse_ballot_boxes
		WHERE team_id = ? AND pulse = ? AND role = ?`), team, n, role)
	if err != nil || boxes == 0 {
		return 0, false, err
	}
	h, err := strconv.ParseUint(key[:min(len(key), 8)], 16, 32)
	if err != nil {
		return 0, false, fmt.Errorf("ballot key is not a hash")
	}
	return int(h % uint64(boxes)), true, nil
}

// forUpdate makes a read hold its rows until the transaction ends, on
// PostgreSQL; SQLite's transactions write one at a time already.
func (tx *Tx) forUpdate() string {
	if tx.db.dialect == "postgres" {
		return " FOR UPDATE"
	}
	return ""
}

// PutPulseBallot stores ballot under key, rewriting its box. See
// rituals.PulseAnswerTx.
func (tx *Tx) PutPulseBallot(ctx context.Context, team string, n int64, role, key, ballot string) error {
	closed := rituals.Errorf(rituals.ECONFLICT, "%s has closed, so answers can no longer be given or changed.", rituals.FormatID("P", n))
	box, ok, err := boxOf(ctx, tx.tx, team, n, role, key)
	if err != nil {
		return fmt.Errorf("find ballot box of pulse %d: %w", n, formatError(err))
	}
	if !ok {
		return closed
	}
	var raw string
	err = tx.tx.GetContext(ctx, &raw, tx.tx.Rebind(`SELECT ballots FROM pulse_ballot_boxes
		WHERE team_id = ? AND pulse = ? AND role = ? AND box = ?`+tx.forUpdate()), team, n, role, box)
	if err != nil {
		return fmt.Errorf("read ballot box of pulse %d: %w", n, formatError(err))
	}
	// Checked once the box is held: a close that got it first has
	// committed by now, and counted the box without this ballot.
	var status string
	if err := tx.tx.GetContext(ctx, &status, tx.tx.Rebind(`SELECT status FROM pulses WHERE team_id = ? AND number = ?`), team, n); err != nil {
		return fmt.Errorf("status of pulse %d: %w", n, formatError(err))
	}
	if status != string(rituals.PulseOpen) {
		return closed
	}
	ballots := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(raw), &ballots); err != nil {
		return fmt.Errorf("read ballot box of pulse %d: %w", n, err)
	}
	ballots[key] = json.RawMessage(ballot)
	out, err := json.Marshal(ballots) // in key order
	if err != nil {
		return fmt.Errorf("write ballot box of pulse %d: %w", n, err)
	}
	_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulse_ballot_boxes SET ballots = ?
		WHERE team_id = ? AND pulse = ? AND role = ? AND box = ?`), string(out), team, n, role, box)
	if err != nil {
		return fmt.Errorf("write ballot box of pulse %d: %w", n, formatError(err))
	}
	return nil
}

// PulseBallot returns the whole-audience ballot under key. See
// rituals.PulseReader.
func (r reader) PulseBallot(ctx context.Context, team string, n int64, key string) (string, error) {
	return pulseBallot(ctx, r.q, team, n, key)
}

func pulseBallot(ctx context.Context, q queryer, team string, n int64, key string) (string, error) {
	none := rituals.Errorf(rituals.ENOTFOUND, "No answer was given.")
	box, ok, err := boxOf(ctx, q, team, n, "", key)
	if err != nil {
		return "", fmt.Errorf("find ballot box of pulse %d: %w", n, formatError(err))
	}
	if !ok {
		return "", none
	}
	var raw string
	err = sqlx.GetContext(ctx, q, &raw, q.Rebind(`SELECT ballots FROM pulse_ballot_boxes
		WHERE team_id = ? AND pulse = ? AND role = '' AND box = ?`), team, n, box)
	if errors.Is(err, sql.ErrNoRows) {
		return "", none
	}
	if err != nil {
		return "", fmt.Errorf("read ballot box of pulse %d: %w", n, formatError(err))
	}
	ballots := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(raw), &ballots); err != nil {
		return "", fmt.Errorf("read ballot box of pulse %d: %w", n, err)
	}
	b, ok := ballots[key]
	if !ok {
		return "", none
	}
	return string(b), nil
}

// PulseBallots returns every ballot of a pulse, by role, in key order,
// holding the boxes until the transaction ends. See rituals.PulseTx.
func (tx *Tx) PulseBallots(ctx context.Context, team string, n int64) (map[string][]string, error) {
	var rows []struct {
		Role    string `db:"role"`
		Ballots string `db:"ballots"`
	}
	err := tx.tx.SelectContext(ctx, &rows, tx.tx.Rebind(`SELECT role, ballots FROM pulse_ballot_boxes
		WHERE team_id = ? AND pulse = ? ORDER BY role, box`+tx.forUpdate()), team, n)
	if err != nil {
		return nil, fmt.Errorf("ballots of pulse %d: %w", n, formatError(err))
	}
	out := map[string][]string{}
	for _, r := range rows {
		ballots := map[string]json.RawMessage{}
		if err := json.Unmarshal([]byte(r.Ballots), &ballots); err != nil {
			return nil, fmt.Errorf("read ballot box of pulse %d: %w", n, err)
		}
		keys := make([]string, 0, len(ballots))
		for k := range ballots {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out[r.Role] = append(out[r.Role], string(ballots[k]))
		}
	}
	return out, nil
}

// SavePulseResults stores what a closing pulse keeps of its answers and
// empties its boxes. See rituals.PulseTx.
func (tx *Tx) SavePulseResults(ctx context.Context, team string, n int64, r rituals.PulseResults) error {
	roles := make([]string, 0, len(r.Tallies))
	for role := range r.Tallies {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	for _, role := range roles {
		choices := make([]string, 0, len(r.Tallies[role]))
		for c := range r.Tallies[role] {
			choices = append(choices, c)
		}
		sort.Strings(choices)
		for _, c := range choices {
			_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_tallies (team_id, pulse, role, choice, answers)
				VALUES (?, ?, ?, ?, ?)`), team, n, role, c, r.Tallies[role][c])
			if err != nil {
				return fmt.Errorf("save results of pulse %d: %w", n, formatError(err))
			}
		}
	}
	for i, text := range r.Texts {
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_texts (team_id, pulse, position, text)
			VALUES (?, ?, ?, ?)`), team, n, i+1, text)
		if err != nil {
			return fmt.Errorf("save texts of pulse %d: %w", n, formatError(err))
		}
	}
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulse_ballot_boxes SET ballots = '{}'
		WHERE team_id = ? AND pulse = ?`), team, n)
	if err != nil {
		return fmt.Errorf("empty ballot boxes of pulse %d: %w", n, formatError(err))
	}
	return nil
}

// PulseResults returns what a closed anonymous pulse kept of its answers.
// See rituals.PulseReader.
func (r reader) PulseResults(ctx context.Context, team string, n int64) (*rituals.PulseResults, error) {
	return pulseResults(ctx, r.q, team, n)
}

func pulseResults(ctx context.Context, q queryer, team string, n int64) (*rituals.PulseResults, error) {
	var tallies []struct {
		Role    string `db:"role"`
		Choice  string `db:"choice"`
		Answers int    `db:"answers"`
	}
	err := sqlx.SelectContext(ctx, q, &tallies, q.Rebind(`SELECT role, choice, answers FROM pulse_tallies
		WHERE team_id = ? AND pulse = ?`), team, n)
	if err != nil {
		return nil, fmt.Errorf("results of pulse %d: %w", n, formatError(err))
	}
	out := &rituals.PulseResults{Tallies: map[string]map[string]int{}}
	for _, t := range tallies {
		if out.Tallies[t.Role] == nil {
			out.Tallies[t.Role] = map[string]int{}
		}
		out.Tallies[t.Role][t.Choice] = t.Answers
	}
	err = sqlx.SelectContext(ctx, q, &out.Texts, q.Rebind(`SELECT text FROM pulse_texts
		WHERE team_id = ? AND pulse = ? ORDER BY position`), team, n)
	if err != nil {
		return nil, fmt.Errorf("texts of pulse %d: %w", n, formatError(err))
	}
	return out, nil
}
