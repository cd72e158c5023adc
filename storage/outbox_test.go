package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	woken := 0
	db.OnEnqueue = func() { woken++ }

	enqueue := func(msgs ...rituals.Outgoing) {
		t.Helper()
		if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
			t.Fatal(err)
		}
	}
	enqueue(
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C1", Key: "first"},
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C1", Key: "second"},
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C2", Key: "other"},
		rituals.Outgoing{Team: "T1", Kind: "k", Lane: "user:U1", Channel: "C1", Key: "reply"},
	)
	if woken != 1 {
		t.Fatalf("OnEnqueue called %d times, want once per commit", woken)
	}
	keys := func(items []rituals.OutboxItem) (s []string) {
		for _, it := range items {
			s = append(s, it.Key)
		}
		return s
	}

	items, err := db.DueOutbox(ctx, now, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(items); len(got) != 3 || got[0] != "first" || got[1] != "other" || got[2] != "reply" {
		t.Fatalf("due=%v, want the head of each lane: first, other, reply", got)
	}
	t.Run("BusyLanesSkipped", func(t *testing.T) {
		items, _ := db.DueOutbox(ctx, now, 10, []string{"C1", "user:U1"})
		if got := keys(items); len(got) != 1 || got[0] != "other" {
			t.Fatalf("due=%v, want [other]", got)
		}
	})
	t.Run("RetryHoldsTheLane", func(t *testing.T) {
		if err := db.RetryOutbox(ctx, items[0].ID, now.Add(time.Minute), "HTTP 503"); err != nil {
			t.Fatal(err)
		}
		items, _ := db.DueOutbox(ctx, now, 10, nil)
		if got := keys(items); len(got) != 2 || got[0] != "other" {
			t.Fatalf("due=%v: lane C1 must wait for its head", got)
		}
		items, _ = db.DueOutbox(ctx, now.Add(time.Minute), 10, nil)
		if got := keys(items); len(got) != 3 || items[0].Attempts != 1 {
			t.Fatalf("due=%v attempts=%d", got, items[0].Attempts)
		}
	})
	t.Run("SentIsRememberedAndLaneAdvances", func(t *testing.T) {
		if err := db.MarkSent(ctx, items[0], "C1", "1700000000.000100", now); err != nil {
			t.Fatal(err)
		}
		ch, ts, err := db.SlackMessage(ctx, "T1", "first")
		if err != nil || ch != "C1" || ts != "1700000000.000100" {
			t.Fatalf("message=%s %s %v", ch, ts, err)
		}
		items, _ := db.DueOutbox(ctx, now.Add(time.Minute), 10, []string{"C2", "user:U1"})
		if got := keys(items); len(got) != 1 || got[0] != "second" {
			t.Fatalf("due=%v, want [second]", got)
		}
		if _, _, err := db.SlackMessage(ctx, "T1", "second"); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("err=%v, want ENOTFOUND", err)
		}
	})
	t.Run("ParkedLeavesTheQueue", func(t *testing.T) {
		if err := db.ParkOutbox(ctx, items[1].ID, "channel_not_found", false, now); err != nil {
			t.Fatal(err)
		}
		n, oldest, err := db.OutboxStats(ctx)
		if err != nil || n != 2 || !oldest.Equal(now) {
			t.Fatalf("stats=%d %v %v, want 2 pending since %v", n, oldest, err, now)
		}
	})
}
