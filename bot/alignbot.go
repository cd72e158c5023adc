package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onboarding is /alignbot's handlers and the welcome alignbot posts in a
// channel it is added to: what alignbot does, and what is set up there.
type onboarding struct{ *Bot }

func (b onboarding) routes(t *routeTable) {
	t.slash["/alignbot"] = b.onAlignbot
	t.actions[render.ActionSetup] = b.onSetup
}

// onAlignbot handles /alignbot, /alignbot help and /alignbot workdays.
func (b onboarding) onAlignbot(ctx context.Context, r *request, text string) {
	cmd, err := parseAlignbot(text)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	if cmd.Workdays {
		b.onWorkdays(ctx, r, cmd)
		return
	}
	s, err := b.setup(ctx, r, b.caller(ctx, r))
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	s.Absent = rituals.ErrorCode(b.checkChannel(ctx, r)) == rituals.EFORBIDDEN
	fallback, blocks := render.Alignbot(s)
	b.reply(ctx, r, fallback, blocks...)
}

// onWorkdays shows the channel's working days, or sets them and shows
// them as set.
func (b onboarding) onWorkdays(ctx context.Context, r *request, cmd alignbotCmd) {
	c := b.caller(ctx, r)
	changed := cmd.Reset || cmd.Days != 0
	if changed {
		if err := b.Workdays.Set(ctx, c, cmd.Days); err != nil {
			b.replyError(ctx, r, err)
			return
		}
	}
	days, isDefault, err := b.Workdays.Get(ctx, c)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	if changed {
		r.log.Info("working days set", "channel", c.Channel, "days", render.DescribeWorkdays(days))
	}
	b.replyText(ctx, r, render.Workdays(days, isDefault, changed))
}

// onSetup answers a checklist button with the exact command that sets the
// setting up, for the person who pressed it.
func (b onboarding) onSetup(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	text, ok := render.SetupCommand(a.Value)
	if !ok {
		b.replyError(ctx, r, rituals.Errorf(rituals.EINVALID, "That button names nothing to set up. Run `/alignbot` for the checklist."))
		return
	}
	b.replyText(ctx, r, text)
}

// setup reads what is set up in the caller's channel.
func (b onboarding) setup(ctx context.Context, r *request, c rituals.Caller) (render.ChannelSetup, error) {
	s := render.ChannelSetup{Channel: c.Channel}
	st, err := b.Checkins.Status(ctx, c)
	if err != nil {
		return s, fmt.Errorf("check-in status: %w", err)
	}
	s.Checkin = st.Schedule
	if s.Digest, err = b.Digests.Schedule(ctx, c); err != nil {
		return s, fmt.Errorf("digest schedule: %w", err)
	}
	if s.SLA, s.SLADefault, err = b.Blockers.SLA(ctx, c); err != nil {
		return s, fmt.Errorf("blocker sla: %w", err)
	}
	if s.Workdays, _, err = b.Workdays.Get(ctx, c); err != nil {
		return s, err
	}
	for _, right := range b.areas(ctx, r) {
		s.Areas = append(s.Areas, right.Area)
	}
	return s, nil
}

// welcome posts, once per join, alignbot's welcome in the channel it was
// just added to: what it can do there and the checklist. The message key
// names the join event, and the event is handled once (the inbox), so a
// redelivery posts nothing more.
func (b onboarding) welcome(ctx context.Context, r *request, channel, inviter string) {
	r.channel, r.user = channel, inviter
	c := rituals.Caller{Team: r.team, Channel: channel, RequestID: r.id, Location: time.UTC}
	if inviter != "" {
		c = b.caller(ctx, r) // the inviter's time zone for the schedules shown
	}
	s, err := b.setup(ctx, r, c)
	if err != nil {
		r.log.Error("welcome not posted", "channel", channel, "err", err)
		return
	}
	text, blocks := render.Welcome(s)
	out, err := delivery.Post(r.team, channel, rituals.MessageKey("welcome/"+channel+"/"+r.id), text, blocks)
	if err == nil {
		err = b.enqueue(ctx, out)
	}
	if err = rituals.Done(err); err != nil {
		r.log.Error("welcome not queued", "channel", channel, "err", err)
		return
	}
	r.log.Info("welcome queued", "channel", channel)
}
