package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/testdb"
)

// TestHTTPModeKeepsOpsOffThePublicListener checks that in HTTP mode the
// public listener serves Slack's requests and nothing else, that the
// ops listener serves /healthz, /readyz and /metrics and not Slack's
// paths, and that both servers have timeouts.
func TestHTTPModeKeepsOpsOffThePublicListener(t *testing.T) {
	fs := newWorld(t)
	t.Parallel()
	h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{Mode: "http", SigningSecret: testSigningSecret})
	if h.main.OpsAddr == "" || h.main.OpsAddr == h.main.HTTPAddr {
		t.Fatalf("ops listener %q, public %q: want two listeners", h.main.OpsAddr, h.main.HTTPAddr)
	}
	get := func(addr, path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	t.Run("PublicListenerRefusesOpsPaths", func(t *testing.T) {
		for _, path := range []string{"/metrics", "/readyz", "/healthz", "/debug/pprof/", "/"} {
			if code, _ := get(h.main.HTTPAddr, path); code != http.StatusNotFound {
				t.Errorf("public GET %s: HTTP %d, want 404", path, code)
			}
		}
	})
	t.Run("OpsListenerServesThem", func(t *testing.T) {
		if code, _ := get(h.main.OpsAddr, "/healthz"); code != 200 {
			t.Errorf("ops /healthz: HTTP %d", code)
		}
		h.waitFor("ready", func() bool { code, _ := get(h.main.OpsAddr, "/readyz"); return code == 200 })
		if code, body := get(h.main.OpsAddr, "/metrics"); code != 200 || !strings.Contains(body, "alignbot_") {
			t.Errorf("ops /metrics: HTTP %d\n%.300s", code, body)
		}
		code, _ := h.slackRequestTo(h.main.OpsAddr, "/slack/commands", slashForm(ann, general, "/decide", "Sent to the wrong port"))
		if code != http.StatusNotFound {
			t.Errorf("ops POST /slack/commands: HTTP %d, want 404", code)
		}
	})
	t.Run("ServersHaveTimeouts", func(t *testing.T) {
		for name, srv := range map[string]*http.Server{"public": h.main.HTTP, "ops": h.main.Ops} {
			if srv == nil {
				t.Fatalf("%s server not open", name)
			}
			for field, d := range map[string]time.Duration{
				"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
				"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
			} {
				if d <= 0 {
					t.Errorf("%s server: %s is %v, want a limit", name, field, d)
				}
			}
			if srv.WriteTimeout <= 3*time.Second { // Slack's deadline
				t.Errorf("%s server: WriteTimeout %v leaves no room for an answer to Slack", name, srv.WriteTimeout)
			}
		}
	})
	t.Run("ErrHugeUnsignedBodyRefusedUnread", func(t *testing.T) {
		// Headers first, then a body that would take a gigabyte: the
		// answer comes without waiting for it, and little of it is sent.
		body := &endlessBody{limit: 1 << 30}
		req, err := http.NewRequest("POST", "http://"+h.main.HTTPAddr+"/slack/commands", body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("HTTP %d, want 401", resp.StatusCode)
		}
		if sent := body.sent(); sent > 64<<20 {
			t.Fatalf("the client sent %d bytes before the answer", sent)
		}
		t.Logf("answered in %v after %d bytes were sent", time.Since(start), body.sent())
	})
	t.Run("ErrDeclaredHugeBodyRefusedUnread", func(t *testing.T) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, err := http.NewRequest("POST", "http://"+h.main.HTTPAddr+"/slack/commands", &endlessBody{limit: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = 1 << 30
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32)) // well formed, not signed
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("HTTP %d, want 413", resp.StatusCode)
		}
	})
	if got := len(h.exportJSON()); got != 0 {
		t.Fatalf("%d decisions: a refused request had an effect", got)
	}
}

// slackRequestTo posts a correctly signed slash command to addr.
func (h *harness) slackRequestTo(addr, path, body string) (int, string) {
	h.t.Helper()
	saved := h.main.HTTPAddr
	defer func() { h.main.HTTPAddr = saved }()
	h.main.HTTPAddr = addr
	return h.slackRequest(path, "application/x-www-form-urlencoded", body, time.Now(), signWith(testSigningSecret))
}

// endlessBody is a request body of limit bytes that records how many the
// client sent.
type endlessBody struct {
	limit int64
	n     atomic.Int64
}

func (b *endlessBody) Read(p []byte) (int, error) {
	n := b.n.Load()
	if n >= b.limit {
		return 0, io.EOF
	}
	k := min(int64(len(p)), b.limit-n)
	for i := range p[:k] {
		p[i] = 'a'
	}
	b.n.Add(k)
	return int(k), nil
}

func (b *endlessBody) sent() int64 { return b.n.Load() }
