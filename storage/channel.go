package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// SaveChannel records what Slack said of a channel. See rituals.ChannelStore.
func (db *DB) SaveChannel(ctx context.Context, ch rituals.Channel, at time.Time) error {
	_, err := db.db.ExecContext(ctx, db.rebind(`INSERT INTO channels (team_id, id, name, private, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (team_id, id) DO UPDATE SET name = excluded.name, private = excluded.private, updated_at = excluded.updated_at`),
		ch.Team, ch.ID, ch.Name, ch.Private, millis(at))
	if err != nil {
		return fmt.Errorf("save channel %s: %w", ch.ID, formatError(err))
	}
	return nil
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
