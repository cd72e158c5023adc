package delivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// TestClassifyFailedSends pins the sender's retry rules: what is tried
// again, after how long, and which failures leave a post in doubt (the
// request may have reached Slack, so the next attempt looks first).
func TestClassifyFailedSends(t *testing.T) {
	for name, tc := range map[string]struct {
		err          error
		retry, doubt bool
		wait         time.Duration // exact when set; else the backoff
	}{
		"ErrPermanentIsParked":          {err: errPermanent{"view data unreadable"}},
		"ErrNotFoundIsParked":           {err: fmt.Errorf("load: %w", rituals.Errorf(rituals.ENOTFOUND, "no such decision"))},
		"ErrNotSentRetriesInNoDoubt":    {err: fmt.Errorf("chat.postMessage: %w", slackapi.NotSentError{Err: context.DeadlineExceeded}), retry: true},
		"ErrNotYetRetriesInNoDoubt":     {err: errNotYet{"the card is not posted yet"}, retry: true},
		"RateLimitedWaitsItsRetryAfter": {err: fmt.Errorf("chat.postMessage: %w", &slack.RateLimitedError{RetryAfter: 7 * time.Second}), retry: true, wait: 7 * time.Second},
		"SlackRefusalIsParked":          {err: slack.SlackErrorResponse{Err: "channel_not_found"}},
		"SlackInternalErrorRetries":     {err: slack.SlackErrorResponse{Err: "internal_error"}, retry: true},
		"Server5xxRetriesInDoubt":       {err: slack.StatusCodeError{Code: 503}, retry: true, doubt: true},
		"Timeout408RetriesInDoubt":      {err: slack.StatusCodeError{Code: 408}, retry: true, doubt: true},
		"Client4xxIsParkedInDoubt":      {err: slack.StatusCodeError{Code: 400}, doubt: true},
		"NetworkErrorRetriesInDoubt":    {err: &net.OpError{Op: "read", Err: errors.New("connection reset")}, retry: true, doubt: true},
		"DeadlineRetriesInDoubt":        {err: fmt.Errorf("chat.postMessage: %w", context.DeadlineExceeded), retry: true, doubt: true},
		"UnexpectedEOFRetriesInDoubt":   {err: io.ErrUnexpectedEOF, retry: true, doubt: true},
	} {
		t.Run(name, func(t *testing.T) {
			retry, wait, doubt := classify(tc.err, 3)
			if retry != tc.retry || doubt != tc.doubt {
				t.Fatalf("retry=%v doubt=%v, want retry=%v doubt=%v", retry, doubt, tc.retry, tc.doubt)
			}
			switch {
			case !retry:
			case tc.wait != 0 && wait != tc.wait:
				t.Fatalf("wait %v, want %v", wait, tc.wait)
			case tc.wait == 0 && (wait < 1500*time.Millisecond || wait > 2500*time.Millisecond):
				t.Fatalf("wait %v after a third attempt, want 2 s ± 25 %%", wait)
			}
		})
	}
}

// TestBackoffGrowsAndIsCapped pins the waits between attempts: from
// 500 ms, doubling, never over 5 minutes, each within ±25 %.
func TestBackoffGrowsAndIsCapped(t *testing.T) {
	for attempts, base := range map[int]time.Duration{
		0: 500 * time.Millisecond, 1: 500 * time.Millisecond, 2: time.Second, 5: 8 * time.Second,
		10: 256 * time.Second, 11: 5 * time.Minute, 40: 5 * time.Minute,
	} {
		for range 20 {
			if got := backoff(attempts); got < base*3/4 || got > base*5/4 {
				t.Fatalf("backoff(%d) = %v, want %v ± 25 %%", attempts, got, base)
			}
		}
	}
}
