package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// membersPerInsert bounds the rows of one INSERT, well under every
// dialect's limit on bound parameters.
const membersPerInsert = 200

// AddPulseMembers records a pulse's audience. See rituals.PulseTx.
func (tx *Tx) AddPulseMembers(ctx context.Context, team string, n int64, ms []rituals.PulseMember) error {
	for len(ms) > 0 {
		chunk := ms[:min(len(ms), membersPerInsert)]
		ms = ms[len(chunk):]
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 4*len(chunk))
		for _, m := range chunk {
			args = append(args, team, n, m.User, m.Role)
		}
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_audience (team_id, pulse, user_id, role) VALUES `+values), args...)
		if err != nil {
			return fmt.Errorf("add audience of pulse %d: %w", n, formatError(err))
		}
	}
	return nil
}

// PulseMember returns one person's place in a pulse's audience. Returns
// ENOTFOUND.
func (tx *Tx) PulseMember(ctx context.Context, team string, n int64, user string) (*rituals.PulseMember, error) {
	var r struct {
		User     string `db:"user_id"`
		Role     string `db:"role"`
		Answered bool   `db:"answered"`
	}
	err := tx.tx.GetContext(ctx, &r, tx.tx.Rebind(`SELECT user_id, role, answered FROM pulse_audience
		WHERE team_id = ? AND pulse = ? AND user_id = ?`), team, n, user)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "%s did not ask %s.", rituals.FormatID("P", n), user)
	}
	if err != nil {
		return nil, fmt.Errorf("find audience member of pulse %d: %w", n, formatError(err))
	}
	return &rituals.PulseMember{User: r.User, Role: r.Role, Answered: r.Answered}, nil
}

// MarkPulseAnswered records that a person answered. See rituals.PulseTx.
func (tx *Tx) MarkPulseAnswered(ctx context.Context, team string, n int64, user, namedKey string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulse_audience SET answered = TRUE, answer_key = ?
		WHERE team_id = ? AND pulse = ? AND user_id = ?`), namedKey, team, n, user)
	if err != nil {
		return fmt.Errorf("mark answered in pulse %d: %w", n, formatError(err))
	}
	return nil
}

// SavePulseAnswer stores an answer under its key. A new row gets a random
// id: SQLite keeps rows in id order, and a counter would tell the order in
// which people answered. See rituals.PulseTx.
func (tx *Tx) SavePulseAnswer(ctx context.Context, team string, n int64, a rituals.PulseAnswer, create bool) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulse_answers SET value = ?
		WHERE team_id = ? AND pulse = ? AND answer_key = ?`), a.Value, team, n, a.Key)
	if err != nil {
		return false, fmt.Errorf("change answer to pulse %d: %w", n, formatError(err))
	}
	if k, _ := res.RowsAffected(); k > 0 || !create {
		return k > 0, nil
	}
	for range 8 {
		id, err := randomRowID()
		if err != nil {
			return false, err
		}
		res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_answers (id, team_id, pulse, answer_key, role, value)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`), id, team, n, a.Key, a.Role, a.Value)
		if err != nil {
			return false, fmt.Errorf("add answer to pulse %d: %w", n, formatError(err))
		}
		if k, _ := res.RowsAffected(); k > 0 {
			return true, nil
		}
	}
	return false, fmt.Errorf("add answer to pulse %d: no free row id after 8 tries", n)
}

// randomRowID returns a random positive id that fits a 32-bit INTEGER, so
// the same column works in PostgreSQL.
func randomRowID() (int64, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, fmt.Errorf("random row id: %w", err)
	}
	return int64(binary.BigEndian.Uint32(b[:])>>1) + 1, nil
}

// PulseNonResponders returns who has not answered. See rituals.PulseTx.
func (tx *Tx) PulseNonResponders(ctx context.Context, team string, n int64) ([]string, error) {
	var users []string
	err := tx.tx.SelectContext(ctx, &users, tx.tx.Rebind(`SELECT user_id FROM pulse_audience
		WHERE team_id = ? AND pulse = ? AND NOT answered ORDER BY user_id`), team, n)
	if err != nil {
		return nil, fmt.Errorf("non-responders of pulse %d: %w", n, formatError(err))
	}
	return users, nil
}

// PulseCounts returns a pulse's audience and responses by role.
func (db *DB) PulseCounts(ctx context.Context, team string, n int64) ([]rituals.PulseCount, error) {
	return pulseCounts(ctx, db.db, team, n)
}

// PulseCounts returns a pulse's counts within the transaction.
func (tx *Tx) PulseCounts(ctx context.Context, team string, n int64) ([]rituals.PulseCount, error) {
	return pulseCounts(ctx, tx.tx, team, n)
}

func pulseCounts(ctx context.Context, q queryer, team string, n int64) ([]rituals.PulseCount, error) {
	var rows []struct {
		Role     string `db:"role"`
		Asked    int    `db:"asked"`
		Answered int    `db:"answered"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(`SELECT role, COUNT(*) AS asked,
		SUM(CASE WHEN answered THEN 1 ELSE 0 END) AS answered
		FROM pulse_audience WHERE team_id = ? AND pulse = ? GROUP BY role ORDER BY role`), team, n)
	if err != nil {
		return nil, fmt.Errorf("count pulse %d: %w", n, formatError(err))
	}
	out := make([]rituals.PulseCount, len(rows))
	for i, r := range rows {
		out[i] = rituals.PulseCount{Role: r.Role, Asked: r.Asked, Answered: r.Answered}
	}
	return out, nil
}

// PulseAnswers returns a pulse's answers in key order, which is random.
// Only a pulse that is not anonymous links an answer to its person.
func (db *DB) PulseAnswers(ctx context.Context, team string, n int64) ([]rituals.PulseAnswer, error) {
	return pulseAnswers(ctx, db.db, team, n)
}

// PulseAnswers returns a pulse's answers within the transaction.
func (tx *Tx) PulseAnswers(ctx context.Context, team string, n int64) ([]rituals.PulseAnswer, error) {
	return pulseAnswers(ctx, tx.tx, team, n)
}

func pulseAnswers(ctx context.Context, q queryer, team string, n int64) ([]rituals.PulseAnswer, error) {
	var rows []struct {
		Key   string `db:"answer_key"`
		Role  string `db:"role"`
		Value string `db:"value"`
		User  string `db:"user_id"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(`SELECT a.answer_key, a.role, a.value, COALESCE(m.user_id, '') AS user_id
		FROM pulse_answers a
		LEFT JOIN pulse_audience m ON m.team_id = a.team_id AND m.pulse = a.pulse AND m.answer_key = a.answer_key
		WHERE a.team_id = ? AND a.pulse = ? ORDER BY a.answer_key`), team, n)
	if err != nil {
		return nil, fmt.Errorf("answers of pulse %d: %w", n, formatError(err))
	}
	out := make([]rituals.PulseAnswer, len(rows))
	for i, r := range rows {
		out[i] = rituals.PulseAnswer{Key: r.Key, Role: r.Role, Value: r.Value, User: r.User}
	}
	return out, nil
}

// PulseAnswerValue returns the answer stored under key. Returns ENOTFOUND.
func (db *DB) PulseAnswerValue(ctx context.Context, team string, n int64, key string) (string, error) {
	return pulseAnswerValue(ctx, db.db, team, n, key)
}

// PulseAnswerValue returns the answer under key within the transaction.
func (tx *Tx) PulseAnswerValue(ctx context.Context, team string, n int64, key string) (string, error) {
	return pulseAnswerValue(ctx, tx.tx, team, n, key)
}

func pulseAnswerValue(ctx context.Context, q queryer, team string, n int64, key string) (string, error) {
	var v string
	err := sqlx.GetContext(ctx, q, &v, q.Rebind(`SELECT value FROM pulse_answers
		WHERE team_id = ? AND pulse = ? AND answer_key = ?`), team, n, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", rituals.Errorf(rituals.ENOTFOUND, "No answer was given.")
	}
	if err != nil {
		return "", fmt.Errorf("find answer to pulse %d: %w", n, formatError(err))
	}
	return v, nil
}

// PulseRoles returns a channel's roles in order.
func (db *DB) PulseRoles(ctx context.Context, team, channel string) ([]rituals.PulseRole, error) {
	return pulseRoles(ctx, db.db, team, channel)
}

// PulseRoles returns a channel's roles within the transaction.
func (tx *Tx) PulseRoles(ctx context.Context, team, channel string) ([]rituals.PulseRole, error) {
	return pulseRoles(ctx, tx.tx, team, channel)
}

func pulseRoles(ctx context.Context, q queryer, team, channel string) ([]rituals.PulseRole, error) {
	var rows []struct {
		Group string `db:"group_id"`
		Role  string `db:"role"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(`SELECT group_id, role FROM pulse_roles
		WHERE team_id = ? AND channel_id = ? ORDER BY position`), team, channel)
	if err != nil {
		return nil, fmt.Errorf("pulse roles of %s: %w", channel, formatError(err))
	}
	out := make([]rituals.PulseRole, len(rows))
	for i, r := range rows {
		out[i] = rituals.PulseRole{Group: r.Group, Role: r.Role}
	}
	return out, nil
}

// SetPulseRoles replaces a channel's roles. See rituals.PulseTx.
func (tx *Tx) SetPulseRoles(ctx context.Context, team, channel string, roles []rituals.PulseRole, by string, at time.Time) error {
	if _, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM pulse_roles WHERE team_id = ? AND channel_id = ?`), team, channel); err != nil {
		return fmt.Errorf("clear pulse roles of %s: %w", channel, formatError(err))
	}
	for i, r := range roles {
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulse_roles (team_id, channel_id, group_id, role, position, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), team, channel, r.Group, r.Role, i, by, millis(at))
		if err != nil {
			return fmt.Errorf("save pulse role %s: %w", r.Role, formatError(err))
		}
	}
	return nil
}
