package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// Claim records a request as handled. See rituals.Claimer.
func (tx *Tx) Claim(ctx context.Context, team, requestID string, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO processed_requests (team_id, request_id, created_at)
		VALUES (?, ?, ?) ON CONFLICT (team_id, request_id) DO NOTHING`), team, requestID, millis(at))
	if err != nil {
		return fmt.Errorf("claim request: %w", formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

// NextNumber returns the next value of a per-team sequence. See
// rituals.Numberer.
func (tx *Tx) NextNumber(ctx context.Context, team, kind string) (int64, error) {
	var n int64
	err := tx.tx.GetContext(ctx, &n, tx.tx.Rebind(`INSERT INTO counters (team_id, name, value) VALUES (?, ?, 1)
		ON CONFLICT (team_id, name) DO UPDATE SET value = counters.value + 1
		RETURNING value`), team, kind)
	if err != nil {
		return 0, fmt.Errorf("next %s number: %w", kind, formatError(err))
	}
	return n, nil
}

// PruneRequests forgets handled requests older than before, returning how
// many were removed.
func (db *DB) PruneRequests(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.db.ExecContext(ctx, db.rebind(`DELETE FROM processed_requests WHERE created_at < ?`), millis(before))
	if err != nil {
		return 0, fmt.Errorf("prune requests: %w", formatError(err))
	}
	return res.RowsAffected()
}
