package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// BenchmarkClaimOutbox claims the next items with 10,000 waiting in 100
// lanes (posts to 100 channels held back by Slack's limits), as the
// sender does every few milliseconds under load:
//
//	go test -run '^$' -bench ClaimOutbox ./storage
func BenchmarkClaimOutbox(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	now := time.Now().Add(time.Hour) // after the items were queued, by the real clock
	for batch := range 10 {
		var msgs []rituals.Outgoing
		for i := range 1000 {
			ch := fmt.Sprintf("C%03d", i%100)
			msgs = append(msgs, rituals.Outgoing{Team: "T1", Kind: "k", Lane: "post:" + ch, Channel: ch, Key: fmt.Sprintf("m%d-%d", batch, i)})
		}
		if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		// A lease that has lapsed by the next claim: every claim sees
		// all 100 heads again, as when their sends wait for a rate limit.
		items, err := db.ClaimOutbox(ctx, "bench", now, -time.Millisecond, 16, false)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) != 16 {
			b.Fatalf("claimed %d, want 16", len(items))
		}
	}
}
