package storage

import (
	"context"
	"database/sql"
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

// MarkPulseAnswered records that a person answered. See
// rituals.PulseAnswerTx.
func (tx *Tx) MarkPulseAnswered(ctx context.Context, team string, n int64, user, named string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulse_audience SET answered = TRUE, answer = ?
		WHERE team_id = ? AND pulse = ? AND user_id = ?`), named, team, n, user)
	if err != nil {
		return fmt.Errorf("mark answered in pulse %d: %w", n, formatError(err))
	}
	return nil
}

// ForgetPulsePrompt erases the ticket of user's DM for pulse n from the
// outbox, if it is still there: only while the DM is pending, since a
// sent item's private data is erased already. The DM's lane is its
// recipient, so the lane index finds it. See rituals.PulseAnswerTx.
func (tx *Tx) ForgetPulsePrompt(ctx context.Context, team string, n int64, user string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE outbox SET data = ''
		WHERE lane = ? AND state = 'pending' AND team_id = ? AND kind = ? AND user_id = ? AND ref = ? AND private AND data <> ''`),
		user, team, rituals.KindPulsePrompt, user, n)
	if err != nil {
		return fmt.Errorf("forget prompt of pulse %d: %w", n, formatError(err))
	}
	return nil
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
func (r reader) PulseCounts(ctx context.Context, team string, n int64) ([]rituals.PulseCount, error) {
	return pulseCounts(ctx, r.q, team, n)
}

func pulseCounts(ctx context.Context, q queryer, team string, n int64) ([]rituals.PulseCount, error) {
	var rows []struct {
		Role     string `db:"role"`
		Asked    int    `db:"asked"`
		Answered int    `db:"answered"`
		Others   int    `db:"others"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(`SELECT a.role, COUNT(*) AS asked,
		SUM(CASE WHEN a.answered THEN 1 ELSE 0 END) AS answered,
		SUM(CASE WHEN a.answered AND a.user_id <> p.created_by THEN 1 ELSE 0 END) AS others
		FROM pulse_audience a JOIN pulses p ON p.team_id = a.team_id AND p.number = a.pulse
		WHERE a.team_id = ? AND a.pulse = ? GROUP BY a.role ORDER BY a.role`), team, n)
	if err != nil {
		return nil, fmt.Errorf("count pulse %d: %w", n, formatError(err))
	}
	out := make([]rituals.PulseCount, len(rows))
	for i, r := range rows {
		out[i] = rituals.PulseCount{Role: r.Role, Asked: r.Asked, Answered: r.Answered, Others: r.Others}
	}
	return out, nil
}

// NamedPulseAnswers returns the answers to a pulse that is not anonymous,
// by user. See rituals.PulseReader.
func (r reader) NamedPulseAnswers(ctx context.Context, team string, n int64) ([]rituals.PulseAnswer, error) {
	return namedPulseAnswers(ctx, r.q, team, n)
}

func namedPulseAnswers(ctx context.Context, q queryer, team string, n int64) ([]rituals.PulseAnswer, error) {
	var rows []struct {
		User  string `db:"user_id"`
		Role  string `db:"role"`
		Value string `db:"answer"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(`SELECT user_id, role, answer FROM pulse_audience
		WHERE team_id = ? AND pulse = ? AND answered AND answer <> '' ORDER BY user_id`), team, n)
	if err != nil {
		return nil, fmt.Errorf("answers of pulse %d: %w", n, formatError(err))
	}
	out := make([]rituals.PulseAnswer, len(rows))
	for i, r := range rows {
		out[i] = rituals.PulseAnswer{User: r.User, Role: r.Role, Value: r.Value}
	}
	return out, nil
}

// PulseRoles returns a channel's roles in order.
func (r reader) PulseRoles(ctx context.Context, team, channel string) ([]rituals.PulseRole, error) {
	return pulseRoles(ctx, r.q, team, channel)
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
		out[i] = rituals.PulseRoleOf(r.Group, r.Role)
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
			VALUES (?, ?, ?, ?, ?, ?, ?)`), team, channel, r.Who(), r.Role, i, by, millis(at))
		if err != nil {
			return fmt.Errorf("save pulse role %s: %w", r.Role, formatError(err))
		}
	}
	return nil
}
