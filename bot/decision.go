package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// decisions are /decide's handlers: the command, the card's buttons, the
// "Record as decision" shortcut and the forms.
type decisions struct{ *Bot }

func (b decisions) routes(t *routeTable) {
	t.slash["/decide"] = b.onDecide
	t.actions[render.ActionDecisionEdit] = func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
		b.openDecisionEdit(ctx, r, a.Value, false)
	}
	t.actions[render.ActionDecisionRationale] = func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
		b.openDecisionEdit(ctx, r, a.Value, true)
	}
	t.actions[render.ActionDecisionDecide] = b.openMarkDecided
	t.actions[render.ActionDecisionAccept] = b.onAccept
	t.actions[render.ActionDecisionSendBack] = b.openSendBack
	t.actions[render.ActionDecisionMore] = b.onMoreAction
	t.actions[render.ActionDecisionHistory] = func(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
		b.showHistory(ctx, r, a.Value)
	}
	t.actions[render.ActionDecisionArea] = b.onAreaChosen
	t.shortcuts[shortcutRecordDecision] = b.openDecisionFromMessage
	t.views[render.CallbackDecisionNew] = b.submitDecisionModal
	t.views[render.CallbackDecisionEdit] = b.submitDecisionModal
	t.views[render.CallbackDecisionRationale] = b.submitDecisionModal
	t.views[render.CallbackDecisionDecide] = b.submitMarkDecided
	t.views[render.CallbackDecisionStatus] = b.submitStatus
	t.views[render.CallbackDecisionSendBack] = b.submitSendBack
	t.threads[decisionRitual] = b.onDecisionReply
	t.threadChanges[decisionRitual] = b.onDecisionReplyChanged
}

// onDecide handles /decide; text is what the person typed, unescaped.
func (b decisions) onDecide(ctx context.Context, r *request, text string) {
	cmd, err := parseDecide(text)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	switch cmd.Op {
	case decideHelp:
		b.reply(ctx, r, "How to use /decide", render.WithExamples(render.DecideHelp(), b.helpExamples(ctx, r)...)...)
	case decideModal:
		if err := b.checkChannel(ctx, r); err != nil {
			b.replyError(ctx, r, err)
			return
		}
		in, err := b.quickDecision(ctx, r, cmd)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		if in.Owner == "" {
			in.Owner = r.user
		}
		b.openModal(ctx, r, render.DecisionModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, in, b.areas(ctx, r)))
	case decideSupersede:
		b.supersede(ctx, r, cmd.ID, cmd.Text)
	case decideRights, decideRightsAdd, decideRightsRemove:
		b.onRights(ctx, r, cmd)
	case decideList:
		ds, err := b.Decisions.List(ctx, b.caller(ctx, r), cmd.Limit)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		title := fmt.Sprintf("*The last %d decisions in this channel*", len(ds))
		if len(ds) == 1 {
			title = "*The last decision in this channel*"
		}
		b.reply(ctx, r, render.CountNoun(len(ds), "decision")+" in this channel", render.DecisionList(title,
			"No decisions have been recorded in this channel yet. Record one with `/decide <text>`.",
			ds, false)...)
	case decideSearch:
		ds, err := b.Decisions.Search(ctx, b.caller(ctx, r), cmd.Query)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		match := " match"
		if len(ds) == 1 {
			match = " matches"
		}
		b.reply(ctx, r, render.CountNoun(len(ds), "decision")+match, render.DecisionSearch(cmd.Query, ds)...)
	case decideShow:
		d, err := b.Decisions.Get(ctx, b.caller(ctx, r), cmd.ID)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		blocks := render.DecisionCard(d, b.out.CardLinks(ctx, d, r.channel))
		comments, thread := b.commentsOf(ctx, r, d)
		blocks = render.WithComments(blocks, render.DecisionComments(d, comments, thread))
		b.reply(ctx, r, render.DecisionFallback(d), elsewhere(d.Channel, r.channel, "Recorded in", blocks)...)
	case decideRecord:
		in, err := b.quickDecision(ctx, r, cmd)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		if err := b.recordDecision(ctx, r, in); err != nil {
			b.replyError(ctx, r, err)
		}
	}
}

// quickDecision is what `/decide [tag] <text>` records or opens the form
// with: a tag is an area only when the team has an area of that name.
func (b decisions) quickDecision(ctx context.Context, r *request, cmd decideCmd) (rituals.DecisionInput, error) {
	if cmd.Area == "" {
		return rituals.QuickDecision(cmd.Text), nil
	}
	return b.Decisions.Tagged(ctx, r.team, cmd.Area, cmd.Text, cmd.Whole)
}

// recordDecision records in, with the owner's name and zone, and asks
// "did we already decide this?" when earlier titles resemble it.
func (b decisions) recordDecision(ctx context.Context, r *request, in rituals.DecisionInput) error {
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	c := b.caller(ctx, r)
	b.fillOwner(ctx, r, &in)
	d, err := b.Decisions.Record(ctx, c, in)
	if errors.Is(err, rituals.ErrDuplicate) {
		r.log.Info("duplicate request ignored")
		return nil
	}
	if err != nil {
		return err
	}
	r.log.Info("decision recorded", "decision", d.ID())
	b.tellProposer(ctx, r, d)
	b.askIfDecidedBefore(ctx, r, c, d)
	return nil
}

// askIfDecidedBefore tells the person, privately, about earlier decisions
// whose titles resemble d's.
func (b decisions) askIfDecidedBefore(ctx context.Context, r *request, c rituals.Caller, d *rituals.Decision) {
	similar, err := b.Decisions.Similar(ctx, c, d)
	if err != nil {
		r.log.Warn("similar decisions not looked up", "err", err)
		return
	}
	if len(similar) == 0 {
		return
	}
	b.reply(ctx, r, "Did we already decide this?", render.SimilarDecisions(d, similar, r.channel)...)
}

// fillOwner adds the owner's display name (for exports) and time zone
// (for reminders on the day) to in. Like checkChannel it waits for Slack
// at most checkLookupWait: with users.info's budget spent (a pulse to a
// big channel looks up everyone), recording what someone typed beats
// holding it for their name; the decision then keeps the owner's ID, and
// its reminders go by UTC.
func (b decisions) fillOwner(ctx context.Context, r *request, in *rituals.DecisionInput) {
	owner := in.Owner
	switch {
	case rituals.IsTeamID(owner):
		return // a team: its name came with its area, or from teamOwner
	case owner == "":
		owner = r.user
	}
	lctx, cancel := context.WithTimeout(ctx, checkLookupWait)
	defer cancel()
	u, err := b.dir.User(lctx, r.team, owner)
	if err != nil {
		r.log.Warn("owner lookup failed; recording without their name and zone", "owner", owner, "err", err)
		return
	}
	in.OwnerName = u.Name
	in.OwnerZone = rituals.ZoneOf(u.Location)
}

// shortcutRecordDecision is the message shortcut "Record as decision".
const shortcutRecordDecision = "record_decision"

func (b decisions) openDecisionEdit(ctx context.Context, r *request, value string, rationaleOnly bool) {
	n, err := rituals.ParseID("D", value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	d, err := b.Decisions.ForEdit(ctx, b.caller(ctx, r), n)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	meta := render.ModalMeta{Channel: r.channel, Number: n, ReplyURL: r.replyURL}
	if rationaleOnly {
		b.openModal(ctx, r, render.RationaleModal(meta, d.Rationale))
		return
	}
	b.openModal(ctx, r, render.DecisionModal(meta, render.DecisionInput(d), nil))
}

// openDecisionFromMessage opens the decision form filled with a message's
// text, keeping its permalink as the decision's source.
func (b decisions) openDecisionFromMessage(ctx context.Context, r *request, cb slack.InteractionCallback) {
	if err := b.checkChannel(ctx, r); err != nil {
		b.replyError(ctx, r, err)
		return
	}
	text := render.Unescape(cb.Message.Text)
	in := rituals.QuickDecision(text)
	in.Owner = r.user
	link, err := b.slack.Permalink(ctx, r.team, r.channel, cb.Message.Timestamp)
	if err != nil {
		r.log.Warn("permalink lookup failed", "err", err)
	}
	b.openModal(ctx, r, render.DecisionModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL, Source: link}, in, b.areas(ctx, r)))
}

// teamOwner checks a team's channel chosen to own a decision: alignbot
// must be able to post its reminders there. It adds the channel's name,
// for exports. Returns EINVALID on the form's team field.
func (b decisions) teamOwner(ctx context.Context, r *request, in *rituals.DecisionInput) error {
	if !rituals.IsChannelID(in.Owner) {
		return nil
	}
	info, err := b.dir.Channel(ctx, r.team, in.Owner)
	switch {
	case err == nil:
		in.OwnerName = info.Name
	case rituals.ErrorCode(err) != rituals.EINTERNAL:
		msg := fmt.Sprintf("I can't post in <#%s>, so it cannot own this decision: invite me there first (`/invite @alignbot`).", in.Owner)
		return &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{rituals.FieldOwnerTeam: msg}}
	}
	return nil
}

// submitDecisionModal saves a submitted decision form.
func (b decisions) submitDecisionModal(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	in := readDecisionModal(cb.View.State)
	if err := b.teamOwner(ctx, r, &in); err != nil {
		return err
	}
	switch cb.View.CallbackID {
	case render.CallbackDecisionNew:
		in.Source = meta.Source
		if meta.Number > 0 {
			return b.supersedeWith(ctx, r, meta.Number, in)
		}
		return b.recordDecision(ctx, r, in)
	case render.CallbackDecisionRationale:
		_, err := b.Decisions.AddRationale(ctx, b.caller(ctx, r), meta.Number, in.Rationale)
		return rituals.Done(err)
	default:
		c := b.caller(ctx, r)
		if meta.KeepText {
			d, err := b.Decisions.ForEdit(ctx, c, meta.Number)
			if err != nil {
				return err
			}
			in.Text = d.Text
		}
		if in.Owner != "" { // else the owner stays, a team's or an import's name with it
			b.fillOwner(ctx, r, &in)
		}
		_, err := b.Decisions.Edit(ctx, c, meta.Number, in)
		return rituals.Done(err)
	}
}
