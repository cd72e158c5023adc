package slackapi

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/rituals"
)

type noChannelStore struct{}

func (noChannelStore) SaveChannel(context.Context, rituals.Channel, time.Time) error { return nil }

func (noChannelStore) SavedChannel(context.Context, string, string) (rituals.Channel, time.Time, error) {
	return rituals.Channel{}, time.Time{}, rituals.Errorf(rituals.ENOTFOUND, "no channel")
}

// A burst of commands in a channel the bot has not looked up yet asks
// Slack once: every lookup spent counts against a 50-a-minute budget.
func TestDirectoryLooksUpOnceForConcurrentMisses(t *testing.T) {
	fs := fakeslack.NewT(t, fakeslack.Options{})
	fs.AddUser(fakeslack.User{ID: "U0ANN", Name: "ann", TZ: "UTC"})
	fs.AddChannel(fakeslack.Channel{ID: "C0BUSY", Name: "busy", Members: []string{"U0ANN", fs.BotUserID()}})
	fs.FailNext("conversations.info", 1, fakeslack.Fault{Delay: 200 * time.Millisecond})
	fs.FailNext("users.info", 1, fakeslack.Fault{Delay: 200 * time.Millisecond})
	d := newDirectory(New(Config{BotToken: fs.BotToken(), APIURL: fs.URL()}, nil, slog.New(slog.DiscardHandler)), noChannelStore{}, time.Now)

	var wg sync.WaitGroup
	for range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if info, err := d.channel(context.Background(), fs.TeamID(), "C0BUSY"); err != nil || info.Name != "busy" {
				t.Errorf("channel: %+v, %v", info, err)
			}
		}()
		go func() {
			defer wg.Done()
			if u, err := d.user(context.Background(), fs.TeamID(), "U0ANN"); err != nil || u.Name != "ann" {
				t.Errorf("user: %+v, %v", u, err)
			}
		}()
	}
	wg.Wait()
	if n := len(fs.Calls("conversations.info")); n != 1 {
		t.Errorf("conversations.info called %d times, want 1", n)
	}
	if n := len(fs.Calls("users.info")); n != 1 {
		t.Errorf("users.info called %d times, want 1", n)
	}

	t.Run("ACallerStopsWaitingAtItsOwnDeadline", func(t *testing.T) {
		fs.FailNext("conversations.info", 1, fakeslack.Fault{Delay: time.Second})
		d.channels = ttlCache[Channel]{}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := d.channel(ctx, fs.TeamID(), "C0BUSY"); err == nil {
			t.Fatal("want the caller's deadline")
		}
		if waited := time.Since(start); waited > 500*time.Millisecond {
			t.Fatalf("waited %v past its deadline", waited)
		}
		// The lookup itself goes on for whoever asks next.
		if info, err := d.channel(context.Background(), fs.TeamID(), "C0BUSY"); err != nil || info.Name != "busy" {
			t.Fatalf("channel after: %+v, %v", info, err)
		}
	})
}

// savedChannels is a channel store holding what another process saved.
type savedChannels map[string]struct {
	ch rituals.Channel
	at time.Time
}

func (savedChannels) SaveChannel(context.Context, rituals.Channel, time.Time) error { return nil }

func (s savedChannels) SavedChannel(_ context.Context, team, id string) (rituals.Channel, time.Time, error) {
	if v, ok := s[team+"/"+id]; ok {
		return v.ch, v.at, nil
	}
	return rituals.Channel{}, time.Time{}, rituals.Errorf(rituals.ENOTFOUND, "no channel")
}

// What another replica saved of a channel moments ago is used as it is,
// archived included: conversations.info's small budget is shared; what
// was saved longer ago than the cache keeps anything is asked again.
func TestDirectoryTrustsAFreshSavedChannel(t *testing.T) {
	fs := fakeslack.NewT(t, fakeslack.Options{})
	fs.AddChannel(fakeslack.Channel{ID: "C0OLD", Name: "old", Members: []string{fs.BotUserID()}})
	now := time.Now()
	team := fs.TeamID()
	store := savedChannels{
		team + "/C0GONE": {rituals.Channel{Team: team, ID: "C0GONE", Name: "gone", Archived: true}, now.Add(-time.Minute)},
		team + "/C0OLD":  {rituals.Channel{Team: team, ID: "C0OLD", Name: "stale-name"}, now.Add(-directoryTTL)},
	}
	d := newDirectory(New(Config{BotToken: fs.BotToken(), APIURL: fs.URL()}, nil, slog.New(slog.DiscardHandler)), store, func() time.Time { return now })
	if info, err := d.channel(context.Background(), team, "C0GONE"); rituals.ErrorCode(err) != rituals.EINVALID || info.Name != "gone" {
		t.Fatalf("a fresh saved archived channel: %+v, %v; want it archived", info, err)
	}
	if info, err := d.channel(context.Background(), team, "C0OLD"); err != nil || info.Name != "old" {
		t.Fatalf("a stale saved channel: %+v, %v; want Slack's answer", info, err)
	}
	if n := len(fs.Calls("conversations.info")); n != 1 {
		t.Fatalf("conversations.info called %d times, want once (for the stale one)", n)
	}
}

// A user's Slack tz is parsed once, when the user is cached; a zone
// ParseZone refuses, or none, is UTC.
func TestUserOfZone(t *testing.T) {
	for _, tc := range []struct{ tz, want string }{
		{"Europe/Berlin", "Europe/Berlin"},
		{"", "UTC"},
		{"Mars/Olympus", "UTC"},
		{"Local", "UTC"},
	} {
		t.Run(tc.want+"For"+tc.tz, func(t *testing.T) {
			if got := userOf(&slack.User{ID: "U1", TZ: tc.tz}).Location.String(); got != tc.want {
				t.Fatalf("tz %q read as %q, want %q", tc.tz, got, tc.want)
			}
		})
	}
}
