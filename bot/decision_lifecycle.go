package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// supersede records text as the decision that replaces decision n.
func (b decisions) supersede(ctx context.Context, r *request, n int64, text string) {
	if err := b.supersedeWith(ctx, r, n, rituals.QuickDecision(text)); err != nil {
		b.replyError(ctx, r, err)
	}
}

func (b decisions) supersedeWith(ctx context.Context, r *request, n int64, in rituals.DecisionInput) error {
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	b.fillOwner(ctx, r, &in)
	d, err := b.Decisions.Supersede(ctx, b.caller(ctx, r), n, in)
	if err != nil {
		return rituals.Done(err)
	}
	r.log.Info("decision superseded", "decision", rituals.FormatID("D", n), "by", d.ID())
	return nil
}

// openMarkDecided asks the owner for a proposal's final text.
func (b decisions) openMarkDecided(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	d, err := b.editable(ctx, r, a.Value)
	if err == nil && d.Status != rituals.StatusProposed {
		err = rituals.Errorf(rituals.ECONFLICT, "%s is already %s.", d.ID(), d.Status)
	}
	if err == nil {
		err = b.Decisions.MayDecide(ctx, b.caller(ctx, r), d)
	}
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	comments, thread := b.commentsOf(ctx, r, d)
	b.openModal(ctx, r, render.MarkDecidedModal(render.ModalMeta{Channel: r.channel, Number: d.Number, ReplyURL: r.replyURL}, d.Text, len(comments), thread))
}

// onMoreAction handles the card's overflow menu: history, drop,
// deprecate, supersede.
func (b decisions) onMoreAction(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	op, id, _ := strings.Cut(a.SelectedOption.Value, ":")
	if op == "history" {
		b.showHistory(ctx, r, id)
		return
	}
	d, err := b.editable(ctx, r, id)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	meta := render.ModalMeta{Channel: r.channel, Number: d.Number, ReplyURL: r.replyURL}
	switch op {
	case "drop", "deprecate":
		b.openModal(ctx, r, render.StatusModal(meta, d, op))
	default:
		r.log.Warn("unknown card option", "value", a.SelectedOption.Value)
	}
}

// editable returns the decision an action names, if the person may change it.
func (b decisions) editable(ctx context.Context, r *request, value string) (*rituals.Decision, error) {
	n, err := rituals.ParseID("D", value)
	if err != nil {
		return nil, err
	}
	return b.Decisions.ForEdit(ctx, b.caller(ctx, r), n)
}

func (b decisions) showHistory(ctx context.Context, r *request, value string) {
	n, err := rituals.ParseID("D", value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	d, versions, err := b.Decisions.History(ctx, b.caller(ctx, r), n)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	comments, thread := b.commentsOf(ctx, r, d)
	b.reply(ctx, r, "History of "+d.ID(), render.DecisionHistory(d, versions, comments, thread)...)
}

// submitMarkDecided saves a proposal's final text as decided.
func (b decisions) submitMarkDecided(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	text := cb.View.State.Values[rituals.FieldText][render.ValueAction].Value
	_, err := b.Decisions.MarkDecided(ctx, b.caller(ctx, r), meta.Number, text)
	return rituals.Done(err)
}

// submitStatus drops or deprecates, once confirmed.
func (b decisions) submitStatus(ctx context.Context, r *request, meta render.ModalMeta, _ slack.InteractionCallback) error {
	var op string
	if err := json.Unmarshal(meta.Extra, &op); err != nil {
		return fmt.Errorf("status modal op: %w", err)
	}
	c := b.caller(ctx, r)
	var err error
	if op == "deprecate" {
		_, err = b.Decisions.Deprecate(ctx, c, meta.Number)
	} else {
		_, err = b.Decisions.Drop(ctx, c, meta.Number)
	}
	return rituals.Done(err)
}

// onAreaChosen suggests the chosen area's owner in the open decision form,
// keeping everything else typed so far.
func (b decisions) onAreaChosen(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	meta, err := render.DecodeModalMeta(cb.View.PrivateMetadata)
	if err != nil {
		r.log.Error("modal metadata unreadable", "err", err)
		return
	}
	r.channel = meta.Channel
	in := readDecisionModal(cb.View.State)
	in.Area = a.SelectedOption.Value
	if err := b.Decisions.ApplyArea(ctx, r.team, &in); err != nil {
		r.log.Info("area not applied", "reason", rituals.ErrorMessage(err))
		return
	}
	b.updateModal(ctx, r, cb.View, render.DecisionModal(meta, in, b.areas(ctx, r)))
}

// areas returns the team's decision areas for the form's select.
func (b *Bot) areas(ctx context.Context, r *request) []*rituals.Right {
	rights, err := b.store.Rights(ctx, r.team)
	if err != nil {
		r.log.Warn("decision areas not listed", "err", err)
	}
	return rights
}
