package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/alignbot/alignbot/rituals"
)

// Config is what the bot needs from its operator.
type Config struct {
	BotToken string
	AppToken string
	// APIURL is the Web API base URL, with its trailing slash.
	APIURL string
	Admins []string
	// PingInterval is how long slack-go waits for Slack's pings before it
	// reconnects; zero keeps slack-go's default.
	PingInterval time.Duration
	// HandlerTimeout bounds the work done for one envelope.
	HandlerTimeout time.Duration
	// Limits pace the calls the sender makes; zero means DefaultLimits.
	Limits Limits
	// HTTPMode takes Slack's requests over HTTP (SlackHandler) instead of
	// Socket Mode: Run then only waits.
	HTTPMode bool
}

// Store is what the bot reads and writes: the domain's store plus the
// outbox the sender drains.
type Store interface {
	rituals.Store
	OutboxStore
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
}

// Bot is alignbot's Slack edge.
type Bot struct {
	cfg    Config
	api    *slack.Client
	socket *socketmode.Client
	store  Store
	Services
	metrics *Metrics
	log     *slog.Logger
	now     func() time.Time
	admins  map[string]bool
	dir     *directory
	members *memberSets
	seen    *recentSet
	limiter *limiter
	route   routeTable

	connected atomic.Bool
	handlers  sync.WaitGroup
	slots     chan struct{} // bounds concurrent handlers
	accepted  chan struct{} // bounds requests acked and not yet handled
	userPages userPages     // where a users.list listing stopped
}

// New builds a bot. It does not connect; Run does.
func New(cfg Config, store Store, svc Services, m *Metrics, log *slog.Logger, now func() time.Time) *Bot {
	if cfg.HandlerTimeout == 0 {
		cfg.HandlerTimeout = 30 * time.Second
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	api := NewAPI(cfg)
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
		api:      api,
		socket:   socketmode.New(api, opts...),
		store:    store,
		Services: svc,
		metrics:  m,
		log:      log,
		now:      now,
		admins:   admins,
		seen:     newRecentSet(20000),
		limiter:  newLimiter(cfg.Limits),
		slots:    make(chan struct{}, 256),
		accepted: make(chan struct{}, maxAccepted),
	}
	b.dir = newDirectory(api, store, b.limiter, now)
	b.members = newMemberSets(api, b.limiter, now)
	b.route = b.routes()
	return b
}

// NewAPI returns a Web API client for cfg.
func NewAPI(cfg Config) *slack.Client {
	return slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken))
}

// API returns the bot's Web API client.
func (b *Bot) API() *slack.Client { return b.api }

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.connected.Load() }

// Run connects over Socket Mode and handles envelopes until ctx ends, then
// waits for in-flight handlers (bounded by Close's context). It returns an
// error only when Slack refuses the connection for good.
func (b *Bot) Run(ctx context.Context) error {
	if b.cfg.HTTPMode {
		// Requests arrive through SlackHandler; there is no socket to keep.
		b.connected.Store(true)
		<-ctx.Done()
		b.connected.Store(false)
		return nil
	}
	sockCtx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- b.socket.RunContext(sockCtx) }()
	for {
		select {
		case <-ctx.Done():
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

// Close waits for in-flight handlers to finish, or for ctx to end.
func (b *Bot) Close(ctx context.Context) error {
	done := make(chan struct{})
	go func() { b.handlers.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("handlers still running at shutdown: %w", ctx.Err())
	}
}

// caller builds the rituals.Caller for a request, with the person's time
// zone from Slack (UTC if Slack cannot say).
func (b *Bot) caller(ctx context.Context, r *request) rituals.Caller {
	c := rituals.Caller{
		Team: r.team, User: r.user, Channel: r.channel, Admin: b.admins[r.user],
		AdminsOnly: len(b.admins) > 0, RequestID: r.id, Location: time.UTC, ChannelPrivate: true,
	}
	if u, err := b.dir.user(ctx, r.team, r.user); err != nil {
		r.log.Warn("user lookup failed; using UTC", "err", err)
	} else {
		c.Location = u.Location
	}
	if r.channel != "" {
		if ch, err := b.dir.channel(ctx, r.team, r.channel); err == nil || rituals.ErrorCode(err) == rituals.EINVALID {
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

// recentSet remembers the last n keys seen, to drop redeliveries cheaply
// before they reach the database (which has the last word).
type recentSet struct {
	mu    sync.Mutex
	keys  map[string]struct{}
	order []string
	next  int
}

func newRecentSet(n int) *recentSet {
	return &recentSet{keys: make(map[string]struct{}, n), order: make([]string, n)}
}

// add records key and reports whether it was new.
func (s *recentSet) add(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[key]; ok {
		return false
	}
	if old := s.order[s.next]; old != "" {
		delete(s.keys, old)
	}
	s.order[s.next] = key
	s.keys[key] = struct{}{}
	s.next = (s.next + 1) % len(s.order)
	return true
}
