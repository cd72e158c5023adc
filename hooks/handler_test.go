package hooks

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// memHooks keeps hooks and events in memory, as rituals.Hooks over a
// store would.
type memHooks struct {
	mu     sync.Mutex
	hooks  map[string]*rituals.Hook
	kept   map[string]rituals.DeliveryEvent // by hook/delivery
	events []rituals.DeliveryEvent
}

func (m *memHooks) ByID(_ context.Context, id string) (*rituals.Hook, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hooks[id]
	if !ok {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "no hook")
	}
	c := *h
	return &c, nil
}

func (m *memHooks) Receive(_ context.Context, h *rituals.Hook, delivery string, e rituals.DeliveryEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.kept[h.ID+"/"+delivery]; ok {
		return rituals.ErrDuplicate
	}
	e.Team, e.Channel, e.Source = h.Team, h.Channel, h.Source
	m.kept[h.ID+"/"+delivery] = e
	m.events = append(m.events, e)
	return nil
}

func (m *memHooks) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

var hookNow = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func newHookServer(t *testing.T) (*httptest.Server, *memHooks) {
	t.Helper()
	m := &memHooks{kept: map[string]rituals.DeliveryEvent{}, hooks: map[string]*rituals.Hook{
		"gh1": {ID: "gh1", Team: "T1", Channel: "C1", Source: GitHub, Secret: "gh-secret"},
		"gl1": {ID: "gl1", Team: "T1", Channel: "C2", Source: GitLab, Secret: "gl-token"},
		"ev1": {ID: "ev1", Team: "T1", Channel: "C3", Source: Events, Secret: "ev-secret"},
	}}
	mux := http.NewServeMux()
	(&Handler{Hooks: m, Now: func() time.Time { return hookNow }, Log: slog.New(slog.DiscardHandler)}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, m
}

func post(t *testing.T, url string, body []byte, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func githubHeaders(secret, event, delivery string, body []byte) map[string]string {
	return map[string]string{"X-GitHub-Event": event, "X-GitHub-Delivery": delivery,
		"X-Hub-Signature-256": "sha256=" + Sign(secret, body), "Content-Type": "application/json"}
}

func TestGitHubHook(t *testing.T) {
	srv, m := newHookServer(t)
	body := fixture(t, "github/deployment_status.success.json")
	url := srv.URL + "/hooks/github/gh1"

	for name, tc := range map[string]struct {
		url    string
		header map[string]string
		body   []byte
		status int
	}{
		"Unsigned":        {url, map[string]string{"X-GitHub-Event": "deployment_status", "X-GitHub-Delivery": "d0"}, body, 401},
		"BadlySigned":     {url, githubHeaders("not-the-secret", "deployment_status", "d0", body), body, 401},
		"SignedOtherBody": {url, githubHeaders("gh-secret", "deployment_status", "d0", []byte("{}")), body, 401},
		"UnknownHook":     {srv.URL + "/hooks/github/nope", githubHeaders("gh-secret", "deployment_status", "d0", body), body, 401},
		"OtherSource":     {srv.URL + "/hooks/gitlab/gh1", githubHeaders("gh-secret", "deployment_status", "d0", body), body, 401},
		"NoDelivery":      {url, map[string]string{"X-GitHub-Event": "deployment_status", "X-Hub-Signature-256": "sha256=" + Sign("gh-secret", body)}, body, 400},
		"Unreadable":      {url, githubHeaders("gh-secret", "deployment_status", "d0", []byte("{")), []byte("{"), 400},
	} {
		t.Run(name, func(t *testing.T) {
			if status, text := post(t, tc.url, tc.body, tc.header); status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, text, tc.status)
			}
			if n := m.count(); n != 0 {
				t.Fatalf("%d events kept, want none", n)
			}
		})
	}

	if status, text := post(t, url, fixture(t, "github/ping.json"), githubHeaders("gh-secret", "ping", "d-ping", fixture(t, "github/ping.json"))); status != 202 || m.count() != 0 {
		t.Fatalf("ping: %d (%s), %d events; want 202 and none kept", status, text, m.count())
	}
	if status, text := post(t, url, body, githubHeaders("gh-secret", "deployment_status", "d1", body)); status != 202 {
		t.Fatalf("signed deploy: %d (%s), want 202", status, text)
	}
	if status, _ := post(t, url, body, githubHeaders("gh-secret", "deployment_status", "d1", body)); status != 200 {
		t.Fatalf("the same delivery again: %d, want 200", status)
	}
	if m.count() != 1 {
		t.Fatalf("%d events kept, want 1", m.count())
	}
	if e := m.events[0]; e.Channel != "C1" || e.Source != GitHub || e.Kind != rituals.EventDeploy || !e.OK {
		t.Fatalf("kept %+v", e)
	}
}

func TestHookRefusesAnOversizedPayload(t *testing.T) {
	srv, m := newHookServer(t)
	body := []byte(`{"zen":"` + strings.Repeat("a", MaxBody) + `"}`)
	status, _ := post(t, srv.URL+"/hooks/github/gh1", body, githubHeaders("gh-secret", "ping", "big", body))
	if status != http.StatusRequestEntityTooLarge || m.count() != 0 {
		t.Fatalf("status %d with %d events kept, want 413 and none", status, m.count())
	}
}

func TestGitLabHook(t *testing.T) {
	srv, m := newHookServer(t)
	body := fixture(t, "gitlab/pipeline.failed.json")
	url := srv.URL + "/hooks/gitlab/gl1"
	header := func(token, uuid string) map[string]string {
		return map[string]string{"X-Gitlab-Event": "Pipeline Hook", "X-Gitlab-Token": token, "X-Gitlab-Event-UUID": uuid}
	}
	if status, _ := post(t, url, body, header("wrong", "u1")); status != 401 {
		t.Fatalf("wrong token: %d, want 401", status)
	}
	if status, _ := post(t, url, body, header("", "u1")); status != 401 {
		t.Fatalf("no token: %d, want 401", status)
	}
	if status, text := post(t, url, body, header("gl-token", "u1")); status != 202 {
		t.Fatalf("pipeline: %d (%s), want 202", status, text)
	}
	if status, _ := post(t, url, body, header("gl-token", "u1")); status != 200 {
		t.Fatalf("same delivery: %d, want 200", status)
	}
	if m.count() != 1 || m.events[0].Kind != rituals.EventPipeline || m.events[0].OK || m.events[0].Channel != "C2" {
		t.Fatalf("kept %+v", m.events)
	}
}

func TestSignedEventHook(t *testing.T) {
	srv, m := newHookServer(t)
	url := srv.URL + "/hooks/events/ev1"
	body := []byte(`{"type":"incident_opened","id":"INC-7"}`)
	sign := func(secret string, at time.Time, b []byte) map[string]string {
		ts := at.Unix()
		return map[string]string{"X-Alignbot-Timestamp": strconv.FormatInt(ts, 10), "X-Alignbot-Signature": EventSignature(secret, ts, b)}
	}
	for name, tc := range map[string]struct {
		header map[string]string
		status int
	}{
		"Unsigned":    {nil, 401},
		"BadSecret":   {sign("nope", hookNow, body), 401},
		"Replayed":    {sign("ev-secret", hookNow.Add(-6*time.Minute), body), 401},
		"FromFuture":  {sign("ev-secret", hookNow.Add(6*time.Minute), body), 401},
		"BadTimeText": {map[string]string{"X-Alignbot-Timestamp": "soon", "X-Alignbot-Signature": EventSignature("ev-secret", hookNow.Unix(), body)}, 401},
	} {
		t.Run(name, func(t *testing.T) {
			if status, text := post(t, url, body, tc.header); status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, text, tc.status)
			}
		})
	}
	bad := []byte(`{"type":"release"}`)
	if status, text := post(t, url, bad, sign("ev-secret", hookNow, bad)); status != 400 || !strings.Contains(text, "release") {
		t.Fatalf("unknown type: %d %q, want 400 naming it", status, text)
	}
	if m.count() != 0 {
		t.Fatalf("%d events kept before a good one, want 0", m.count())
	}
	if status, text := post(t, url, body, sign("ev-secret", hookNow.Add(-time.Minute), body)); status != 202 {
		t.Fatalf("signed event: %d (%s), want 202", status, text)
	}
	if status, _ := post(t, url, body, sign("ev-secret", hookNow, body)); status != 200 {
		t.Fatalf("the same incident again, signed afresh: %d, want 200 (kept once)", status)
	}
	if m.count() != 1 || m.events[0].Kind != rituals.EventIncidentOpened || m.events[0].Channel != "C3" {
		t.Fatalf("kept %+v", m.events)
	}
}
