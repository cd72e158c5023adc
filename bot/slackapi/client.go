// Package slackapi is alignbot's one way to Slack's Web API: a client that
// paces every call to its method's rate limit (shared with the other
// replicas on PostgreSQL), holds a method back after a 429 and counts
// what failed; and the directory of people, channels and user groups
// built on it, which implements the domain's directory ports.
//
// Both the edge (package bot) and delivery (package bot/delivery) use the
// same Client, so a handler's views.open and the sender's posts wait in
// one queue per workspace and method.
package slackapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
)

// Config is how to reach Slack, and how fast.
type Config struct {
	BotToken string
	AppToken string
	// APIURL is the Web API base URL, with its trailing slash.
	APIURL string
	// Limits pace the calls; zero means DefaultLimits.
	Limits Limits
	// Shared, when set, counts Slack's rate limits with the other
	// replicas (PostgreSQL); unset, this process paces itself alone.
	Shared SharedLimits
}

// Client is the paced Web API client. Build it first, and hand it to
// NewDirectory, the edge and delivery.
type Client struct {
	api     *slack.Client
	limiter *limiter
	// failed counts failed calls by method and error; nil counts nothing.
	failed *prometheus.CounterVec
}

// New returns the client for cfg's tokens. failed, when not nil, counts
// failed calls by method and error (alignbot_slack_api_errors_total).
func New(cfg Config, failed *prometheus.CounterVec, log *slog.Logger) *Client {
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	l := newLimiter(cfg.Limits)
	l.shared, l.log = cfg.Shared, log.With("component", "limits")
	return &Client{api: NewAPI(cfg), limiter: l, failed: failed}
}

// NewAPI returns a Web API client for cfg, unpaced: for Socket Mode's
// connection, which slack-go drives itself, and for tests.
func NewAPI(cfg Config) *slack.Client {
	return slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken))
}

// Socket returns the unpaced client Socket Mode connects with. Every other
// call goes through Call.
func (c *Client) Socket() *slack.Client { return c.api }

// NotSentError marks a call that never left: it was still waiting for its
// turn under the rate limits when its time ran out.
type NotSentError struct{ Err error }

func (e NotSentError) Error() string { return "not sent: " + e.Err.Error() }
func (e NotSentError) Unwrap() error { return e.Err }

// Call makes one Web API call for team: it waits for method's limit (and,
// for chat.postMessage, channel's), holds method back for a 429's
// Retry-After, and counts a failure. The error names the method; a call
// that ran out of time before it left is a NotSentError.
func (c *Client) Call(ctx context.Context, team, method, channel string, fn func(api *slack.Client) error) error {
	if err := c.limiter.wait(ctx, team, method, channel); err != nil {
		return fmt.Errorf("%s: %w", method, NotSentError{err})
	}
	err := fn(c.api)
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		c.limiter.block(ctx, team, method, rl.RetryAfter)
	}
	if err == nil {
		return nil
	}
	if c.failed != nil {
		c.failed.WithLabelValues(method, ErrorCode(err)).Inc()
	}
	return fmt.Errorf("%s: %w", method, err)
}

// ErrorCode names a failed call's error as the error counter labels it:
// Slack's error string, "ratelimited", "http_<status>", "timeout" or
// "other".
func ErrorCode(err error) string {
	var se slack.SlackErrorResponse
	var sc slack.StatusCodeError
	var rl *slack.RateLimitedError
	switch {
	case errors.As(err, &se):
		return se.Err
	case errors.As(err, &rl):
		return "ratelimited"
	case errors.As(err, &sc):
		return fmt.Sprintf("http_%d", sc.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "other"
}

// SlackError reports whether err is Slack's refusal with one of codes
// (an "ok": false answer).
func SlackError(err error, codes ...string) bool {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return false
	}
	for _, c := range codes {
		if se.Err == c {
			return true
		}
	}
	return false
}

// Permalink returns the link to the message ts in channel.
func (c *Client) Permalink(ctx context.Context, team, channel, ts string) (string, error) {
	var link string
	err := c.Call(ctx, team, "chat.getPermalink", channel, func(api *slack.Client) (err error) {
		link, err = api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: channel, Ts: ts})
		return err
	})
	return link, err
}
