package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

// BenchmarkClaimOutbox claims the next items as the sender does every
// few milliseconds under load: with 10,000 waiting in 100 lanes (posts to
// 100 channels held back by Slack's limits), 10,000 in 10,000 lanes (a
// pulse's DMs) and the few usually waiting:
//
//	go test -run '^$' -bench ClaimOutbox ./storage
func BenchmarkClaimOutbox(b *testing.B) {
	for _, tc := range []struct{ items, lanes int }{{10000, 100}, {10000, 10000}, {10, 5}} {
		b.Run(fmt.Sprintf("Waiting%dIn%dLanes", tc.items, tc.lanes), func(b *testing.B) {
			benchClaimOutbox(b, tc.items, tc.lanes, false)
		})
	}
	// The claim's worst case: every lane's head is held (being sent, or
	// waiting for a retry), so the walk passes every item to find none.
	b.Run("Waiting10000In100LanesAllHeld", func(b *testing.B) { benchClaimOutbox(b, 10000, 100, true) })
}

func benchClaimOutbox(b *testing.B, items, lanes int, held bool) {
	ctx := context.Background()
	db := MustOpenDB(b)
	now := time.Now().Add(time.Hour) // after the items were queued, by the real clock
	for batch := 0; batch*1000 < items; batch++ {
		var msgs []rituals.Outgoing
		for i := range min(1000, items-batch*1000) {
			ch := fmt.Sprintf("C%05d", (batch*1000+i)%lanes)
			msgs = append(msgs, rituals.Outgoing{Team: "T1", Kind: "k", Lane: "post:" + ch, Channel: ch, Key: rituals.MessageKey(fmt.Sprintf("m%d-%d", batch, i))})
		}
		if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
			b.Fatal(err)
		}
	}
	if testdb.Postgres() {
		// As autovacuum does within a minute of the backlog building
		// (migrations/postgres/00004): the plan depends on it.
		if err := db.ExecForTest(ctx, "ANALYZE outbox"); err != nil {
			b.Fatal(err)
		}
	}
	want := min(16, lanes)
	if held {
		for range (lanes + 15) / 16 {
			if _, err := db.ClaimOutbox(ctx, "bench", now, now, time.Hour, 16, false); err != nil {
				b.Fatal(err)
			}
		}
		want = 0
	}
	b.ReportAllocs()
	for b.Loop() {
		// A lease that has lapsed by the next claim: every claim sees
		// all the heads again, as when their sends wait for a rate limit.
		items, err := db.ClaimOutbox(ctx, "bench", now, now, -time.Millisecond, 16, false)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) != want {
			b.Fatalf("claimed %d, want %d", len(items), want)
		}
	}
}
