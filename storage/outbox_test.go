package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

func keys(items []rituals.OutboxItem) (s []string) {
	for _, it := range items {
		s = append(s, string(it.Key))
	}
	return s
}

func enqueue(t *testing.T, db *storage.DB, msgs ...rituals.Outgoing) {
	t.Helper()
	ctx := context.Background()
	if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxClaims(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	woken := 0
	db.OnEnqueue = func() { woken++ }
	const lease = 5 * time.Minute

	enqueue(t, db,
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C1", Key: "first"},
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C1", Key: "second"},
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C2", Key: "other"},
	)
	enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Lane: "reply:U1", Channel: "C1", Key: "reply", Interactive: true})
	if woken != 2 {
		t.Fatalf("OnEnqueue called %d times, want once per commit", woken)
	}

	items, err := db.ClaimOutbox(ctx, "a", now, now, lease, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(items); len(got) != 3 || got[0] != "reply" || got[1] != "first" || got[2] != "other" {
		t.Fatalf("claimed %v, want the head of each lane, interactive first", got)
	}
	if items[1].Attempts != 1 || items[1].Doubt {
		t.Fatalf("first claim: attempts=%d doubt=%v", items[1].Attempts, items[1].Doubt)
	}
	if err := db.MarkSent(ctx, items[0], "C1", "", now); err != nil {
		t.Fatal(err)
	}

	t.Run("HeldLanesAreNotClaimedTwice", func(t *testing.T) {
		if again, _ := db.ClaimOutbox(ctx, "b", now, now, lease, 10, false); len(again) != 0 {
			t.Fatalf("a second claimer got %v while the lanes are held", keys(again))
		}
	})
	t.Run("RetryHoldsTheLaneUntilItsTime", func(t *testing.T) {
		if err := db.RetryOutbox(ctx, items[1], now.Add(time.Minute), "HTTP 503", true); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ClaimOutbox(ctx, "a", now, now, lease, 10, false); len(got) != 0 {
			t.Fatalf("claimed %v before the retry time", keys(got))
		}
		got, _ := db.ClaimOutbox(ctx, "a", now.Add(time.Minute), now.Add(time.Minute), lease, 10, false)
		if len(got) != 1 || got[0].Key != "first" || got[0].Attempts != 2 || !got[0].Doubt {
			t.Fatalf("retry claimed %+v, want first again, attempt 2, in doubt", got)
		}
		items[1] = got[0]
	})
	t.Run("SentIsRememberedAndTheLaneMoves", func(t *testing.T) {
		if err := db.MarkSent(ctx, items[1], "C1", "1700000000.000100", now); err != nil {
			t.Fatal(err)
		}
		ch, ts, err := db.SlackMessage(ctx, "T1", "first")
		if err != nil || ch != "C1" || ts != "1700000000.000100" {
			t.Fatalf("message=%s %s %v", ch, ts, err)
		}
		got, _ := db.ClaimOutbox(ctx, "a", now.Add(time.Minute), now.Add(time.Minute), lease, 10, false)
		if len(got) != 1 || got[0].Key != "second" {
			t.Fatalf("claimed %v, want [second]", keys(got))
		}
	})
	t.Run("LapsedClaimComesBackInDoubt", func(t *testing.T) {
		// "other" was claimed by a process that died: after the lease it is
		// free again, and marked in doubt.
		got, _ := db.ClaimOutbox(ctx, "b", now.Add(lease+time.Second), now.Add(lease+time.Second), lease, 10, false)
		var other *rituals.OutboxItem
		for i := range got {
			if got[i].Key == "other" {
				other = &got[i]
			}
		}
		if other == nil || !other.Doubt || other.Attempts != 2 {
			t.Fatalf("claimed %+v, want other in doubt on attempt 2", got)
		}
	})
	t.Run("ReleasedClaimComesBackAfterTheGrace", func(t *testing.T) {
		// "b" died holding "other": its claim is cut to lapse at now+10s,
		// not at once (a post it had on the wire may still land), and
		// never lengthened.
		at := now.Add(lease + time.Second)
		owners, err := db.OutboxClaimOwners(ctx, at)
		if err != nil || !slices.Contains(owners, "b") {
			t.Fatalf("owners %v, %v; want b among them", owners, err)
		}
		if n, err := db.ReleaseOutboxClaims(ctx, "b", at.Add(10*time.Second)); err != nil || n != 1 {
			t.Fatalf("released %d, %v; want 1", n, err)
		}
		if n, _ := db.ReleaseOutboxClaims(ctx, "b", at.Add(time.Hour)); n != 0 {
			t.Fatalf("a later release lengthened %d claims", n)
		}
		if got, _ := db.ClaimOutbox(ctx, "c", at.Add(9*time.Second), at.Add(9*time.Second), lease, 10, false); len(got) != 0 {
			t.Fatalf("claimed %v inside the grace", keys(got))
		}
		got, _ := db.ClaimOutbox(ctx, "c", at.Add(10*time.Second), at.Add(10*time.Second), lease, 10, false)
		if len(got) != 1 || got[0].Key != "other" || !got[0].Doubt || got[0].Attempts != 3 {
			t.Fatalf("claimed %+v, want other in doubt on attempt 3", got)
		}
	})
	t.Run("InteractiveOnly", func(t *testing.T) {
		enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C9", Key: "bulk"},
			rituals.Outgoing{Team: "T1", Kind: "k", Lane: "view:U2", Key: "view", Interactive: true})
		got, _ := db.ClaimOutbox(ctx, "a", now.Add(lease+time.Second), now.Add(lease+time.Second), lease, 10, true)
		if len(got) != 1 || got[0].Key != "view" {
			t.Fatalf("claimed %v, want [view]", keys(got))
		}
	})
	t.Run("FinishedLeaveTheQueueAndArePruned", func(t *testing.T) {
		if err := db.FinishOutbox(ctx, items[2].ID, rituals.OutcomeParked, "channel_not_found", now); err != nil {
			t.Fatal(err)
		}
		n, _, err := db.OutboxStats(ctx)
		if err != nil || n != 3 {
			t.Fatalf("pending=%d err=%v, want 3", n, err)
		}
		pruned, err := db.PruneOutbox(ctx, now.Add(time.Second))
		if err != nil || pruned != 3 {
			t.Fatalf("pruned %d err=%v, want the two sent items and the parked one", pruned, err)
		}
	})
}

func TestOutboxReminders(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	for i := 0; i < 3; i++ {
		enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "U1", User: "U1", Reminder: true})
	}
	enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "U1", User: "U1"})
	for i := 0; i < 4; i++ {
		got, err := db.ClaimOutbox(ctx, "a", now, now, time.Minute, 1, false)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim %d: %v %v", i, got, err)
		}
		if i == 0 {
			// Held for working hours: not an attempt.
			if err := db.DeferOutbox(ctx, got[0], now); err != nil {
				t.Fatal(err)
			}
			if again, _ := db.ClaimOutbox(ctx, "a", now, now, time.Minute, 1, false); len(again) != 1 || again[0].Attempts != 1 {
				t.Fatalf("after defer: %+v, want attempt 1 again", again)
			}
		}
		if err := db.MarkSent(ctx, got[0], "D1", "1.1", now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.RemindersSent(ctx, "T1", "U1", now); err != nil || n != 3 {
		t.Fatalf("reminders=%d err=%v, want 3 (the plain DM does not count)", n, err)
	}
	if n, _ := db.RemindersSent(ctx, "T1", "U1", now.Add(90*time.Minute)); n != 1 {
		t.Fatalf("reminders since 10:30=%d, want 1", n)
	}
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	claim := func(id string, at time.Time) error {
		return db.InTx(ctx, func(tx rituals.Tx) error { return tx.Claim(ctx, "T1", id, at) })
	}
	if err := claim("old", now.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := claim("new", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C1"}, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C2"})
	items, _ := db.ClaimOutbox(ctx, "a", now, now, time.Minute, 10, false)
	db.MarkSent(ctx, items[0], "C1", "1.1", now.Add(-8*24*time.Hour))
	n, err := db.Prune(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d err=%v, want the old request and the old sent item", n, err)
	}
	if err := claim("old", now); err != nil {
		t.Fatalf("a pruned request ID is still claimed: %v", err)
	}
	if err := claim("new", now); err != rituals.ErrDuplicate {
		t.Fatalf("a recent request ID was forgotten: %v", err)
	}
	if pending, _, _ := db.OutboxStats(ctx); pending != 1 {
		t.Fatalf("pending=%d: pruning touched a pending item", pending)
	}
}

func TestOutboxPrivateDataErasedWhenDone(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	enqueue(t, db,
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "U1", Data: []byte(`{"answer":4}`), Private: true},
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "U2", Data: []byte(`{"answer":5}`), Private: true},
		rituals.Outgoing{Team: "T1", Kind: "k", Channel: "U3", Data: []byte(`{"text":"kept"}`)},
	)
	items, err := db.ClaimOutbox(ctx, "a", now, now, time.Minute, 10, false)
	if err != nil || len(items) != 3 || !items[0].Private {
		t.Fatalf("claimed %+v err=%v", items, err)
	}
	db.MarkSent(ctx, items[0], "D1", "1.1", now)
	db.FinishOutbox(ctx, items[1].ID, rituals.OutcomeParked, "user_not_found", now)
	db.MarkSent(ctx, items[2], "D3", "1.2", now)
	for _, tc := range []struct{ id, want string }{{items[0].ID, ""}, {items[1].ID, ""}, {items[2].ID, `{"text":"kept"}`}} {
		var data string
		if err := db.QueryRowForTest(ctx, `SELECT data FROM outbox WHERE id = ?`, tc.id).Scan(&data); err != nil {
			t.Fatal(err)
		}
		if data != tc.want {
			t.Errorf("data of %s = %q, want %q", tc.id, data, tc.want)
		}
	}
}

// A stale outcome must not free a claim that is no longer its own: a
// claim that lapsed mid-attempt was taken by another sender, whose post
// may be on the wire; freed, a third would post it again.
func TestOutboxOutcomesOfALapsedClaim(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "C1", Key: "card"})
	const lease = time.Minute
	first, _ := db.ClaimOutbox(ctx, "a", now, now, lease, 1, false)
	second, _ := db.ClaimOutbox(ctx, "b", now.Add(lease), now.Add(lease), lease, 1, false)
	if len(first) != 1 || len(second) != 1 || !second[0].ClaimedUntil.Equal(now.Add(2*lease)) {
		t.Fatalf("claims %+v then %+v, want the lapsed claim taken over until %v", first, second, now.Add(2*lease))
	}
	if err := db.RetryOutbox(ctx, first[0], now.Add(lease), "timeout", true); err != nil {
		t.Fatal(err)
	}
	if err := db.DeferOutbox(ctx, first[0], now.Add(lease)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimOutbox(ctx, "c", now.Add(lease+time.Second), now.Add(lease+time.Second), lease, 1, false); len(got) != 0 {
		t.Fatalf("c claimed %v while b holds it: a's stale outcome freed b's claim", keys(got))
	}
	if err := db.RetryOutbox(ctx, second[0], now.Add(lease), "timeout", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimOutbox(ctx, "c", now.Add(lease+time.Second), now.Add(lease+time.Second), lease, 1, false); len(got) != 1 {
		t.Fatalf("c claimed %v, want the card b gave back", keys(got))
	}
}

// An item's first try is stamped by the real clock when first claimed and
// kept through retries: an attempt in doubt searches Slack from there.
// A try that never happened (a reminder held) is not a first try.
func TestOutboxFirstTry(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	wall := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) // not the bot's clock
	db.Wall = fixedClock(&wall)
	enqueue(t, db, rituals.Outgoing{Team: "T1", Kind: "k", Channel: "U1", User: "U1", Reminder: true})
	claim := func() rituals.OutboxItem {
		t.Helper()
		got, err := db.ClaimOutbox(ctx, "a", now, now, time.Minute, 1, false)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim: %v %v", got, err)
		}
		return got[0]
	}
	it := claim()
	if !it.FirstTry.Equal(wall) {
		t.Fatalf("first try %v, want the wall clock's %v", it.FirstTry, wall)
	}
	wall = wall.Add(time.Hour)
	if err := db.DeferOutbox(ctx, it, now); err != nil {
		t.Fatal(err)
	}
	it = claim()
	if !it.FirstTry.Equal(wall) {
		t.Fatalf("first try %v after a reminder was held, want %v", it.FirstTry, wall)
	}
	first := wall
	wall = wall.Add(time.Hour)
	if err := db.RetryOutbox(ctx, it, now, "timeout", true); err != nil {
		t.Fatal(err)
	}
	if it = claim(); !it.FirstTry.Equal(first) || it.Attempts != 2 {
		t.Fatalf("retry: first try %v on attempt %d, want %v kept", it.FirstTry, it.Attempts, first)
	}
}
