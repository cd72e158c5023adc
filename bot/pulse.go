package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// pulses are /pulse's handlers: the command, the form, and the answer
// buttons in people's DMs.
type pulses struct{ *Bot }

func (b pulses) routes(t *routeTable) {
	t.slash["/pulse"] = b.onPulse
	for i := range 5 {
		t.actions[render.ActionPulseAnswer+strconv.Itoa(i)] = b.onPulseAnswer
	}
	t.actions[render.ActionPulseAnswerForm] = b.onPulseAnswerForm
	t.actions[render.ActionPulseTemplate] = b.onPulseTemplate
	t.actions[render.ActionPulseDecide] = b.onPulseFollowUp
	t.actions[render.ActionPulseBlocker] = b.onPulseFollowUp
	t.views[render.CallbackPulseNew] = b.submitPulseModal
	t.views[render.CallbackPulseAnswer] = b.submitPulseAnswer
}

// onPulse handles /pulse; text is what the person typed, unescaped.
func (b pulses) onPulse(ctx context.Context, r *request, text string) {
	cmd, err := parsePulse(text)
	if err == nil {
		err = b.runPulse(ctx, r, cmd)
	}
	if err != nil && !errors.Is(err, rituals.ErrDuplicate) {
		b.replyError(ctx, r, err)
	}
}

func (b pulses) runPulse(ctx context.Context, r *request, cmd pulseCmd) error {
	switch cmd.Op {
	case pulseHelp:
		b.reply(ctx, r, "How to use /pulse", render.WithExamples(render.PulseHelp(), b.helpExamples(ctx, r)...)...)
	case pulseTemplates:
		b.reply(ctx, r, "Ready-to-send pulses", render.PulseTemplates()...)
	case pulseForm:
		in := rituals.PulseInput{Question: cmd.Question, Kind: rituals.PulseScale, Audience: rituals.AudienceChannel,
			Group: cmd.Group, People: cmd.People, Anonymous: true}
		switch {
		case cmd.Group != "":
			in.Audience = rituals.AudienceGroup
		case len(cmd.People) > 0:
			in.Audience = rituals.AudiencePeople
		}
		return b.openPulseForm(ctx, r, in, cmd.GroupHandle)
	case pulseList:
		ps, err := b.Pulses.List(ctx, b.caller(ctx, r), cmd.Limit)
		if err != nil {
			return err
		}
		b.reply(ctx, r, render.CountNoun(len(ps), "pulse")+" from this channel", render.PulseList(ps)...)
	case pulseResults:
		return b.showPulseResults(ctx, r, cmd.ID)
	case pulseClose:
		p, err := b.Pulses.Close(ctx, b.caller(ctx, r), cmd.ID)
		if err != nil {
			return err
		}
		b.replyText(ctx, r, fmt.Sprintf("Pulse *%s* is closed; its results are being posted in <#%s>.", p.ID(), p.Channel))
	case pulseStop:
		p, err := b.Pulses.Stop(ctx, b.caller(ctx, r), cmd.ID)
		if err != nil {
			return err
		}
		b.replyText(ctx, r, fmt.Sprintf("The pulse “%s” will not run again. Its last run, *%s*, stays as it is.", render.Mrkdwn(render.Clip(p.Question, 100)), p.ID()))
	case pulseThreshold:
		if err := b.Pulses.SetThreshold(ctx, b.caller(ctx, r), cmd.ID, cmd.Threshold); err != nil {
			return err
		}
		b.replyText(ctx, r, fmt.Sprintf("The anonymity threshold of *%s* is now %s.", rituals.FormatID("P", cmd.ID), render.Mrkdwn(cmd.Threshold)))
	case pulseRolesShow:
		roles, err := b.Pulses.Roles(ctx, r.team, r.channel)
		if err != nil {
			return err
		}
		b.replyText(ctx, r, render.PulseRoles(roles))
	case pulseRolesSet:
		if err := b.Pulses.SetRoles(ctx, b.caller(ctx, r), cmd.Roles); err != nil {
			return err
		}
		b.replyText(ctx, r, render.PulseRoles(cmd.Roles))
	}
	return nil
}

// openPulseForm opens the form that sends a pulse from r's channel.
func (b pulses) openPulseForm(ctx context.Context, r *request, in rituals.PulseInput, handle string) error {
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	in.Question = render.Clip(in.Question, rituals.MaxPulseQuestion)
	b.openModal(ctx, r, render.PulseModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, in, handle))
	return nil
}

// showPulseResults shows a pulse to the caller (`/pulse show`, `/pulse
// results`): once closed, its results as its anonymity rules allow them;
// while it is open, only who sent it and how many have answered.
func (b pulses) showPulseResults(ctx context.Context, r *request, n int64) error {
	p, err := b.Pulses.Get(ctx, b.caller(ctx, r), n)
	if err != nil {
		return err
	}
	var text string
	var blocks []slack.Block
	switch p.Status {
	case rituals.PulseClosed:
		report, err := b.Pulses.Report(ctx, r.team, n)
		if err != nil {
			return err
		}
		text, blocks = render.PulseResultsFallback(report), render.PulseResults(report)
	case rituals.PulseCanceled:
		text = fmt.Sprintf("Pulse *%s* was not sent: %s.", p.ID(), render.Mrkdwn(p.Note))
	default:
		text = render.PulseLine(p) + "\n"
		if p.CreatedBy != "" {
			text += "Sent by <@" + p.CreatedBy + ">. "
		}
		text += "Its results are shown when it closes, never while answers come in."
	}
	if blocks == nil {
		blocks = []slack.Block{render.Section(text)}
	}
	b.reply(ctx, r, text, elsewhere(p.Channel, r.channel, "Sent from", blocks)...)
	return nil
}

// submitPulseModal sends the pulse of a submitted form.
func (b pulses) submitPulseModal(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	in := readPulseModal(cb.View.State, meta)
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	p, err := b.Pulses.Create(ctx, b.caller(ctx, r), in)
	if err != nil {
		return rituals.Done(err)
	}
	r.log.Info("pulse created", "pulse", p.ID(), "kind", string(p.Kind), "anonymous", p.Anonymous)
	b.replyText(ctx, r, fmt.Sprintf(":bar_chart: Pulse *%s* is on its way to %s by DM. Its results will be posted here when it closes, in %s.",
		p.ID(), render.AudienceWords(p), rituals.Duration(p.OpenFor)))
	return nil
}

// onPulseTemplate opens the form filled with a playbook question.
func (b pulses) onPulseTemplate(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	i, err := strconv.Atoi(a.Value)
	if err != nil || i < 0 || i >= len(rituals.PulseTemplates) {
		b.replyError(ctx, r, rituals.Errorf(rituals.EINVALID, "That template is not in this version of alignbot; see `/pulse templates`."))
		return
	}
	if err := b.openPulseForm(ctx, r, rituals.PulseTemplates[i], ""); err != nil {
		b.replyError(ctx, r, err)
	}
}

// onPulseAnswer records a click on an answer button. Nothing about the
// answer is logged: the request's log lines name the person.
func (b pulses) onPulseAnswer(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	v, err := render.DecodePulseButton(a.Value)
	if err == nil {
		err = b.Pulses.Answer(ctx, b.caller(ctx, r), v.Pulse, v.Ticket(), rituals.AnswerInput{Choice: v.Choice})
	}
	if err != nil && !errors.Is(err, rituals.ErrDuplicate) {
		b.replyError(ctx, r, err)
	}
}

// onPulseAnswerForm opens the form that answers in free text or from a
// long list, filled with the person's current answer.
func (b pulses) onPulseAnswerForm(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	v, err := render.DecodePulseButton(a.Value)
	var p *rituals.Pulse
	if err == nil {
		p, err = b.store.Pulse(ctx, r.team, v.Pulse)
	}
	if err == nil {
		err = p.TakesAnswers(b.now())
	}
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	current, err := b.Pulses.MyAnswer(ctx, r.team, p.Number, r.user, v.Token)
	if err != nil && rituals.ErrorCode(err) != rituals.ENOTFOUND {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.PulseAnswerModal(render.ModalMeta{Channel: r.channel, Number: p.Number}, p, v.Ticket(), current))
}

// submitPulseAnswer records the answer of a submitted answer form.
func (b pulses) submitPulseAnswer(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	var extra render.PulseAnswerExtra
	if err := json.Unmarshal(meta.Extra, &extra); err != nil {
		return rituals.Errorf(rituals.EINVALID, "This form lost track of its pulse; answer from the message again.")
	}
	t := rituals.PulseTicket{Token: extra.Token, Shares: extra.Shares}
	return rituals.Done(b.Pulses.Answer(ctx, b.caller(ctx, r), meta.Number, t, readPulseAnswer(cb.View.State)))
}
