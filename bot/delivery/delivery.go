// Package delivery is the outbox side of alignbot's Slack edge: the
// Sender drains the outbox (claims, leases, retries, parking, the reminder
// cap), and the Deliverer turns each item into its Slack call, rendered
// from current state, one sender per kind (the *_send.go files).
//
// Everything it sends goes through the one paced slackapi.Client; an
// attempt that may have reached Slack is settled by looking for its
// message (its outbox ID is in the message's metadata) before posting
// again. The edge (package bot) only enqueues, and asks the Deliverer
// for the few links it renders itself.
package delivery

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// Store is what delivery reads and writes: the outbox, and the records
// its senders render from.
type Store interface {
	OutboxStore
	Decision(ctx context.Context, team string, number int64) (*rituals.Decision, error)
	// DecisionComments tells whom a comment reminder no longer concerns.
	DecisionComments(ctx context.Context, team string, n int64) ([]rituals.Comment, error)
	Blocker(ctx context.Context, team string, number int64) (*rituals.Blocker, error)
	Checkin(ctx context.Context, team, channel string, scheduledFor time.Time) (*rituals.Checkin, error)
	CheckinAnswers(ctx context.Context, team, channel string, scheduledFor time.Time) ([]rituals.CheckinAnswer, error)
	CheckinReplies(ctx context.Context, team, channel string, scheduledFor time.Time) ([]rituals.CheckinReply, error)
	Pulse(ctx context.Context, team string, n int64) (*rituals.Pulse, error)
	Session(ctx context.Context, team string, n int64) (*rituals.Session, error)
	// InPulseAnswerTx reads a person's place in a pulse's audience.
	InPulseAnswerTx(ctx context.Context, fn func(rituals.PulseAnswerTx) error) error
}

// Services are the use cases whose results delivery renders, and where
// the decision log's site is.
type Services struct {
	Pulses  *rituals.Pulses
	Homes   *rituals.Homes
	Digests *rituals.Digests
	// WebURL is the decision log's site (ALIGNBOT_WEB_URL): public
	// decisions' cards link to their page there. Empty: no link.
	WebURL string
}

// sender makes the Slack call for one outbox item of its kind, rendering
// it from current state; it returns where a posted message landed.
type sender func(ctx context.Context, it rituals.OutboxItem) (channel, ts string, err error)

// Deliverer turns outbox items into Slack calls, and holds what the
// kinds' senders share: posting, updating, finding a post in doubt,
// permalinks.
type Deliverer struct {
	slack *slackapi.Client
	dir   *slackapi.Directory
	store Store
	Services
	metrics *metrics.Metrics
	log     *slog.Logger
	now     func() time.Time
	// senders are the kinds' senders (see senders).
	senders   map[rituals.Kind]sender
	userPages userPages // where a users.list listing stopped
}

// New returns a Deliverer that calls Slack through c.
func New(c *slackapi.Client, dir *slackapi.Directory, store Store, svc Services, m *metrics.Metrics, log *slog.Logger, now func() time.Time) *Deliverer {
	dl := &Deliverer{slack: c, dir: dir, store: store, Services: svc, metrics: m, log: log, now: now}
	dl.senders = dl.table()
	return dl
}

// table maps each outbox kind, the domain's (rituals.Kinds) and the
// edge's own (EdgeKinds), to its sender.
func (dl *Deliverer) table() map[rituals.Kind]sender {
	return map[rituals.Kind]sender{
		rituals.KindNotice:             dl.sendNotice,
		rituals.KindDecisionCard:       dl.sendDecisionCard,
		rituals.KindDecisionCardUpdate: dl.sendDecisionCard,
		rituals.KindDecisionReminder:   dl.sendDecisionReminder,
		KindViewUpdate:                 dl.sendViewUpdate,
		rituals.KindCheckinPrompt:      dl.sendCheckinPrompt,
		rituals.KindCheckinAnswer:      dl.sendCheckinAnswer,
		rituals.KindCheckinSummary:     dl.sendCheckinSummary,
		rituals.KindCheckinReminder:    dl.sendCheckinReminder,
		KindReply:                      dl.sendReplyItem,
		KindPost:                       dl.sendPostItem,
		rituals.KindBlockerCard:        dl.sendBlockerCard,
		rituals.KindBlockerCardUpdate:  dl.sendBlockerCard,
		rituals.KindBlockerNotice:      dl.sendBlockerNotice,
		rituals.KindPulseLaunch:        dl.sendPulseLaunch,
		rituals.KindPulsePrompt:        dl.sendPulsePrompt,
		rituals.KindPulsePromptUpdate:  dl.sendPulsePrompt,
		rituals.KindPulseReminder:      dl.sendPulseReminder,
		rituals.KindPulseResults:       dl.sendPulseResults,

		rituals.KindHomeRefresh: dl.sendHome,
		rituals.KindHomeChannel: dl.sendHomeChannel,

		rituals.KindSessionOpen:           dl.sendSession,
		rituals.KindSessionUpdate:         dl.sendSession,
		rituals.KindSessionItem:           dl.sendSessionItem,
		rituals.KindSessionItemUpdate:     dl.sendSessionItem,
		rituals.KindSessionSummary:        dl.sendSessionSummary,
		rituals.KindSessionSummaryUpdate:  dl.sendSessionSummary,
		rituals.KindSessionFollowUp:       dl.sendSessionFollowUp,
		rituals.KindSessionFollowUpUpdate: dl.sendSessionFollowUp,
		rituals.KindSessionReminder:       dl.sendSessionReminder,

		rituals.KindDigest:       dl.sendDigest,
		rituals.KindDigestChart:  dl.sendDigestChart,
		rituals.KindDigestRollup: dl.sendRollup,
	}
}

// Deliver turns one outbox item into its Slack call, by its kind's
// sender. It returns the conversation and ts of the message it posted,
// if any.
func (dl *Deliverer) Deliver(ctx context.Context, it rituals.OutboxItem) (channel, ts string, err error) {
	send, ok := dl.senders[it.Kind]
	if !ok {
		return "", "", errPermanent{"unknown outbox kind " + string(it.Kind)}
	}
	return send(ctx, it)
}

// CardLinks looks up the decisions d links to, as channel may see them.
func (dl *Deliverer) CardLinks(ctx context.Context, d *rituals.Decision, channel string) render.CardLinks {
	link := func(n int64) *render.LinkedDecision {
		if n == 0 {
			return nil
		}
		l := &render.LinkedDecision{ID: rituals.FormatID("D", n)}
		o, err := dl.store.Decision(ctx, d.Team, n)
		if err != nil || !o.VisibleIn(channel) {
			return l
		}
		l.Title = o.Title
		if url, err := dl.permalink(ctx, d.Team, o.CardKey(o.Channel)); err == nil {
			l.URL = url
		} else if !errors.As(err, new(errNotYet)) {
			dl.log.Debug("permalink not found", "decision", o.ID(), "err", err)
		}
		return l
	}
	return render.CardLinks{Supersedes: link(d.Supersedes), SupersededBy: link(d.SupersededBy), Log: dl.logURL(d)}
}

// logURL is d's page on the decision log's site, or "" when the site is
// off or d is not on it: private channels' decisions never are.
func (dl *Deliverer) logURL(d *rituals.Decision) string {
	if dl.WebURL == "" || d.ChannelPrivate {
		return ""
	}
	return strings.TrimSuffix(dl.WebURL, "/") + "/d/" + strconv.FormatInt(d.Number, 10)
}

// CheckinLink returns the permalink of the thread of the digest's last
// check-in, or "" when there is none or it cannot be had now.
func (dl *Deliverer) CheckinLink(ctx context.Context, team string, g *rituals.Digest) string {
	if g.Checkin == nil {
		return ""
	}
	link, err := dl.permalink(ctx, team, g.Checkin.Key())
	if err != nil {
		dl.log.Warn("check-in link unavailable; digest shown without it", "team", team, "channel", g.Channel, "err", err)
		return ""
	}
	return link
}

// PulseResultsLink returns the permalink of p's results as posted in its
// channel, or "" when they are not posted yet or Slack cannot say now.
func (dl *Deliverer) PulseResultsLink(ctx context.Context, p *rituals.Pulse) string {
	link, err := dl.permalink(ctx, p.Team, p.ResultsKey())
	if err != nil {
		dl.log.Warn("pulse results link unavailable; follow-up shown without it", "team", p.Team, "pulse", p.ID(), "err", err)
		return ""
	}
	return link
}

// zoneOf returns user's time zone; UTC for a channel, or when Slack does
// not say.
func (dl *Deliverer) zoneOf(ctx context.Context, team, user string) *time.Location {
	if u, err := dl.dir.User(ctx, team, user); err == nil && u.Location != nil {
		return u.Location
	}
	return time.UTC
}

// todayOf is the date it is now for user: the day a reminder reaches
// them, which a reminder held over a weekend must say, not the day it
// was queued.
func (dl *Deliverer) todayOf(ctx context.Context, team, user string) rituals.Date {
	return rituals.DateOf(dl.now().In(dl.zoneOf(ctx, team, user)))
}

// HomeView renders user's App Home from the data of this moment, as the
// outbox publishes it.
func (dl *Deliverer) HomeView(ctx context.Context, team, user string) (slack.HomeTabViewRequest, error) {
	h, err := dl.Homes.Build(ctx, team, user, dl.zoneOf(ctx, team, user))
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	return render.HomeView(h), nil
}
