package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// shortcutReportBlocker is the message shortcut "Report as blocker".
const shortcutReportBlocker = "report_blocker"

// blockers are /blocker's handlers: the command, the card's buttons, the
// "Report as blocker" shortcut and the forms.
type blockers struct{ *Bot }

func (b blockers) routes(t *routeTable) {
	t.slash["/blocker"] = b.onBlocker
	t.actions[render.ActionBlockerResolve] = b.openBlockerResolve
	t.actions[render.ActionBlockerAck] = b.onBlockerAck
	t.shortcuts[shortcutReportBlocker] = b.openBlockerFromMessage
	t.views[render.CallbackBlockerNew] = b.submitBlockerModal
	t.views[render.CallbackBlockerResolve] = b.submitResolveModal
	t.suggestions[render.FieldBlockerGroup] = b.suggestGroups
	t.actions[render.ActionBlockerEdit] = b.onBlockerEditButton
	t.views[render.CallbackBlockerEdit] = b.submitBlockerEdit
}

// onBlocker handles /blocker; text is what the person typed, unescaped.
func (b blockers) onBlocker(ctx context.Context, r *request, text string) {
	cmd, err := parseBlocker(text)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	switch cmd.Op {
	case opBlockerHelp:
		b.reply(ctx, r, "How to use /blocker", render.WithExamples(render.BlockerHelp(), b.helpExamples(ctx, r)...)...)
	case opBlockerModal:
		if err := b.checkChannel(ctx, r); err != nil {
			b.replyError(ctx, r, err)
			return
		}
		b.openModal(ctx, r, render.BlockerModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, render.BlockerForm{Text: cmd.Text}))
	case opBlockerList:
		c := b.caller(ctx, r)
		bs, err := b.Blockers.List(ctx, c)
		var in []*rituals.Blocker
		if err == nil {
			in, err = b.Blockers.Inbound(ctx, c)
		}
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		text := fmt.Sprintf("%s open in this channel", render.CountNoun(len(bs), "blocker"))
		if len(in) > 0 {
			text += fmt.Sprintf("; %s waiting on this team", render.CountNoun(len(in), "blocker"))
		}
		blocks := render.BlockerList(bs, b.now())
		if len(bs) > cmd.Limit {
			blocks = append(render.BlockerList(bs[:cmd.Limit], b.now()),
				render.ContextLine(fmt.Sprintf("The %d oldest of %d; `/blocker list` shows them all.", cmd.Limit, len(bs))))
		}
		b.reply(ctx, r, text, append(blocks, render.WaitingOnTeam(in, r.channel, b.now())...)...)
	case opBlockerShow:
		bl, err := b.Blockers.Get(ctx, b.caller(ctx, r), cmd.ID)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		b.reply(ctx, r, render.BlockerFallback(bl), elsewhere(bl.Channel, r.channel, "Reported in", render.BlockerCard(bl, b.now()))...)
	case opBlockerResolve:
		bl, err := b.Blockers.Resolve(ctx, b.caller(ctx, r), cmd.ID, cmd.Note)
		if err = rituals.Done(err); err != nil || bl == nil {
			b.replyIfError(ctx, r, err)
			return
		}
		r.log.Info("blocker resolved", "blocker", bl.ID())
		b.replyText(ctx, r, fmt.Sprintf("Resolved *%s* after %s; its card is updated.", bl.ID(), rituals.FormatAge(bl.TimeToResolve)))
	case opBlockerShowSLA:
		d, def, err := b.Blockers.SLA(ctx, b.caller(ctx, r))
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		how := "this channel's own"
		if def {
			how = "the default"
		}
		b.replyText(ctx, r, fmt.Sprintf("A blocker in this channel is escalated once it has been open for %s (%s). Change it with `/blocker sla 2d`.",
			rituals.Duration(d), how))
	case opBlockerSetSLA:
		if err := rituals.Done(b.Blockers.SetSLA(ctx, b.caller(ctx, r), cmd.SLA)); err != nil {
			b.replyError(ctx, r, err)
			return
		}
		r.log.Info("blocker sla set", "sla", rituals.Duration(cmd.SLA).String())
		b.replyText(ctx, r, fmt.Sprintf("Done: a blocker in this channel is now escalated once it has been open for %s.", rituals.Duration(cmd.SLA)))
	case opBlockerShowTeam, opBlockerClaim, opBlockerUnclaim, opBlockerShowTarget, opBlockerSetTarget, opBlockerClearTarget:
		b.onBlockerTeam(ctx, r, cmd)
	case opBlockerEdit:
		b.openBlockerEdit(ctx, r, cmd.ID)
	case opBlockerReport:
		b.replyIfError(ctx, r, b.reportBlocker(ctx, r, rituals.BlockerInput{Text: cmd.Text, Parties: cmd.Parties}))
	}
}

// reportBlocker records in, once its user groups' members are known and
// its channels checked, and tells the reporter who is being told.
func (b blockers) reportBlocker(ctx context.Context, r *request, in rituals.BlockerInput) error {
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	c := b.caller(ctx, r)
	if err := b.resolveParties(ctx, r, in.Parties); err != nil {
		return err
	}
	if u, err := b.dir.User(ctx, r.team, r.user); err == nil {
		in.ReporterName = u.Name
	}
	bl, err := b.Blockers.Report(ctx, c, in)
	if errors.Is(err, rituals.ErrDuplicate) {
		r.log.Info("duplicate request ignored")
		return nil
	}
	if err != nil {
		return err
	}
	told := bl.Audience(false)
	r.log.Info("blocker reported", "blocker", bl.ID(), "told", len(told))
	msg := fmt.Sprintf("Reported *%s*.", bl.ID())
	if len(told) > 0 {
		msg += fmt.Sprintf(" I'm telling %s, with a link to its card.", toldLine(told))
	}
	b.replyText(ctx, r, msg)
	return nil
}

// toldLine says who a notice goes to: "3 people and <#C1>".
func toldLine(to []string) string {
	persons, channels := 0, ""
	for _, id := range to {
		if render.IsUser(id) {
			persons++
		} else {
			channels += " and <#" + id + ">"
		}
	}
	if persons == 0 {
		return channels[len(" and "):]
	}
	return render.People(persons) + channels
}

// resolveParties fills in each named user group's people and checks that
// the named people are people and that the bot can post in the named
// channels. Returns EINVALID with a sentence naming the party otherwise.
func (b blockers) resolveParties(ctx context.Context, r *request, parties []rituals.Party) error {
	for i := range parties {
		p := &parties[i]
		switch p.Kind {
		case rituals.PartyGroup:
			members, err := b.dir.GroupMembers(ctx, r.team, p.ID)
			if err != nil {
				return err
			}
			if len(members) == 0 {
				return rituals.Errorf(rituals.EINVALID, "The user group %s has nobody in it, so nobody would be told. Name its people instead.", render.PartyMention(*p))
			}
			p.Members = members
		case rituals.PartyChannel:
			if p.ID == r.channel {
				continue
			}
			if err := b.checkPostable(ctx, r, p, "which you named as who must act"); err != nil {
				return err
			}
		case rituals.PartyUser:
			if err := b.checkPerson(ctx, r, p.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkPostable checks that the bot can post in channel p, filling in its
// name. why says what p is to the caller, for the refusal.
func (b blockers) checkPostable(ctx context.Context, r *request, p *rituals.Party, why string) error {
	info, err := b.dir.Channel(ctx, r.team, p.ID)
	switch rituals.ErrorCode(err) {
	case "":
		if p.Name == "" {
			p.Name = info.Name
		}
	case rituals.EINTERNAL:
		r.log.Warn("channel lookup failed; going ahead", "party", p.ID, "err", err)
	case rituals.EINVALID:
		return rituals.Errorf(rituals.EINVALID, "<#%s> is archived, so nobody there would be told. Name another channel, or people.", p.ID)
	default:
		return rituals.Errorf(rituals.EINVALID, "I can't post in <#%s>, %s. Add me to it (`/invite @alignbot` there), or name its people instead.", p.ID, why)
	}
	return nil
}

// checkPerson checks that user is a person of the workspace who can act.
func (b blockers) checkPerson(ctx context.Context, r *request, user string) error {
	u, err := b.dir.User(ctx, r.team, user)
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &se) && se.Err == "user_not_found":
		return rituals.Errorf(rituals.EINVALID, "There is no person <@%s> in this workspace.", user)
	case err != nil:
		r.log.Warn("user lookup failed; going ahead", "party", user, "err", err)
	case u.IsBot || u.Deleted:
		return rituals.Errorf(rituals.EINVALID, "<@%s> is a bot or a deactivated account, so nobody would act. Name a person instead.", user)
	}
	return nil
}

// openBlockerResolve opens the form behind a card's Resolve button, if the
// person may resolve the blocker.
func (b blockers) openBlockerResolve(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, err := rituals.ParseID("B", a.Value)
	var bl *rituals.Blocker
	if err == nil {
		bl, err = b.Blockers.ForResolve(ctx, b.caller(ctx, r), n)
	}
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.ResolveModal(render.ModalMeta{Channel: r.channel, Number: n, ReplyURL: r.replyURL}, bl))
}

// onBlockerAck records a card's "I'm on it"; the card shows who.
func (b blockers) onBlockerAck(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, err := rituals.ParseID("B", a.Value)
	var bl *rituals.Blocker
	if err == nil {
		bl, err = b.Blockers.Acknowledge(ctx, b.caller(ctx, r), n)
	}
	if err = rituals.Done(err); err != nil {
		b.replyError(ctx, r, err)
		return
	}
	if bl != nil {
		r.log.Info("blocker acknowledged", "blocker", bl.ID())
	}
}

// openBlockerFromMessage opens the blocker form filled with a message's
// text and the parties it mentions, keeping its permalink as the source.
func (b blockers) openBlockerFromMessage(ctx context.Context, r *request, cb slack.InteractionCallback) {
	if err := b.checkChannel(ctx, r); err != nil {
		b.replyError(ctx, r, err)
		return
	}
	text := render.Unescape(cb.Message.Text)
	link, err := b.slack.Permalink(ctx, r.team, r.channel, cb.Message.Timestamp)
	if err != nil {
		r.log.Warn("permalink lookup failed", "err", err)
	}
	b.openModal(ctx, r, render.BlockerModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL, Source: link}, blockerFormFrom(text)))
}

// submitBlockerModal checks a submitted blocker form at once, so a missing
// description or party, or a picked user group with nobody in it, shows
// on the form; recording it asks Slack about every user group and channel
// named, which may take longer than a form may wait, so it goes on from
// the inbox after the form closes, and any problem found then comes back
// as a message. The form is in the inbox before it
// closes: nothing typed into it is lost.
func (b blockers) submitBlockerModal(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	in, err := readBlockerModal(cb.View.State)
	if err != nil {
		return err
	}
	in.Source = meta.Source
	today := b.caller(ctx, r).Today(b.now())
	if later, err := b.checkForm(ctx, r, in, func(p *rituals.BlockerInput) error { return p.Check(today) }); later || err != nil {
		return err
	}
	b.replyIfError(ctx, r, b.reportBlocker(ctx, r, in))
	return nil
}

// checkForm checks a submitted blocker form, in, with check (on a copy:
// the form's own input stays as typed) and, while the form waits, the
// user groups it picks (checkGroupsNow). A mistake is returned, to show on
// the form. Answering inside the form's ack, it returns later: the rest,
// which asks Slack more, goes on from the inbox once the form closes.
func (b blockers) checkForm(ctx context.Context, r *request, in rituals.BlockerInput, check func(*rituals.BlockerInput) error) (later bool, err error) {
	probe := in
	probe.Parties = append([]rituals.Party(nil), in.Parties...)
	if err := check(&probe); err != nil {
		return false, err
	}
	if !r.inline {
		return false, nil
	}
	if err := b.checkGroupsNow(ctx, r, probe.Parties); err != nil {
		return false, err
	}
	r.later = true
	return true, nil
}

// submitResolveModal resolves the blocker of a submitted Resolve form.
func (b blockers) submitResolveModal(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	note := ""
	if cb.View.State != nil {
		note = cb.View.State.Values[rituals.FieldNote][render.ValueAction].Value
	}
	bl, err := b.Blockers.Resolve(ctx, b.caller(ctx, r), meta.Number, note)
	if err = rituals.Done(err); err != nil {
		return err
	}
	if bl != nil {
		r.log.Info("blocker resolved", "blocker", bl.ID())
	}
	return nil
}
