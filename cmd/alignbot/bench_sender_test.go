package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/rituals"
)

// BenchmarkSenderAgainstLimits measures how close the sender runs to the
// fake Slack's configured limits: the time to deliver against the floor
// the limits impose, and the 429s it drew. Each case takes about a minute:
//
//	go test -run '^$' -bench SenderAgainstLimits ./cmd/alignbot
func BenchmarkSenderAgainstLimits(b *testing.B) {
	b.Run("WorkspaceCap600PerMinute", func(b *testing.B) {
		// 601 DMs to 601 people under a 600-a-minute cap: the first 600 may
		// go at once, the last must wait for the window: a 60 s floor.
		const perMinute, n = 600, 601
		benchSender(b, n, 60*time.Second, func(fs *fakeslack.Server, h *harness) []rituals.Outgoing {
			fs.SetWorkspacePostLimit(perMinute)
			var out []rituals.Outgoing
			for i := 0; i < n; i++ {
				u := fmt.Sprintf("UB%04d", i)
				fs.AddUser(fakeslack.User{ID: u, Name: u})
				out = append(out, benchNotice(fs, u, u))
			}
			return out
		}, Config{PostsPerMinute: perMinute})
	})
	b.Run("OneChannelOnePerSecond", func(b *testing.B) {
		// 63 posts to one channel at 1/s with bursts of 3: a 60 s floor.
		const n = 63
		benchSender(b, n, 60*time.Second, func(fs *fakeslack.Server, h *harness) []rituals.Outgoing {
			fs.SetChannelPostRate(1, 3)
			var out []rituals.Outgoing
			for i := 0; i < n; i++ {
				out = append(out, benchNotice(fs, general, ""))
			}
			return out
		}, Config{})
	})
}

func benchNotice(fs *fakeslack.Server, channel, user string) rituals.Outgoing {
	data, _ := json.Marshal(rituals.NoticeData{Text: "hello"})
	return rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindNotice, Channel: channel, User: user, Data: data}
}

func benchSender(b *testing.B, n int, floor time.Duration, setup func(*fakeslack.Server, *harness) []rituals.Outgoing, cfg Config) {
	for i := 0; i < b.N; i++ {
		fs := newWorldB(b)
		h := startBotB(b, fs, cfg)
		msgs := setup(fs, h)
		ctx := context.Background()
		start := time.Now()
		if err := h.main.DB.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
			b.Fatal(err)
		}
		h.main.Sender.Notify()
		deadline := time.Now().Add(3 * floor)
		ok := 0
		for time.Now().Before(deadline) {
			ok = 0
			for _, c := range fs.Calls("chat.postMessage") {
				if c.OK {
					ok++
				}
			}
			if ok >= n {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		elapsed := time.Since(start)
		limited := 0
		for _, c := range fs.Calls("chat.postMessage") {
			if c.Status == 429 {
				limited++
			}
		}
		if ok < n {
			b.Fatalf("%d of %d delivered in %v", ok, n, elapsed)
		}
		b.ReportMetric(elapsed.Seconds(), "s_to_deliver")
		b.ReportMetric(floor.Seconds(), "s_floor")
		b.ReportMetric(100*elapsed.Seconds()/floor.Seconds(), "%_of_floor")
		b.ReportMetric(float64(limited), "429s")
		h.stop()
	}
}
