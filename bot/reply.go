package bot

import (
	"context"
	"errors"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// triggerTTL is how long Slack honours a trigger_id (cfg.TriggerTTL).
const triggerTTL = 3 * time.Second

// reply sends blocks to the person behind r, visible only to them, through
// the outbox.
func (b *Bot) reply(ctx context.Context, r *request, text string, blocks ...slack.Block) {
	out, err := delivery.Reply(r.team, r.channel, r.user, r.replyURL, text, blocks)
	if err == nil {
		err = b.enqueue(ctx, out)
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
	fallback, blocks := render.TextReply(text)
	b.reply(ctx, r, fallback, blocks...)
}

// replyError tells the person behind r what went wrong, in a plain
// sentence. Only internal errors are logged as failures. A duplicate (the
// request was handled already, by an earlier delivery or another replica)
// is not a failure: it is done, and nothing is said; nor is anything said
// of no error. An internal failure of a request
// from the inbox is tried again (see handleItem) and told only on its
// last attempt, with the command they typed, sent even when the handler
// ran out of time: a failure nobody hears of loses what they wrote.
func (b *Bot) replyError(ctx context.Context, r *request, err error) {
	if err == nil {
		return
	}
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
		b.replyText(ctx, r, render.ErrorText(err, ""))
		return
	}
	r.log.Error("request failed", "err", err)
	text := render.ErrorText(err, r.typed)
	if ctx.Err() != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		ctx = rctx
	}
	b.replyText(ctx, r, text)
}

// replyIfError tells the person behind r of err, if there is one.
func (b *Bot) replyIfError(ctx context.Context, r *request, err error) {
	if err != nil {
		b.replyError(ctx, r, err)
	}
}

// openModal opens view for the person behind r. Slack honours a trigger
// for 3 s from the click (cfg.TriggerTTL), so the view is opened from the handler
// rather than queued in the outbox, where it could wait behind posts and
// go out after its trigger died. A form that cannot open in time is not
// dropped in silence: the person is told to ask for it again.
func (b *Bot) openModal(ctx context.Context, r *request, view slack.ModalViewRequest) {
	deadline := r.received.Add(b.cfg.TriggerTTL)
	if time.Now().After(deadline) {
		r.log.Warn("form not opened: its trigger expired before the request was handled", "waited", time.Since(r.received).String())
		b.replyText(ctx, r, formTooLate(r))
		return
	}
	octx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	err := b.slack.Call(octx, r.team, "views.open", "", func(api *slack.Client) error {
		_, err := api.OpenViewContext(octx, r.trigger, view)
		return err
	})
	var se slack.SlackErrorResponse
	switch {
	case err == nil:
	case errors.As(err, &se) && se.Err == "exchanged_trigger_id":
		// An earlier run of this request opened it.
		r.log.Info("form already opened for this request")
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &se) && se.Err == "expired_trigger_id":
		r.log.Warn("form not opened in time", "err", err)
		b.replyText(ctx, r, formTooLate(r))
	default:
		r.log.Error("form not opened", "err", err)
		b.replyText(ctx, r, ":warning: alignbot could not open the form, and nothing was changed. Please try again in a moment.")
	}
}

// formTooLate tells a person their form did not open in time, and how to
// get it again.
func formTooLate(r *request) string {
	text := ":hourglass: alignbot was too busy to open the form within the 3 seconds Slack allows, and nothing was changed."
	if r.typed != "" {
		return text + " Please run `" + render.Mrkdwn(render.Clip(r.typed, 200)) + "` again."
	}
	return text + " Please click the button again."
}

// updateModal replaces the open modal current with view, through the
// outbox. The hash makes Slack refuse it if the modal changed meanwhile.
func (b *Bot) updateModal(ctx context.Context, r *request, current slack.View, view slack.ModalViewRequest) {
	out, err := delivery.ViewUpdate(r.team, r.user, current, view)
	if err == nil {
		err = b.enqueue(ctx, out)
	}
	if err != nil {
		r.log.Error("modal update not queued", "err", err)
	}
}

func (b *Bot) enqueue(ctx context.Context, msgs ...rituals.Outgoing) error {
	return b.store.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) })
}
