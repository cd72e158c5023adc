package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

func TestThousandDMsAcrossASIGKILLArriveOnceEach(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary twice")
	}
	const n = 1000
	fs := newWorld(t)
	users := make([]string, n)
	for i := range users {
		users[i] = fmt.Sprintf("U%04d", 1000+i)
		fs.AddUser(fakeslack.User{ID: users[i], Name: "user" + users[i]})
	}

	// Queue the DMs before the bot starts, as a ritual would have.
	ctx := context.Background()
	path := testdb.New(t)
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx rituals.Tx) error {
		for _, u := range users {
			data, _ := json.Marshal(rituals.NoticeData{Text: "Pulse for " + u})
			if err := tx.Enqueue(ctx, rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindNotice, Channel: u, User: u, Data: data}); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	// Every post takes effect at once but is answered 20 ms later, so a
	// kill lands while Slack has posts the bot never heard about.
	fs.FailNext("chat.postMessage", 3*n, fakeslack.Fault{Delay: 20 * time.Millisecond, After: true})
	env := map[string]string{
		"SLACK_BOT_TOKEN": fs.BotToken(), "SLACK_APP_TOKEN": fs.AppToken(), "SLACK_API_URL": fs.URL(),
		"ALIGNBOT_DB": path, "ALIGNBOT_HTTP_ADDR": "", "ALIGNBOT_POSTS_PER_MINUTE": "100000",
	}
	p := startProcess(t, env)
	h := &harness{t: t, fs: fs, db: path, logs: p.stderr}
	h.waitFor("a third of the DMs", func() bool { return len(fs.Calls("chat.postMessage")) >= n/3 })
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	killedAt := len(fs.Calls("chat.postMessage"))

	p2 := startProcess(t, env)
	h.logs = p2.stderr
	delivered := func() int {
		got := 0
		for _, u := range users {
			if len(fs.DMs(u)) > 0 {
				got++
			}
		}
		return got
	}
	h.waitLong("every DM", func() bool { return delivered() == n })
	// The posts in doubt at the kill come back after a grace: wait until
	// none is left, then count.
	db, err = storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h.waitLong("the outbox drained", func() bool {
		pending, _, err := db.OutboxStats(ctx)
		return err == nil && pending == 0
	})
	for _, u := range users {
		dms := fs.DMs(u)
		if len(dms) != 1 || dms[0].Text != "Pulse for "+u {
			t.Fatalf("%s got %d DMs (%+v), want exactly one", u, len(dms), dms)
		}
	}
	found := strings.Count(p2.stderr.String(), "earlier attempt found in slack")
	if found == 0 {
		t.Fatalf("no post was in doubt at the kill (killed after %d posts): the test did not reach the window it is for", killedAt)
	}
	t.Logf("killed after %d posts; %d posts found in Slack on restart instead of sent again", killedAt, found)
}
