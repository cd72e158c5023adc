package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// checkinOf loads the check-in an outbox item is about.
func (dl *Deliverer) checkinOf(ctx context.Context, it rituals.OutboxItem) (*rituals.Checkin, rituals.CheckinRef, error) {
	var ref rituals.CheckinRef
	if err := json.Unmarshal(it.Data, &ref); err != nil {
		return nil, ref, errPermanent{"check-in reference unreadable: " + err.Error()}
	}
	chk, err := dl.store.Checkin(ctx, it.Team, ref.Channel, time.UnixMilli(ref.ScheduledFor).UTC())
	return chk, ref, err
}

// taking returns who has answered or replied so far.
func (dl *Deliverer) taking(ctx context.Context, chk *rituals.Checkin) ([]rituals.CheckinAnswer, []rituals.CheckinReply, []string, error) {
	answers, err := dl.store.CheckinAnswers(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
	if err != nil {
		return nil, nil, nil, err
	}
	replies, err := dl.store.CheckinReplies(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
	if err != nil {
		return nil, nil, nil, err
	}
	seen := map[string]bool{}
	var people []string
	for _, a := range answers {
		if !seen[a.User] {
			seen[a.User] = true
			people = append(people, a.User)
		}
	}
	for _, r := range replies {
		if !seen[r.User] {
			seen[r.User] = true
			people = append(people, r.User)
		}
	}
	return answers, replies, people, nil
}

func (dl *Deliverer) sendCheckinPrompt(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	chk, _, err := dl.checkinOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	_, _, people, err := dl.taking(ctx, chk)
	if err != nil {
		return "", "", err
	}
	blocks := render.CheckinPrompt(chk, people, dl.now())
	text := "Weekly alignment check-in — " + render.CheckinDay(chk)
	if it.Target != "" {
		return dl.update(ctx, it, text, blocks)
	}
	return dl.post(ctx, it, "", text, blocks)
}

func (dl *Deliverer) sendCheckinAnswer(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	chk, ref, err := dl.checkinOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	answers, err := dl.store.CheckinAnswers(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
	if err != nil {
		return "", "", err
	}
	for _, a := range answers {
		if a.User != ref.User {
			continue
		}
		text := fmt.Sprintf("Check-in answer from %s", render.Person(a.User, ""))
		if it.Target != "" {
			return dl.update(ctx, it, text, render.CheckinAnswer(a))
		}
		thread, err := dl.threadOf(ctx, it.Team, chk.Key())
		if err != nil {
			return "", "", err
		}
		return dl.post(ctx, it, thread, text, render.CheckinAnswer(a))
	}
	return "", "", errPermanent{"the answer to post is gone"}
}

func (dl *Deliverer) sendCheckinSummary(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	chk, _, err := dl.checkinOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	answers, replies, _, err := dl.taking(ctx, chk)
	if err != nil {
		return "", "", err
	}
	thread, err := dl.threadOf(ctx, it.Team, chk.Key())
	if err != nil {
		return "", "", err
	}
	text := fmt.Sprintf("Check-in closed: %d of %d answered", chk.Answered, chk.Members)
	return dl.postWith(ctx, it, thread, text, render.CheckinSummary(chk, answers, replies), slack.MsgOptionBroadcast())
}

func (dl *Deliverer) sendCheckinReminder(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	chk, _, err := dl.checkinOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	if !chk.Open() {
		return "", "", errPermanent{"the check-in closed before its reminder went out"}
	}
	return dl.post(ctx, it, "", "The check-in closes soon, and you haven't answered yet.", render.CheckinReminder(chk))
}
