package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// exec runs one write statement outside a transaction; on SQLite it waits
// its turn at the write gate first. A write that skipped the gate met a
// transaction holding SQLite's lock and slept in SQLite's busy handler
// (1 ms, 2, 5, 10, … up to 100 ms a try) long after the lock was free:
// workers finishing requests and the sender claiming posts spent most of
// a load run asleep there.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.gated(ctx, func() (err error) {
		res, err = db.db.ExecContext(ctx, db.rebind(query), args...)
		return err
	})
	return res, err
}

// selectWrite runs one write statement that returns rows (RETURNING) into
// dest, at the write gate like exec.
func (db *DB) selectWrite(ctx context.Context, dest any, query string, args ...any) error {
	return db.gated(ctx, func() error { return db.db.SelectContext(ctx, dest, db.rebind(query), args...) })
}

// gated runs fn holding the write gate, on SQLite.
func (db *DB) gated(ctx context.Context, fn func() error) error {
	if db.writer != nil {
		if err := db.writer.lock(ctx, false); err != nil {
			return fmt.Errorf("waiting to write: %w", err)
		}
		defer db.writer.unlock()
	}
	return fn()
}

// writeGate admits one SQLite transaction at a time, and lets the inbox's
// writes (requests waiting for their ack) go before any other waiting
// writer: an ack must not queue behind the work it acknowledges.
type writeGate struct {
	mu      sync.Mutex
	held    bool
	urgent  []chan struct{} // waiting inbox writes, first come first
	waiting []chan struct{} // every other waiting writer
}

// lock waits for the gate, or for ctx to end.
func (g *writeGate) lock(ctx context.Context, urgent bool) error {
	g.mu.Lock()
	if !g.held {
		g.held = true
		g.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	if urgent {
		g.urgent = append(g.urgent, ch)
	} else {
		g.waiting = append(g.waiting, ch)
	}
	g.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		select {
		case <-ch: // handed over just now: pass it on
			g.handOver()
		default:
			g.urgent = remove(g.urgent, ch)
			g.waiting = remove(g.waiting, ch)
		}
		return ctx.Err()
	}
}

// unlock hands the gate to the next waiter, inbox writes first.
func (g *writeGate) unlock() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.handOver()
}

// handOver passes the held gate on, or frees it. Callers hold g.mu.
func (g *writeGate) handOver() {
	var next chan struct{}
	switch {
	case len(g.urgent) > 0:
		next, g.urgent = g.urgent[0], g.urgent[1:]
	case len(g.waiting) > 0:
		next, g.waiting = g.waiting[0], g.waiting[1:]
	default:
		g.held = false
		return
	}
	close(next)
}

func remove(q []chan struct{}, ch chan struct{}) []chan struct{} {
	for i, c := range q {
		if c == ch {
			return append(q[:i], q[i+1:]...)
		}
	}
	return q
}
