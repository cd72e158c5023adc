package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// SaveChannel records what Slack said of a channel. See rituals.ChannelStore.
func (db *DB) SaveChannel(ctx context.Context, ch rituals.Channel, at time.Time) error {
	_, err := db.exec(ctx, `INSERT INTO channels (team_id, id, name, private, archived, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, id) DO UPDATE SET name = excluded.name, private = excluded.private,
			archived = excluded.archived, updated_at = excluded.updated_at`,
		ch.Team, ch.ID, ch.Name, ch.Private, ch.Archived, millis(at))
	if err != nil {
		return fmt.Errorf("save channel %s: %w", ch.ID, formatError(err))
	}
	return nil
}

// SavedChannel returns what was last saved of a channel, and when. See
// rituals.ChannelStore.
func (db *DB) SavedChannel(ctx context.Context, team, id string) (rituals.Channel, time.Time, error) {
	var row struct {
		Name     string `db:"name"`
		Private  bool   `db:"private"`
		Archived bool   `db:"archived"`
		At       int64  `db:"updated_at"`
	}
	err := db.db.GetContext(ctx, &row, db.rebind(`SELECT name, private, archived, updated_at FROM channels
		WHERE team_id = ? AND id = ?`), team, id)
	if errors.Is(err, sql.ErrNoRows) {
		return rituals.Channel{}, time.Time{}, rituals.Errorf(rituals.ENOTFOUND, "Channel %s is not known.", id)
	}
	if err != nil {
		return rituals.Channel{}, time.Time{}, fmt.Errorf("read channel %s: %w", id, formatError(err))
	}
	return rituals.Channel{Team: team, ID: id, Name: row.Name, Private: row.Private, Archived: row.Archived}, fromMillis(row.At), nil
}

// ChannelIDs returns the IDs of the channels known by name (without '#').
func (db *DB) ChannelIDs(ctx context.Context, name string) ([]string, error) {
	var ids []string
	err := db.db.SelectContext(ctx, &ids, db.rebind(`SELECT id FROM channels WHERE name = ? ORDER BY id`), name)
	if err != nil {
		return nil, fmt.Errorf("find channel %s: %w", name, formatError(err))
	}
	return ids, nil
}

// Teams returns the workspaces the database holds anything of.
func (db *DB) Teams(ctx context.Context) ([]string, error) {
	var teams []string
	err := db.db.SelectContext(ctx, &teams, `SELECT team_id FROM channels UNION SELECT team_id FROM decisions ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", formatError(err))
	}
	return teams, nil
}
