package storage

import (
	"context"
	"sync"
)

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
