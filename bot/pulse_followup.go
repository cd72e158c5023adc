package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onPulseFollowUp handles a pulse results' Record a decision and Report a
// blocker: it opens that form, filled from the results as the person's
// channel may see them. Submitted, the form records the decision or
// blocker in the pulse's channel, as the same form opened there with
// /decide or /blocker would.
func (b pulses) onPulseFollowUp(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	b.replyIfError(ctx, r, b.openFollowUp(ctx, r, a))
}

func (b pulses) openFollowUp(ctx context.Context, r *request, a *slack.BlockAction) error {
	n, err := rituals.ParseID("P", a.Value)
	if err != nil {
		return err
	}
	report, err := b.Pulses.FollowUp(ctx, b.caller(ctx, r), n)
	if err != nil {
		return err
	}
	p := report.Pulse
	if err := b.mayFollowUp(ctx, r, p); err != nil {
		return err
	}
	link := b.out.PulseResultsLink(ctx, p)
	f := render.NewPulseFollowUp(report, link)
	meta := render.ModalMeta{Channel: p.Channel, ReplyURL: r.replyURL, Source: link}
	if a.ActionID == render.ActionPulseBlocker {
		b.openModal(ctx, r, render.BlockerModal(meta, f.Blocker()))
		return nil
	}
	b.openModal(ctx, r, render.DecisionModal(meta, f.Decision(r.user), b.areas(ctx, r)))
	return nil
}

// mayFollowUp checks that the person behind r may record a follow-up to p
// where it goes, p's channel: alignbot can post there, and they are in it
// (results shown to them elsewhere, with /pulse results, do not make them
// a member). Returns EFORBIDDEN with the sentence to show otherwise.
func (b pulses) mayFollowUp(ctx context.Context, r *request, p *rituals.Pulse) error {
	if !rituals.IsChannelID(p.Channel) {
		return rituals.Errorf(rituals.EINVALID, "%s was not asked from a channel, so there is no channel to record its follow-up in. Use `/decide` or `/blocker` in the channel it concerns.", p.ID())
	}
	_, err := b.dir.Channel(ctx, r.team, p.Channel)
	switch rituals.ErrorCode(err) {
	case "", rituals.EINTERNAL: // Slack slow to say: the outbox parks a post it refuses
	case rituals.EINVALID:
		return rituals.Errorf(rituals.EINVALID, "<#%s>, where %s was asked, is archived, so nothing can be recorded there.", p.Channel, p.ID())
	default:
		return rituals.Errorf(rituals.EINVALID, "I can't post in <#%s>, where %s was asked, so a follow-up could not be recorded there. Add me to it (`/invite @alignbot` there) first.", p.Channel, p.ID())
	}
	members, _, err := b.dir.MemberSet(ctx, r.team, p.Channel)
	if err != nil {
		return err
	}
	if !members[r.user] {
		return rituals.Errorf(rituals.EFORBIDDEN, "Only members of <#%s>, where %s was asked, can record a decision or report a blocker from its results: it goes there. Join it, or use `/decide` or `/blocker` where you are.", p.Channel, p.ID())
	}
	return nil
}
