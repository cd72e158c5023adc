package slackapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"
)

func TestWindowAllowsBurstThenPaces(t *testing.T) {
	w := &window{span: 200 * time.Millisecond, times: make([]time.Time, 0, 5)}
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < 5; i++ {
		if err := w.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Fatalf("a burst up to the limit waited %v", d)
	}
	if err := w.wait(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("the call over the limit went after %v, before the window passed", d)
	}
	full := &window{span: time.Minute, times: make([]time.Time, 0, 1)}
	full.wait(ctx)
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if err := full.wait(short); err == nil {
		t.Fatal("a wait past its context's end succeeded")
	}
}

func TestLimiterBlocksOneMethodAfter429(t *testing.T) {
	l := newLimiter(Limits{Margin: 0})
	// Timed from before the block, which counts its 150 ms from when it
	// is called: timed from after, a busy machine saw the wait end early.
	start := time.Now()
	l.block(context.Background(), "T1", "chat.postMessage", 150*time.Millisecond)
	ctx := context.Background()
	if err := l.wait(ctx, "T1", "views.open", ""); err != nil || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("another method waited %v (err %v) during the block", time.Since(start), err)
	}
	if err := l.wait(ctx, "T2", "chat.postMessage", "C1"); err != nil || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("another workspace waited %v during the block", time.Since(start))
	}
	if err := l.wait(ctx, "T1", "chat.postMessage", "C1"); err != nil || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("the blocked method went after %v, before its Retry-After", time.Since(start))
	}
}

// memLimits is SharedLimits in memory: what replicas sharing a database see.
type memLimits struct {
	mu    sync.Mutex
	calls map[string][]time.Time
	held  map[string]time.Time
	fail  error
}

func (m *memLimits) TakeRate(ctx context.Context, key string, limit int, span time.Duration, now time.Time) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return 0, m.fail
	}
	if until := m.held[key]; until.After(now) {
		return until.Sub(now), nil
	}
	if calls := m.calls[key]; len(calls) >= limit {
		return calls[len(calls)-limit].Add(span).Sub(now), nil
	}
	m.calls[key] = append(m.calls[key], now)
	return 0, nil
}

func (m *memLimits) BlockRate(ctx context.Context, key string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.held[key] = until
	return nil
}

// Two replicas sharing their counts make the workspace's limit between
// them, and one's 429 holds the other back; with the count unreadable,
// each paces itself.
func TestLimitersShareTheWorkspaceBudget(t *testing.T) {
	shared := &memLimits{calls: map[string][]time.Time{}, held: map[string]time.Time{}}
	replica := func() *limiter {
		l := newLimiter(Limits{PostsPerMinute: 4})
		l.shared, l.log = shared, slog.New(slog.DiscardHandler)
		return l
	}
	a, b := replica(), replica()
	ctx := context.Background()
	for i, l := range []*limiter{a, b, a, b} {
		if err := l.wait(ctx, "T1", "chat.postMessage", fmt.Sprint("C", i)); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := a.wait(short, "T1", "chat.postMessage", "C9"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a fifth post in the minute between two replicas went out (err %v)", err)
	}

	b.block(ctx, "T1", "views.open", time.Minute)
	short2, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	if err := a.wait(short2, "T1", "views.open", ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a call went out during another replica's 429 hold (err %v)", err)
	}

	shared.mu.Lock()
	shared.fail = errors.New("database down")
	shared.mu.Unlock()
	if err := a.wait(ctx, "T1", "users.info", ""); err != nil {
		t.Fatalf("with the shared count unreadable, a call failed: %v", err)
	}
}
