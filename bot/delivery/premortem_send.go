package delivery

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// sendSession posts or updates a session's parent message.
func (dl *Deliverer) sendSession(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	s, err := dl.store.Session(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	if it.Target != "" {
		return dl.update(ctx, it, render.SessionFallback(s, ""), render.SessionParent(s))
	}
	return dl.post(ctx, it, "", render.SessionFallback(s, ""), render.SessionParent(s))
}

// sendSessionItem posts an item in its session's thread, or updates its
// reply. The reply waits for the thread's parent to be posted.
func (dl *Deliverer) sendSessionItem(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	s, item, err := dl.sessionItemOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	if item == nil {
		return "", "", errPermanent{fmt.Sprintf("%s has no item %s", s.ID(), it.Data)}
	}
	if it.Kind == rituals.KindSessionItemUpdate {
		return dl.update(ctx, it, render.SessionItemFallback(item), render.SessionItemCard(s, item))
	}
	thread, err := dl.threadOf(ctx, it.Team, it.Target)
	if err != nil {
		return "", "", err
	}
	return dl.post(ctx, it, thread, render.SessionItemFallback(item), render.SessionItemCard(s, item))
}

// sendSessionSummary posts a closed session's summary in its thread, also
// shown in the channel, or updates it.
func (dl *Deliverer) sendSessionSummary(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	s, err := dl.store.Session(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	text := render.SessionFallback(s, ": summary")
	if it.Kind == rituals.KindSessionSummaryUpdate {
		return dl.update(ctx, it, text, render.SessionSummary(s))
	}
	thread, err := dl.threadOf(ctx, it.Team, it.Target)
	if err != nil {
		return "", "", err
	}
	return dl.postWith(ctx, it, thread, text, render.SessionSummary(s), slack.MsgOptionBroadcast())
}

// sendSessionFollowUp posts or updates a pre-mortem's follow-up thread.
func (dl *Deliverer) sendSessionFollowUp(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	s, err := dl.store.Session(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	text := render.SessionFollowUpFallback(s)
	if it.Target != "" {
		return dl.update(ctx, it, text, render.SessionFollowUp(s))
	}
	return dl.post(ctx, it, "", text, render.SessionFollowUp(s))
}

// sendSessionReminder DMs an action item's owner on its due day, or days
// past it, unless it was done, or given to someone else, since.
func (dl *Deliverer) sendSessionReminder(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	s, item, err := dl.sessionItemOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	owner := it.User
	if owner == "" { // a channel that owns it is reminded there
		owner = it.Channel
	}
	if item == nil || item.Done() || item.Owner != owner {
		return "", "", errSettled{"the action item is done, gone or someone else's by now"}
	}
	today := dl.todayOf(ctx, it.Team, it.User)
	text, blocks := render.SessionReminder(s, item, today)
	var data rituals.SessionItemData
	if json.Unmarshal(it.Data, &data) == nil && data.Overdue > 0 {
		// Counted from the day it reaches the owner: it may have waited
		// for their working days.
		text, blocks = render.SessionOverdueReminder(s, item, max(data.Overdue, rituals.DaysBetween(item.Due, today)))
	}
	return dl.post(ctx, it, "", text, blocks)
}

// sessionItemOf returns the session and the item (nil if it has none
// such) an outbox item is about.
func (dl *Deliverer) sessionItemOf(ctx context.Context, it rituals.OutboxItem) (*rituals.Session, *rituals.Item, error) {
	var data rituals.SessionItemData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return nil, nil, errPermanent{"session item data unreadable: " + err.Error()}
	}
	s, err := dl.store.Session(ctx, it.Team, it.Ref)
	if err != nil {
		return nil, nil, err
	}
	return s, s.Item(data.Item), nil
}
