package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

type scheduleRow struct {
	TeamID    string `db:"team_id"`
	ChannelID string `db:"channel_id"`
	Kind      string `db:"kind"`
	Spec      string `db:"spec"`
	Zone      string `db:"zone"`
	WindowMS  int64  `db:"window_ms"`
	NextRunAt int64  `db:"next_run_at"`
	CreatedBy string `db:"created_by"`
}

const scheduleColumns = `team_id, channel_id, kind, spec, zone, window_ms, next_run_at, created_by`

func (r *scheduleRow) schedule() *rituals.Schedule {
	return &rituals.Schedule{
		Team: r.TeamID, Channel: r.ChannelID, Kind: r.Kind, Spec: r.Spec, Zone: rituals.StoredZone(r.Zone),
		Window: time.Duration(r.WindowMS) * time.Millisecond, NextRunAt: fromMillis(r.NextRunAt),
		CreatedBy: r.CreatedBy,
	}
}

// DueSchedules returns the schedules due at now. See rituals.ScheduleStore.
func (db *DB) DueSchedules(ctx context.Context, now time.Time) ([]*rituals.Schedule, error) {
	var rows []scheduleRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+scheduleColumns+` FROM schedules
		WHERE next_run_at <= ? ORDER BY next_run_at`), millis(now))
	if err != nil {
		return nil, fmt.Errorf("due schedules: %w", formatError(err))
	}
	out := make([]*rituals.Schedule, len(rows))
	for i := range rows {
		out[i] = rows[i].schedule()
	}
	return out, nil
}

// AdvanceSchedule moves a schedule to its next run, unless someone else
// already did. See rituals.ScheduleStore.
func (db *DB) AdvanceSchedule(ctx context.Context, s *rituals.Schedule, next, at time.Time) error {
	_, err := db.db.ExecContext(ctx, db.rebind(`UPDATE schedules SET next_run_at = ?, updated_at = ?
		WHERE team_id = ? AND channel_id = ? AND kind = ? AND next_run_at = ?`),
		millis(next), millis(at), s.Team, s.Channel, s.Kind, millis(s.NextRunAt))
	if err != nil {
		return fmt.Errorf("advance schedule: %w", formatError(err))
	}
	return nil
}

// Schedule returns a channel's schedule of a kind. Returns ENOTFOUND.
func (tx *Tx) Schedule(ctx context.Context, team, channel, kind string) (*rituals.Schedule, error) {
	var r scheduleRow
	err := tx.tx.GetContext(ctx, &r, tx.tx.Rebind(`SELECT `+scheduleColumns+` FROM schedules
		WHERE team_id = ? AND channel_id = ? AND kind = ?`), team, channel, kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "This channel has no %s schedule.", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("find schedule: %w", formatError(err))
	}
	return r.schedule(), nil
}

// SaveSchedule creates or replaces a channel's schedule of a kind.
func (tx *Tx) SaveSchedule(ctx context.Context, s *rituals.Schedule, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO schedules (`+scheduleColumns+`, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, kind) DO UPDATE SET spec = excluded.spec, zone = excluded.zone,
		window_ms = excluded.window_ms, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at`),
		s.Team, s.Channel, s.Kind, s.Spec, s.Zone.String(), s.Window.Milliseconds(), millis(s.NextRunAt), s.CreatedBy,
		millis(at), millis(at))
	if err != nil {
		return fmt.Errorf("save schedule: %w", formatError(err))
	}
	return nil
}

// DeleteSchedule removes a channel's schedule of a kind; its past
// occurrences stay.
func (tx *Tx) DeleteSchedule(ctx context.Context, team, channel, kind string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM schedules WHERE team_id = ? AND channel_id = ? AND kind = ?`),
		team, channel, kind)
	if err != nil {
		return fmt.Errorf("delete schedule: %w", formatError(err))
	}
	return nil
}

// ClaimOccurrence records an occurrence as begun. See rituals.RitualTx.
func (tx *Tx) ClaimOccurrence(ctx context.Context, o *rituals.Occurrence) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO occurrences
		(team_id, channel_id, kind, scheduled_for, opened_at, closes_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, kind, scheduled_for) DO NOTHING`),
		o.Team, o.Channel, o.Kind, millis(o.ScheduledFor), millis(o.OpenedAt), millis(o.ClosesAt))
	if err != nil {
		return fmt.Errorf("claim occurrence: %w", formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}
