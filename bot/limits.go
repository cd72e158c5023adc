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
var methodPerMinute = map[string]float64{
	"chat.postEphemeral":           100, // Tier 4
	"chat.update":                  50,  // Tier 3
	"chat.delete":                  50,  // Tier 3
	"conversations.history":        50,  // Tier 3
	"conversations.open":           50,  // Tier 3
	"views.open":                   100, // Tier 4
	"views.update":                 100, // Tier 4
	"views.publish":                100, // Tier 4
	"files.getUploadURLExternal":   20,  // Tier 2
	"files.completeUploadExternal": 20,  // Tier 2
}

// Limits are the sender's pace. Slack allows chat.postMessage about one
// message a second per channel and "several hundred" a minute per
// workspace; the other methods follow methodPerMinute.
type Limits struct {
	PostsPerChannelPerSecond float64
	// PostBurst is how many posts a quiet channel takes at once ("short
	// bursts allowed"), before the per-second pace applies.
	PostBurst      int
	PostsPerMinute float64
	// Margin slows every limit a little, so clock drift between us and
	// Slack never tips a window over.
	Margin float64
}

// DefaultLimits keeps well inside Slack's published limits.
var DefaultLimits = Limits{PostsPerChannelPerSecond: 1, PostBurst: 3, PostsPerMinute: 300, Margin: 0.02}

// limiter paces Web API calls per workspace, method and (for posts)
// channel, and holds a method back after Slack answers 429.
type limiter struct {
	limits Limits

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	blocked map[string]time.Time // team|method → until
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, buckets: map[string]*rate.Limiter{}, blocked: map[string]time.Time{}}
}

// bucket returns the limiter for key, made at perMinute with burst on
// first use.
func (l *limiter) bucket(key string, perMinute float64, burst int) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		every := time.Duration(float64(time.Minute) / perMinute * (1 + l.limits.Margin))
		b = rate.NewLimiter(rate.Every(every), max(burst, 1))
		l.buckets[key] = b
	}
	return b
}

// wait blocks until a call of method (in channel, for posts) may go out
// for team, or ctx ends.
func (l *limiter) wait(ctx context.Context, team, method, channel string) error {
	if err := l.waitUnblocked(ctx, team+"|"+method); err != nil {
		return err
	}
	if method == "chat.postMessage" {
		if l.limits.PostsPerChannelPerSecond > 0 {
			if err := l.bucket(team+"|post|"+channel, 60*l.limits.PostsPerChannelPerSecond, l.limits.PostBurst).Wait(ctx); err != nil {
				return err
			}
		}
		if l.limits.PostsPerMinute > 0 {
			return l.bucket(team+"|post", l.limits.PostsPerMinute, 1).Wait(ctx)
		}
		return nil
	}
	if perMinute, ok := methodPerMinute[method]; ok {
		return l.bucket(team+"|"+method, perMinute, 1).Wait(ctx)
	}
	return nil
}

func (l *limiter) waitUnblocked(ctx context.Context, key string) error {
	for {
		l.mu.Lock()
		until := l.blocked[key]
		l.mu.Unlock()
		d := time.Until(until)
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
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
