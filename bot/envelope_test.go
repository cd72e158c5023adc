package bot

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// newIntakeBot returns a bot with no Slack and no store behind it, whose
// /decide handler is slash: enough to drive dispatch.
func newIntakeBot(slash slashHandler) *Bot {
	b := New(Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: "http://127.0.0.1:1/api/"},
		nil, Services{}, NewMetrics(), slog.New(slog.NewJSONHandler(io.Discard, nil)), time.Now)
	b.route.slash["/decide"] = slash
	return b
}

// Handlers stuck on Slack's rate limits or a busy database must not stop
// the next envelopes from being acked: Slack fails a command after 3 s.
func TestDispatchAcksWhileHandlersAreBusy(t *testing.T) {
	release := make(chan struct{})
	b := newIntakeBot(func(ctx context.Context, r *request, text string) { <-release })
	n := 2 * cap(b.slots) // twice as many as may run at once
	acked := make(chan struct{}, n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			b.dispatch(context.Background(), "env", slack.SlashCommand{Command: "/decide", Text: "x"},
				func(any) { acked <- struct{}{} }, b.log)
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		close(release)
		t.Fatalf("intake stalled after %d acks with every handler slot busy", len(acked))
	}
	if got := len(acked); got != n {
		t.Fatalf("acked %d, want %d", got, n)
	}
	close(release)
	b.handlers.Wait()
}

// A stopping bot acks nothing it has no room to handle: Slack delivers an
// unacked envelope again, to another connection, where an acked one
// dropped at the stop would be lost.
func TestDispatchLeavesEnvelopesUnackedWhenStoppingFull(t *testing.T) {
	handled := make(chan struct{}, 1)
	b := newIntakeBot(func(ctx context.Context, r *request, text string) { handled <- struct{}{} })
	for range cap(b.accepted) {
		b.accepted <- struct{}{}
	}
	stopping, stop := context.WithCancel(context.Background())
	stop()
	acked := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.dispatch(stopping, "env", slack.SlashCommand{Command: "/decide", Text: "x"}, func(any) { acked = true }, b.log)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a stopping intake still waits for room")
	}
	if acked {
		t.Fatal("acked an envelope it will not handle")
	}
	<-b.accepted // room for one
	b.dispatch(context.Background(), "env2", slack.SlashCommand{Command: "/decide", Text: "x"}, func(any) { acked = true }, b.log)
	<-handled
	if !acked {
		t.Fatal("a handled envelope was not acked")
	}
	b.handlers.Wait()
}
