package storage

import (
	"context"
	"fmt"
	"time"
)

// TakeRate counts one call under key if fewer than limit were made in
// the span before now, and returns 0; otherwise it counts nothing and
// returns how long until one may go (a 429 hold on key included). Calls
// are counted per second, so a take reads a minute's rows at most,
// however many calls they hold, and it takes no lock: the count and the
// call are one statement. Replicas sharing the database share the count;
// takers at the very same moment may each see the last place free, so
// the replicas together can go over by one call each, at most, where the
// window is full (a limiter takes one place at a time per key).
func (db *DB) TakeRate(ctx context.Context, key string, limit int, span time.Duration, now time.Time) (time.Duration, error) {
	var blocked int64
	err := db.db.GetContext(ctx, &blocked, db.rebind(`SELECT COALESCE(MAX(blocked_until), 0) FROM rate_limit_keys WHERE key = ?`), key)
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: read hold: %w", key, formatError(err))
	}
	if until := fromMillis(blocked); until.After(now) {
		return until.Sub(now), nil
	}
	// A call counted in second s stays in the window until s+1+span: a
	// second is counted whole, so the window never lets more by.
	sec, oldest := now.Unix(), now.Add(-span).Unix()
	var counted []int
	err = db.db.SelectContext(ctx, &counted, db.rebind(`INSERT INTO rate_limit_calls (key, second, calls)
		SELECT ?, ?, 1 WHERE (SELECT COALESCE(SUM(calls), 0) FROM rate_limit_calls WHERE key = ? AND second >= ?) < ?
		ON CONFLICT (key, second) DO UPDATE SET calls = rate_limit_calls.calls + 1
		RETURNING calls`), key, sec, key, oldest, limit)
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: count call: %w", key, formatError(err))
	}
	if len(counted) == 1 {
		if counted[0] == 1 {
			// The first call of a second: forget the seconds that have
			// left the window.
			if _, err := db.db.ExecContext(ctx, db.rebind(`DELETE FROM rate_limit_calls WHERE key = ? AND second < ?`), key, oldest); err != nil {
				return 0, fmt.Errorf("rate limit %s: forget old calls: %w", key, formatError(err))
			}
		}
		return 0, nil
	}
	// The window is full: a place frees when the second holding the call
	// limit places back from the newest leaves it.
	var seconds []struct {
		Second int64 `db:"second"`
		Calls  int   `db:"calls"`
	}
	err = db.db.SelectContext(ctx, &seconds, db.rebind(`SELECT second, calls FROM rate_limit_calls
		WHERE key = ? AND second >= ? ORDER BY second`), key, oldest)
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: read calls: %w", key, formatError(err))
	}
	over := -limit
	for _, s := range seconds {
		over += s.Calls
	}
	for _, s := range seconds {
		if over -= s.Calls; over < 0 {
			return max(time.Unix(s.Second+1, 0).Add(span).Sub(now), time.Millisecond), nil
		}
	}
	return time.Millisecond, nil // the window emptied meanwhile: try again
}

// BlockRate holds key back until until (Slack's Retry-After after a
// 429), for every replica; a later hold already set stays.
func (db *DB) BlockRate(ctx context.Context, key string, until time.Time) error {
	_, err := db.db.ExecContext(ctx, db.rebind(`INSERT INTO rate_limit_keys (key, blocked_until) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET blocked_until = excluded.blocked_until
		WHERE rate_limit_keys.blocked_until < excluded.blocked_until`), key, millis(until))
	if err != nil {
		return fmt.Errorf("rate limit hold %s: %w", key, formatError(err))
	}
	return nil
}
