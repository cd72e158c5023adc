package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/alignbot/alignbot/rituals"
)

// Leadership roll-ups (migration 00025). See rituals.RollupStore.

type rollupRow struct {
	TeamID      string `db:"team_id"`
	ChannelID   string `db:"channel_id"`
	Channels    string `db:"channels"`
	AllChannels bool   `db:"all_channels"`
	UpdatedBy   string `db:"updated_by"`
	UpdatedAt   int64  `db:"updated_at"`
}

// DigestRollup returns channel's roll-up setting. Returns ENOTFOUND.
func (r reader) DigestRollup(ctx context.Context, team, channel string) (*rituals.RollupSetting, error) {
	var row rollupRow
	err := sqlxGet(ctx, r.q, &row, `SELECT team_id, channel_id, channels, all_channels, updated_by, updated_at
		FROM digest_rollups WHERE team_id = ? AND channel_id = ?`, team, channel)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "This channel has no roll-up.")
	}
	if err != nil {
		return nil, fmt.Errorf("roll-up: %w", formatError(err))
	}
	return &rituals.RollupSetting{Team: row.TeamID, Channel: row.ChannelID, Channels: splitLines(row.Channels),
		All: row.AllChannels, UpdatedBy: row.UpdatedBy, UpdatedAt: fromMillis(row.UpdatedAt)}, nil
}

// SaveDigestRollup stores s in place of the channel's roll-up setting.
func (db *DB) SaveDigestRollup(ctx context.Context, s *rituals.RollupSetting) error {
	_, err := db.exec(ctx, `INSERT INTO digest_rollups (team_id, channel_id, channels, all_channels, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, channel_id) DO UPDATE SET channels = excluded.channels,
		all_channels = excluded.all_channels, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		s.Team, s.Channel, strings.Join(s.Channels, "\n"), s.All, s.UpdatedBy, millis(s.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save roll-up: %w", formatError(err))
	}
	return nil
}

// DeleteDigestRollup removes channel's roll-up setting. Returns ENOTFOUND.
func (db *DB) DeleteDigestRollup(ctx context.Context, team, channel string) error {
	res, err := db.exec(ctx, `DELETE FROM digest_rollups WHERE team_id = ? AND channel_id = ?`, team, channel)
	if err != nil {
		return fmt.Errorf("delete roll-up: %w", formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.Errorf(rituals.ENOTFOUND, "This channel has no roll-up.")
	}
	return nil
}

// DigestChannels returns the channels of team with a weekly digest, in
// ID order.
func (r reader) DigestChannels(ctx context.Context, team string) ([]string, error) {
	var out []string
	err := sqlxSelect(ctx, r.q, &out, `SELECT channel_id FROM schedules WHERE team_id = ? AND kind = ? ORDER BY channel_id`,
		team, rituals.DigestKind)
	if err != nil {
		return nil, fmt.Errorf("digest channels: %w", formatError(err))
	}
	return out, nil
}

var _ rituals.RollupStore = (*DB)(nil)
