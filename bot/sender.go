package bot

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// OutboxStore is the outbox as the sender sees it.
type OutboxStore interface {
	DueOutbox(ctx context.Context, now time.Time, limit int, busy []string) ([]rituals.OutboxItem, error)
	MarkSent(ctx context.Context, it rituals.OutboxItem, channel, ts string, at time.Time) error
	RetryOutbox(ctx context.Context, id string, next time.Time, reason string) error
	ParkOutbox(ctx context.Context, id, reason string, expired bool, at time.Time) error
	SlackMessage(ctx context.Context, team, key string) (channel, ts string, err error)
	OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error)
}

// Sender drains the outbox: one item at a time per lane, lanes in
// parallel, retrying what may succeed later and parking what cannot.
type Sender struct {
	store   OutboxStore
	deliver func(context.Context, rituals.OutboxItem) (string, string, error)
	now     func() time.Time
	log     *slog.Logger
	metrics *Metrics

	// Workers bounds concurrent sends; GiveUpAfter bounds how long an item
	// keeps being retried.
	Workers     int
	GiveUpAfter time.Duration
	// Poll is how often the outbox is looked at without a wake-up.
	Poll time.Duration

	wake     chan struct{}
	mu       sync.Mutex
	inflight map[string]bool
	wg       sync.WaitGroup
}

// NewSender returns a sender that delivers through b.
func (b *Bot) NewSender() *Sender {
	return &Sender{
		store: b.store, deliver: b.deliver, now: b.now, log: b.log.With("component", "sender"), metrics: b.metrics,
		Workers: 16, GiveUpAfter: 24 * time.Hour, Poll: 250 * time.Millisecond,
		wake: make(chan struct{}, 1), inflight: map[string]bool{},
	}
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
	tick := time.NewTicker(s.Poll)
	defer tick.Stop()
	for {
		s.fill(ctx)
		select {
		case <-ctx.Done():
			s.wg.Wait()
			return
		case <-s.wake:
		case <-tick.C:
			s.reportDepth(ctx)
		}
	}
}

// fill starts sends for due items, up to the free workers.
func (s *Sender) fill(ctx context.Context) {
	s.mu.Lock()
	free := s.Workers - len(s.inflight)
	busy := make([]string, 0, len(s.inflight))
	for l := range s.inflight {
		busy = append(busy, l)
	}
	s.mu.Unlock()
	if free <= 0 {
		return
	}
	items, err := s.store.DueOutbox(ctx, s.now(), free, busy)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("outbox read failed", "err", err)
		}
		return
	}
	for _, it := range items {
		s.mu.Lock()
		s.inflight[it.Lane] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func(it rituals.OutboxItem) {
			defer s.wg.Done()
			// A send under way finishes even when shutdown begins.
			s.send(context.WithoutCancel(ctx), it)
			s.mu.Lock()
			delete(s.inflight, it.Lane)
			s.mu.Unlock()
			s.Notify()
		}(it)
	}
}

// send makes one attempt at an item and records the outcome.
func (s *Sender) send(ctx context.Context, it rituals.OutboxItem) {
	log := s.log.With("outbox_id", it.ID, "kind", it.Kind, "team", it.Team, "channel", it.Channel)
	now := s.now()
	if !it.ExpiresAt.IsZero() && now.After(it.ExpiresAt) {
		s.finish(ctx, log, it, "expired", s.store.ParkOutbox(ctx, it.ID, "expired before it could be sent", true, now))
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	channel, ts, err := s.deliver(cctx, it)
	cancel()
	now = s.now()
	if err == nil {
		s.finish(ctx, log, it, "sent", s.store.MarkSent(ctx, it, channel, ts, now))
		return
	}
	retry, wait := classify(err, it.Attempts)
	if !retry || now.Sub(it.CreatedAt) > s.GiveUpAfter {
		log.Error("outbox item parked", "reason", err.Error(), "attempts", it.Attempts+1)
		s.finish(ctx, log, it, "parked", s.store.ParkOutbox(ctx, it.ID, err.Error(), false, now))
		return
	}
	log.Warn("send failed; will retry", "err", err, "attempts", it.Attempts+1, "retry_in", wait)
	if err := s.store.RetryOutbox(ctx, it.ID, now.Add(wait), err.Error()); err != nil {
		log.Error("outbox retry not recorded", "err", err)
	}
}

func (s *Sender) finish(ctx context.Context, log *slog.Logger, it rituals.OutboxItem, outcome string, err error) {
	if err != nil {
		log.Error("outbox outcome not recorded", "outcome", outcome, "err", err)
		return
	}
	s.metrics.OutboxSent.WithLabelValues(it.Kind, outcome).Inc()
	log.Debug("outbox item done", "outcome", outcome)
}

func (s *Sender) reportDepth(ctx context.Context) {
	n, oldest, err := s.store.OutboxStats(ctx)
	if err != nil {
		return
	}
	s.metrics.OutboxDepth.Set(float64(n))
	age := 0.0
	if !oldest.IsZero() {
		age = s.now().Sub(oldest).Seconds()
	}
	s.metrics.OutboxAge.Set(age)
}

// retryableSlackErrors are Slack error codes that mean "not now".
var retryableSlackErrors = map[string]bool{
	"ratelimited": true, "rate_limited": true, "internal_error": true, "fatal_error": true,
	"service_unavailable": true, "request_timeout": true,
}

// classify says whether a failed send may succeed later, and when to try.
func classify(err error, attempts int) (retry bool, wait time.Duration) {
	var (
		rl  *slack.RateLimitedError
		se  slack.SlackErrorResponse
		sc  slack.StatusCodeError
		ne  net.Error
		per errPermanent
	)
	switch {
	case errors.As(err, &per):
		return false, 0
	case errors.As(err, &rl):
		return true, rl.RetryAfter
	case errors.As(err, &se):
		return retryableSlackErrors[se.Err], backoff(attempts)
	case errors.As(err, &sc):
		return sc.Code >= 500 || sc.Code == 408, backoff(attempts)
	case rituals.ErrorCode(err) == rituals.ENOTFOUND:
		return false, 0
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		return true, backoff(attempts)
	default:
		// Transport failures without a type (EOF, connection reset):
		// worth another try.
		return true, backoff(attempts)
	}
}

// backoff is the wait before retry number attempts+1: exponential from
// 500 ms, capped at 5 minutes, with ±25 % jitter.
func backoff(attempts int) time.Duration {
	d := 500 * time.Millisecond << min(attempts, 10)
	d = min(d, 5*time.Minute)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}
