package slackapi

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// methodPerMinute is each Web API method's rate-limit tier, in calls per
// minute per workspace (Slack's "Tier 2/3/4"; see shared/slack/PROTOCOL.md
// §3.2). Methods not listed are not limited here.
var methodPerMinute = map[string]int{
	"chat.postEphemeral":           100, // Tier 4
	"chat.update":                  50,  // Tier 3
	"chat.delete":                  50,  // Tier 3
	"conversations.history":        50,  // Tier 3
	"conversations.replies":        50,  // Tier 3
	"conversations.open":           50,  // Tier 3
	"views.open":                   100, // Tier 4
	"views.update":                 100, // Tier 4
	"views.publish":                100, // Tier 4
	"files.getUploadURLExternal":   20,  // Tier 2
	"files.completeUploadExternal": 20,  // Tier 2
	"users.info":                   100, // Tier 4
	"users.list":                   20,  // Tier 2
	"conversations.info":           50,  // Tier 3
	"conversations.members":        100, // Tier 4
	"usergroups.users.list":        20,  // Tier 2
	"usergroups.list":              20,  // Tier 2
}

// Limits are the sender's pace. Slack allows chat.postMessage about one
// message a second per channel with short bursts, and "several hundred" a
// minute per workspace; the other methods follow methodPerMinute.
type Limits struct {
	PostsPerChannelPerSecond float64
	// PostBurst is how many posts a quiet channel takes at once before the
	// per-second pace applies.
	PostBurst      int
	PostsPerMinute int
	// Margin widens every minute window a little, so clock drift between
	// us and Slack never tips a window over.
	Margin float64
}

// DefaultLimits keeps inside Slack's published limits.
var DefaultLimits = Limits{PostsPerChannelPerSecond: 1, PostBurst: 3, PostsPerMinute: 300, Margin: 0.02}

// SharedLimits counts calls where every replica sees them (see
// storage/ratelimit.go), so replicas together keep to one workspace's
// limits instead of each to all of them.
type SharedLimits interface {
	// TakeRate counts a call under key if fewer than limit were made in
	// the span before now, and returns 0; else how long until one may go.
	TakeRate(ctx context.Context, key string, limit int, span time.Duration, now time.Time) (time.Duration, error)
	// BlockRate holds key back until until, after a 429.
	BlockRate(ctx context.Context, key string, until time.Time) error
}

// limiter paces Web API calls per workspace and method, and per channel
// for posts, and holds a method back after Slack answers 429. With shared
// limits, the minute windows and the holds are counted with the other
// replicas; the per-channel pace stays per process (a channel's posts go
// one at a time from its outbox lane).
type limiter struct {
	limits Limits
	shared SharedLimits
	log    *slog.Logger
	// taking holds one shared take per key at a time in this process, so
	// the replicas together go over a full window by one call each at
	// most (see storage's TakeRate), and a crowd of senders costs one
	// pooled connection, not one each.
	taking map[string]*sync.Mutex

	mu       sync.Mutex
	windows  map[string]*window
	channels map[string]*rate.Limiter
	blocked  map[string]time.Time // team|method → until
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, windows: map[string]*window{}, channels: map[string]*rate.Limiter{},
		blocked: map[string]time.Time{}, taking: map[string]*sync.Mutex{}}
}

// wait blocks until a call of method (in channel, for posts) may go out
// for team, or ctx ends.
func (l *limiter) wait(ctx context.Context, team, method, channel string) error {
	if err := l.waitUnblocked(ctx, team+"|"+method); err != nil {
		return err
	}
	perMinute := methodPerMinute[method]
	if method == "chat.postMessage" {
		if l.limits.PostsPerChannelPerSecond > 0 {
			if err := l.channel(team + "|" + channel).Wait(ctx); err != nil {
				return err
			}
		}
		perMinute = l.limits.PostsPerMinute
	}
	if perMinute <= 0 {
		return nil
	}
	key := team + "|" + method
	if l.shared != nil {
		return l.waitShared(ctx, key, perMinute)
	}
	return l.window(key, perMinute).wait(ctx)
}

// takeShared makes one shared take under key, one at a time in this
// process.
func (l *limiter) takeShared(ctx context.Context, key string, perMinute int) (time.Duration, error) {
	l.mu.Lock()
	m, ok := l.taking[key]
	if !ok {
		m = &sync.Mutex{}
		l.taking[key] = m
	}
	l.mu.Unlock()
	m.Lock()
	defer m.Unlock()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return l.shared.TakeRate(ctx, key, perMinute, l.span(), time.Now())
}

// span is the window calls are counted over: a minute, a little wider.
func (l *limiter) span() time.Duration {
	return time.Duration(float64(time.Minute) * (1 + l.limits.Margin))
}

// waitShared takes a place under key in the shared count, waiting while
// the replicas together have used the window up or Slack holds it back.
// If the count cannot be read (the database down), this process's own
// window paces the call instead.
func (l *limiter) waitShared(ctx context.Context, key string, perMinute int) error {
	for {
		wait, err := l.takeShared(ctx, key, perMinute)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			l.log.Warn("shared rate limit unreadable; pacing this process alone", "key", key, "err", err)
			return l.window(key, perMinute).wait(ctx)
		}
		if wait <= 0 {
			return nil
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func (l *limiter) channel(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.channels[key]
	if !ok {
		c = rate.NewLimiter(rate.Limit(l.limits.PostsPerChannelPerSecond), max(l.limits.PostBurst, 1))
		l.channels[key] = c
	}
	return c
}

func (l *limiter) window(key string, perMinute int) *window {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.windows[key]
	if !ok {
		w = &window{span: l.span(), times: make([]time.Time, 0, perMinute)}
		l.windows[key] = w
	}
	return w
}

func (l *limiter) waitUnblocked(ctx context.Context, key string) error {
	for {
		l.mu.Lock()
		d := time.Until(l.blocked[key])
		l.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// block holds method back for team until Slack's Retry-After has passed,
// here and, with shared limits, in every replica.
func (l *limiter) block(ctx context.Context, team, method string, retryAfter time.Duration) {
	key, until := team+"|"+method, time.Now().Add(retryAfter)
	l.mu.Lock()
	if until.After(l.blocked[key]) {
		l.blocked[key] = until
	}
	l.mu.Unlock()
	if l.shared != nil {
		if err := l.shared.BlockRate(context.WithoutCancel(ctx), key, until); err != nil {
			l.log.Warn("429 hold not shared with other replicas", "key", key, "err", err)
		}
	}
}

// window allows at most cap(times) calls in any span, as Slack counts
// them: bursts up to the limit go at once, then calls wait for the
// oldest to leave the window.
type window struct {
	mu    sync.Mutex
	span  time.Duration
	times []time.Time // ring of the last calls, oldest at next once full
	next  int
}

func (w *window) wait(ctx context.Context) error {
	for {
		w.mu.Lock()
		now := time.Now()
		if len(w.times) < cap(w.times) {
			w.times = append(w.times, now)
			w.mu.Unlock()
			return nil
		}
		d := w.times[w.next].Add(w.span).Sub(now)
		if d <= 0 {
			w.times[w.next] = now
			w.next = (w.next + 1) % len(w.times)
			w.mu.Unlock()
			return nil
		}
		w.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
