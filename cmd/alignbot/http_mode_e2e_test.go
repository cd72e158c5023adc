package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/testdb"
)

const testSigningSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// slackRequest is a request as Slack sends it over HTTP: signed with the
// app's secret at ts, unless sign says otherwise.
func (h *harness) slackRequest(path, contentType, body string, ts time.Time, sign func(base string) string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest("POST", "http://"+h.main.HTTPAddr+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	stamp := strconv.FormatInt(ts.Unix(), 10)
	if sign != nil {
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sign("v0:"+stamp+":"+body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func signWith(secret string) func(string) string {
	return func(base string) string {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(base))
		return "v0=" + hex.EncodeToString(m.Sum(nil))
	}
}

func slashForm(user, channel, command, text string) string {
	return url.Values{"team_id": {"T0TEAM"}, "channel_id": {channel}, "user_id": {user}, "command": {command},
		"text": {text}, "trigger_id": {fmt.Sprintf("%d.%d.http", time.Now().UnixNano(), len(text))}}.Encode()
}

func TestHTTPMode(t *testing.T) {
	fs := newWorld(t)
	t.Parallel()
	h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{Mode: "http", SigningSecret: testSigningSecret})
	form := "application/x-www-form-urlencoded"
	good := signWith(testSigningSecret)

	t.Run("URLVerification", func(t *testing.T) {
		code, body := h.slackRequest("/slack/events", "application/json", `{"token":"x","challenge":"3eZbrw1aBm2rZgR","type":"url_verification"}`, time.Now(), good)
		if code != 200 || body != "3eZbrw1aBm2rZgR" {
			t.Fatalf("%d %q", code, body)
		}
	})
	t.Run("ErrRefusedWithNoSideEffect", func(t *testing.T) {
		for name, tc := range map[string]struct {
			at   time.Time
			sign func(string) string
		}{
			"WrongSignature":   {time.Now(), signWith("not-the-secret")},
			"MissingSignature": {time.Now(), nil},
			"SixMinutesOld":    {time.Now().Add(-6 * time.Minute), good},
			"SixMinutesAhead":  {time.Now().Add(6 * time.Minute), good},
		} {
			code, _ := h.slackRequest("/slack/commands", form, slashForm(ann, general, "/decide", "Forged decision "+name), tc.at, tc.sign)
			if code != http.StatusUnauthorized {
				t.Errorf("%s: HTTP %d, want 401", name, code)
			}
		}
		code, _ := h.slackRequest("/slack/events", "application/json", `{"type":"url_verification","challenge":"c"}`, time.Now(), signWith("nope"))
		if code != http.StatusUnauthorized {
			t.Errorf("events with a wrong signature: HTTP %d, want 401", code)
		}
	})
	t.Run("SignedCommandRecords", func(t *testing.T) {
		start := time.Now()
		code, _ := h.slackRequest("/slack/commands", form, slashForm(ann, general, "/decide", "Serve Slack over HTTP behind the load balancer"), time.Now(), good)
		if code != 200 || time.Since(start) > 3*time.Second {
			t.Fatalf("HTTP %d after %v", code, time.Since(start))
		}
		card := h.waitCards(general, 1)[0]
		if !strings.Contains(messageText(card), "Serve Slack over HTTP") {
			t.Fatalf("card:\n%s", messageText(card))
		}
		if got := len(h.exportJSON()); got != 1 {
			t.Fatalf("%d decisions: a refused request had an effect", got)
		}
	})
	t.Run("InteractivityOverHTTP", func(t *testing.T) {
		card := h.botMessages(general)[0]
		payload, _ := json.Marshal(map[string]any{
			"type": "block_actions", "team": map[string]any{"id": "T0TEAM"}, "user": map[string]any{"id": eve},
			"channel": map[string]any{"id": general}, "trigger_id": "1.2.http", "container": map[string]any{"type": "message", "message_ts": card.TS},
			"actions": []map[string]any{{"block_id": "decision.actions", "action_id": "decision.edit", "value": "1", "type": "button"}},
		})
		code, _ := h.slackRequest("/slack/interactivity", form, url.Values{"payload": {string(payload)}}.Encode(), time.Now(), good)
		if code != 200 {
			t.Fatalf("HTTP %d", code)
		}
		if got := h.waitEphemeral(eve, 1); !strings.Contains(got, "Only its owner (Ann Lee), its author or an admin can change D-1") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	t.Run("EventsOverHTTP", func(t *testing.T) {
		h.slackRequest("/slack/commands", form, slashForm(adm, general, "/checkin", "now"), time.Now(), good)
		h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
		prompt := h.checkinPrompts(general)[0]
		event, _ := json.Marshal(map[string]any{
			"type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP", "event_id": "Ev0HTTP1", "event_time": time.Now().Unix(),
			"event": map[string]any{"type": "message", "channel": general, "channel_type": "channel", "user": bob,
				"text": "Reviewed the importer.", "ts": "1790000000.000900", "thread_ts": prompt.TS, "event_ts": "1790000000.000900"},
		})
		for i := 0; i < 2; i++ { // a Slack retry of the same event changes nothing twice
			if code, _ := h.slackRequest("/slack/events", "application/json", string(event), time.Now(), good); code != 200 {
				t.Fatalf("HTTP %d", code)
			}
		}
		h.waitFor("the reply counted", func() bool { return strings.Contains(messageText(h.checkinPrompts(general)[0]), "1 answered so far") })
	})
	t.Run("WelcomeOverHTTP", func(t *testing.T) {
		event, _ := json.Marshal(map[string]any{
			"type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP", "event_id": "Ev0HTTPJOIN", "event_time": time.Now().Unix(),
			"event": map[string]any{"type": "member_joined_channel", "user": fs.BotUserID(), "channel": random, "channel_type": "C",
				"inviter": ann, "team": "T0TEAM", "event_ts": "1790000000.001000"},
			"authorizations": []any{map[string]any{"team_id": "T0TEAM", "user_id": fs.BotUserID(), "is_bot": true}},
		})
		for i := 0; i < 2; i++ { // a Slack retry of the same event welcomes once
			if code, _ := h.slackRequest("/slack/events", "application/json", string(event), time.Now(), good); code != 200 {
				t.Fatalf("HTTP %d", code)
			}
		}
		msgs := h.waitCards(random, 1)
		h.settle()
		if got := len(h.botMessages(random)); got != 1 || !strings.Contains(messageText(msgs[0]), "Get started in <#"+random+">") {
			t.Fatalf("%d bot messages in #random; the first:\n%s", got, messageText(msgs[0]))
		}
	})
}
