package bot

import (
	"context"
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
	l.block("T1", "chat.postMessage", 150*time.Millisecond)
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
