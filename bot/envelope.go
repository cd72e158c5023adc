package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// submissionDeadline bounds the work done before a view submission is
// acked, from its arrival: Slack waits 3 s, and a late ack loses the
// person's form.
const submissionDeadline = 2500 * time.Millisecond

// request is one request from Slack being handled, with what a reply
// needs.
type request struct {
	id       string // the inbox's ID; for view submissions, the view's
	team     string
	user     string
	channel  string
	replyURL string
	trigger  string
	// received is when the request reached the bot: its trigger is good
	// for triggerTTL from then.
	received time.Time
	// typed is the command line a person typed, given back to them if
	// the bot fails to act on it, so nothing they wrote is lost.
	typed string
	// botUser is alignbot's own user ID, from an event's authorizations.
	botUser string
	log     *slog.Logger
	// inline is set while a modal submission is answered inside its ack.
	inline bool
	// later, set by a modal's handler answering inline, asks for the rest
	// of the work to be done from the inbox once the modal has closed.
	later bool
	// last is set on a request's last attempt: an internal failure is
	// then told to the person, with what they typed.
	last bool
	// retry, set by replyError on an earlier attempt, asks for the request
	// to be taken up again rather than the failure told.
	retry error
}

// handleEvent routes one socketmode event. Requests from Slack are
// written to the inbox and acked (see accept).
func (b *Bot) handleEvent(ctx context.Context, evt socketmode.Event) {
	received := time.Now()
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		b.connected.Store(false)
		b.log.Info("connecting to slack")
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		if !b.connected.Swap(true) {
			b.log.Info("connected to slack")
		}
	case socketmode.EventTypeConnectionError:
		b.connected.Store(false)
		b.log.Warn("slack connection failed; retrying", "err", fmt.Sprint(evt.Data))
	case socketmode.EventTypeInvalidAuth:
		b.connected.Store(false)
		b.log.Error("slack refused the app token")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed, socketmode.EventTypeErrorBadMessage:
		b.log.Warn("socket mode error", "type", string(evt.Type), "err", fmt.Sprint(evt.Data))
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		b.handleRequest(ctx, evt, received)
	}
}

// handleRequest takes in one request from the socket. A panic on the way
// is logged and the request left unacknowledged: it runs on the socket's
// event loop, and taking the process down would drop every other request.
func (b *Bot) handleRequest(ctx context.Context, evt socketmode.Event, received time.Time) {
	req := evt.Request
	if req == nil {
		return
	}
	b.metrics.Envelopes.WithLabelValues(req.Type).Inc()
	log := b.log.With("envelope_id", req.EnvelopeID)
	defer b.recoverRequest(log)
	env := envelope{kind: req.Type, id: req.EnvelopeID, payload: req.Payload, data: evt.Data}
	b.accept(ctx, env, received, func(payload any, err error) {
		if err != nil {
			return // unacknowledged: Slack delivers it again
		}
		if err := b.socket.AckCtx(context.WithoutCancel(ctx), req.EnvelopeID, payload); err != nil {
			log.Error("ack failed", "err", err)
		}
		b.metrics.AckLatency.Observe(time.Since(received).Seconds())
	}, log)
}

// envelope is one request as Slack sent it: how (slash_commands,
// interactive, events_api), its delivery's ID, its payload as sent and as
// parsed.
type envelope struct {
	kind    string
	id      string
	payload []byte
	data    any
}

// ackFunc answers Slack for one request, with the payload Slack reads from
// the answer (a modal's response_action, a slash command's reply) or nil:
// the Socket Mode ack, or the HTTP response. A non-nil err means the
// request was not taken in: it must not be acknowledged.
type ackFunc func(payload any, err error)

// accept writes a request to the inbox and acknowledges it once it is
// there: a redelivery is acknowledged and dropped; a modal submission is
// answered within its ack; a slash command that will wait long says so.
// A select's request for options skips the inbox: it is answered at once.
// A request the inbox could not take (the database down, the disk full)
// is not acknowledged, so Slack delivers it again.
func (b *Bot) accept(ctx context.Context, env envelope, received time.Time, ack ackFunc, log *slog.Logger) {
	if cb, ok := env.data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeBlockSuggestion {
		// Options for a select: read-only and answered in the ack, so
		// nothing goes in the inbox; off the socket's loop, since asking
		// Slack for the list may take a moment.
		if !b.inbox.answer(func() { ack(b.route.suggest(ctx, cb, received, log), nil) }) {
			ack(nil, errIntakeStopped)
		}
		return
	}
	it, inline, ok := inboxItem(env, received)
	if !ok {
		ack(nil, nil)
		return
	}
	b.inbox.submit(ctx, it, inline, func(it rituals.InboxItem, fresh bool, err error) {
		switch {
		case err != nil:
			log.Error("request not written to the inbox; left unacknowledged for Slack to deliver again", "err", err)
			ack(nil, err)
		case !fresh:
			ack(nil, nil)
			log.Info("redelivered request acknowledged and dropped", "request", it.ID)
		case inline:
			ack(b.answerInline(ctx, it, env.data.(slack.InteractionCallback), received, log), nil)
		default:
			ack(b.queuedNote(env.data), nil)
		}
	})
}

// inboxItem returns env as the inbox keeps it, and whether it is answered
// inside its ack. ok is false for a request the bot does not handle.
func inboxItem(env envelope, received time.Time) (it rituals.InboxItem, inline, ok bool) {
	it = rituals.InboxItem{Kind: env.kind, Payload: env.payload, Received: received, ID: "req:" + env.id}
	switch d := env.data.(type) {
	case slack.SlashCommand:
		it.Team, it.Lane = d.TeamID, laneOf(d.TeamID, d.ChannelID, d.UserID)
	case slack.InteractionCallback:
		it.Team, it.Lane = d.Team.ID, laneOf(d.Team.ID, d.Channel.ID, d.User.ID)
		inline = d.Type == slack.InteractionTypeViewSubmission
	case slackevents.EventsAPIEvent:
		it.Team = d.TeamID
		var outer struct {
			EventID string `json:"event_id"`
			Event   struct {
				Channel any    `json:"channel"`
				User    string `json:"user"`
			} `json:"event"`
		}
		json.Unmarshal(env.payload, &outer)
		if outer.EventID != "" {
			it.ID = "event:" + outer.EventID // a retried event comes in a new envelope
		}
		channel, _ := outer.Event.Channel.(string)
		it.Lane = laneOf(d.TeamID, channel, outer.Event.User)
	default:
		return it, false, false
	}
	it.Inline = inline
	return it, inline, true
}

// laneOf is a request's lane: its conversation, or its person where it
// has none (App Home, a modal opened there).
func laneOf(team, channel, user string) string {
	if channel != "" {
		return team + "/" + channel
	}
	return team + "/" + user
}

// requestKey and requestName log an inbox ID under the key its kind of
// ID has elsewhere: envelope_id for an envelope, event_id for an event.
func requestKey(id string) string {
	switch {
	case strings.HasPrefix(id, "req:"):
		return "envelope_id"
	case strings.HasPrefix(id, "event:"):
		return "event_id"
	}
	return "request"
}

func requestName(id string) string {
	_, name, ok := strings.Cut(id, ":")
	if !ok {
		return id
	}
	return name
}

// requestID names an HTTP request that carries no ID of its own (a
// trigger or event ID is used where there is one): the digest of its
// body, the same for a retry of it.
func requestID(body []byte) string {
	sum := sha256.Sum256(body)
	return "body:" + hex.EncodeToString(sum[:12])
}

// queuedNote is a slash command's ack when requests wait long: it tells
// the person their command is queued, and for about how long, instead of
// leaving them without an answer.
func (b *Bot) queuedNote(data any) any {
	if _, ok := data.(slack.SlashCommand); !ok {
		return nil
	}
	wait := b.inbox.expectedWait()
	if wait < queuedNoteAfter {
		return nil
	}
	return map[string]any{"response_type": "ephemeral",
		"text": fmt.Sprintf(":hourglass_flowing_sand: Queued: alignbot is busy and will get to this in about %s.", roundWait(wait))}
}

func roundWait(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	}
	return fmt.Sprintf("%d min", int((d+30*time.Second)/time.Minute))
}

// decodeRequest parses a request's payload as Slack sent it.
func decodeRequest(kind string, payload []byte) (any, error) {
	switch kind {
	case "slash_commands":
		var cmd slack.SlashCommand
		err := json.Unmarshal(payload, &cmd)
		return cmd, err
	case "interactive":
		var cb slack.InteractionCallback
		err := json.Unmarshal(payload, &cb)
		return cb, err
	case "events_api":
		return slackevents.ParseEvent(json.RawMessage(payload), slackevents.OptionNoVerifyToken())
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

// requestFor builds the request for data and returns what handles it; a
// view submission's handler returns the payload that answers it.
func (b *Bot) requestFor(id string, received time.Time, data any, log *slog.Logger) (*request, func(ctx context.Context, r *request) any) {
	switch data := data.(type) {
	case slack.SlashCommand:
		r := &request{id: id, team: data.TeamID, user: data.UserID, channel: data.ChannelID,
			replyURL: data.ResponseURL, trigger: data.TriggerID, received: received}
		r.log = log.With("command", data.Command, "team", r.team, "user", r.user, "channel", r.channel)
		return r, func(ctx context.Context, r *request) any { b.onSlash(ctx, r, data); return nil }
	case slack.InteractionCallback:
		r := &request{id: id, team: data.Team.ID, user: data.User.ID, channel: data.Channel.ID,
			replyURL: data.ResponseURL, trigger: data.TriggerID, received: received}
		r.log = log.With("interaction", string(data.Type), "team", r.team, "user", r.user)
		if data.Type == slack.InteractionTypeViewSubmission {
			return r, func(ctx context.Context, r *request) any { return b.onViewSubmission(ctx, r, data) }
		}
		return r, func(ctx context.Context, r *request) any { b.onInteraction(ctx, r, data); return nil }
	case slackevents.EventsAPIEvent:
		r := &request{id: id, team: data.TeamID, received: received}
		if cb, ok := data.Data.(*slackevents.EventsAPICallbackEvent); ok {
			for _, a := range cb.Authorizations {
				if a.IsBot {
					r.botUser = a.UserID
				}
			}
		}
		r.log = log.With("event", data.InnerEvent.Type, "team", r.team)
		return r, func(ctx context.Context, r *request) any { b.onEvent(ctx, r, data); return nil }
	}
	return nil, nil
}

// answerInline handles a modal submission inside its ack, under the claim
// its process wrote it with: the person sees a mistake next to its field.
// The request's effects mark it done as they commit; if its process dies
// first, a worker takes it up and tells the person by message.
func (b *Bot) answerInline(ctx context.Context, it rituals.InboxItem, cb slack.InteractionCallback, received time.Time, log *slog.Logger) any {
	r, run := b.requestFor(it.ID, received, cb, log)
	r.inline = true
	req := &rituals.Request{ID: it.ID}
	sctx, cancel := context.WithDeadline(rituals.WithRequest(context.WithoutCancel(ctx), req), received.Add(submissionDeadline))
	defer cancel()
	payload, reason := b.runGuarded(sctx, r, run)
	switch {
	case reason != "":
		b.finishItem(ctx, it, req, rituals.InboxParked, reason, r.log)
	case r.later && payload == nil:
		// The modal closes now; the work goes on from the inbox.
		if err := b.store.RetryInbox(context.WithoutCancel(ctx), it, time.Now(), ""); err != nil {
			r.log.Error("form's work not handed on; it is taken up when its claim lapses", "err", err)
		}
		b.inbox.handOn()
	default:
		b.finishItem(ctx, it, req, rituals.InboxDone, "", r.log)
	}
	return payload
}

// handleItem handles one request from the inbox, and records how it went:
// done; to be tried again (an internal failure, on all but the last
// attempt); or parked (it cannot be read, or its handler panicked).
func (b *Bot) handleItem(ctx context.Context, it rituals.InboxItem) {
	log := b.log.With(requestKey(it.ID), requestName(it.ID), "attempt", it.Attempts)
	data, err := decodeRequest(it.Kind, it.Payload)
	if err != nil {
		b.finishItem(ctx, it, nil, rituals.InboxParked, "unreadable: "+err.Error(), log)
		return
	}
	r, run := b.requestFor(it.ID, it.Received, data, log)
	if r == nil {
		b.finishItem(ctx, it, nil, rituals.InboxDone, "", log)
		return
	}
	r.last = it.Attempts >= inboxAttempts
	req := &rituals.Request{ID: it.ID}
	hctx, cancel := context.WithTimeout(rituals.WithRequest(context.WithoutCancel(ctx), req), b.cfg.HandlerTimeout)
	defer cancel()
	payload, reason := b.runGuarded(hctx, r, run)
	switch {
	case reason != "":
		b.finishItem(ctx, it, req, rituals.InboxParked, reason, r.log)
	case r.retry != nil && !r.last:
		next := time.Now().Add(min(b.cfg.RetryBase<<(it.Attempts-1), 30*time.Second))
		if err := b.store.RetryInbox(context.WithoutCancel(ctx), it, next, r.retry.Error()); err != nil {
			r.log.Error("request not put back; it is taken up when its claim lapses", "err", err)
		}
		b.metrics.InboxOutcomes.WithLabelValues("retried").Inc()
	default:
		if payload != nil {
			// A modal submission taken up after its process died: the
			// modal is gone, so its problems come by message.
			b.replyFormErrors(hctx, r, payload)
		}
		b.finishItem(ctx, it, req, rituals.InboxDone, "", r.log)
	}
}

// runGuarded runs a request's handler; a panic is logged and counted, and
// its reason returned, so the request can be parked instead of taking the
// process down (and every replica after it).
func (b *Bot) runGuarded(ctx context.Context, r *request, run func(context.Context, *request) any) (payload any, panicked string) {
	defer func() {
		if p := recover(); p != nil {
			b.metrics.Panics.WithLabelValues(metrics.PanicHandler).Inc()
			r.log.Error("handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			payload, panicked = nil, "panicked: "+fmt.Sprint(p)
		}
	}()
	return run(ctx, r), ""
}

// finishItem ends a request in the inbox, and counts how.
// A request whose effects' transaction marked it done (req) needs no
// second write.
func (b *Bot) finishItem(ctx context.Context, it rituals.InboxItem, req *rituals.Request, state, reason string, log *slog.Logger) {
	if state == rituals.InboxParked {
		log.Error("request parked: it cannot be handled", "reason", reason)
	}
	if state != rituals.InboxDone || req == nil || !req.Done() {
		if err := b.store.FinishInbox(context.WithoutCancel(ctx), it, state, reason, time.Now()); err != nil {
			log.Error("request not marked finished; it may be taken up again", "err", err)
		}
	}
	b.metrics.InboxOutcomes.WithLabelValues(state).Inc()
}

// replyFormErrors tells the person why a form taken up after its modal
// closed could not be saved.
func (b *Bot) replyFormErrors(ctx context.Context, r *request, payload any) {
	resp, ok := payload.(*slack.ViewSubmissionResponse)
	if !ok || len(resp.Errors) == 0 {
		return
	}
	text := ":warning: Your form could not be saved:"
	for _, msg := range resp.Errors {
		text += "\n• " + render.Mrkdwn(msg)
	}
	b.replyText(ctx, r, text)
}

// recoverRequest, deferred, turns a panic while taking in a request into
// a log line and a count: the request is left unacknowledged, the bot
// goes on.
func (b *Bot) recoverRequest(log *slog.Logger) {
	if p := recover(); p != nil {
		b.metrics.Panics.WithLabelValues(metrics.PanicHandler).Inc()
		log.Error("request intake panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	}
}
