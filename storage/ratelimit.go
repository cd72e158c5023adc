package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// TakeRate counts one call under key if fewer than limit were made in
// the span before now, and returns 0; otherwise it counts nothing and
// returns how long until one may go (a 429 hold on key included).
// Replicas sharing the database share the count: takers of one key take
// turns on its row.
func (db *DB) TakeRate(ctx context.Context, key string, limit int, span time.Duration, now time.Time) (wait time.Duration, err error) {
	err = db.rateTx(ctx, func(tx *Tx) error {
		if err := tx.lockRateKey(ctx, key); err != nil {
			return err
		}
		var blocked int64
		if err := tx.tx.GetContext(ctx, &blocked, tx.tx.Rebind(`SELECT blocked_until FROM rate_limit_keys WHERE key = ?`), key); err != nil {
			return fmt.Errorf("read hold: %w", formatError(err))
		}
		if until := fromMillis(blocked); until.After(now) {
			wait = until.Sub(now)
			return nil
		}
		since := millis(now.Add(-span))
		if _, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM rate_limit_calls WHERE key = ? AND at <= ?`), key, since); err != nil {
			return fmt.Errorf("forget old calls: %w", formatError(err))
		}
		var made int
		if err := tx.tx.GetContext(ctx, &made, tx.tx.Rebind(`SELECT COUNT(*) FROM rate_limit_calls WHERE key = ?`), key); err != nil {
			return fmt.Errorf("count calls: %w", formatError(err))
		}
		if made >= limit {
			// The call that frees a place is the one limit places back
			// from the newest: wait until it leaves the span.
			var at int64
			err := tx.tx.GetContext(ctx, &at, tx.tx.Rebind(`SELECT at FROM rate_limit_calls WHERE key = ?
				ORDER BY at LIMIT 1 OFFSET ?`), key, made-limit)
			if err != nil {
				return fmt.Errorf("find the oldest call: %w", formatError(err))
			}
			wait = max(fromMillis(at).Add(span).Sub(now), time.Millisecond)
			return nil
		}
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO rate_limit_calls (key, at) VALUES (?, ?)`), key, millis(now))
		if err != nil {
			return fmt.Errorf("count call: %w", formatError(err))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	return wait, nil
}

// BlockRate holds key back until until (Slack's Retry-After after a
// 429), for every replica; a later hold already set stays.
func (db *DB) BlockRate(ctx context.Context, key string, until time.Time) error {
	err := db.rateTx(ctx, func(tx *Tx) error {
		if err := tx.lockRateKey(ctx, key); err != nil {
			return err
		}
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE rate_limit_keys SET blocked_until = ?
			WHERE key = ? AND blocked_until < ?`), millis(until), key, millis(until))
		if err != nil {
			return fmt.Errorf("hold: %w", formatError(err))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rate limit hold %s: %w", key, err)
	}
	return nil
}

// rateTx runs fn in a transaction of its own: a rate-limit count is not
// part of any request's effects.
func (db *DB) rateTx(ctx context.Context, fn func(*Tx) error) error {
	_, err := db.inTx(rituals.WithoutRequest(ctx), func(t rituals.Tx) error { return fn(t.(*Tx)) })
	return err
}

// lockRateKey makes sure key has its row, and holds it until the
// transaction ends, so takers of one key take turns (SQLite's single
// writer does that by itself).
func (tx *Tx) lockRateKey(ctx context.Context, key string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO rate_limit_keys (key) VALUES (?) ON CONFLICT (key) DO NOTHING`), key)
	if err != nil {
		return fmt.Errorf("add key: %w", formatError(err))
	}
	if tx.db.dialect == "postgres" {
		if _, err := tx.tx.ExecContext(ctx, `SELECT 1 FROM rate_limit_keys WHERE key = $1 FOR UPDATE`, key); err != nil {
			return fmt.Errorf("lock key: %w", formatError(err))
		}
	}
	return nil
}
