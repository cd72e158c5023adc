package bot

import (
	"context"
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

// limiter paces Web API calls per workspace and method, and per channel
// for posts, and holds a method back after Slack answers 429.
type limiter struct {
	limits Limits

	mu       sync.Mutex
	windows  map[string]*window
	channels map[string]*rate.Limiter
	blocked  map[string]time.Time // team|method → until
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, windows: map[string]*window{}, channels: map[string]*rate.Limiter{}, blocked: map[string]time.Time{}}
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
	return l.window(team+"|"+method, perMinute).wait(ctx)
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
		w = &window{span: time.Duration(float64(time.Minute) * (1 + l.limits.Margin)), times: make([]time.Time, 0, perMinute)}
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

// block holds method back for team until Slack's Retry-After has passed.
func (l *limiter) block(team, method string, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := time.Now().Add(retryAfter)
	if key := team + "|" + method; until.After(l.blocked[key]) {
		l.blocked[key] = until
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
