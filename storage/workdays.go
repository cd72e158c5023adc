package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

var _ rituals.WorkdaysStore = (*DB)(nil)

// ChannelWorkdays returns a channel's working days. See
// rituals.WorkdaysStore.
func (db *DB) ChannelWorkdays(ctx context.Context, team, channel string) (rituals.Workdays, bool, error) {
	var days int64
	err := db.db.GetContext(ctx, &days, db.rebind(`SELECT days FROM channel_workdays WHERE team_id = ? AND channel_id = ?`), team, channel)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("find working days of %s: %w", channel, formatError(err))
	}
	return rituals.Workdays(days), true, nil
}

// SaveChannelWorkdays sets a channel's working days, or clears them when
// days is zero. See rituals.WorkdaysStore.
func (db *DB) SaveChannelWorkdays(ctx context.Context, team, channel string, days rituals.Workdays, by string, at time.Time) error {
	var err error
	if days == 0 {
		_, err = db.exec(ctx, `DELETE FROM channel_workdays WHERE team_id = ? AND channel_id = ?`, team, channel)
	} else {
		_, err = db.exec(ctx, `INSERT INTO channel_workdays (team_id, channel_id, days, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (team_id, channel_id) DO UPDATE SET days = excluded.days,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			team, channel, int64(days), by, millis(at))
	}
	if err != nil {
		return fmt.Errorf("save working days of %s: %w", channel, formatError(err))
	}
	return nil
}
