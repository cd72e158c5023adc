package delivery

// Sending a blocker's card and the notices to its parties, from the outbox.

import (
	"context"
	"encoding/json"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// sendBlockerCard posts or updates a blocker's card.
func (dl *Deliverer) sendBlockerCard(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	bl, err := dl.store.Blocker(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	if it.Target != "" {
		return dl.update(ctx, it, render.BlockerFallback(bl), render.BlockerCard(bl, dl.now()))
	}
	return dl.post(ctx, it, "", render.BlockerFallback(bl), render.BlockerCard(bl, dl.now()))
}

// sendBlockerNotice tells one party about a blocker, linking to its card;
// it waits until the card is posted.
func (dl *Deliverer) sendBlockerNotice(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data rituals.BlockerNoticeData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"blocker notice data unreadable: " + err.Error()}
	}
	bl, err := dl.store.Blocker(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	if it.Held && !bl.Open() {
		return "", "", errSettled{"an escalation held for working time, overtaken by the resolution"}
	}
	link, err := dl.permalink(ctx, it.Team, bl.CardKey())
	if err != nil {
		return "", "", err
	}
	text, blocks := render.BlockerNotice(bl, data, it.Channel, link, dl.now())
	return dl.post(ctx, it, "", text, blocks)
}
