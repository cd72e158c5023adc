package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// submissionDeadline bounds the work done before a view submission is
// acked: Slack waits 3 s, and a late ack loses the person's form.
const submissionDeadline = 2500 * time.Millisecond

// request is one envelope being handled, with what a reply needs.
type request struct {
	id       string // envelope ID; for view submissions, the view's
	team     string
	user     string
	channel  string
	replyURL string
	trigger  string
	// typed is the command line a person typed, given back to them if
	// the bot fails to act on it, so nothing they wrote is lost.
	typed string
	log   *slog.Logger
}

// handleEvent routes one socketmode event. Requests from Slack are acked
// here, before any work, except view submissions (see submissionDeadline).
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

// handleRequest acks and dispatches one request from Slack. A panic on the
// way is logged and the request dropped: it runs on the socket's event
// loop, and taking the process down would drop every other request too.
func (b *Bot) handleRequest(ctx context.Context, evt socketmode.Event, received time.Time) {
	req := evt.Request
	if req == nil {
		return
	}
	b.metrics.Envelopes.WithLabelValues(req.Type).Inc()
	log := b.log.With("envelope_id", req.EnvelopeID)
	defer b.recoverRequest(log)
	ack := func(payload any) { b.ack(ctx, req, payload, received, log) }
	if !b.seen.add("envelope:" + req.EnvelopeID) {
		ack(nil)
		log.Info("redelivered envelope acked and dropped")
		return
	}
	b.dispatch(ctx, req.EnvelopeID, evt.Data, ack, log)
}

// ackFunc answers Slack for one request, with the payload Slack reads from
// the answer (a modal's response_action) or nil: the Socket Mode ack, or
// the HTTP response.
type ackFunc func(payload any)

// dispatch handles one request from Slack, whatever brought it. It acks
// at once and does the work after, in a tracked goroutine; a view
// submission is the exception, acked once saved (see submissionDeadline).
// id names the delivery, for logs and for claims against redelivery.
func (b *Bot) dispatch(ctx context.Context, id string, data any, ack ackFunc, log *slog.Logger) {
	switch data := data.(type) {
	case slack.SlashCommand:
		r := &request{id: id, team: data.TeamID, user: data.UserID, channel: data.ChannelID,
			replyURL: data.ResponseURL, trigger: data.TriggerID}
		r.log = log.With("command", data.Command, "team", r.team, "user", r.user, "channel", r.channel)
		b.goHandle(ctx, r.log, ack, func(ctx context.Context) { b.onSlash(ctx, r, data) })
	case slack.InteractionCallback:
		r := &request{id: id, team: data.Team.ID, user: data.User.ID, channel: data.Channel.ID,
			replyURL: data.ResponseURL, trigger: data.TriggerID}
		r.log = log.With("interaction", string(data.Type), "team", r.team, "user", r.user)
		if data.Type == slack.InteractionTypeViewSubmission {
			b.goHandle(ctx, r.log, nil, func(ctx context.Context) {
				var payload any
				defer func() { ack(payload) }()
				sctx, cancel := context.WithTimeout(ctx, submissionDeadline)
				defer cancel()
				payload = b.onViewSubmission(sctx, r, data)
			})
			return
		}
		b.goHandle(ctx, r.log, ack, func(ctx context.Context) { b.onInteraction(ctx, r, data) })
	case slackevents.EventsAPIEvent:
		r := &request{id: id, team: data.TeamID}
		if cb, ok := data.Data.(*slackevents.EventsAPICallbackEvent); ok {
			if !b.seen.add("event:" + cb.EventID) {
				ack(nil)
				log.Info("retried event dropped", "event_id", cb.EventID)
				return
			}
			r.id = cb.EventID
		}
		r.log = log.With("event", data.InnerEvent.Type, "event_id", r.id, "team", r.team)
		b.goHandle(ctx, r.log, ack, func(ctx context.Context) { b.onEvent(ctx, r, data) })
	default:
		ack(nil)
	}
}

// ack answers an envelope, with payload when Slack reads one from the ack.
func (b *Bot) ack(ctx context.Context, req *socketmode.Request, payload any, received time.Time, log *slog.Logger) {
	if err := b.socket.AckCtx(context.WithoutCancel(ctx), req.EnvelopeID, payload); err != nil {
		log.Error("ack failed", "err", err)
	}
	b.metrics.AckLatency.Observe(time.Since(received).Seconds())
}

// maxAccepted is how many requests may wait for a handler slot, or hold
// one, before intake stops acking. Until then a slow handler (Slack's
// rate limits, a busy database) never delays the next ack: when intake
// waited for a slot instead, acks stopped within a second of handlers
// falling behind, and Slack failed every command after 3 s
// (BENCHMARKS.md). It is kept to what the bot handles within its
// shutdown grace even when overloaded, since what was acked must not be
// dropped at a stop.
const maxAccepted = 1024

// goHandle acks the request (unless ack is nil: fn acks it) and runs fn
// in a tracked goroutine with the handler timeout, once one of the
// handler slots is free. While maxAccepted requests wait, it waits; if
// ctx ends first (intake stopping), the request is neither acked nor
// handled, and Slack delivers it again, to another connection. The work
// is detached from intake's context: stopping intake lets it finish. A
// panic is logged, not fatal.
func (b *Bot) goHandle(ctx context.Context, log *slog.Logger, ack ackFunc, fn func(ctx context.Context)) {
	select {
	case b.accepted <- struct{}{}:
	case <-ctx.Done():
		log.Warn("stopping: request left unacknowledged for Slack to deliver again")
		return
	}
	if ack != nil {
		ack(nil)
	}
	b.handlers.Add(1)
	go func() {
		defer b.handlers.Done()
		defer func() { <-b.accepted }()
		b.slots <- struct{}{}
		defer func() { <-b.slots }()
		defer b.recoverRequest(log)
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.cfg.HandlerTimeout)
		defer cancel()
		fn(hctx)
	}()
}

// recoverRequest, deferred, turns a panic while handling a request into a
// log line and a count: the request is lost, the bot goes on.
func (b *Bot) recoverRequest(log *slog.Logger) {
	if p := recover(); p != nil {
		b.metrics.Panics.WithLabelValues(panicHandler).Inc()
		log.Error("handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	}
}
