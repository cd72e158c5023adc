package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	mrand "math/rand/v2"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// OutboxStore is the outbox as the sender sees it.
type OutboxStore interface {
	ClaimOutbox(ctx context.Context, owner string, now, wall time.Time, lease time.Duration, limit int, interactiveOnly bool) ([]rituals.OutboxItem, error)
	MarkSent(ctx context.Context, it rituals.OutboxItem, channel, ts string, at time.Time) error
	RetryOutbox(ctx context.Context, it rituals.OutboxItem, next time.Time, reason string, doubt bool) error
	DeferOutbox(ctx context.Context, it rituals.OutboxItem, until time.Time) error
	FinishOutbox(ctx context.Context, id, outcome, reason string, at time.Time) error
	RemindersSent(ctx context.Context, team, user string, since time.Time) (int, error)
	SlackMessage(ctx context.Context, team string, key rituals.MessageKey) (channel, ts string, err error)
	MessageKeyAt(ctx context.Context, team, channel, ts string) (rituals.MessageKey, error)
	OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error)
	OutboxClaimOwners(ctx context.Context, now time.Time) ([]string, error)
	ReleaseOutboxClaims(ctx context.Context, owner string, until time.Time) (int64, error)
	// ChannelWorkdays returns the working days a channel set, and false
	// if it set none.
	ChannelWorkdays(ctx context.Context, team, channel string) (rituals.Workdays, bool, error)
}

// Sender drains the outbox: one item at a time per lane, lanes in
// parallel, paced to Slack's limits, retrying what may succeed later and
// parking what cannot. Several senders (replicas) may share one outbox:
// each item is claimed for a lease before it is sent.
type Sender struct {
	store    OutboxStore
	deliver  func(context.Context, rituals.OutboxItem) (string, string, error)
	userZone func(ctx context.Context, team, user string) *time.Location
	now      func() time.Time
	// wall is the real clock, which claims are measured on: a lease is a
	// process's promise to be alive, and the bot's clock (now, a fake
	// clock in tests) jumping a week ahead must not lapse a claim whose
	// send is under way, or the item is sent twice.
	wall    func() time.Time
	log     *slog.Logger
	metrics *metrics.Metrics
	owner   string

	// folded hears of a reminder folded for a person: App Home lists them.
	folded func(ctx context.Context, team, user string) error

	// Workers bounds concurrent sends; BulkWorkers bounds those that are
	// not interactive, so replies and modals always find a free worker.
	Workers, BulkWorkers int
	// Lease is how long a claimed item is held; a process that dies
	// mid-send leaves its items to others after it.
	Lease time.Duration
	// GiveUpAfter bounds how long an item keeps being retried.
	GiveUpAfter time.Duration
	// Poll is how often the outbox is looked at without a wake-up.
	Poll time.Duration
	// ReminderCap is how many reminders one person gets in any 7 days;
	// the rest are folded (App Home lists them). Reminders and
	// escalations go out only between WorkStart and WorkEnd o'clock in
	// the person's time zone, on the working days of the channel they
	// are about (Monday to Friday unless it set others).
	ReminderCap        int
	WorkStart, WorkEnd int
	// Workdays are the working days of what is about no channel, or a
	// channel that set none.
	Workdays rituals.Workdays

	wake    chan struct{}
	mu      sync.Mutex
	running int
	bulk    int
	wg      sync.WaitGroup
}

// NewSender returns a sender that delivers through dl.
func (dl *Deliverer) NewSender() *Sender {
	dl.metrics.KnowOutboxKinds(slices.Collect(maps.Keys(dl.senders)))
	return &Sender{
		store: dl.store, deliver: dl.Deliver, now: dl.now, wall: time.Now, metrics: dl.metrics,
		log: dl.log.With("component", "sender"), owner: InstanceID(),
		userZone: func(ctx context.Context, team, user string) *time.Location {
			if u, err := dl.dir.User(ctx, team, user); err == nil {
				return u.Location
			}
			return time.UTC
		},
		folded: func(ctx context.Context, team, user string) error {
			if dl.Homes == nil {
				return nil
			}
			return dl.Homes.Refresh(ctx, team, user)
		},
		Workers: 32, BulkWorkers: 24, Lease: 30 * time.Second, GiveUpAfter: 24 * time.Hour,
		Poll: 250 * time.Millisecond, ReminderCap: 3, WorkStart: 8, WorkEnd: 19, Workdays: rituals.DefaultWorkdays,
		wake: make(chan struct{}, 1),
	}
}

// InstanceID names this process in outbox and inbox claims.
func InstanceID() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Notify wakes the sender: something was enqueued.
func (s *Sender) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx ends, then waits for the sends under way.
func (s *Sender) Run(ctx context.Context) {
	s.releaseDeadClaims(ctx)
	tick := time.NewTicker(s.Poll)
	defer tick.Stop()
	// A replica on this host killed mid-send is noticed well before its
	// lease lapses.
	reap := time.NewTicker(max(s.Lease/6, time.Second))
	defer reap.Stop()
	for {
		s.fill(ctx)
		select {
		case <-ctx.Done():
			s.wg.Wait()
			return
		case <-s.wake:
		case <-tick.C:
			s.reportDepth(ctx)
		case <-reap.C:
			s.releaseDeadClaims(ctx)
		}
	}
}

// fill claims due items for the free workers and starts their sends.
func (s *Sender) fill(ctx context.Context) {
	s.mu.Lock()
	free, freeBulk := s.Workers-s.running, s.BulkWorkers-s.bulk
	s.mu.Unlock()
	if free <= 0 {
		return
	}
	limit, interactiveOnly := min(free, freeBulk), false
	if freeBulk <= 0 {
		limit, interactiveOnly = free, true
	}
	items, err := s.store.ClaimOutbox(ctx, s.owner, s.now(), s.wall(), s.Lease, limit, interactiveOnly)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("outbox claim failed", "err", err)
		}
		return
	}
	for _, it := range items {
		s.mu.Lock()
		s.running++
		if !it.Interactive {
			s.bulk++
		}
		s.mu.Unlock()
		s.wg.Add(1)
		go func(it rituals.OutboxItem) {
			defer s.wg.Done()
			// A send under way finishes even when shutdown begins.
			s.send(context.WithoutCancel(ctx), it)
			s.mu.Lock()
			s.running--
			if !it.Interactive {
				s.bulk--
			}
			s.mu.Unlock()
			s.Notify()
		}(it)
	}
}

// send makes one attempt at an item and records the outcome. An item that
// panics (a bug, or data no code can render) is parked: left to crash the
// process, it would crash every replica that claimed it next.
func (s *Sender) send(ctx context.Context, it rituals.OutboxItem) {
	log := s.log.With("outbox_id", it.ID, "kind", it.Kind, "team", it.Team, "channel", it.Channel)
	defer func() {
		if p := recover(); p != nil {
			s.metrics.Panics.WithLabelValues(metrics.PanicSender).Inc()
			s.finish(ctx, log.With("stack", string(debug.Stack())), it, rituals.OutcomeParked, fmt.Sprintf("panicked: %v", p))
		}
	}()
	now := s.now()
	if !it.ExpiresAt.IsZero() && now.After(it.ExpiresAt) {
		s.finish(ctx, log, it, rituals.OutcomeExpired, "its moment passed before it could be sent")
		return
	}
	if (it.Reminder || it.Held) && !s.reminderMayGo(ctx, log, it, now) {
		return
	}
	budget := s.attemptBudget(it, s.wall())
	if budget < minAttempt {
		log.Warn("claim came back too late to try; given back", "left", budget.String())
		if err := s.store.RetryOutbox(ctx, it, now, "claimed too late to try before the claim lapsed", it.Doubt); err != nil {
			log.Error("outbox give-back not recorded", "err", err)
		}
		return
	}
	cctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	channel, ts, err := s.deliver(cctx, it)
	now = s.now()
	if err == nil {
		if err := s.store.MarkSent(ctx, it, channel, ts, now); err != nil {
			log.Error("sent, but not recorded as sent", "err", err)
			return
		}
		s.metrics.OutboxSent.WithLabelValues(string(it.Kind), "sent").Inc()
		return
	}
	var settled errSettled
	if errors.As(err, &settled) {
		s.finish(ctx, log, it, rituals.OutcomeExpired, settled.reason)
		return
	}
	retry, wait, doubt := classify(err, it.Attempts)
	if !retry || now.Sub(it.CreatedAt) > s.GiveUpAfter {
		s.finish(ctx, log, it, rituals.OutcomeParked, err.Error())
		return
	}
	log.Warn("send failed; will retry", "err", err, "attempt", it.Attempts, "retry_in", wait.String())
	// An item stays in doubt until a search or a post settles it: an
	// attempt that failed before posting (its search not sent, Slack's
	// limit spent) leaves an earlier attempt's post as likely as before.
	if err := s.store.RetryOutbox(ctx, it, now.Add(wait), err.Error(), doubt || it.Doubt); err != nil {
		log.Error("outbox retry not recorded", "err", err)
	}
}

// minAttempt is the least time worth starting an attempt with.
const minAttempt = time.Second

// attemptBudget is how long an attempt at it may take from wall: until a
// third of the lease before its claim lapses, and 20 s at most. Measured
// from the claim, not from the attempt's start: a claim slow to come back
// (a busy database) leaves less, and an attempt that outlived its claim
// was still posting when another sender took the item over and posted it
// again (TestReplicasActAsOneBot, now and then, before).
func (s *Sender) attemptBudget(it rituals.OutboxItem, wall time.Time) time.Duration {
	return min(it.ClaimedUntil.Sub(wall)-s.Lease/3, 20*time.Second)
}

// reminderMayGo applies the reminder rules: held outside the person's
// working time (their working hours, on the working days of the channel
// the item is from), and, for a reminder, folded beyond their weekly cap.
// It records the outcome itself when the item does not go now.
func (s *Sender) reminderMayGo(ctx context.Context, log *slog.Logger, it rituals.OutboxItem, now time.Time) bool {
	work := rituals.WorkingTime{Days: s.workdays(ctx, log, it), Start: s.WorkStart, End: s.WorkEnd}
	if next := work.Next(now, s.userZone(ctx, it.Team, it.User)); next.After(now) {
		log.Info("reminder held for working hours", "user", it.User, "until", next, "origin", it.Origin)
		if err := s.store.DeferOutbox(ctx, it, next); err != nil {
			log.Error("reminder hold not recorded", "err", err)
		}
		return false
	}
	if !it.Reminder {
		return true // an escalation: never folded
	}
	sent, err := s.store.RemindersSent(ctx, it.Team, it.User, now.Add(-7*24*time.Hour))
	if err != nil {
		log.Error("reminder count failed; sending anyway", "err", err)
		return true
	}
	if sent >= s.ReminderCap {
		s.finish(ctx, log, it, rituals.OutcomeFolded, fmt.Sprintf("%d reminders already sent to this person in 7 days", sent))
		if s.folded != nil {
			if err := s.folded(ctx, it.Team, it.User); err != nil {
				log.Error("app home refresh not queued", "err", err)
			}
		}
		return false
	}
	return true
}

// workdays are the working days it waits for: those of the channel it
// is about, or s.Workdays (no channel, none set, or unreadable).
func (s *Sender) workdays(ctx context.Context, log *slog.Logger, it rituals.OutboxItem) rituals.Workdays {
	if it.Origin == "" {
		return s.Workdays
	}
	days, set, err := s.store.ChannelWorkdays(ctx, it.Team, it.Origin)
	if err != nil {
		log.Error("working days not read; the default ones it is", "err", err)
		return s.Workdays
	}
	if !set {
		return s.Workdays
	}
	return days
}

func (s *Sender) finish(ctx context.Context, log *slog.Logger, it rituals.OutboxItem, outcome, reason string) {
	if err := s.store.FinishOutbox(ctx, it.ID, outcome, reason, s.now()); err != nil {
		log.Error("outbox outcome not recorded", "outcome", outcome, "err", err)
		return
	}
	s.metrics.OutboxSent.WithLabelValues(string(it.Kind), outcome).Inc()
	switch outcome {
	case rituals.OutcomeParked:
		log.Error("outbox item parked", "reason", reason, "attempts", it.Attempts)
	default:
		log.Info("outbox item "+outcome, "reason", reason)
	}
}

func (s *Sender) reportDepth(ctx context.Context) {
	n, oldest, err := s.store.OutboxStats(ctx)
	if err != nil {
		return
	}
	s.metrics.OutboxDepth.Set(float64(n))
	age := 0.0
	if !oldest.IsZero() {
		age = max(0, s.now().Sub(oldest).Seconds())
	}
	s.metrics.OutboxAge.Set(age)
}

// retryableSlackErrors are Slack error codes that mean "not now".
var retryableSlackErrors = map[string]bool{
	"ratelimited": true, "rate_limited": true, "internal_error": true, "fatal_error": true,
	"service_unavailable": true, "request_timeout": true,
}

// classify says whether a failed send may succeed later, when to try, and
// whether the failed attempt may nonetheless have reached Slack.
func classify(err error, attempts int) (retry bool, wait time.Duration, doubt bool) {
	var (
		rl  *slack.RateLimitedError
		se  slack.SlackErrorResponse
		sc  slack.StatusCodeError
		ne  net.Error
		per errPermanent
		np  slackapi.NotSentError
		ny  errNotYet
	)
	switch {
	case errors.As(err, &per), rituals.ErrorCode(err) == rituals.ENOTFOUND:
		return false, 0, false
	case errors.As(err, &np), errors.As(err, &ny):
		return true, backoff(attempts), false
	case errors.As(err, &rl):
		return true, rl.RetryAfter, false
	case errors.As(err, &se):
		return retryableSlackErrors[se.Err], backoff(attempts), false
	case errors.As(err, &sc):
		return sc.Code >= 500 || sc.Code == 408, backoff(attempts), true
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		return true, backoff(attempts), true
	default:
		// Transport failures without a type (EOF, connection reset):
		// worth another try, and the request may have arrived.
		return true, backoff(attempts), true
	}
}

// backoff is the wait after failed attempt number attempts: exponential
// from 500 ms, capped at 5 minutes, with ±25 % jitter.
func backoff(attempts int) time.Duration {
	d := 500 * time.Millisecond << min(max(attempts-1, 0), 10)
	d = min(d, 5*time.Minute)
	return time.Duration(float64(d) * (0.75 + mrand.Float64()/2))
}
