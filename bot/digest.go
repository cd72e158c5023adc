package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// digests are /digest's handlers.
type digests struct{ *Bot }

func (b digests) routes(t *routeTable) {
	t.slash["/digest"] = b.onDigest
	t.actions[render.ActionDigestMore] = b.onDigestMore
	t.actions[render.ActionDigestNow] = func(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
		b.replyIfError(ctx, r, rituals.Done(b.postNow(ctx, r, b.caller(ctx, r))))
	}
	t.actions[render.ActionDigestPreview] = func(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
		b.replyIfError(ctx, r, b.preview(ctx, r, b.caller(ctx, r)))
	}
}

// onDigest handles /digest.
func (b digests) onDigest(ctx context.Context, r *request, text string) {
	cmd, err := parseDigest(text)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	c := b.caller(ctx, r)
	switch cmd.Op {
	case digestHelp:
		b.reply(ctx, r, "How to use /digest", render.WithExamples([]slack.Block{render.Section(render.DigestUsage)}, b.helpExamples(ctx, r)...)...)
		return
	case digestStatus:
		var sch *rituals.Schedule
		if sch, err = b.Digests.Schedule(ctx, c); err == nil {
			var hooks string
			if hooks, err = b.hookLines(ctx, c); err == nil {
				status := strings.TrimSpace(digestStatusText(sch) + "\n" + hooks)
				b.reply(ctx, r, render.Clip(status, render.MaxMessageText), render.DigestStatus(status, sch != nil)...)
				return
			}
		}
	case digestHook:
		var h *rituals.Hook
		if h, err = b.Hooks.Connect(ctx, c, cmd.Source); err == nil {
			b.replyText(ctx, r, render.HookConnected(h, b.cfg.WebURL))
			return
		}
	case digestUnhook:
		if err = b.Hooks.Disconnect(ctx, c, cmd.Source); err == nil {
			b.replyText(ctx, r, fmt.Sprintf("The %s hook is disconnected: what it sends is refused from now on. The figures it brought stay in the digest.", cmd.Source))
			return
		}
	case digestRollup, digestRollupAll:
		if err = b.checkRollupChannels(ctx, r, cmd.Channels); err == nil {
			var set *rituals.RollupSetting
			if set, err = b.Digests.SetRollup(ctx, c, cmd.Channels, cmd.Op == digestRollupAll); err == nil {
				var sch *rituals.Schedule
				if sch, err = b.Digests.Schedule(ctx, c); err == nil {
					b.replyText(ctx, r, rollupText(set, sch))
					return
				}
			}
		}
	case digestRollupOff:
		if err = b.Digests.RollupOff(ctx, c); err == nil {
			b.replyText(ctx, r, "The roll-up here is off; the channel's own digest goes on.")
			return
		}
	case digestRollupStatus:
		var set *rituals.RollupSetting
		if set, err = b.Digests.RollupSettingOf(ctx, c); err == nil {
			if set == nil {
				b.replyText(ctx, r, "This channel gets no roll-up. "+rollupUsage)
				return
			}
			var sch *rituals.Schedule
			if sch, err = b.Digests.Schedule(ctx, c); err == nil {
				b.replyText(ctx, r, rollupText(set, sch))
				return
			}
		}
	case digestReviewSLA:
		if err = b.Hooks.SetReviewSLA(ctx, c, cmd.SLA); err == nil {
			if cmd.SLA == 0 {
				b.replyText(ctx, r, "This channel's review SLA is cleared: the digest shows review times without it.")
			} else {
				b.replyText(ctx, r, fmt.Sprintf("Pull and merge requests here should get a first review within %s; the digest counts how many did.", cmd.SLA))
			}
			return
		}
	case digestEvery:
		if cmd.Time.Zone == "" {
			cmd.Time.Zone = c.Location.String()
		}
		if err = b.checkChannel(ctx, r); err == nil {
			var sch *rituals.Schedule
			if sch, err = b.Digests.SetSchedule(ctx, c, cmd.Time); err == nil {
				b.replyText(ctx, r, "The digest here now comes out "+digestWhen(sch)+".")
				return
			}
		}
	case digestNow:
		if err = b.postNow(ctx, r, c); err == nil {
			return // the digest in the channel says it all
		}
	case digestPreview:
		if err = b.preview(ctx, r, c); err == nil {
			return
		}
	case digestOff:
		if err = b.Digests.Off(ctx, c); err == nil {
			b.replyText(ctx, r, "The weekly digest here is off.")
			return
		}
	}
	b.replyError(ctx, r, rituals.Done(err))
}

// postNow posts this week's digest in the caller's channel now.
func (b digests) postNow(ctx context.Context, r *request, c rituals.Caller) error {
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	_, err := b.Digests.PostNow(ctx, c)
	return err
}

// preview shows this week's digest of the caller's channel to the caller
// only.
func (b digests) preview(ctx context.Context, r *request, c rituals.Caller) error {
	g, err := b.Digests.Preview(ctx, c)
	if err != nil {
		return err
	}
	ref := rituals.DigestRef{Channel: g.Channel, End: g.To.UnixMilli(), Zone: g.Zone}
	blocks := render.Digest(g, ref, b.out.CheckinLink(ctx, r.team, g))
	blocks[len(blocks)-1] = render.ContextLine("A preview only you see. The posted digest is followed by a chart of the last 8 weeks; only this channel's entries are counted.")
	b.reply(ctx, r, render.DigestFallback(g), blocks...)
	return nil
}

// checkRollupChannels refuses a channel the roll-up cannot show: one the
// bot cannot see, or a private one, whose figures stay inside it.
func (b digests) checkRollupChannels(ctx context.Context, r *request, channels []string) error {
	for _, ch := range channels {
		info, err := b.dir.Channel(ctx, r.team, ch)
		switch {
		case rituals.ErrorCode(err) == rituals.EFORBIDDEN:
			return rituals.Errorf(rituals.EINVALID, "I'm not in <#%s>, so I know nothing of its week. Add me there first (`/invite @alignbot`).", ch)
		case err != nil && rituals.ErrorCode(err) != rituals.EINVALID: // archived is fine: its past weeks still count
			return err
		case info.Private:
			return rituals.Errorf(rituals.EINVALID, "<#%s> is private: its figures stay inside it, so a roll-up cannot show them.", ch)
		}
	}
	return nil
}

// rollupText says what the channel's roll-up covers and when it comes.
func rollupText(set *rituals.RollupSetting, sch *rituals.Schedule) string {
	what := "every public channel with a weekly digest"
	if !set.All {
		mentions := make([]string, len(set.Channels))
		for i, ch := range set.Channels {
			mentions[i] = "<#" + ch + ">"
		}
		what = strings.Join(mentions, ", ")
	}
	text := "This channel's roll-up covers " + what + ". "
	if sch == nil {
		return text + "It comes with this channel's weekly digest, which is not scheduled yet: `/digest every fri 16:00` schedules it, and `/digest now` posts both now."
	}
	return text + "It comes with this channel's digest, " + digestWhen(sch) + "."
}

// hookLines lists the channel's hooks and review SLA, for /digest.
func (b digests) hookLines(ctx context.Context, c rituals.Caller) (string, error) {
	hs, err := b.Hooks.List(ctx, c)
	if err != nil {
		return "", err
	}
	sla, err := b.Hooks.ReviewSLA(ctx, c)
	if err != nil {
		return "", err
	}
	return render.HookLines(hs, sla, rituals.ZoneOf(c.Location)), nil
}

// digestWhen says when a digest schedule runs, and its next run, in the
// schedule's zone, as /checkin says it: "every Monday, Friday at 16:00
// (Europe/Berlin); the next one Fri 27 Nov 16:00 (Europe/Berlin)".
func digestWhen(sch *rituals.Schedule) string {
	return render.DescribeSchedule(sch) + "; the next one " + render.LocalTime(sch.NextRunAt, sch.Zone)
}

func digestStatusText(sch *rituals.Schedule) string {
	if sch == nil {
		return "This channel has no weekly digest. Schedule one with `/digest every fri 16:00`, or see this week's with `/digest preview`."
	}
	return "This channel's digest comes out " + digestWhen(sch) + "."
}

// onDigestMore shows one list of a digest in full to the person who
// pressed "Show all", from the channel the digest is in.
func (b digests) onDigestMore(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	m, err := render.DecodeDigestMore(a.Value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	g, err := b.Digests.ForViewer(ctx, b.caller(ctx, r), m.Ref)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	text, blocks := render.DigestFullList(g, m.List)
	b.reply(ctx, r, text, blocks...)
}
