package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// The digest's reads: one channel's entries by time window, each on an
// index of migration 00010.

// DecisionsDecided returns the decisions of channel that became decided in
// [from, to), oldest first. See rituals.DigestReader.
func (db *DB) DecisionsDecided(ctx context.Context, team, channel string, from, to time.Time) ([]*rituals.Decision, error) {
	return db.digestDecisions(ctx, `d.decided_at >= ? AND d.decided_at < ? ORDER BY d.decided_at, d.number`,
		team, channel, millis(from), millis(to))
}

// ProposalsDue returns channel's proposals due on or before by, soonest
// first. See rituals.DigestReader.
func (db *DB) ProposalsDue(ctx context.Context, team, channel string, by rituals.Date) ([]*rituals.Decision, error) {
	return db.digestDecisions(ctx, `d.status = ? AND d.decide_by <= ? ORDER BY d.decide_by, d.number`,
		team, channel, string(rituals.StatusProposed), string(by))
}

func (db *DB) digestDecisions(ctx context.Context, cond string, team, channel string, args ...any) ([]*rituals.Decision, error) {
	var rows []decisionRow
	err := sqlx.SelectContext(ctx, db.db, &rows, db.rebind(`SELECT `+decisionColumns+decisionFrom+`
		WHERE d.team_id = ? AND d.channel_id = ? AND `+cond), append([]any{team, channel}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("digest decisions: %w", formatError(err))
	}
	out := make([]*rituals.Decision, len(rows))
	for i := range rows {
		out[i] = rows[i].decision()
	}
	return out, nil
}

// BlockersInPlay returns channel's blockers open at some time in [from,
// to), oldest first. The digest shows no parties or acknowledgements, so
// they are not read. See rituals.DigestReader.
func (db *DB) BlockersInPlay(ctx context.Context, team, channel string, from, to time.Time) ([]*rituals.Blocker, error) {
	bs, err := selectBlockerRows(ctx, db.db,
		[]string{"b.team_id = ?", "b.channel_id = ?", "(b.resolved_at = 0 OR b.resolved_at >= ?)", "b.created_at < ?"},
		[]any{team, channel, millis(from), millis(to)}, 0)
	if err != nil {
		return nil, fmt.Errorf("digest blockers: %w", err)
	}
	return bs, nil
}

// InboundBlockersInPlay returns the blockers other channels raised
// against channel or its team, open at some time in [from, to), oldest
// first. See rituals.DigestReader.
func (db *DB) InboundBlockersInPlay(ctx context.Context, team, channel string, from, to time.Time) ([]*rituals.Blocker, error) {
	inbound, args := inboundCond(team, channel)
	bs, err := selectBlockerRows(ctx, db.db,
		[]string{inbound, "(b.resolved_at = 0 OR b.resolved_at >= ?)", "b.created_at < ?"},
		append(args, millis(from), millis(to)), 0)
	if err != nil {
		return nil, fmt.Errorf("digest inbound blockers: %w", err)
	}
	return bs, nil
}

// CheckinsClosed returns channel's check-ins closed in [from, to), newest
// first, skipped days left out. See rituals.DigestReader.
func (db *DB) CheckinsClosed(ctx context.Context, team, channel string, from, to time.Time) ([]*rituals.Checkin, error) {
	var rows []checkinRow
	err := sqlxSelect(ctx, db.db, &rows, `SELECT `+checkinColumns+` FROM checkins
		WHERE team_id = ? AND channel_id = ? AND closed_at >= ? AND closed_at < ? AND skipped = FALSE
		ORDER BY closed_at DESC`, team, channel, max(millis(from), 1), millis(to))
	if err != nil {
		return nil, fmt.Errorf("digest check-ins: %w", formatError(err))
	}
	out := make([]*rituals.Checkin, len(rows))
	for i := range rows {
		out[i] = rows[i].checkin()
	}
	return out, nil
}

// PulsesClosed returns channel's pulses closed in [from, to), with their
// counts, oldest first. See rituals.DigestReader.
func (db *DB) PulsesClosed(ctx context.Context, team, channel string, from, to time.Time) ([]*rituals.Pulse, error) {
	var rows []pulseRow
	err := sqlxSelect(ctx, db.db, &rows, `SELECT `+pulseColumns+pulseFrom+`
		WHERE p.team_id = ? AND p.channel_id = ? AND p.closed_at >= ? AND p.closed_at < ? AND p.status = ?
		ORDER BY p.closed_at, p.number`, team, channel, max(millis(from), 1), millis(to), string(rituals.PulseClosed))
	if err != nil {
		return nil, fmt.Errorf("digest pulses: %w", formatError(err))
	}
	return pulsesOf(rows), nil
}
