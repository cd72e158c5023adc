package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestStartupErrors(t *testing.T) {
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"ErrNoTokens", map[string]string{}, "SLACK_BOT_TOKEN is not set"},
		{"ErrNoAppToken", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc"}, "SLACK_APP_TOKEN is not set"},
		{"ErrBotTokenIsAppToken", map[string]string{"SLACK_BOT_TOKEN": "xapp-abc", "SLACK_APP_TOKEN": "xapp-abc"}, "SLACK_BOT_TOKEN must be the bot token"},
		{"ErrAppTokenIsBotToken", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc", "SLACK_APP_TOKEN": "xoxb-abc"}, "SLACK_APP_TOKEN must be an app-level token"},
		{"ErrBadLogLevel", map[string]string{"ALIGNBOT_LOG_LEVEL": "loud"}, "ALIGNBOT_LOG_LEVEL"},
		{"ErrHTTPModeWithoutSecret", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc", "ALIGNBOT_MODE": "http"}, "SLACK_SIGNING_SECRET is not set"},
		{"ErrHTTPModeWithoutAddr", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc", "ALIGNBOT_MODE": "http", "SLACK_SIGNING_SECRET": "s", "ALIGNBOT_HTTP_ADDR": ""}, "ALIGNBOT_HTTP_ADDR is empty"},
		{"ErrUnknownMode", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc", "ALIGNBOT_MODE": "smoke"}, `ALIGNBOT_MODE "smoke"`},
		{"ErrBadPostRate", map[string]string{"ALIGNBOT_POSTS_PER_MINUTE": "lots"}, "ALIGNBOT_POSTS_PER_MINUTE"},
		{"ErrDatabaseNotWritable", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc", "SLACK_APP_TOKEN": "xapp-abc",
			"ALIGNBOT_DB": filepath.Join(readOnly, "alignbot.db"), "ALIGNBOT_HTTP_ADDR": ""}, "not writable"},
		{"ErrDatabaseFolderMissing", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc", "SLACK_APP_TOKEN": "xapp-abc",
			"ALIGNBOT_DB": filepath.Join(dir, "missing", "alignbot.db"), "ALIGNBOT_HTTP_ADDR": ""}, "not writable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "ErrDatabaseNotWritable" && os.Geteuid() == 0 {
				t.Skip("root writes through directory permissions")
			}
			var out, errOut bytes.Buffer
			start := time.Now()
			code := run(context.Background(), nil, envOf(tc.env), &out, &errOut)
			if code == 0 {
				t.Fatal("exit 0, want non-zero")
			}
			if d := time.Since(start); d > time.Second {
				t.Fatalf("took %v to fail, want under a second", d)
			}
			lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "alignbot: ") || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("stderr=%q, want one line containing %q", errOut.String(), tc.want)
			}
			if strings.Contains(errOut.String(), "abc") {
				t.Fatalf("stderr echoes a token: %q", errOut.String())
			}
		})
	}
	t.Run("ErrSlackRefusesToken", func(t *testing.T) {
		fs := newWorld(t)
		var errOut bytes.Buffer
		code := run(context.Background(), nil, envOf(map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_APP_TOKEN": fs.AppToken(), "SLACK_API_URL": fs.URL(),
			"ALIGNBOT_DB": testdb.New(t), "ALIGNBOT_HTTP_ADDR": "",
		}), io.Discard, &errOut)
		last := lastLine(errOut.String())
		if code == 0 || !strings.Contains(last, "Slack refused SLACK_BOT_TOKEN (invalid_auth)") {
			t.Fatalf("exit %d, last line %q", code, last)
		}
	})
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestHealthEndpoints(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + h.main.HTTPAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("/healthz %d", code)
	}
	h.waitFor("ready", func() bool { code, _ := get("/readyz"); return code == 200 })
	h.decide(ann, general, "Measure ack latency")
	h.waitCards(general, 1)
	for _, want := range []string{
		`alignbot_envelopes_total{type="slash_commands"} 1`,
		`alignbot_ack_latency_seconds_count 1`,
		`alignbot_outbox_done_total{kind="decision.card",outcome="sent"} 1`,
	} {
		// The card is in Slack a moment before the sender records it.
		h.waitFor("/metrics to show "+want, func() bool { _, m := get("/metrics"); return strings.Contains(m, want) })
	}

	t.Run("NotReadyWhileDisconnected", func(t *testing.T) {
		fs.FailNext("apps.connections.open", 3, faultUnavailable)
		fs.DropConnections()
		h.waitFor("/readyz to fail", func() bool { code, _ := get("/readyz"); return code == 503 })
		h.waitFor("/readyz to recover", func() bool { code, _ := get("/readyz"); return code == 200 })
	})
}

// binary builds alignbot once for the tests that run it as a process.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "alignbot-bin-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "alignbot")
	out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{string(out)}
	}
	return path, nil
})

type buildError struct{ out string }

func (e *buildError) Error() string { return "go build: " + e.out }

// process is alignbot running as its own process against the fake.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{}
}

func startProcess(t *testing.T, env map[string]string, args ...string) *process {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("alignbot process stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

func TestNoTokensExitsWithinASecond(t *testing.T) {
	start := time.Now()
	p := startProcess(t, map[string]string{"ALIGNBOT_HTTP_ADDR": ""})
	select {
	case <-p.done:
	case <-time.After(time.Second):
		t.Fatal("alignbot without tokens still running after a second")
	}
	if p.cmd.ProcessState.ExitCode() == 0 {
		t.Fatal("exit 0")
	}
	if got := p.stderr.String(); !strings.Contains(got, "SLACK_BOT_TOKEN") || strings.Count(got, "\n") != 1 {
		t.Fatalf("stderr %q, want one line naming SLACK_BOT_TOKEN", got)
	}
	t.Logf("exited in %v", time.Since(start))
}

func TestSIGKILLLosesNoDecision(t *testing.T) {
	fs := newWorld(t)
	db := testdb.New(t)
	env := map[string]string{
		"SLACK_BOT_TOKEN": fs.BotToken(), "SLACK_APP_TOKEN": fs.AppToken(), "SLACK_API_URL": fs.URL(),
		"ALIGNBOT_DB": db, "ALIGNBOT_HTTP_ADDR": "",
	}
	ctx := context.Background()
	waitConnected := func(p *process) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := fs.WaitConnections(wctx, 1); err != nil {
			t.Fatalf("not connected: %v\n%s", err, p.stderr.String())
		}
	}

	p := startProcess(t, env)
	waitConnected(p)
	// Fail the first card, so its lane backs off and the cards behind it
	// are still in the outbox at the kill.
	fs.FailNext("chat.postMessage", 1, faultUnavailable)
	// Spread over three channels: Slack takes about one post a second in
	// each, and the sender keeps to that.
	const n = 15
	channels := []string{general, random, secret}
	for i := 0; i < n; i++ {
		if _, err := fs.SlashCommand(ctx, slashDecide(ann, channels[i%3], "Decision number "+itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	h := &harness{t: t, fs: fs, db: db, logs: p.stderr}
	// Every command is acked; wait until all are committed, then kill -9.
	h.waitFor("all decisions committed", func() bool { return countDecisions(t, db) == n })
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done

	p2 := startProcess(t, env)
	waitConnected(p2)
	h.logs = p2.stderr
	cards := func() []fakeslack.Message {
		var all []fakeslack.Message
		for _, ch := range channels {
			all = append(all, h.botMessages(ch)...)
		}
		return all
	}
	h.waitLong("every card posted after the restart", func() bool { return len(cards()) >= n })
	if got := countDecisions(t, db); got != n {
		t.Fatalf("%d decisions after restart, want %d", got, n)
	}
	seen := map[string]bool{}
	for _, m := range cards() {
		if seen[m.Text] {
			t.Fatalf("card %q posted twice", m.Text)
		}
		seen[m.Text] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct cards, want %d", len(seen), n)
	}

	t.Run("SIGTERMFinishesTheSendUnderWay", func(t *testing.T) {
		// A post Slack answers only after 1.5 s is under way at SIGTERM: the
		// bot waits for it and records it, so it is not sent again.
		fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Delay: 1500 * time.Millisecond, After: true})
		posts := len(fs.Calls("chat.postMessage"))
		if _, err := fs.SlashCommand(ctx, slashDecide(ann, general, "Decided just before a deploy")); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the slow post under way", func() bool { return len(fs.Calls("chat.postMessage")) > posts })
		start := time.Now()
		p2.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p2.done:
		case <-time.After(10 * time.Second):
			t.Fatal("still running 10 s after SIGTERM")
		}
		if code := p2.cmd.ProcessState.ExitCode(); code != 0 {
			t.Fatalf("exit %d after SIGTERM, want 0\n%s", code, p2.stderr.String())
		}
		if d := time.Since(start); d < time.Second {
			t.Fatalf("stopped after %v, before the send under way was answered", d)
		}
		t.Logf("stopped in %v", time.Since(start))

		p3 := startProcess(t, env)
		waitConnected(p3)
		h.logs = p3.stderr
		h.decide(ann, random, "A decision after the restart")
		h.waitFor("the new card", func() bool {
			for _, m := range h.botMessages(random) {
				if strings.Contains(m.Text, "A decision after the restart") {
					return true
				}
			}
			return false
		})
		count := 0
		for _, m := range h.botMessages(general) {
			if strings.Contains(m.Text, "Decided just before a deploy") {
				count++
			}
		}
		if count != 1 {
			t.Fatalf("the card sent during shutdown is in #general %d times, want once", count)
		}
	})
}
