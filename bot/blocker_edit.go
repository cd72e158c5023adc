package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onBlockerEditButton opens the edit form behind a card's Edit button.
// The button is on every open card; anyone but the reporter or an admin
// is told, only to them, who may edit it.
func (b blockers) onBlockerEditButton(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, err := rituals.ParseID("B", a.Value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openBlockerEdit(ctx, r, n)
}

// openBlockerEdit opens blocker n's form, filled with it, if the caller
// may edit it (see rituals.Blockers.ForEdit).
func (b blockers) openBlockerEdit(ctx context.Context, r *request, n int64) {
	bl, err := b.Blockers.ForEdit(ctx, b.caller(ctx, r), n)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.BlockerEditModal(render.ModalMeta{Channel: r.channel, Number: n, ReplyURL: r.replyURL}, bl))
}

// submitBlockerEdit checks a submitted edit form at once, so an empty
// description, no party or a past date shows on the form, as does a
// blocker resolved or not the caller's to edit meanwhile; saving it asks
// Slack about every user group and channel named, so it goes on from the
// inbox once the form has closed, as a new blocker's form does.
func (b blockers) submitBlockerEdit(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	in, err := readBlockerModal(cb.View.State)
	if err != nil {
		return err
	}
	c := b.caller(ctx, r)
	old, err := b.Blockers.ForEdit(ctx, c, meta.Number)
	if err != nil {
		return err
	}
	today := c.Today(b.now())
	if later, err := b.checkForm(ctx, r, in, func(p *rituals.BlockerInput) error { return old.CheckEdit(p, today) }); later || err != nil {
		return err
	}
	b.replyIfError(ctx, r, b.editBlocker(ctx, r, meta.Number, in))
	return nil
}

// editBlocker saves the edit once its user groups' members are known and
// its channels checked, and tells the editor who is newly told.
func (b blockers) editBlocker(ctx context.Context, r *request, n int64, in rituals.BlockerInput) error {
	if err := b.resolveParties(ctx, r, in.Parties); err != nil {
		return err
	}
	bl, told, err := b.Blockers.Edit(ctx, b.caller(ctx, r), n, in)
	if errors.Is(err, rituals.ErrDuplicate) {
		r.log.Info("duplicate request ignored")
		return nil
	}
	if err != nil {
		return err
	}
	r.log.Info("blocker edited", "blocker", bl.ID(), "told", len(told))
	msg := fmt.Sprintf("Saved *%s*; its card is updated.", bl.ID())
	if len(told) > 0 {
		msg += fmt.Sprintf(" I'm telling %s, newly named, with a link to its card.", toldLine(told))
	}
	b.replyText(ctx, r, msg)
	return nil
}
