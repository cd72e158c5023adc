package storage_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/storage"
)

// twoReplicas opens the same fresh database twice, as two processes would.
func twoReplicas(t *testing.T) (*storage.DB, *storage.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := testdb.New(t)
	var dbs [2]*storage.DB
	for i := range dbs {
		db, err := storage.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

// Replicas count their calls together: once they have made the limit
// between them, the next waits until the oldest leaves the window.
func TestTakeRateIsSharedByReplicas(t *testing.T) {
	ctx := context.Background()
	a, b := twoReplicas(t)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	take := func(db *storage.DB, at time.Time) time.Duration {
		t.Helper()
		wait, err := db.TakeRate(ctx, "T1|chat.postMessage", 3, time.Minute, at)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	for i, db := range []*storage.DB{a, b, a} {
		if w := take(db, t0.Add(time.Duration(i)*time.Second)); w != 0 {
			t.Fatalf("call %d of 3 waits %v", i+1, w)
		}
	}
	// Calls are counted by the second: the first, in 09:00:00, leaves
	// the window at 09:01:01.
	if w := take(b, t0.Add(10*time.Second)); w != 51*time.Second {
		t.Fatalf("the fourth call waits %v, want 51 s (until the first's second leaves the minute)", w)
	}
	if w, _ := a.TakeRate(ctx, "T2|chat.postMessage", 3, time.Minute, t0.Add(10*time.Second)); w != 0 {
		t.Fatalf("another workspace waits %v", w)
	}
	if w := take(b, t0.Add(time.Minute+time.Second)); w != 0 {
		t.Fatalf("once the first call left the window, the next waits %v", w)
	}

	// A 429 one replica got holds the method back for the other too.
	until := t0.Add(2*time.Minute + 30*time.Second)
	if err := a.BlockRate(ctx, "T1|views.open", until); err != nil {
		t.Fatal(err)
	}
	if err := a.BlockRate(ctx, "T1|views.open", until.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if w, _ := b.TakeRate(ctx, "T1|views.open", 100, time.Minute, t0.Add(2*time.Minute)); w != 30*time.Second {
		t.Fatalf("during another replica's 429 hold the call waits %v, want 30 s", w)
	}
}

// Replicas taking at once, each one take at a time per key (as the bot's
// limiter does), go over the limit between them by one call per other
// replica at most, and use it all.
func TestTakeRateHoldsUnderConcurrentReplicas(t *testing.T) {
	ctx := context.Background()
	a, b := twoReplicas(t)
	now := time.Now()
	var (
		went atomic.Int32
		wg   sync.WaitGroup
	)
	for _, db := range []*storage.DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				wait, err := db.TakeRate(ctx, "T1|conversations.info", 12, time.Minute, now)
				if err != nil {
					t.Error(err)
					return
				}
				if wait == 0 {
					went.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := went.Load(); n < 12 || n > 13 {
		t.Fatalf("%d calls went out of 40 tried by two replicas with a limit of 12, want 12 or 13", n)
	}
}
