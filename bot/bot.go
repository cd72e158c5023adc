package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// Config is what the bot needs from its operator.
type Config struct {
	Admins []string
	// PingInterval is how long slack-go waits for Slack's pings before it
	// reconnects; zero keeps slack-go's default.
	PingInterval time.Duration
	// HandlerTimeout bounds the work done for one envelope.
	HandlerTimeout time.Duration
	// HTTPMode takes Slack's requests over HTTP (SlackHandler) instead of
	// Socket Mode: Run then only waits.
	HTTPMode bool
	// Workers is how many requests are handled at once; zero means 16.
	Workers int
	// RetryBase is the wait before a request that failed for an internal
	// reason is taken up again, doubling with each attempt up to 30 s;
	// zero means 1 s.
	RetryBase time.Duration
	// TriggerTTL is how long after a click its trigger may open a modal;
	// zero means Slack's 3 s.
	TriggerTTL time.Duration
	// WebURL is alignbot's public address (ALIGNBOT_WEB_URL), where hooks
	// are sent; empty when unset.
	WebURL string
}

// Store is what the edge reads and writes: the domain's store, the inbox
// intake fills, and which message of alignbot's a thread reply is under.
type Store interface {
	rituals.Store
	InboxStore
	MessageKeyAt(ctx context.Context, team, channel, ts string) (rituals.MessageKey, error)
}

// Services are the domain's use cases the edge calls.
type Services struct {
	Decisions *rituals.Decisions
	Rights    *rituals.Rights
	Checkins  *rituals.Checkins
	Pulses    *rituals.Pulses
	Blockers  *rituals.Blockers
	Sessions  *rituals.Sessions
	Homes     *rituals.Homes
	Digests   *rituals.Digests
	Hooks     *rituals.Hooks
	Workdays  *rituals.WorkdaySettings
}

// Bot is alignbot's Slack edge.
type Bot struct {
	cfg    Config
	slack  *slackapi.Client
	socket *socketmode.Client
	store  Store
	Services
	metrics *metrics.Metrics
	log     *slog.Logger
	now     func() time.Time
	admins  map[string]bool
	dir     *slackapi.Directory
	route   routeTable
	// out renders the links and views handlers show; it also sends what
	// the outbox holds (its Sender).
	out   *delivery.Deliverer
	inbox *inbox

	connected atomic.Bool
}

// New builds a bot on Slack's client c, the directory and the deliverer,
// built first (see cmd/alignbot). It does not connect; Run does.
func New(cfg Config, c *slackapi.Client, dir *slackapi.Directory, out *delivery.Deliverer, store Store, svc Services, m *metrics.Metrics, log *slog.Logger, now func() time.Time) *Bot {
	if cfg.HandlerTimeout == 0 {
		cfg.HandlerTimeout = 30 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = time.Second
	}
	if cfg.TriggerTTL <= 0 {
		cfg.TriggerTTL = triggerTTL
	}
	opts := []socketmode.Option{socketmode.OptionLog(slogAdapter{log.With("component", "socketmode")})}
	if cfg.PingInterval > 0 {
		opts = append(opts, socketmode.OptionPingInterval(cfg.PingInterval))
	}
	admins := map[string]bool{}
	for _, a := range cfg.Admins {
		admins[a] = true
	}
	b := &Bot{
		cfg:      cfg,
		slack:    c,
		socket:   socketmode.New(c.Socket(), opts...),
		store:    store,
		Services: svc,
		metrics:  m,
		log:      log,
		now:      now,
		admins:   admins,
		dir:      dir,
		out:      out,
	}
	b.inbox = newInbox(store, delivery.InstanceID(), log.With("component", "inbox"), m, cfg.Workers, b.handleItem)
	b.route = b.routes()
	return b
}

// CheckAuth asks Slack who the bot token belongs to. Returns an error
// saying what to check if Slack refuses the token; Slack being
// unreachable is only logged (Socket Mode keeps retrying).
func (b *Bot) CheckAuth(ctx context.Context) error {
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var resp *slack.AuthTestResponse
	err := b.slack.Call(actx, "", "auth.test", "", func(api *slack.Client) (err error) {
		resp, err = api.AuthTestContext(actx)
		return err
	})
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("Slack refused SLACK_BOT_TOKEN (%s): check the token, and that the app is installed in the workspace", se.Err)
	case err != nil:
		b.log.Warn("could not reach slack to check the bot token; continuing", "err", err)
	default:
		b.log.Info("bot token accepted", "team", resp.TeamID, "bot_user", resp.UserID)
	}
	return nil
}

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.connected.Load() }

// Run works from the inbox, and (unless in HTTP mode) connects over
// Socket Mode and takes requests in, until ctx ends. Then intake stops:
// no more envelopes are read (Slack delivers them again, to another
// connection), those read are written and acknowledged, and only then is
// the socket closed. Close waits for the requests under way. Run returns
// an error only when Slack refuses the connection for good.
func (b *Bot) Run(ctx context.Context) error {
	b.inbox.run(ctx)
	if b.cfg.HTTPMode {
		// Requests arrive through SlackHandler; there is no socket to keep.
		b.connected.Store(true)
		<-ctx.Done()
		b.connected.Store(false)
		return nil
	}
	sockCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- b.socket.RunContext(sockCtx) }()
	for {
		select {
		case <-ctx.Done():
			b.inbox.closeIntake()
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), submissionDeadline+time.Second)
			if err := b.inbox.flushed(fctx); err != nil {
				b.log.Error("stopping before every request read was acknowledged", "err", err)
			}
			cancel()
			b.connected.Store(false)
			return nil
		case err := <-errc:
			b.connected.Store(false)
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return nil
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt := <-b.socket.Events:
			b.handleEvent(ctx, evt)
		}
	}
}

// Close stops intake (in HTTP mode, once the listener has stopped), gives
// back the requests not begun, and waits for those under way, or for ctx.
func (b *Bot) Close(ctx context.Context) error {
	b.inbox.closeIntake()
	err := b.inbox.flushed(ctx)
	b.inbox.stop(ctx)
	return errors.Join(err, b.inbox.wait(ctx))
}

// checkLookupWait bounds how long checkChannel waits for Slack: when the
// workspace's conversations.info budget is spent (many channels busy at
// once), going ahead beats holding what someone typed until it times out.
const checkLookupWait = 2 * time.Second

// caller builds the rituals.Caller for a request, with the person's time
// zone from Slack (UTC if Slack cannot say).
func (b *Bot) caller(ctx context.Context, r *request) rituals.Caller {
	c := rituals.Caller{
		Team: r.team, User: r.user, Channel: r.channel, Admin: b.admins[r.user],
		AdminsOnly: len(b.admins) > 0, RequestID: r.id, Location: time.UTC, ChannelPrivate: true,
	}
	// A lookup slow to come (Slack's rate limit for it used up) does not
	// hold the request: it goes on in the time zone UTC, the channel taken
	// as private, and the lookup fills the directory for the next.
	lctx, cancel := context.WithTimeout(ctx, checkLookupWait)
	defer cancel()
	if u, err := b.dir.User(lctx, r.team, r.user); err != nil {
		r.log.Warn("user lookup failed; using UTC", "err", err)
	} else {
		c.Location = u.Location
	}
	if r.channel != "" {
		if ch, err := b.dir.Channel(lctx, r.team, r.channel); err == nil || rituals.ErrorCode(err) == rituals.EINVALID {
			c.ChannelPrivate = ch.Private
		}
	}
	return c
}

// slogAdapter gives slack-go's logger interface a slog backend.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Output(_ int, s string) error {
	a.l.Debug(s)
	return nil
}

// checkChannel refuses early, with a sentence to act on, when the bot
// cannot post in the request's channel; anything typed after would be lost.
// A failure to ask Slack in time is logged and let through: the outbox
// retries, and parks a post the channel refuses with its reason.
func (b *Bot) checkChannel(ctx context.Context, r *request) error {
	lctx, cancel := context.WithTimeout(ctx, checkLookupWait)
	defer cancel()
	_, err := b.dir.Channel(lctx, r.team, r.channel)
	switch rituals.ErrorCode(err) {
	case "":
		return nil
	case rituals.EINTERNAL:
		r.log.Warn("channel lookup failed; going ahead", "err", err)
		return nil
	default:
		return err
	}
}
