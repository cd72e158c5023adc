package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// claimRow is a blocker_claims row: a party a channel claimed as its team.
type claimRow struct {
	Kind    string `db:"kind"`
	PartyID string `db:"party_id"`
	Name    string `db:"name"`
}

// BlockerClaims returns the parties a channel claimed as its team. See
// rituals.BlockerReader.
func (r reader) BlockerClaims(ctx context.Context, team, channel string) ([]rituals.Party, error) {
	var rows []claimRow
	err := sqlxSelect(ctx, r.q, &rows, `SELECT kind, party_id, name FROM blocker_claims
		WHERE team_id = ? AND channel_id = ? ORDER BY claimed_at, party_id`, team, channel)
	if err != nil {
		return nil, fmt.Errorf("find team of %s: %w", channel, formatError(err))
	}
	out := make([]rituals.Party, len(rows))
	for i, r := range rows {
		out[i] = rituals.Party{Kind: rituals.PartyKind(r.Kind), ID: r.PartyID, Name: r.Name}
	}
	return out, nil
}

// SaveBlockerClaim adds a party to a channel's team. See rituals.BlockerTx.
func (tx *Tx) SaveBlockerClaim(ctx context.Context, team, channel string, p rituals.Party, by string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO blocker_claims
		(team_id, channel_id, kind, party_id, name, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, party_id) DO NOTHING`),
		team, channel, string(p.Kind), p.ID, p.Name, by, millis(at))
	if err != nil {
		return fmt.Errorf("claim %s for %s: %w", p.ID, channel, formatError(err))
	}
	return nil
}

// DeleteBlockerClaim removes a party from a channel's team. See
// rituals.BlockerTx.
func (tx *Tx) DeleteBlockerClaim(ctx context.Context, team, channel, party string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM blocker_claims
		WHERE team_id = ? AND channel_id = ? AND party_id = ?`), team, channel, party)
	if err != nil {
		return false, fmt.Errorf("unclaim %s for %s: %w", party, channel, formatError(err))
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// EscalationTarget returns where a channel's blockers go past twice its
// SLA. See rituals.BlockerReader.
func (r reader) EscalationTarget(ctx context.Context, team, channel string) (rituals.Party, bool, error) {
	var row struct {
		Kind     string `db:"kind"`
		TargetID string `db:"target_id"`
		Name     string `db:"name"`
	}
	err := sqlx.GetContext(ctx, r.q, &row, r.q.Rebind(`SELECT kind, target_id, name FROM blocker_escalation_targets
		WHERE team_id = ? AND channel_id = ?`), team, channel)
	if errors.Is(err, sql.ErrNoRows) {
		return rituals.Party{}, false, nil
	}
	if err != nil {
		return rituals.Party{}, false, fmt.Errorf("find escalation target of %s: %w", channel, formatError(err))
	}
	return rituals.Party{Kind: rituals.PartyKind(row.Kind), ID: row.TargetID, Name: row.Name}, true, nil
}

// SaveEscalationTarget sets or clears a channel's escalation target. See
// rituals.BlockerTx.
func (tx *Tx) SaveEscalationTarget(ctx context.Context, team, channel string, target *rituals.Party, by string, at time.Time) error {
	var err error
	if target == nil {
		_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM blocker_escalation_targets
			WHERE team_id = ? AND channel_id = ?`), team, channel)
	} else {
		_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO blocker_escalation_targets
			(team_id, channel_id, kind, target_id, name, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (team_id, channel_id) DO UPDATE SET kind = excluded.kind, target_id = excluded.target_id,
			name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
			team, channel, string(target.Kind), target.ID, target.Name, by, millis(at))
	}
	if err != nil {
		return fmt.Errorf("save escalation target of %s: %w", channel, formatError(err))
	}
	return nil
}

// ClaimClimb marks an open blocker sent to its channel's escalation
// target, once. See rituals.BlockerWatchTx.
func (tx *Tx) ClaimClimb(ctx context.Context, team string, number int64, to string, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE blockers SET climbed_at = ?, climbed_to = ?, updated_at = ?
		WHERE team_id = ? AND number = ? AND status = ? AND climbed_at = 0`),
		millis(at), to, millis(at), team, number, string(rituals.BlockerOpen))
	if err != nil {
		return fmt.Errorf("claim climb of blocker %d: %w", number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}
