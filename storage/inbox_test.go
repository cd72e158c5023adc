package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// inboxAt is a request received at ms milliseconds past a fixed instant.
func inboxAt(id, lane string, ms int) rituals.InboxItem {
	return rituals.InboxItem{ID: id, Team: "T1", Kind: "slash_commands", Lane: lane,
		Payload: []byte(`{"text":"` + id + `"}`), Received: inboxEpoch.Add(time.Duration(ms) * time.Millisecond)}
}

var inboxEpoch = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func mustAccept(t *testing.T, db *storage.DB, items ...rituals.InboxItem) []bool {
	t.Helper()
	fresh, _, err := db.AcceptInbox(context.Background(), "writer", items)
	if err != nil {
		t.Fatal(err)
	}
	return fresh
}

func claimedIDs(items []rituals.InboxItem) []string {
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	slices.Sort(ids)
	return ids
}

// A redelivery is not new, in a later batch or in the same one.
func TestAcceptInboxDropsRedeliveries(t *testing.T) {
	db := MustOpenDB(t)
	if got := mustAccept(t, db, inboxAt("a", "L1", 0), inboxAt("b", "L1", 1), inboxAt("a", "L1", 2)); !slices.Equal(got, []bool{true, true, false}) {
		t.Fatalf("fresh = %v, want [true true false]", got)
	}
	if got := mustAccept(t, db, inboxAt("b", "L1", 3), inboxAt("c", "L2", 4)); !slices.Equal(got, []bool{false, true}) {
		t.Fatalf("fresh = %v, want [false true]", got)
	}
	n, oldest, err := db.InboxStats(context.Background())
	if err != nil || n != 3 || !oldest.Equal(inboxEpoch) {
		t.Fatalf("stats = %d, %v (%v); want 3 waiting since %v", n, oldest, err, inboxEpoch)
	}
}

// A claim takes only the oldest waiting request of each lane, none held
// by another, none whose retry time has not come; a lapsed claim is
// taken again.
func TestClaimInboxTakesLaneHeads(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAccept(t, db, inboxAt("a1", "A", 0), inboxAt("a2", "A", 1), inboxAt("b1", "B", 2), inboxAt("c1", "C", 3))
	now := inboxEpoch.Add(time.Minute)
	got, err := db.ClaimInbox(ctx, "p1", now, 30*time.Second, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids := claimedIDs(got); !slices.Equal(ids, []string{"a1", "b1", "c1"}) {
		t.Fatalf("claimed %v, want the lane heads a1 b1 c1", ids)
	}
	for _, it := range got {
		if it.Attempts != 1 || string(it.Payload) != `{"text":"`+it.ID+`"}` {
			t.Fatalf("%s claimed with attempts %d payload %q", it.ID, it.Attempts, it.Payload)
		}
	}
	if again, _ := db.ClaimInbox(ctx, "p2", now, 30*time.Second, 10); len(again) != 0 {
		t.Fatalf("claimed %v while every head is held", claimedIDs(again))
	}
	var a1, b1 rituals.InboxItem
	for _, it := range got {
		switch it.ID {
		case "a1":
			a1 = it
		case "b1":
			b1 = it
		}
	}
	// a1 done: a2 is its lane's head. b1 fails for now: back in a minute.
	if err := db.FinishInbox(ctx, a1, rituals.InboxDone, "", now); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryInbox(ctx, b1, now.Add(time.Minute), "busy"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ClaimInbox(ctx, "p2", now, 30*time.Second, 10)
	if ids := claimedIDs(got); !slices.Equal(ids, []string{"a2"}) {
		t.Fatalf("claimed %v, want a2 (b1 waits for its retry, c1 is held)", ids)
	}
	// Past b1's retry and the leases on a2 and c1: all three come back,
	// each for its second try.
	got, _ = db.ClaimInbox(ctx, "p2", now.Add(2*time.Minute), 30*time.Second, 10)
	if ids := claimedIDs(got); !slices.Equal(ids, []string{"a2", "b1", "c1"}) {
		t.Fatalf("claimed %v, want a2, b1 and c1", ids)
	}
	for _, it := range got {
		if it.Attempts != 2 {
			t.Fatalf("%s on attempt %d, want 2", it.ID, it.Attempts)
		}
	}
}

// A lane claim takes that lane's oldest waiting request, and nothing
// while it is held or waits for its retry: never the one after it.
func TestClaimInboxLaneTakesOnlyItsHead(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAccept(t, db, inboxAt("a1", "A", 0), inboxAt("a2", "A", 1), inboxAt("b1", "B", 2))
	now := inboxEpoch.Add(time.Minute)
	claim := func(owner string, at time.Time) []rituals.InboxItem {
		t.Helper()
		got, err := db.ClaimInboxLane(ctx, owner, "A", at, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := claim("p1", now)
	if ids := claimedIDs(got); !slices.Equal(ids, []string{"a1"}) || got[0].Attempts != 1 {
		t.Fatalf("claimed %v, want a1 on its first attempt", ids)
	}
	if again := claim("p2", now); len(again) != 0 {
		t.Fatalf("claimed %v while a1 is held", claimedIDs(again))
	}
	if err := db.RetryInbox(ctx, got[0], now.Add(time.Minute), "busy"); err != nil {
		t.Fatal(err)
	}
	if again := claim("p2", now); len(again) != 0 {
		t.Fatalf("claimed %v while a1 waits for its retry", claimedIDs(again))
	}
	got = claim("p2", now.Add(time.Minute))
	if ids := claimedIDs(got); !slices.Equal(ids, []string{"a1"}) {
		t.Fatalf("claimed %v, want a1 again at its retry time", ids)
	}
	if err := db.FinishInbox(ctx, got[0], rituals.InboxDone, "", now); err != nil {
		t.Fatal(err)
	}
	if ids := claimedIDs(claim("p2", now.Add(time.Minute))); !slices.Equal(ids, []string{"a2"}) {
		t.Fatalf("claimed %v, want a2 once a1 is done", ids)
	}
}

// An outcome given under a claim that has since lapsed and been taken by
// another process changes nothing; a finished request loses its payload.
func TestInboxOutcomesKeepToTheirClaim(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAccept(t, db, inboxAt("a", "A", 0))
	now := inboxEpoch.Add(time.Minute)
	first, _ := db.ClaimInbox(ctx, "p1", now, time.Second, 1)
	second, _ := db.ClaimInbox(ctx, "p2", now.Add(2*time.Second), time.Minute, 1)
	if len(first) != 1 || len(second) != 1 {
		t.Fatalf("claims took %d then %d, want 1 and 1", len(first), len(second))
	}
	if err := db.RetryInbox(ctx, first[0], now.Add(time.Hour), "late"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimInbox(ctx, "p3", now.Add(3*time.Second), time.Minute, 1); len(got) != 0 {
		t.Fatal("a lapsed claim's retry gave the request back while p2 holds it")
	}
	if err := db.FinishInbox(ctx, second[0], rituals.InboxParked, "unreadable", now); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := db.InboxStats(ctx); n != 0 {
		t.Fatalf("%d waiting after the request was parked", n)
	}
	if got := mustAccept(t, db, inboxAt("a", "A", 5)); got[0] {
		t.Fatal("a redelivery of a finished request was taken as new")
	}
	if n, err := db.PruneInbox(ctx, now.Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
}

// Giving back claims: a stopping process's requests not begun, without
// counting the attempt; a dead process's, all of them.
func TestInboxGivesBackClaims(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAccept(t, db, inboxAt("a", "A", 0), inboxAt("b", "B", 1), inboxAt("c", "C", 2))
	now := inboxEpoch.Add(time.Minute)
	if got, _ := db.ClaimInbox(ctx, "p1", now, time.Hour, 2); len(got) != 2 {
		t.Fatalf("claimed %d, want 2", len(got))
	}
	if got, _ := db.ClaimInbox(ctx, "p2", now, time.Hour, 2); len(got) != 1 {
		t.Fatalf("claimed %d, want 1", len(got))
	}
	owners, err := db.InboxClaimOwners(ctx, now)
	if slices.Sort(owners); err != nil || !slices.Equal(owners, []string{"p1", "p2"}) {
		t.Fatalf("owners %v (%v)", owners, err)
	}
	if err := db.ReleaseInbox(ctx, "p1", []string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ReleaseInboxOwner(ctx, "p2"); err != nil || n != 1 {
		t.Fatalf("released %d of p2's (%v), want 1", n, err)
	}
	got, _ := db.ClaimInbox(ctx, "p3", now, time.Hour, 10)
	if ids := claimedIDs(got); !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Fatalf("claimed %v after the give-backs, want all three", ids)
	}
	for _, it := range got {
		if want := map[string]int{"a": 1, "b": 1, "c": 2}[it.ID]; it.Attempts != want {
			t.Fatalf("%s on attempt %d, want %d", it.ID, it.Attempts, want)
		}
	}
}

// A request's first writing transaction marks it done with its effects;
// taken up again (a replay, another replica), its effects are refused as
// a duplicate and roll back.
func TestRequestEffectsHappenOnce(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAccept(t, db, inboxAt("r", "A", 0))
	effect := func(key rituals.MessageKey) error {
		req := &rituals.Request{ID: "r"}
		return db.InTx(rituals.WithRequest(ctx, req), func(tx rituals.Tx) error {
			return tx.Enqueue(ctx, rituals.Outgoing{Team: "T1", Kind: "k", Lane: "post:C1", Channel: "C1", Key: key})
		})
	}
	// A transaction that only reads leaves the request waiting.
	if err := db.InTx(rituals.WithRequest(ctx, &rituals.Request{ID: "r"}), func(tx rituals.Tx) error {
		_, err := tx.Decisions(ctx, rituals.DecisionFilter{Team: "T1"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := db.InboxStats(ctx); n != 1 {
		t.Fatal("a transaction that wrote nothing marked its request done")
	}
	if err := effect("first"); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := db.InboxStats(ctx); n != 0 {
		t.Fatal("the request's effects committed, but it still waits")
	}
	if err := effect("again"); !errors.Is(err, rituals.ErrDuplicate) {
		t.Fatalf("the same request's effects again: %v, want ErrDuplicate", err)
	}
	if n, _, _ := db.OutboxStats(ctx); n != 1 {
		t.Fatalf("%d messages queued, want the first's only", n)
	}
}

// Processes claiming at once never take the same request: each claim is
// its own, however they interleave (PostgreSQL's SKIP LOCKED; SQLite's
// single writer).
func TestConcurrentClaimsNeverOverlap(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	const lanes = 200
	var items []rituals.InboxItem
	for i := range lanes {
		items = append(items, inboxAt(fmt.Sprint("r", i), fmt.Sprint("L", i), i))
	}
	mustAccept(t, db, items...)
	var (
		mu   sync.Mutex
		seen = map[string]string{}
		wg   sync.WaitGroup
	)
	for p := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprint("p", p)
			for {
				got, err := db.ClaimInbox(ctx, owner, inboxEpoch.Add(time.Minute), time.Hour, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					if by, ok := seen[it.ID]; ok {
						t.Errorf("%s claimed by %s and %s", it.ID, by, owner)
					}
					seen[it.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != lanes {
		t.Fatalf("%d of %d claimed", len(seen), lanes)
	}
}

// BenchmarkAcceptInbox writes requests to the inbox as intake does before
// acking them, one commit per batch: a batch of 1 is a lone request, 64
// a burst's group commit (per-request cost = ns/op ÷ size).
//
//	go test -run '^$' -bench AcceptInbox ./storage
func BenchmarkAcceptInbox(b *testing.B) {
	for _, size := range []int{1, 64} {
		b.Run(fmt.Sprint("batch=", size), func(b *testing.B) {
			ctx := context.Background()
			db := MustOpenDB(b)
			payload := []byte(`{"command":"/decide","text":"Use semver for public APIs; internal services use deploy-driven versioning","team_id":"T0TEAM","channel_id":"C0GENERAL","user_id":"U0ANN"}`)
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				batch := make([]rituals.InboxItem, size)
				for i := range batch {
					n++
					batch[i] = rituals.InboxItem{ID: fmt.Sprint("req:", n), Team: "T0TEAM", Kind: "slash_commands",
						Lane: "T0TEAM/C0GENERAL", Payload: payload, Received: time.Now()}
				}
				if _, _, err := db.AcceptInbox(ctx, "bench", batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A request written for its writer to handle at once waits its turn
// instead when an earlier request of its conversation waits unclaimed or
// is held by another process: requests of a lane are handled in order,
// across processes too. A form answered inside its ack never waits.
func TestAcceptInboxKeepsLaneOrder(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// toRun is it as intake writes it when it has room: for its writer
	// to handle at once.
	toRun := func(it rituals.InboxItem) rituals.InboxItem {
		it.ClaimedUntil, it.Attempts = inboxEpoch.Add(time.Hour), 1
		return it
	}
	accept := func(owner string, items ...rituals.InboxItem) []bool {
		t.Helper()
		_, claimed, err := db.AcceptInbox(ctx, owner, items)
		if err != nil {
			t.Fatal(err)
		}
		return claimed
	}
	// p1 holds a1; its own next request in lane A is its to handle too.
	if got := accept("p1", toRun(inboxAt("a1", "A", 0))); !slices.Equal(got, []bool{true}) {
		t.Fatalf("claimed %v, want [true]", got)
	}
	if got := accept("p1", toRun(inboxAt("a2", "A", 1))); !slices.Equal(got, []bool{true}) {
		t.Fatalf("p1's second request in its lane: claimed %v, want [true]", got)
	}
	// p2 must not run lane A's third request while p1 holds the first two.
	if got := accept("p2", toRun(inboxAt("a3", "A", 2))); !slices.Equal(got, []bool{false}) {
		t.Fatalf("another process's request in a held lane: claimed %v, want [false]", got)
	}
	// Lane B: b1 written unclaimed (no room); b2 after it, and a form, in one batch.
	form := toRun(inboxAt("b3", "B", 5))
	form.Inline = true
	got := accept("p1", inboxAt("b1", "B", 3), toRun(inboxAt("b2", "B", 4)), form)
	if !slices.Equal(got, []bool{false, false, true}) {
		t.Fatalf("lane B claimed %v, want [false false true]", got)
	}
	// The waiting ones come out of the claim in order: a3 only after a1
	// and a2 are done, b2 only after b1.
	now := inboxEpoch.Add(2 * time.Hour)
	heads, err := db.ClaimInbox(ctx, "p3", now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids := claimedIDs(heads); !slices.Equal(ids, []string{"a1", "b1"}) {
		t.Fatalf("claimed %v after the leases lapsed, want the heads a1 and b1", ids)
	}
}

// BenchmarkClaimInbox is the poller's claim with 10,000 requests waiting
// in 100 conversations: the oldest of each waiting for a claim, the rest
// waiting their turn behind it.
//
//	go test -run '^$' -bench ClaimInbox ./storage
func BenchmarkClaimInbox(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	now := time.Now()
	var batch []rituals.InboxItem
	for i := range 10_000 {
		it := rituals.InboxItem{ID: fmt.Sprint("req:", i), Team: "T1", Kind: "slash_commands",
			Lane: fmt.Sprint("T1/C", i%100), Payload: []byte(`{}`), Received: now.Add(time.Duration(i-10_000) * time.Millisecond)}
		if i >= 100 {
			it.ClaimedUntil, it.Attempts = now.Add(time.Hour), 1 // held by its writer
		}
		batch = append(batch, it)
	}
	if _, _, err := db.AcceptInbox(ctx, "writer", batch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		// A lease that has lapsed by the next claim: the same 100 heads
		// come back each time.
		items, err := db.ClaimInbox(ctx, "bench", now, -time.Millisecond, 256)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) != 100 {
			b.Fatalf("claimed %d, want the 100 lane heads", len(items))
		}
	}
}

// A claim renewed while its request is handled is still the same claim:
// the request failing for now goes back to wait for its retry, instead of
// staying claimed, and renewed, by a process that has let it go.
func TestRetryAfterRenewalGivesTheRequestBack(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustAccept(t, db, inboxAt("a", "A", 0))
	now := inboxEpoch.Add(time.Minute)
	got, _ := db.ClaimInbox(ctx, "p1", now, 30*time.Second, 1)
	if len(got) != 1 {
		t.Fatal("nothing claimed")
	}
	if err := db.RenewInbox(ctx, "p1", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryInbox(ctx, got[0], now.Add(time.Second), "busy"); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.ClaimInbox(ctx, "p2", now.Add(2*time.Second), 30*time.Second, 1); len(again) != 1 || again[0].Attempts != 2 {
		t.Fatalf("after its retry time the request was not taken up again (claimed %v)", claimedIDs(again))
	}
}
