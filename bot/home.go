package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// homes are App Home's handlers: opening it, its buttons, and the
// membership events that change what it shows.
type homes struct{ *Bot }

func (b homes) routes(t *routeTable) {
	t.actions[render.ActionHomeDecide] = b.openHomeDecision
	t.actions[render.ActionHomeBlocker] = b.openHomeBlocker
	t.events["app_home_opened"] = b.onHomeOpened
	t.events["member_joined_channel"] = b.onMembership
	t.events["member_left_channel"] = b.onMembership
}

// onHomeOpened publishes the person's App Home when they open it, through
// the outbox, ahead of bulk messages; from then on their Home is also
// refreshed when what it shows changes.
func (b homes) onHomeOpened(ctx context.Context, r *request, ev slackevents.EventsAPIInnerEvent) {
	e, ok := ev.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || e.User == "" || (e.Tab != "home" && e.Tab != "") {
		return // the Messages tab has nothing to publish
	}
	r.user = e.User
	err := b.Homes.Opened(ctx, rituals.Caller{Team: r.team, User: e.User, RequestID: r.id})
	if err = rituals.Done(err); err != nil {
		r.log.Error("app home not queued", "user", e.User, "err", err)
		return
	}
	r.log.Info("app home opened", "user", e.User)
}

// onMembership hears that someone joined or left a channel: what the bot
// knew of its members is dropped, and the person's App Home refreshed, so
// it stops showing a private channel's entries to someone who left it.
// When the one who joined is alignbot itself, it posts its welcome there.
func (b homes) onMembership(ctx context.Context, r *request, ev slackevents.EventsAPIInnerEvent) {
	var user, channel string
	switch e := ev.Data.(type) {
	case *slackevents.MemberJoinedChannelEvent:
		user, channel = e.User, e.Channel
		if channel != "" && user != "" && user == r.botUser {
			b.dir.Forget(r.team, channel)
			onboarding(b).welcome(ctx, r, channel, e.Inviter)
			return
		}
	case *slackevents.MemberLeftChannelEvent:
		user, channel = e.User, e.Channel
	default:
		return
	}
	if channel == "" {
		return
	}
	b.dir.Forget(r.team, channel)
	if err := b.Homes.Refresh(ctx, r.team, user); err != nil {
		r.log.Error("app home refresh not queued", "user", user, "channel", channel, "err", err)
	}
}

// openHomeDecision opens the decision form from App Home's Record
// decision button; the form asks for the channel.
func (b homes) openHomeDecision(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
	in := rituals.DecisionInput{Owner: r.user, Status: rituals.StatusDecided}
	b.openModal(ctx, r, render.DecisionModal(render.ModalMeta{Home: true}, in, b.areas(ctx, r)))
}

// openHomeBlocker opens the blocker form from App Home's Report blocker
// button; the form asks for the channel.
func (b homes) openHomeBlocker(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
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
	info, err := b.dir.Channel(ctx, r.team, ch)
	switch rituals.ErrorCode(err) {
	case "":
	case rituals.EINVALID:
		return "", refuse("That channel is archived; choose another.")
	case rituals.EFORBIDDEN:
		return "", refuse("I can't post in that channel. Add me to it (/invite @alignbot), then try again.")
	default:
		return "", err
	}
	ids, _, err := b.dir.MemberSet(ctx, r.team, ch)
	if err != nil {
		return "", err
	}
	if !ids[r.user] {
		return "", refuse(fmt.Sprintf("You are not in #%s; choose a channel you are in.", info.Name))
	}
	return ch, nil
}
