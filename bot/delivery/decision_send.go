package delivery

// Sending a decision's card and its reminders, from the outbox.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

func (dl *Deliverer) sendDecisionCard(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	d, err := dl.store.Decision(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	blocks := render.DecisionCard(d, dl.CardLinks(ctx, d, it.Channel))
	if it.Channel != d.Channel {
		blocks = append([]slack.Block{render.ContextLine(fmt.Sprintf("Recorded in <#%s>; posted here because this channel is informed of the `%s` area.", d.Channel, render.Mrkdwn(d.Area)))}, blocks...)
	}
	if it.Target != "" {
		return dl.update(ctx, it, render.DecisionFallback(d), blocks)
	}
	return dl.post(ctx, it, "", render.DecisionFallback(d), blocks)
}

// sendDecisionReminder DMs a decision's owner. A decision from a private
// channel is named without its content: the owner opens it there.
func (dl *Deliverer) sendDecisionReminder(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data rituals.ReminderData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"reminder data unreadable: " + err.Error()}
	}
	d, err := dl.store.Decision(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	switch data.Kind {
	case rituals.ReminderComment:
		return dl.sendCommentReminder(ctx, it, d, data.To)
	case rituals.ReminderDue, rituals.ReminderAfter, rituals.ReminderEscalate, rituals.ReminderClimb:
		if d.Status != rituals.StatusProposed {
			return "", "", errSettled{"held for working time, and settled meanwhile: nothing to remind of"}
		}
	}
	text, blocks := render.DecisionReminder(d, data.Kind, dl.todayOf(ctx, it.Team, it.User))
	switch data.Kind {
	case rituals.ReminderEscalate:
		text, blocks = render.DecisionEscalation(d, data.To)
	case rituals.ReminderClimb:
		text, blocks = render.DecisionClimb(d, data.To)
	}
	return dl.post(ctx, it, "", text, blocks)
}

// sendCommentReminder DMs a person consulted on proposal d's area for
// their view, with a link to its thread, unless it is decided by now or
// they have commented since it was queued (it may have waited for their
// working hours): then nothing is sent.
func (dl *Deliverer) sendCommentReminder(ctx context.Context, it rituals.OutboxItem, d *rituals.Decision, to string) (string, string, error) {
	if d.Status != rituals.StatusProposed {
		return "", "", errSettled{"the proposal was settled before its comment reminder went"}
	}
	cs, err := dl.store.DecisionComments(ctx, d.Team, d.Number)
	if err != nil {
		return "", "", err
	}
	if rituals.Commenters(cs)[to] {
		return "", "", errSettled{"the person commented before the reminder went"}
	}
	text, blocks := render.CommentReminder(d, dl.ThreadLink(ctx, d))
	return dl.post(ctx, it, "", text, blocks)
}

// ThreadLink returns the permalink of the thread of d's card in its own
// channel, where its comments are; "" when it cannot be had now.
func (dl *Deliverer) ThreadLink(ctx context.Context, d *rituals.Decision) string {
	link, err := dl.permalink(ctx, d.Team, d.CardKey(d.Channel))
	if err != nil {
		dl.log.Debug("thread link unavailable", "decision", d.ID(), "err", err)
		return ""
	}
	return link
}
