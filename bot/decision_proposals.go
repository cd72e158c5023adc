package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onAccept settles a proposal as decided: its area's Accountable owner
// accepts it, from its card or from the message that asked them.
func (b decisions) onAccept(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, err := rituals.ParseID("D", a.Value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	d, err := b.Decisions.Accept(ctx, b.caller(ctx, r), n)
	if err != nil {
		b.replyError(ctx, r, rituals.Done(err))
		return
	}
	if d != nil {
		r.log.Info("proposal accepted", "decision", d.ID())
		b.replyText(ctx, r, fmt.Sprintf("You accepted %s: it is decided, and %s is told.", d.ID(), render.Person(d.ProposedBy, "")))
	}
}

// openSendBack asks the Accountable owner why they send a proposal back.
func (b decisions) openSendBack(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, err := rituals.ParseID("D", a.Value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	d, err := b.Decisions.ForAnswer(ctx, b.caller(ctx, r), n)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.SendBackModal(render.ModalMeta{Channel: r.channel, Number: n, ReplyURL: r.replyURL}, d))
}

// submitSendBack drops the proposal with the reason given.
func (b decisions) submitSendBack(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	reason := cb.View.State.Values[rituals.FieldReason][render.ValueAction].Value
	d, err := b.Decisions.SendBack(ctx, b.caller(ctx, r), meta.Number, reason)
	if err == nil && d != nil {
		r.log.Info("proposal sent back", "decision", d.ID())
	}
	return rituals.Done(err)
}

// tellProposer tells who recorded d, privately, that it waits for its
// area's Accountable owner instead of being decided in their name.
func (b decisions) tellProposer(ctx context.Context, r *request, d *rituals.Decision) {
	if !d.AwaitsOwner() || d.ProposedBy != r.user {
		return
	}
	b.replyText(ctx, r, fmt.Sprintf("%s is proposed to %s, accountable for the `%s` area, who will accept it or send it back by %s. I'll tell you which.",
		d.ID(), render.Person(d.Owner, d.OwnerName), render.Mrkdwn(d.Area), d.DecideBy))
}
