package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// marker is in every secret of the secret tests: it must never show in
// anything alignbot prints.
const marker = "MARKERs3cr3t"

// secretEnv is an environment whose every secret holds the marker: the
// tokens (well formed, so run gets past its checks), the signing secret,
// and a PostgreSQL URL with a password both in its user info and as a
// parameter, on a port where nothing listens.
func secretEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"SLACK_BOT_TOKEN":      "xoxb-" + marker + "-bot",
		"SLACK_APP_TOKEN":      "xapp-" + marker + "-app",
		"SLACK_SIGNING_SECRET": marker + "-signing",
		"ALIGNBOT_WEB_TOKEN":   marker + "-web",
		"ALIGNBOT_DB":          "postgres://alignbot:" + marker + "-userinfo@127.0.0.1:1/alignbot?password=" + marker + "-param&sslpassword=" + marker + "-ssl&sslmode=disable&connect_timeout=2",
		"ALIGNBOT_HTTP_ADDR":   "",
		"ALIGNBOT_LOG_LEVEL":   "debug",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// subcommands is every command line alignbot takes, without flags.
var subcommands = [][]string{
	{}, {"run"}, {"migrate"}, {"migrate", "--from", "alignbot-old.db"},
	{"export"}, {"export", "decisions"}, {"export", "blockers"}, {"export", "checkins"},
	{"export", "pulses"}, {"export", "rituals"}, {"export", "site"}, {"export", "site", "--out", "site"}, {"export", "widgets"},
	{"import"}, {"import", "decisions"}, {"backup"}, {"backup", "copy.db"},
	{"version"}, {"help"}, {"frobnicate"},
}

// TestNoSecretPrinted runs every subcommand with -h, with a bad flag,
// and as it is (most fail on the unreachable database), with every
// secret set to the marker, and finds the marker in none of their
// output.
func TestNoSecretPrinted(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "alignbot-old.db")
	if err := os.WriteFile(old, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	keyword := "host=db user=alignbot password=" + marker + " dbname=alignbot"
	for _, env := range []map[string]string{
		secretEnv(nil),
		secretEnv(map[string]string{"ALIGNBOT_MODE": "http"}),
		secretEnv(map[string]string{"ALIGNBOT_DB": "mysql://alignbot:" + marker + "@db/alignbot"}),
		secretEnv(map[string]string{"ALIGNBOT_DB": "postgres://alignbot:" + marker + "@db:notaport/alignbot"}),
		secretEnv(map[string]string{"ALIGNBOT_DB": "postgres://alignbot:" + marker + "@127.0.0.1:1/alignbot?connect_timeout=soon"}),
	} {
		for _, sub := range subcommands {
			for _, extra := range [][]string{nil, {"-h"}, {"--help"}, {"--no-such-flag"}, {"--db"}, {"--log-level", "loud"}} {
				args := append(append([]string{}, sub...), extra...)
				out, errOut := runIn(t, dir, args, env)
				if strings.Contains(out+errOut, marker) {
					t.Errorf("alignbot %s with ALIGNBOT_DB=%s printed a secret:\nstdout: %s\nstderr: %s", strings.Join(args, " "), redactMarker(env["ALIGNBOT_DB"]), redactMarker(out), redactMarker(errOut))
				}
			}
		}
	}
	// A key=value DSN is a SQLite path to alignbot: only the commands that
	// never create a database try it.
	for _, args := range [][]string{{"export", "decisions"}, {"backup", "copy.db"}, {"export", "pulses", "-h"}} {
		out, errOut := runIn(t, dir, args, secretEnv(map[string]string{"ALIGNBOT_DB": keyword}))
		if strings.Contains(out+errOut, marker) {
			t.Errorf("alignbot %s with a key=value DSN printed its password:\n%s%s", strings.Join(args, " "), redactMarker(out), redactMarker(errOut))
		}
	}
	// Tokens typed where a command or an argument goes are not echoed.
	for _, args := range [][]string{{"xoxb-" + marker}, {"export", "decisions", "xoxb-" + marker}, {"migrate", "xapp-" + marker}} {
		out, errOut := runIn(t, dir, args, secretEnv(nil))
		if strings.Contains(out+errOut, marker) {
			t.Errorf("alignbot %d args echoed a token:\n%s%s", len(args), redactMarker(out), redactMarker(errOut))
		}
	}
}

// runIn runs alignbot in dir with args and env, and returns its stdout
// and stderr.
func runIn(t *testing.T, dir string, args []string, env map[string]string) (string, string) {
	t.Helper()
	abs := append([]string{}, args...)
	for i, a := range abs {
		if strings.HasSuffix(a, ".db") {
			abs[i] = filepath.Join(dir, a) // never write beside the package
		}
	}
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	run(ctx, abs, envOf(env), &out, &errOut)
	return out.String(), errOut.String()
}

func redactMarker(s string) string { return strings.ReplaceAll(s, marker, "<MARKER>") }

// TestUsageShowsWhetherSecretsAreSet checks what -h shows instead of a
// secret: whether it is set.
func TestUsageShowsWhetherSecretsAreSet(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"Set":    secretEnv(nil),
		"NotSet": {},
	} {
		t.Run(name, func(t *testing.T) {
			_, errOut := runIn(t, t.TempDir(), []string{"run", "-h"}, env)
			want := "set"
			if name == "NotSet" {
				want = "not set"
			}
			for _, v := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "ALIGNBOT_WEB_TOKEN"} {
				if !strings.Contains(errOut, "env "+v+", "+want+";") {
					t.Errorf("usage does not say %s is %s:\n%s", v, want, redactMarker(errOut))
				}
			}
			if name == "Set" && !strings.Contains(errOut, "postgres://alignbot:xxxxx@127.0.0.1:1/alignbot?") {
				t.Errorf("usage does not show the database redacted:\n%s", redactMarker(errOut))
			}
		})
	}
}

func TestConfigPrintsNoSecret(t *testing.T) {
	env := secretEnv(nil)
	cfg := Config{BotToken: env["SLACK_BOT_TOKEN"], AppToken: env["SLACK_APP_TOKEN"], SigningSecret: env["SLACK_SIGNING_SECRET"], DB: env["ALIGNBOT_DB"],
		Web: WebConfig{Addr: "127.0.0.1:0", Token: env["ALIGNBOT_WEB_TOKEN"]}}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", cfg)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("web", "web", cfg.Web)
	for _, got := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s", &cfg), logs.String(),
		fmt.Sprint(cfg.Web), fmt.Sprintf("%+v", cfg.Web), fmt.Sprintf("%#v", cfg.Web)} {
		if strings.Contains(got, marker) {
			t.Errorf("a secret printed: %s", redactMarker(got))
		}
	}
	if got := cfg.String(); !strings.Contains(got, "bot_token=set") || !strings.Contains(got, "xxxxx") {
		t.Errorf("String() = %q, want the secrets shown as set and the DSN redacted", got)
	}
}

// TestServingLogsNoSecret runs alignbot as `alignbot run` does, at debug
// level, against a fake Slack whose tokens hold the marker, in Socket
// Mode and in HTTP mode, and finds the marker nowhere in its output.
func TestServingLogsNoSecret(t *testing.T) {
	fs := newWorldWith(t, fakeslack.Options{BotToken: "xoxb-" + marker + "-bot", AppToken: "xapp-" + marker + "-app"})
	t.Parallel()
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			env := secretEnv(map[string]string{
				"SLACK_BOT_TOKEN": fs.BotToken(), "SLACK_APP_TOKEN": fs.AppToken(), "SLACK_API_URL": fs.URL(),
				"ALIGNBOT_DB": testdb.New(t), "ALIGNBOT_MODE": mode,
				"ALIGNBOT_HTTP_ADDR": "127.0.0.1:0", "ALIGNBOT_OPS_ADDR": "127.0.0.1:0", "ALIGNBOT_WEB_ADDR": "127.0.0.1:0",
			})
			var stdout, stderr syncBuffer
			ctx, cancel := context.WithCancel(context.Background())
			// Migrate first, as its own command (its output is checked
			// too): the wait for "alignbot started" below is for serving,
			// and a fresh PostgreSQL schema's migrations on a machine busy
			// with other packages' tests ran past it (empty logs: they are
			// written once goose is done).
			if code := run(ctx, []string{"migrate"}, envOf(env), &stdout, &stderr); code != 0 {
				t.Fatalf("alignbot migrate exited %d:\n%s", code, redactMarker(stdout.String()+stderr.String()))
			}
			done := make(chan int, 1)
			go func() { done <- run(ctx, []string{"run"}, envOf(env), &stdout, &stderr) }()
			defer func() {
				cancel()
				<-done
				if all := stdout.String() + stderr.String(); strings.Contains(all, marker) {
					t.Errorf("a secret in the output:\n%s", redactMarker(all))
				}
			}()
			h := &harness{t: t, fs: fs, logs: &stderr}
			started := startedLine(h)
			get := func(path string) {
				resp, err := http.Get("http://" + started.Ops + path)
				if err == nil {
					resp.Body.Close()
				}
			}
			get("/metrics")
			get("/readyz")
			if mode == "socket" {
				h.waitFor("connected", func() bool { return fs.Connections() > 0 })
				h.decide(ann, general, "Keep secrets out of the journal")
				h.waitCards(general, 1)
				return
			}
			h.main = &Main{HTTPAddr: started.HTTP}
			form := "application/x-www-form-urlencoded"
			h.slackRequest("/slack/commands", form, slashForm(ann, random, "/decide", "Forged"), time.Now(), signWith("wrong"))
			if code, _ := h.slackRequest("/slack/commands", form, slashForm(ann, random, "/decide", "Signed over HTTP"), time.Now(), signWith(env["SLACK_SIGNING_SECRET"])); code != 200 {
				t.Fatalf("signed command: HTTP %d", code)
			}
			h.waitCards(random, 1)
		})
	}
}

// started is what the "alignbot started" log line says.
type started struct {
	HTTP string `json:"http"`
	Ops  string `json:"ops"`
}

// startedLine waits for the "alignbot started" log line and returns it.
func startedLine(h *harness) started {
	h.t.Helper()
	var s started
	h.waitFor("alignbot started", func() bool {
		for _, l := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(l, `"msg":"alignbot started"`) {
				return json.Unmarshal([]byte(l), &s) == nil
			}
		}
		return false
	})
	return s
}
