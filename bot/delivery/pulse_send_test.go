package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/internal/fakeslack"
)

// A workspace too large to list in one go (users.list is Tier 2) is read
// over several attempts at a pulse's launch: each carries on from the page
// where the last stopped, or the first pages are read again every time and
// the last ones never.
func TestWarmUsersCarriesOnWhereItStopped(t *testing.T) {
	fs := fakeslack.NewT(t, fakeslack.Options{})
	var people []string
	for i := range 450 { // with the bot, 3 pages of 200
		id := fmt.Sprintf("U0P%04d", i)
		fs.AddUser(fakeslack.User{ID: id, Name: id})
		people = append(people, id)
	}
	fs.AddChannel(fakeslack.Channel{ID: "C0ALL", Name: "all", Members: append([]string{fs.BotUserID()}, people...)})
	log := slog.New(slog.DiscardHandler)
	c := slackapi.New(slackapi.Config{BotToken: fs.BotToken(), AppToken: fs.AppToken(), APIURL: fs.URL()}, nil, log)
	dl := New(c, slackapi.NewDirectory(c, nil, time.Now), nil, Services{}, metrics.New(), log, time.Now)
	fs.FailNext("users.list", 1, fakeslack.Fault{}) // the first page goes through
	fs.FailNext("users.list", 1, fakeslack.Fault{Error: "internal_error"})
	ctx := context.Background()

	if err := dl.warmUsers(ctx, fs.TeamID(), "C0ALL"); err == nil {
		t.Fatal("the second page failed, yet warmUsers did not say so")
	}
	if err := dl.warmUsers(ctx, fs.TeamID(), "C0ALL"); err != nil {
		t.Fatal(err)
	}
	calls := fs.Calls("users.list")
	if got, want := len(calls), 4; got != want {
		t.Fatalf("%d users.list calls, want %d: page 1, page 2 failing, then pages 2 and 3", got, want)
	}
	if failed, again := calls[1].Params["cursor"], calls[2].Params["cursor"]; failed == "" || again != failed {
		t.Fatalf("the second attempt asked for cursor %q, want the failed page's %q", again, failed)
	}
	for _, u := range people {
		if _, err := dl.dir.User(ctx, fs.TeamID(), u); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fs.Calls("users.info")); n != 0 {
		t.Fatalf("%d users.info calls after the listing, want 0: the directory should hold everyone listed", n)
	}
	if _, ok := dl.userPages.where[fs.TeamID()]; ok {
		t.Fatal("a finished listing is still remembered as unfinished")
	}
}
