package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// homeQueueWait bounds how long a bulk App Home refresh waits for room in
// views.publish's minute window (Tier 4, about 100 a minute) before giving
// its worker back: a pulse to thousands of people who use App Home must
// not hold every worker waiting while other messages queue behind. It is
// tried again later, rendered from the data of then.
const homeQueueWait = 2 * time.Second

// onHomeOpened publishes the person's App Home when they open it, through
// the outbox, ahead of bulk messages; from then on their Home is also
// refreshed when what it shows changes.
func (b *Bot) onHomeOpened(ctx context.Context, r *request, ev slackevents.EventsAPIInnerEvent) {
	e, ok := ev.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || e.User == "" || (e.Tab != "home" && e.Tab != "") {
		return // the Messages tab has nothing to publish
	}
	r.user = e.User
	err := b.Homes.Opened(ctx, rituals.Caller{Team: r.team, User: e.User, RequestID: r.id})
	if err = ignoreDuplicate(err); err != nil {
		r.log.Error("app home not queued", "user", e.User, "err", err)
		return
	}
	r.log.Info("app home opened", "user", e.User)
}

// onMembership hears that someone joined or left a channel: what the bot
// knew of its members is dropped, and the person's App Home refreshed, so
// it stops showing a private channel's entries to someone who left it.
func (b *Bot) onMembership(ctx context.Context, r *request, ev slackevents.EventsAPIInnerEvent) {
	var user, channel string
	switch e := ev.Data.(type) {
	case *slackevents.MemberJoinedChannelEvent:
		user, channel = e.User, e.Channel
	case *slackevents.MemberLeftChannelEvent:
		user, channel = e.User, e.Channel
	default:
		return
	}
	if channel == "" {
		return
	}
	b.members.forget(r.team, channel)
	if err := b.Homes.Refresh(ctx, r.team, user); err != nil {
		r.log.Error("app home refresh not queued", "user", user, "channel", channel, "err", err)
	}
}

// openHomeDecision opens the decision form from App Home's Record
// decision button; the form asks for the channel.
func (b *Bot) openHomeDecision(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
	in := rituals.DecisionInput{Owner: r.user, Status: rituals.StatusDecided}
	b.openModal(ctx, r, render.DecisionModal(render.ModalMeta{Home: true}, in, b.areas(ctx, r)))
}

// openHomeBlocker opens the blocker form from App Home's Report blocker
// button; the form asks for the channel.
func (b *Bot) openHomeBlocker(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
	b.openModal(ctx, r, render.BlockerModal(render.ModalMeta{Home: true}, render.BlockerForm{}))
}

// homeChannel reads the channel chosen in a form opened from App Home and
// checks that the bot can post there and the person is in it. Returns
// EINVALID on the channel field otherwise.
func (b *Bot) homeChannel(ctx context.Context, r *request, state *slack.ViewState) (string, error) {
	refuse := func(msg string) error {
		return &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{render.FieldHomeChannel: msg}}
	}
	var ch string
	if state != nil {
		ch = state.Values[render.FieldHomeChannel][render.ValueAction].SelectedConversation
	}
	if ch == "" {
		return "", refuse("Choose the channel it belongs in.")
	}
	info, err := b.dir.channel(ctx, r.team, ch)
	switch rituals.ErrorCode(err) {
	case "":
	case rituals.EINVALID:
		return "", refuse("That channel is archived; choose another.")
	case rituals.EFORBIDDEN:
		return "", refuse("I can't post in that channel. Add me to it (/invite @alignbot), then try again.")
	default:
		return "", err
	}
	ids, _, err := b.members.members(ctx, r.team, ch)
	if err != nil {
		return "", err
	}
	if !ids[r.user] {
		return "", refuse(fmt.Sprintf("You are not in #%s; choose a channel you are in.", info.Name))
	}
	return ch, nil
}

// HomeView renders user's App Home from the data of this moment, as the
// outbox publishes it.
func (b *Bot) HomeView(ctx context.Context, team, user string) (slack.HomeTabViewRequest, error) {
	return b.out.homeView(ctx, team, user)
}

// homeView renders user's App Home from the data of this moment.
func (dl *deliverer) homeView(ctx context.Context, team, user string) (slack.HomeTabViewRequest, error) {
	loc := time.UTC
	if u, err := dl.dir.user(ctx, team, user); err == nil {
		loc = u.Location
	}
	h, err := dl.Homes.Build(ctx, team, user, loc)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	return render.HomeView(h), nil
}
