package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/alignbot/alignbot/bot"
	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/hooks"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// shutdownGrace bounds a clean stop: SPEC §4 promises exit within 10 s.
const shutdownGrace = 9 * time.Second

// Main is a running alignbot: the composition root where the Slack edge
// and the store meet.
type Main struct {
	Config Config
	Log    *slog.Logger
	Now    func() time.Time
	// PingInterval overrides slack-go's socket ping timeout (tests).
	PingInterval time.Duration
	// HandlerTimeout overrides how long one request may take (tests).
	HandlerTimeout time.Duration
	// RetryBase overrides the first wait before a failed request is
	// taken up again (tests).
	RetryBase time.Duration
	// TriggerTTL overrides how long a click's trigger may open a modal
	// (tests).
	TriggerTTL time.Duration
	// WorkingTime overrides when reminders and escalations may reach a
	// person (tests): 08:00 to 19:00, Monday to Friday unless a channel
	// set other days, otherwise.
	WorkingTime *rituals.WorkingTime

	DB     *storage.DB
	Bot    *bot.Bot
	Sender *delivery.Sender
	Runner *rituals.Runner
	// TickEvery is the scheduler's heartbeat; zero means every 15 s.
	TickEvery time.Duration
	Metrics   *metrics.Metrics
	// HTTP serves Slack's requests, in http mode only; Ops serves
	// /healthz, /readyz and /metrics, unless OpsAddr is off.
	HTTP *http.Server
	Ops  *http.Server
	// Web serves the decision log's site, when ALIGNBOT_WEB_ADDR is set;
	// WebAddr is where, once open.
	Web     *http.Server
	WebAddr string
	// HTTPAddr is where Slack's requests come in, once open (http mode).
	// In socket mode, which has no public listener, it is OpsAddr: the
	// ops endpoints are what ALIGNBOT_HTTP_ADDR has always served there.
	HTTPAddr string
	// OpsAddr is where the ops endpoints listen, once open.
	OpsAddr string

	stopSender context.CancelFunc
	senderDone chan struct{}
	stopRunner context.CancelFunc
	runnerDone chan struct{}
	serving    sync.WaitGroup
}

// Open opens and migrates the database, checks the bot token with Slack,
// wires the bot and starts the health server. Returns an error that names
// what to fix.
func (m *Main) Open(ctx context.Context) error {
	if m.Now == nil {
		m.Now = time.Now
	}
	db, err := storage.Open(ctx, m.Config.DB)
	if err != nil {
		return fmt.Errorf("cannot use database: %w", err)
	}
	m.DB = db
	db.Now = m.Now
	if err := db.Migrate(ctx, m.Log); err != nil {
		return fmt.Errorf("cannot migrate database %s: %w", storage.Redact(m.Config.DB), err)
	}
	m.Metrics = metrics.New()
	limits := slackapi.DefaultLimits
	if m.Config.PostsPerMinute > 0 {
		limits.PostsPerMinute = m.Config.PostsPerMinute
	}
	// Slack's client and directory first: the services ask the directory
	// who is in a channel, and who a person is.
	slack := slackapi.New(slackapi.Config{
		BotToken: m.Config.BotToken, AppToken: m.Config.AppToken, APIURL: m.Config.APIURL,
		Limits: limits, Shared: sharedLimits(db),
	}, m.Metrics.APIErrors, m.Log)
	dir := slackapi.NewDirectory(slack, db, m.Now)
	services := bot.Services{
		Decisions: &rituals.Decisions{Store: db, Now: m.Now, Members: dir},
		Rights:    &rituals.Rights{Store: db, Now: m.Now, Members: dir},
		Blockers:  &rituals.Blockers{Store: db, Now: m.Now, Members: dir},
		Checkins:  &rituals.Checkins{Store: db, Now: m.Now, People: dir, Log: m.Log.With("component", "checkins")},
		Pulses:    &rituals.Pulses{Store: db, Now: m.Now, Log: m.Log.With("component", "pulses")},
		Sessions:  &rituals.Sessions{Store: db, Now: m.Now, Log: m.Log.With("component", "sessions"), Members: dir},
		Homes:     &rituals.Homes{Store: db, Now: m.Now, Members: dir},
	}
	services.Digests = &rituals.Digests{Store: db, Now: m.Now, Pulses: services.Pulses, Sessions: services.Sessions, Rollups: db}
	services.Hooks = &rituals.Hooks{Store: db, Now: m.Now}
	services.Workdays = &rituals.WorkdaySettings{Store: db, Now: m.Now}
	out := delivery.New(slack, dir, db, delivery.Services{Pulses: services.Pulses, Homes: services.Homes, Digests: services.Digests, WebURL: m.Config.Web.URL},
		m.Metrics, m.Log, m.Now)
	cfg := bot.Config{
		Admins: m.Config.Admins, PingInterval: m.PingInterval, HTTPMode: m.Config.Mode == "http",
		HandlerTimeout: m.HandlerTimeout, RetryBase: m.RetryBase, TriggerTTL: m.TriggerTTL, WebURL: m.Config.Web.URL,
	}
	m.Bot = bot.New(cfg, slack, dir, out, db, services, m.Metrics, m.Log, m.Now)
	m.Sender = out.NewSender()
	if w := m.WorkingTime; w != nil {
		m.Sender.WorkStart, m.Sender.WorkEnd, m.Sender.Workdays = w.Start, w.End, w.Days
	}
	db.OnEnqueue = m.Sender.Notify
	m.Runner = rituals.NewRunner(db, m.Log, dir, services.Checkins, services.Pulses, services.Sessions, services.Digests, m.maintain())
	m.Runner.Observe = m.Metrics.ObserveRitual
	m.Metrics.KnowRituals(m.Runner.Names())

	if err := m.Bot.CheckAuth(ctx); err != nil {
		return err
	}
	if err := m.listenWeb(ctx); err != nil {
		return err
	}
	return m.listen()
}

// hookRoutes serves the delivery hooks (POST /hooks/{source}/{id}) on
// mux: a signed event's time is checked against the wall clock, its
// sender's, not the rituals' clock.
func (m *Main) hookRoutes(mux *http.ServeMux) {
	(&hooks.Handler{Hooks: m.Bot.Hooks, Now: time.Now, Log: m.Log.With("component", "hooks")}).Routes(mux)
}

// listen opens the HTTP listeners. In http mode Slack's requests come in
// on HTTPAddr, which serves the delivery hooks too and nothing else; the
// ops endpoints (and the
// profiler in -tags pprof builds) listen on OpsAddr, in either mode.
func (m *Main) listen() error {
	if m.Config.Mode == "http" {
		mux := http.NewServeMux()
		mux.Handle("/slack/", m.Bot.SlackHandler(m.Config.SigningSecret))
		m.hookRoutes(mux)
		srv, addr, err := m.serve("ALIGNBOT_HTTP_ADDR", m.Config.HTTPAddr, mux, slackWriteTimeout)
		if err != nil {
			return err
		}
		m.HTTP, m.HTTPAddr = srv, addr
	}
	if m.Config.OpsAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("/", bot.HealthHandler(m.Bot.Connected, m.DB.Ping, m.Metrics))
	writeTimeout := max(opsWriteTimeout, debugRoutes(mux))
	name := "ALIGNBOT_OPS_ADDR"
	if m.Config.Mode != "http" && m.Config.OpsAddr == m.Config.HTTPAddr {
		name = "ALIGNBOT_HTTP_ADDR"
	}
	srv, addr, err := m.serve(name, m.Config.OpsAddr, mux, writeTimeout)
	if err != nil {
		return err
	}
	m.Ops, m.OpsAddr = srv, addr
	if m.Config.Mode != "http" {
		m.HTTPAddr = addr
	}
	return nil
}

// Timeouts of the HTTP servers: a slow or stalled client cannot hold a
// connection or a goroutine for long. Slack's requests are small and
// answered within httpAckDeadline; a scrape of /metrics takes
// milliseconds.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	slackWriteTimeout = 10 * time.Second
	opsWriteTimeout   = 10 * time.Second
	idleTimeout       = 2 * time.Minute
)

// serve listens on addr (named by the variable name, for the error) and
// serves h there until Close.
func (m *Main) serve(name, addr string, h http.Handler, writeTimeout time.Duration) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("cannot listen on %s %s: %w", name, addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(m.Log.With("listener", name).Handler(), slog.LevelWarn),
	}
	m.serving.Add(1)
	go func() {
		defer m.serving.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("http server stopped", "listener", name, "err", err)
		}
	}()
	return srv, ln.Addr().String(), nil
}

// Run serves until ctx ends or Slack refuses the app token.
func (m *Main) Run(ctx context.Context) error {
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopSender = stop
	m.senderDone = make(chan struct{})
	go func() {
		defer close(m.senderDone)
		m.Sender.Run(sctx)
	}()
	rctx, stopRunner := context.WithCancel(ctx)
	m.stopRunner = stopRunner
	m.runnerDone = make(chan struct{})
	every := m.TickEvery
	if every == 0 {
		every = 15 * time.Second
	}
	go func() {
		defer close(m.runnerDone)
		m.Runner.Run(rctx, every, m.Now)
	}()
	m.Log.Info("alignbot started", "version", version(), "mode", m.Config.Mode, "db", storage.Redact(m.Config.DB), "http", m.HTTPAddr, "ops", m.OpsAddr, "web", m.WebAddr)
	return m.Bot.Run(ctx)
}

// Close stops in order: intake (the socket stopped with Run's context;
// in http mode the listener stops here), then the scheduler, the requests
// under way (those not begun stay in the inbox), the sender (after its
// current sends), the ops server, and the database last. ctx bounds it all.
func (m *Main) Close(ctx context.Context) error {
	var errs []error
	if m.HTTP != nil {
		// Intake first: Slack's requests stop coming in (those under way
		// are written to the inbox and answered) before anything else.
		errs = append(errs, m.HTTP.Shutdown(ctx))
	}
	if m.Web != nil {
		errs = append(errs, m.Web.Shutdown(ctx))
	}
	if m.stopRunner != nil {
		m.stopRunner()
		select {
		case <-m.runnerDone:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("scheduler still ticking at shutdown: %w", ctx.Err()))
		}
	}
	if m.Bot != nil {
		errs = append(errs, m.Bot.Close(ctx))
	}
	if m.stopSender != nil {
		m.stopSender()
		select {
		case <-m.senderDone:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("sender still sending at shutdown: %w", ctx.Err()))
		}
	}
	if m.Ops != nil {
		errs = append(errs, m.Ops.Shutdown(ctx))
	}
	m.serving.Wait()
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	return errors.Join(errs...)
}

func runServe(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stderr io.Writer) error {
	cfg, _, err := parseConfig("run", args, lookupEnv, stderr, nil)
	if err != nil {
		return err
	}
	if err := cfg.validateRun(); err != nil {
		return err
	}
	m := &Main{Config: cfg, Log: newLogger(stderr, cfg.LogLevel)}
	if err := m.Open(ctx); err != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		m.Close(cctx)
		return err
	}
	runErr := m.Run(ctx)
	m.Log.Info("stopping")
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := m.Close(cctx); err != nil {
		m.Log.Error("unclean stop", "err", err)
	}
	if runErr != nil {
		return runErr
	}
	m.Log.Info("stopped")
	return nil
}

// errUsage reports a flag error flag already printed.
var errUsage = errors.New("usage")

// maintain returns the scheduler's housekeeping: pruning, once an hour.
// The scheduler may tick from its heartbeat and from elsewhere at once
// (tests tick it by hand), so the last run is kept under a lock.
func (m *Main) maintain() func(context.Context, time.Time) error {
	var (
		mu   sync.Mutex
		last time.Time
	)
	return func(ctx context.Context, now time.Time) error {
		mu.Lock()
		due := now.Sub(last) >= time.Hour
		if due {
			last = now
		}
		mu.Unlock()
		if !due {
			return nil
		}
		n, err := m.DB.Prune(ctx, now)
		if n > 0 {
			m.Log.Info("old bookkeeping pruned", "rows", n)
		}
		return err
	}
}

// sharedLimits is where Slack's rate limits are counted: on PostgreSQL,
// in the database every replica shares; on SQLite (one process), in
// memory.
func sharedLimits(db *storage.DB) slackapi.SharedLimits {
	if db.Dialect() == "postgres" {
		return db
	}
	return nil
}
