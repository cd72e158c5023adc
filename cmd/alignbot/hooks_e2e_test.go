package main

import (
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/hooks"
	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// A channel connects its own CI with /digest hook events, runs the curl
// example alignbot gives (as a script would, with openssl), connects a
// GitHub repository, and sees the delivery figures in its digest; a
// leadership channel's roll-up shows them, and leaves private channels
// out. In HTTP mode the hooks are served on Slack's listener.
func TestDeliveryHooksEndToEnd(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the README's example needs %s: %v", tool, err)
		}
	}
	fs := newWorld(t)
	const leads = "C0LEADS"
	fs.AddChannel(fakeslack.Channel{ID: leads, Name: "leads", Members: []string{adm, fs.BotUserID()}})
	t.Parallel()
	h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{Mode: "http", SigningSecret: testSigningSecret})
	base := "http://" + h.main.HTTPAddr
	replies := 0
	digest := func(user, channel, text string) string {
		t.Helper()
		form := slashForm(user, channel, "/digest", text)
		if code, body := h.slackRequest("/slack/commands", "application/x-www-form-urlencoded", form, time.Now(), signWith(testSigningSecret)); code != 200 {
			t.Fatalf("/digest %s: HTTP %d %s", text, code, body)
		}
		if text == "now" {
			return "" // the digest in the channel says it all
		}
		replies++
		return h.waitEphemeral(user, replies)
	}

	// The events hook, with the example run as given.
	reply := digest(adm, general, "hook events")
	script := regexp.MustCompile("(?s)```(.*)```").FindStringSubmatch(reply)
	if script == nil || !strings.Contains(reply, "/hooks/events/") {
		t.Fatalf("no example in the reply:\n%s", reply)
	}
	run := func(body string) string {
		t.Helper()
		s := strings.Replace(script[1], `body='{"type":"deploy","id":"build-812","ok":true}'`, "body='"+body+"'", 1)
		s = strings.Replace(s, "'/hooks/", "'"+base+"/hooks/", 1)
		out, err := exec.Command("bash", "-c", s+"; echo").CombinedOutput()
		if err != nil {
			t.Fatalf("the example failed: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if out := run(`{"type":"deploy","id":"build-812","ok":true}`); out != "Kept." {
		t.Fatalf("the example as given: %q, want Kept.", out)
	}
	for _, body := range []string{
		`{"type":"deploy","id":"build-813","ok":false}`,
		`{"type":"incident_opened","id":"INC-7"}`,
		`{"type":"metric","name":"nps","value":44,"unit":"points"}`,
	} {
		if out := run(body); out != "Kept." {
			t.Fatalf("%s: %q", body, out)
		}
	}
	if out := run(`{"type":"deploy","id":"build-812","ok":true}`); !strings.Contains(out, "received before") {
		t.Fatalf("the same deploy again: %q, want it kept once", out)
	}

	// A GitHub repository: its signature checked, its delivery kept once.
	reply = digest(adm, general, "hook github")
	m := regexp.MustCompile("Payload URL: `(/hooks/github/[^`]+)`[\\s\\S]*Secret: `([^`]+)`").FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("no URL and secret in the reply:\n%s", reply)
	}
	payload, err := os.ReadFile("../../hooks/testdata/github/workflow_run.completed.json")
	if err != nil {
		t.Fatal(err)
	}
	github := func(secret, delivery string) int {
		req, _ := http.NewRequest(http.MethodPost, base+m[1], strings.NewReader(string(payload)))
		req.Header.Set("X-GitHub-Event", "workflow_run")
		req.Header.Set("X-GitHub-Delivery", delivery)
		req.Header.Set("X-Hub-Signature-256", "sha256="+hooks.Sign(secret, payload))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := github("not-the-secret", "d-1"); code != http.StatusUnauthorized {
		t.Fatalf("badly signed: HTTP %d, want 401", code)
	}
	if code := github(m[2], "d-1"); code != http.StatusAccepted {
		t.Fatalf("signed: HTTP %d, want 202", code)
	}
	if code := github(m[2], "d-1"); code != http.StatusOK {
		t.Fatalf("redelivered: HTTP %d, want 200", code)
	}

	if status := digest(adm, general, "sla review 1d"); !strings.Contains(status, "within 1d") {
		t.Fatalf("review SLA: %s", status)
	}
	status := digest(adm, general, "")
	for _, want := range []string{"GitHub hook", "events hook", "last delivered", "Review SLA: 1d"} {
		if !strings.Contains(status, want) {
			t.Errorf("/digest lacks %q:\n%s", want, status)
		}
	}

	// The digest shows this week's figures.
	digest(adm, general, "now")
	h.waitFor("the digest with its delivery figures", func() bool {
		for _, msg := range h.botMessages(general) {
			if strings.Contains(messageText(msg), "Deployment frequency") {
				return true
			}
		}
		return false
	})
	var text string
	for _, msg := range h.botMessages(general) {
		if s := messageText(msg); strings.Contains(s, "Deployment frequency") {
			text = s
		}
	}
	for _, want := range []string{"2 deploys", "50% (1 of 2)", "nps", "44 points"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, text)
		}
	}

	// A leadership roll-up in #leads: #secret is refused by name.
	if refused := digest(adm, leads, "rollup <#"+general+"|general> <#"+secret+"|secret>"); !strings.Contains(refused, "is private") {
		t.Fatalf("a private channel in a roll-up: %s", refused)
	}
	if set := digest(adm, leads, "rollup <#"+general+"|general>"); !strings.Contains(set, "covers <#"+general+">") {
		t.Fatalf("roll-up set: %s", set)
	}
	digest(adm, leads, "now")
	h.waitFor("the roll-up in #leads", func() bool {
		for _, msg := range h.botMessages(leads) {
			s := messageText(msg)
			if strings.Contains(s, "Leadership roll-up") && strings.Contains(s, "Delivery: 2 deploys") {
				return true
			}
		}
		return false
	})
}

// In Socket Mode the hooks are served on the web listener, beside the
// decision log: the site's token closes the site, not the hooks, which
// check their own signatures; and the hook URL alignbot gives starts with
// ALIGNBOT_WEB_URL.
func TestHooksOnTheWebListener(t *testing.T) {
	fs := newWorld(t)
	t.Parallel()
	h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{}, func(m *Main) {
		m.Config.Web = WebConfig{Addr: "127.0.0.1:0", URL: "https://alignbot.example.com/", Token: "site-token-123"}
	})
	h.slash(adm, general, "/digest", "hook events")
	reply := h.waitEphemeral(adm, 1)
	m := regexp.MustCompile("secret `([^`]+)`[\\s\\S]*'https://alignbot\\.example\\.com(/hooks/events/[^']+)'").FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("no URL under ALIGNBOT_WEB_URL in the reply:\n%s", reply)
	}
	body := []byte(`{"type":"deploy","id":"build-1","ok":true}`)
	post := func(secret string) int {
		ts := time.Now().Unix()
		req, _ := http.NewRequest(http.MethodPost, "http://"+h.main.WebAddr+m[2], strings.NewReader(string(body)))
		req.Header.Set("X-Alignbot-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Alignbot-Signature", hooks.EventSignature(secret, ts, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("wrong"); code != http.StatusUnauthorized {
		t.Fatalf("badly signed: HTTP %d, want 401", code)
	}
	if code := post(m[1]); code != http.StatusAccepted {
		t.Fatalf("signed, without the site's token: HTTP %d, want 202", code)
	}
	resp, err := http.Get("http://" + h.main.WebAddr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the site without its token: HTTP %d, want 401", resp.StatusCode)
	}
}
