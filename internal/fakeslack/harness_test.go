package fakeslack

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// handler decides how the test bot answers a request: the ack payload (nil for a
// plain ack) and whether to ack at all.
type handler func(evt socketmode.Event) (payload any, ack bool)

// ackAll acks every request with no payload.
func ackAll(socketmode.Event) (any, bool) { return nil, true }

// bot is a real slack-go Socket Mode client connected to a fake.
type bot struct {
	api *slack.Client
	sm  *socketmode.Client

	mu       sync.Mutex
	handle   handler
	requests []socketmode.Event // every request from Slack, in arrival order
	hellos   int
}

// newServer starts a fake with the usual cast: Ann and Bob in #general (with the
// bot), Ann alone with the bot in private #secret, and private #closed without
// the bot.
func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	fs := NewT(t, opts)
	fs.AddUser(User{ID: "U0ANN", Name: "ann", RealName: "Ann Archer", TZ: "Europe/Paris"})
	fs.AddUser(User{ID: "U0BOB", Name: "bob", RealName: "Bob Baker"})
	fs.AddChannel(Channel{ID: "C0GENERAL", Name: "general", Members: []string{"U0ANN", "U0BOB", fs.BotUserID()}})
	fs.AddChannel(Channel{ID: "G0SECRET", Name: "secret", Private: true, Members: []string{"U0ANN", fs.BotUserID()}})
	fs.AddChannel(Channel{ID: "G0CLOSED", Name: "closed", Private: true, Members: []string{"U0ANN"}})
	return fs
}

// newAPI returns a Web API client for fs.
func newAPI(fs *Server) *slack.Client {
	return slack.New(fs.BotToken(), slack.OptionAPIURL(fs.URL()), slack.OptionAppLevelToken(fs.AppToken()))
}

// startBot connects a socketmode client to fs and waits for its socket.
func startBot(t *testing.T, fs *Server, h handler) *bot {
	t.Helper()
	want := fs.Connections() + 1
	b := &bot{api: newAPI(fs), handle: h}
	b.sm = socketmode.New(b.api)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_ = b.sm.RunContext(ctx)
	}()
	go func() {
		defer wg.Done()
		b.loop(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer wcancel()
	if err := fs.WaitConnections(wctx, want); err != nil {
		t.Fatalf("bot did not connect: %v", err)
	}
	waitFor(t, fs, "hello", func() bool { return b.helloCount() == 1 })
	return b
}

func (b *bot) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt := <-b.sm.Events:
			b.mu.Lock()
			if evt.Type == socketmode.EventTypeHello {
				b.hellos++
			}
			h := b.handle
			isRequest := evt.Request != nil && evt.Type != socketmode.EventTypeHello
			if isRequest {
				b.requests = append(b.requests, evt)
			}
			b.mu.Unlock()
			if !isRequest {
				continue
			}
			if payload, ack := h(evt); ack {
				_ = b.sm.AckCtx(ctx, evt.Request.EnvelopeID, payload)
			}
		}
	}
}

func (b *bot) setHandler(h handler) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handle = h
}

func (b *bot) seen() []socketmode.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]socketmode.Event(nil), b.requests...)
}

func (b *bot) helloCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hellos
}

// lastSlash returns the last slash command the bot saw.
func (b *bot) lastSlash(t *testing.T) slack.SlashCommand {
	t.Helper()
	reqs := b.seen()
	for i := len(reqs) - 1; i >= 0; i-- {
		if cmd, ok := reqs[i].Data.(slack.SlashCommand); ok {
			return cmd
		}
	}
	t.Fatal("bot saw no slash command")
	return slack.SlashCommand{}
}

// lastInteraction returns the last interaction the bot saw.
func (b *bot) lastInteraction(t *testing.T) slack.InteractionCallback {
	t.Helper()
	reqs := b.seen()
	for i := len(reqs) - 1; i >= 0; i-- {
		if cb, ok := reqs[i].Data.(slack.InteractionCallback); ok {
			return cb
		}
	}
	t.Fatal("bot saw no interaction")
	return slack.InteractionCallback{}
}

// testCtx is a context that ends with the test or after 10 s.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitFor fails the test unless cond holds within 5 s.
func waitFor(t *testing.T, fs *Server, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := fs.WaitFor(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}
