package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxSlackBody bounds a request from Slack. Most are a few kilobytes,
// but an interaction carries the message it came from: up to 50 blocks
// of 3,000 characters, which URL-encoded (non-Latin text takes nine
// bytes a character) can pass half a megabyte.
const maxSlackBody = 1 << 20

// httpAckDeadline is how long a request waits for its answer: under
// Slack's 3 s, over the submission deadline.
const httpAckDeadline = 2900 * time.Millisecond

// SlackHandler serves Slack's requests over HTTP, for ALIGNBOT_MODE=http:
// the Events API on /slack/events (url_verification included), slash
// commands on /slack/commands, interactivity on /slack/interactivity and
// a select's requests for options (block_suggestion) on /slack/options,
// with the same handlers as Socket Mode. Each request's v0 signature is
// checked first: a missing or wrong one, or one more than five minutes
// off, gets 401 and nothing is done.
func (b *Bot) SlackHandler(secret string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", b.verified(secret, b.serveEvents))
	mux.HandleFunc("POST /slack/commands", b.verified(secret, b.serveCommand))
	mux.HandleFunc("POST /slack/interactivity", b.verified(secret, b.serveInteraction))
	mux.HandleFunc("POST /slack/options", b.verified(secret, b.serveInteraction))
	return mux
}

// verified checks a request's signature before next sees its body.
func (b *Bot) verified(secret string, next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return verifySlack(secret, b.log, next)
}

// verifySlack reads nothing of a request's body until its signature
// headers are there, well formed and fresh (401 otherwise), and its
// declared size fits (413); it then reads at most maxSlackBody bytes and
// checks the signature over them (401) before next runs. A refused
// request has no effect but a log line.
func verifySlack(secret string, log *slog.Logger, next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	refuse := func(w http.ResponseWriter, r *http.Request, err error) {
		log.Warn("request refused: bad signature", "path", r.URL.Path, "reason", err.Error())
		http.Error(w, "invalid signature", http.StatusUnauthorized)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, secret) // headers and timestamp only
		if err != nil {
			refuse(w, r, err)
			return
		}
		if r.ContentLength > maxSlackBody {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSlackBody))
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			log.Warn("request not read", "path", r.URL.Path, "err", err)
			http.Error(w, "could not read the request", http.StatusBadRequest)
			return
		}
		sv.Write(body)
		if err := sv.Ensure(); err != nil {
			refuse(w, r, err)
			return
		}
		next(w, r, body)
	}
}

func (b *Bot) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	var outer struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
		EventID   string `json:"event_id"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "not JSON", http.StatusBadRequest)
		return
	}
	if outer.Type == slackevents.URLVerification {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, outer.Challenge)
		return
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	log := b.log
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		log = log.With("retry", n, "retry_reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	b.serve(w, envelope{kind: "events_api", id: orBodyID(outer.EventID, body), payload: body, data: ev}, log)
}

func (b *Bot) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "not a form", http.StatusBadRequest)
		return
	}
	cmd := slack.SlashCommand{
		TeamID: v.Get("team_id"), TeamDomain: v.Get("team_domain"), EnterpriseID: v.Get("enterprise_id"),
		EnterpriseName: v.Get("enterprise_name"), ChannelID: v.Get("channel_id"), ChannelName: v.Get("channel_name"),
		UserID: v.Get("user_id"), UserName: v.Get("user_name"), Command: v.Get("command"), Text: v.Get("text"),
		ResponseURL: v.Get("response_url"), TriggerID: v.Get("trigger_id"), APIAppID: v.Get("api_app_id"),
	}
	payload, _ := json.Marshal(cmd)
	b.serve(w, envelope{kind: "slash_commands", id: orBodyID(cmd.TriggerID, body), payload: payload, data: cmd},
		b.log.With("trigger_id", cmd.TriggerID))
}

func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "not a form", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(v.Get("payload")), &cb); err != nil {
		http.Error(w, "payload is not an interaction", http.StatusBadRequest)
		return
	}
	b.serve(w, envelope{kind: "interactive", id: orBodyID(cb.TriggerID, body), payload: []byte(v.Get("payload")), data: cb},
		b.log.With("trigger_id", cb.TriggerID))
}

// orBodyID is id, or where Slack gives none, one made from the body.
func orBodyID(id string, body []byte) string {
	if id != "" {
		return id
	}
	return requestID(body)
}

// serve takes in one verified request (see accept) and answers it: 200
// once it is in the inbox, with the payload that answers it if any (a
// modal's response_action, a slash command's reply); 503 if the inbox
// could not take it, so Slack tries again.
func (b *Bot) serve(w http.ResponseWriter, env envelope, log *slog.Logger) {
	received := time.Now()
	b.metrics.Envelopes.WithLabelValues(env.kind).Inc()
	type answer struct {
		payload any
		err     error
	}
	answered := make(chan answer, 1)
	b.accept(context.Background(), env, received, func(payload any, err error) {
		answered <- answer{payload, err}
	}, log)
	var a answer
	select {
	case a = <-answered:
	case <-time.After(httpAckDeadline):
		log.Error("no answer in time for slack", "kind", env.kind)
		http.Error(w, "not taken in yet", http.StatusServiceUnavailable)
		return
	}
	if a.err != nil {
		http.Error(w, "not taken in", http.StatusServiceUnavailable)
		return
	}
	b.metrics.AckLatency.Observe(time.Since(received).Seconds())
	if a.payload == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(a.payload)
}
