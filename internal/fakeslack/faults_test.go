package fakeslack

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestFailNext(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	post := func(ctx context.Context) error {
		_, _, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("x", false))
		return err
	}

	fs.FailNext("chat.postMessage", 1, Fault{Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond})
	var rl *slack.RateLimitedError
	if err := post(ctx); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("429: err = %v, want RateLimitedError with RetryAfter 2s", err)
	}

	fs.FailNext("chat.postMessage", 2, Fault{Status: http.StatusServiceUnavailable})
	for range 2 {
		var sc slack.StatusCodeError
		if err := post(ctx); !errors.As(err, &sc) || sc.Code != http.StatusServiceUnavailable {
			t.Fatalf("503: err = %v", err)
		}
	}

	fs.FailNext("chat.postMessage", 1, Fault{Error: "fatal_error"})
	if err := post(ctx); err == nil || err.Error() != "fatal_error" {
		t.Fatalf("error fault: %v", err)
	}

	fs.FailNext("chat.postMessage", 1, Fault{Delay: time.Second})
	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	if err := post(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delay: err = %v, want deadline exceeded", err)
	}

	fs.FailNext("chat.postMessage", 1, Fault{Delay: 20 * time.Millisecond})
	start := time.Now()
	if err := post(ctx); err != nil || time.Since(start) < 20*time.Millisecond {
		t.Fatalf("delay then answer: %v after %v", err, time.Since(start))
	}

	fs.FailNext("chat.postMessage", 1, Fault{Drop: true})
	if err := post(ctx); err == nil {
		t.Fatal("dropped connection: no error")
	}

	if err := post(ctx); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	calls := fs.Calls("chat.postMessage")
	wantStatus := []int{429, 503, 503, 200, 0, 200, 0, 200}
	if len(calls) != len(wantStatus) {
		t.Fatalf("%d calls recorded, want %d", len(calls), len(wantStatus))
	}
	for i, c := range calls {
		if c.Status != wantStatus[i] {
			t.Fatalf("call %d status %d, want %d", i, c.Status, wantStatus[i])
		}
	}
	if len(fs.Messages("C0GENERAL")) != 2 {
		t.Fatalf("messages = %+v, want the two that got through", fs.Messages("C0GENERAL"))
	}
}

func TestChannelPostRate(t *testing.T) {
	fs := newServer(t, Options{})
	fs.AddChannel(Channel{ID: "C0OTHER", Name: "other", Members: []string{fs.BotUserID()}})
	api := newAPI(fs)
	ctx := testCtx(t)
	post := func(ch string) error {
		_, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("x", false))
		return err
	}
	fs.SetChannelPostRate(1, 2)
	for i := range 2 {
		if err := post("C0GENERAL"); err != nil {
			t.Fatalf("post %d within burst: %v", i, err)
		}
	}
	var rl *slack.RateLimitedError
	if err := post("C0GENERAL"); !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("third post: %v, want Retry-After 1s", err)
	}
	if err := post("C0OTHER"); err != nil {
		t.Fatalf("other channel: %v", err)
	}
	time.Sleep(rl.RetryAfter)
	if err := post("C0GENERAL"); err != nil {
		t.Fatalf("after Retry-After: %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	fs.SetRateLimit("users.info", 2)
	for range 2 {
		if _, err := api.GetUserInfoContext(ctx, "U0ANN"); err != nil {
			t.Fatal(err)
		}
	}
	var rl *slack.RateLimitedError
	if _, err := api.GetUserInfoContext(ctx, "U0ANN"); !errors.As(err, &rl) || rl.RetryAfter < 59*time.Second || rl.RetryAfter > time.Minute {
		t.Fatalf("third call: %v, want Retry-After about 60s", err)
	}
	if _, err := api.GetUserInfoContext(ctx, "U0BOB"); err == nil {
		t.Fatal("limited calls must not free capacity")
	}

	fs.SetWorkspacePostLimit(2)
	for _, ch := range []string{"C0GENERAL", "U0ANN"} {
		if _, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("x", false)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := api.PostMessageContext(ctx, "U0BOB", slack.MsgOptionText("x", false)); !errors.As(err, &rl) {
		t.Fatalf("workspace cap: %v", err)
	}
	fs.SetWorkspacePostLimit(0)
	if _, _, err := api.PostMessageContext(ctx, "U0BOB", slack.MsgOptionText("x", false)); err != nil {
		t.Fatalf("cap removed: %v", err)
	}
}

func TestAfterFaultsAndClearFaults(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	before := len(fs.Messages("C0GENERAL"))

	fs.FailNext("chat.postMessage", 1, Fault{Drop: true, After: true})
	if _, _, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("took effect", false)); err == nil {
		t.Fatal("Drop After: the client got an answer")
	}
	msgs := fs.Messages("C0GENERAL")
	if len(msgs) != before+1 || msgs[len(msgs)-1].Text != "took effect" {
		t.Fatalf("DropAfter: the post did not take effect: %+v", msgs)
	}
	if c := fs.Calls("chat.postMessage"); c[len(c)-1].Status != 0 {
		t.Fatalf("DropAfter recorded status %d, want 0 (no answer)", c[len(c)-1].Status)
	}

	fs.FailNext("chat.postMessage", 1, Fault{Delay: time.Second, After: true})
	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	if _, _, err := api.PostMessageContext(short, "C0GENERAL", slack.MsgOptionText("slow answer", false)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Delay After: err = %v, want deadline exceeded", err)
	}
	if msgs := fs.Messages("C0GENERAL"); msgs[len(msgs)-1].Text != "slow answer" {
		t.Fatal("Delay After: the post did not take effect before the client gave up")
	}

	fs.FailNext("chat.postMessage", 5, Fault{Status: http.StatusServiceUnavailable})
	fs.ClearFaults("chat.postMessage")
	if _, _, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("x", false)); err != nil {
		t.Fatalf("after ClearFaults: %v", err)
	}
}

// A held method answers nothing and does nothing until released; a caller
// that gives up while held leaves no message behind.
func TestHold(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	post := func(ctx context.Context, text string) error {
		_, _, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText(text, false))
		return err
	}
	release := fs.Hold("chat.postMessage")

	gaveUp, cancel := context.WithTimeout(testCtx(t), 100*time.Millisecond)
	defer cancel()
	if err := post(gaveUp, "abandoned"); err == nil {
		t.Fatal("a held post was answered")
	}
	done := make(chan error, 1)
	go func() { done <- post(testCtx(t), "waited") }()
	select {
	case err := <-done:
		t.Fatalf("a held post was answered before release: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("after release: %v", err)
	}
	if err := post(testCtx(t), "after"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range fs.Messages("C0GENERAL") {
		got = append(got, m.Text)
	}
	if strings.Join(got, ",") != "waited,after" {
		t.Fatalf("messages %v, want [waited after]", got)
	}
}
