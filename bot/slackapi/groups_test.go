package slackapi

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// The group picker asks on every keystroke: the list is asked of Slack
// once a minute at most, and a workspace without groups has none.
func TestGroupsCachedPerWorkspace(t *testing.T) {
	fs := fakeslack.NewT(t, fakeslack.Options{})
	fs.AddGroup(fakeslack.UserGroup{ID: "S0PLAT", Handle: "platform", Name: "Platform team"})
	fs.AddGroup(fakeslack.UserGroup{ID: "S0OLD", Handle: "old", Disabled: true})
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d := NewDirectory(New(Config{BotToken: fs.BotToken(), APIURL: fs.URL()}, nil, slog.New(slog.DiscardHandler)), noChannelStore{}, func() time.Time { return now })
	ctx := context.Background()
	for range 3 {
		gs, err := d.Groups(ctx, fs.TeamID())
		if err != nil || len(gs) != 1 || gs[0] != (Group{ID: "S0PLAT", Handle: "platform", Name: "Platform team"}) {
			t.Fatalf("groups = %+v, %v", gs, err)
		}
	}
	if n := len(fs.Calls("usergroups.list")); n != 1 {
		t.Fatalf("usergroups.list called %d times, want 1", n)
	}
	now = now.Add(groupsTTL)
	fs.FailNext("usergroups.list", 1, fakeslack.Fault{Error: "paid_teams_only"})
	if gs, err := d.Groups(ctx, fs.TeamID()); err != nil || len(gs) != 0 {
		t.Fatalf("a free workspace: %+v, %v", gs, err)
	}
	now = now.Add(groupsTTL)
	fs.FailNext("usergroups.list", 1, fakeslack.Fault{Error: "invalid_auth"})
	if _, err := d.Groups(ctx, fs.TeamID()); err == nil {
		t.Fatal("a refusal read as no groups")
	}
}
