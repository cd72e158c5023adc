package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Outbox kinds the edge renders itself.
const (
	kindReply      = "reply"       // an ephemeral answer to one person
	kindViewOpen   = "view.open"   // a modal, opened with a trigger
	kindViewUpdate = "view.update" // a modal changed while it is open
)

// triggerTTL is how long Slack honours a trigger_id.
const triggerTTL = 3 * time.Second

// replyData is a rendered ephemeral message, as stored in the outbox.
type replyData struct {
	Text   string       `json:"text"`
	Blocks slack.Blocks `json:"blocks"`
}

// reply sends blocks to the person behind r, visible only to them, through
// the outbox.
func (b *Bot) reply(ctx context.Context, r *request, text string, blocks ...slack.Block) {
	data, err := json.Marshal(replyData{Text: clip(text, maxMessageText), Blocks: slack.Blocks{BlockSet: blocks}})
	if err == nil {
		err = b.enqueue(ctx, rituals.Outgoing{
			Team: r.team, Kind: kindReply, Lane: "reply:" + r.user, Interactive: true,
			Channel: r.channel, User: r.user, ReplyURL: r.replyURL, Data: data,
		})
	}
	switch {
	case errors.Is(err, rituals.ErrDuplicate):
		r.log.Info("request already handled; its reply is not sent again")
	case err != nil:
		r.log.Error("reply not queued", "err", err)
	}
}

// replyText sends one mrkdwn sentence to the person behind r.
func (b *Bot) replyText(ctx context.Context, r *request, text string) {
	fallback, blocks := textReply(text)
	b.reply(ctx, r, fallback, blocks...)
}

// textReply renders mrkdwn text as a reply: split across sections, none
// over Slack's limit, and a top-level text cut to what Slack takes.
func textReply(text string) (string, []slack.Block) {
	return clip(text, maxMessageText), sections("", text)
}

// replyError tells the person behind r what went wrong, in a plain
// sentence. Only internal errors are logged as failures. A duplicate (the
// request was handled already, by an earlier delivery or another replica)
// is not a failure: nothing is said. An internal failure of a request
// from the inbox is tried again (see handleItem) and told only on its
// last attempt, with the command they typed, sent even when the handler
// ran out of time: a failure nobody hears of loses what they wrote.
func (b *Bot) replyError(ctx context.Context, r *request, err error) {
	if errors.Is(err, rituals.ErrDuplicate) {
		r.log.Info("request already handled")
		return
	}
	if rituals.ErrorCode(err) == rituals.EINTERNAL && !r.last && !r.inline {
		r.log.Warn("request failed; it will be tried again", "err", err)
		r.retry = err
		return
	}
	if rituals.ErrorCode(err) != rituals.EINTERNAL {
		r.log.Info("request refused", "code", rituals.ErrorCode(err), "reason", rituals.ErrorMessage(err))
		b.replyText(ctx, r, errorText(err, ""))
		return
	}
	r.log.Error("request failed", "err", err)
	text := errorText(err, r.typed)
	if ctx.Err() != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		ctx = rctx
	}
	b.replyText(ctx, r, text)
}

// errorText is what a person is told of err, in a plain sentence; typed,
// when not empty, is the command they typed, given back to try again.
func errorText(err error, typed string) string {
	text := ":warning: " + mrkdwn(rituals.ErrorMessage(err))
	if typed != "" {
		text += "\nWhat you typed, to try again:\n```" + mrkdwn(clip(typed, maxMessageText-500)) + "```"
	}
	return text
}

// openModal opens view for the person behind r, through the outbox. The
// trigger is good for three seconds; after that the row expires unsent.
func (b *Bot) openModal(ctx context.Context, r *request, view slack.ModalViewRequest) {
	data, err := json.Marshal(view)
	if err == nil {
		err = b.enqueue(ctx, rituals.Outgoing{
			Team: r.team, Kind: kindViewOpen, Lane: "view:" + r.user, Channel: r.channel, Interactive: true,
			User: r.user, Trigger: r.trigger, Data: data, ExpiresAt: b.now().Add(triggerTTL),
		})
	}
	if err != nil {
		r.log.Error("modal not queued", "err", err)
	}
}

// viewUpdate is a modal to replace, as stored in the outbox.
type viewUpdate struct {
	ViewID string                 `json:"view_id"`
	Hash   string                 `json:"hash"`
	View   slack.ModalViewRequest `json:"view"`
}

// updateModal replaces the open modal current with view, through the
// outbox. The hash makes Slack refuse it if the modal changed meanwhile.
func (b *Bot) updateModal(ctx context.Context, r *request, current slack.View, view slack.ModalViewRequest) {
	data, err := json.Marshal(viewUpdate{ViewID: current.ID, Hash: current.Hash, View: view})
	if err == nil {
		err = b.enqueue(ctx, rituals.Outgoing{
			Team: r.team, Kind: kindViewUpdate, Lane: "view:" + r.user, User: r.user, Interactive: true, Data: data,
		})
	}
	if err != nil {
		r.log.Error("modal update not queued", "err", err)
	}
}

func (b *Bot) enqueue(ctx context.Context, msgs ...rituals.Outgoing) error {
	return b.store.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) })
}
