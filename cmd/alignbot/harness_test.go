package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

// TestMain runs the suite on SQLite and then on PostgreSQL. End-to-end
// tests mostly wait on sockets and polls, so up to six run at once unless
// -parallel says otherwise.
func TestMain(m *testing.M) {
	if os.Getenv(replicaEnv) != "" {
		os.Exit(runReplica()) // this process is one replica of TestReplicasActAsOneBot
	}
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "6")
	}
	os.Exit(testdb.Main(m))
}

// The workspace every end-to-end test starts from.
const (
	ann, bob, eve, adm = "U0ANN", "U0BOB", "U0EVE", "U0ADM"
	general, random    = "C0GENERAL", "C0RANDOM"
	secret, nobot      = "G0SECRET", "G0NOBOT"
)

// newWorld starts a fake Slack with a few people and channels: two public
// channels, a private one the bot is in and one it is not.
func newWorld(t *testing.T) *fakeslack.Server { return newWorldB(t) }

func newWorldB(t testing.TB) *fakeslack.Server { return newWorldWith(t, fakeslack.Options{}) }

// newWorldWith is newWorld with the fake's options; event retries come
// fast unless opts say otherwise.
func newWorldWith(t testing.TB, opts fakeslack.Options) *fakeslack.Server {
	t.Helper()
	if opts.EventRetryDelays == nil {
		opts.EventRetryDelays = []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond}
	}
	fs := fakeslack.NewT(t, opts)
	fs.AddUser(fakeslack.User{ID: ann, Name: "ann", RealName: "Ann Lee", TZ: "Europe/Berlin"})
	fs.AddUser(fakeslack.User{ID: bob, Name: "bob", RealName: "Bob Ray", TZ: "America/New_York"})
	fs.AddUser(fakeslack.User{ID: eve, Name: "eve", RealName: "Eve Cho", TZ: "UTC"})
	fs.AddUser(fakeslack.User{ID: adm, Name: "adm", RealName: "Ada Admin", TZ: "UTC"})
	bot := fs.BotUserID()
	fs.AddChannel(fakeslack.Channel{ID: general, Name: "general", Members: []string{ann, bob, eve, adm, bot}})
	fs.AddChannel(fakeslack.Channel{ID: random, Name: "random", Members: []string{ann, bob, eve, bot}})
	fs.AddChannel(fakeslack.Channel{ID: secret, Name: "secret", Private: true, Members: []string{ann, bot}})
	fs.AddChannel(fakeslack.Channel{ID: nobot, Name: "nobot", Private: true, Members: []string{ann, bob}})
	return fs
}

// harness is the real alignbot wiring (Main) running against a fake Slack.
type harness struct {
	t     testing.TB
	fs    *fakeslack.Server
	clock *clock.Fake
	db    string
	main  *Main
	logs  *syncBuffer
	stop  func()
}

// testStart is the instant tests begin at: late evening in UTC, already
// the next day in Berlin, so "today in the caller's time zone" shows.
var testStart = time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)

// startBot starts alignbot on a fresh database and waits until it is
// connected. End-to-end tests that use it run in parallel: each has its
// own fake Slack, database and ports, and mostly waits.
func startBot(t *testing.T, fs *fakeslack.Server) *harness {
	t.Helper()
	t.Parallel()
	return startBotOn(t, fs, testdb.New(t), clock.New(testStart))
}

// startBotAnyTime is startBot for tests about something other than
// working time, whose fake clock crosses nights and weekends: reminders
// and escalations reach people at any hour of any day.
func startBotAnyTime(t *testing.T, fs *fakeslack.Server) *harness {
	t.Helper()
	t.Parallel()
	return startWith(t, fs, testdb.New(t), clock.New(testStart), Config{}, anyTime)
}

// anyTime has the sender send reminders and escalations at any hour of
// any day.
func anyTime(m *Main) {
	m.WorkingTime = &rituals.WorkingTime{Days: 1<<7 - 1, Start: 0, End: 24}
}

func startBotOn(t *testing.T, fs *fakeslack.Server, db string, clk *clock.Fake) *harness {
	return startWith(t, fs, db, clk, Config{})
}

// startBotB starts alignbot for a benchmark, with cfg's limits.
func startBotB(b testing.TB, fs *fakeslack.Server, cfg Config) *harness {
	return startWith(b, fs, testdb.New(b), clock.New(testStart), cfg)
}

// startWith starts alignbot with extra's settings; tune, if given,
// adjusts Main before it opens.
func startWith(t testing.TB, fs *fakeslack.Server, db string, clk *clock.Fake, extra Config, tune ...func(*Main)) *harness {
	t.Helper()
	h := &harness{t: t, fs: fs, clock: clk, db: db, logs: &syncBuffer{}}
	level := slog.LevelInfo
	if os.Getenv("ALIGNBOT_TEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	h.main = &Main{
		Config: Config{
			BotToken: fs.BotToken(), AppToken: fs.AppToken(), APIURL: fs.URL(), DB: db,
			HTTPAddr: "127.0.0.1:0", Admins: []string{adm}, Mode: "socket",
			PostsPerMinute: extra.PostsPerMinute, SigningSecret: extra.SigningSecret,
		},
		Log:       newLogger(h.logs, level),
		Now:       clk.Now,
		TickEvery: time.Second,
	}
	h.main.Config.OpsAddr = "127.0.0.1:0" // /healthz, /readyz, /metrics, on a port of their own
	if extra.Mode != "" {
		h.main.Config.Mode = extra.Mode
	}
	for _, f := range tune {
		f(h.main)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := h.main.Open(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- h.main.Run(ctx) }()
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
			cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer ccancel()
			if err := h.main.Close(cctx); err != nil {
				t.Errorf("close: %v", err)
			}
			if t.Failed() {
				t.Logf("alignbot logs:\n%s", h.logs.String())
			}
		})
	}
	t.Cleanup(h.stop)
	if h.main.Config.Mode == "http" {
		return h // no socket: Slack's requests come over HTTP
	}
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := fs.WaitConnections(wctx, 1); err != nil {
		t.Fatalf("bot never connected: %v\n%s", err, h.logs.String())
	}
	return h
}

// slash runs a slash command as user in channel and checks it was acked
// in time.
func (h *harness) slash(user, channel, command, text string) *fakeslack.Ack {
	h.t.Helper()
	ack, err := h.fs.SlashCommand(context.Background(), fakeslack.Slash{User: user, Channel: channel, Command: command, Text: text})
	if err != nil {
		h.t.Fatalf("%s %q: %v", command, clipTest(text), err)
	}
	if ack.Latency > 3*time.Second {
		h.t.Fatalf("%s acked after %v, Slack allows 3 s", command, ack.Latency)
	}
	return ack
}

func (h *harness) decide(user, channel, text string) *fakeslack.Ack {
	h.t.Helper()
	return h.slash(user, channel, "/decide", text)
}

// waitFor polls cond until it holds or 10 s pass.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.fs.WaitFor(ctx, cond); err != nil {
		h.t.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, h.logs.String())
	}
}

// waitLong polls cond for up to two minutes, for waits that cover
// process restarts and grace periods on a busy machine.
func (h *harness) waitLong(what string, cond func() bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := h.fs.WaitFor(ctx, cond); err != nil {
		h.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// botMessages returns the bot's top-level messages in channel (a parent
// with replies carries its own ts as thread_ts, as in Slack).
func (h *harness) botMessages(channel string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.fs.Messages(channel) {
		if m.BotID != "" && (m.ThreadTS == "" || m.ThreadTS == m.TS) {
			out = append(out, m)
		}
	}
	return out
}

// waitCards waits until channel holds n bot messages and returns them.
func (h *harness) waitCards(channel string, n int) []fakeslack.Message {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("%d bot messages in %s", n, channel), func() bool { return len(h.botMessages(channel)) >= n })
	return h.botMessages(channel)
}

// waitEphemeral waits for the n-th message only user saw and returns its
// text, blocks flattened.
func (h *harness) waitEphemeral(user string, n int) string {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("ephemeral #%d for %s", n, user), func() bool { return len(h.fs.Ephemerals(user)) >= n })
	return messageText(h.fs.Ephemerals(user)[n-1])
}

// messageText flattens a message's blocks (or its text) into one string.
func messageText(m fakeslack.Message) string {
	if len(m.Blocks) == 0 {
		return m.Text
	}
	return blocksText(m.Blocks)
}

// blocksText collects every "text" string in blocks, in order.
func blocksText(blocks any) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				b.WriteString(s)
				b.WriteString("\n")
			}
			for k, x := range v {
				if k != "text" {
					walk(x)
				} else if _, ok := x.(string); !ok {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case []map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(blocks)
	return b.String()
}

// export runs `alignbot export` on the harness's database.
func (h *harness) export(args ...string) string {
	h.t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"export"}, args...)
	args = append(args, "--db", h.db)
	if code := run(context.Background(), args, noEnv, &out, &errOut); code != 0 {
		h.t.Fatalf("export %v: exit %d: %s", args, code, errOut.String())
	}
	return out.String()
}

func (h *harness) exportJSON() []map[string]any {
	h.t.Helper()
	var ds []map[string]any
	if err := json.Unmarshal([]byte(h.export("decisions", "--format", "json")), &ds); err != nil {
		h.t.Fatal(err)
	}
	return ds
}

func noEnv(string) (string, bool) { return "", false }

func clipTest(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
