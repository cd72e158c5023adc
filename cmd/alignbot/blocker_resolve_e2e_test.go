package main

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestBlockerResolvePermissions(t *testing.T) {
	fs, h := newBlockerWorld(t)
	ctx := context.Background()
	// B-1 … B-5, all by Ann, naming Bob, @platform (Eve) and #platform.
	for i := 1; i <= 5; i++ {
		h.blocker(ann, general, "Waiting on <@U0BOB>, <!subteam^S0PLAT|@platform> and <#C0PLATFORM|platform> #"+itoa(i))
		h.waitCards(general, i)
	}
	h.settle()
	cards := h.botMessages(general)
	card := func(n int) string { return messageText(h.botMessages(general)[n-1]) }
	click := func(user string, n int, action string) {
		t.Helper()
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: general, MessageTS: cards[n-1].TS, ActionID: action, Value: itoa(n)}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("ErrOutsider", func(t *testing.T) {
		want := "Only whoever reported B-1, the people it names or an admin can resolve it."
		click(dan, 1, "blocker.resolve")
		if got := h.waitEphemeral(dan, 1); !strings.Contains(got, want) {
			t.Fatalf("click:\n%s", got)
		}
		if got := h.askBlocker(dan, general, "resolve B-1 not mine"); !strings.Contains(got, want) {
			t.Fatalf("command:\n%s", got)
		}
		if _, ok := fs.TopView(dan); ok {
			t.Fatal("a Resolve form opened for an outsider")
		}
		if strings.Contains(card(1), "resolved") {
			t.Fatal("the outsider resolved it")
		}
	})

	t.Run("NamedPartyThroughTheForm", func(t *testing.T) {
		click(bob, 2, "blocker.resolve")
		v := h.waitView(bob, "the resolve form")
		if v.CallbackID != "blocker.resolve" || v.Title != "Resolve B-2" {
			t.Fatalf("form %q %q", v.CallbackID, v.Title)
		}
		if payload := h.submitView(bob, v.ID, map[string]map[string]any{
			"note": {"value": fakeslack.TextValue("Schema approved in RFC-9.")},
		}); payload != nil {
			t.Fatalf("ack=%v", payload)
		}
		h.waitFor("the card resolved", func() bool { return strings.Contains(card(2), "Blocker B-2 (resolved)") })
		got := card(2)
		if !strings.Contains(got, "*Resolved* by <@U0BOB>") || !strings.Contains(got, "Schema approved in RFC-9.") || strings.Contains(got, "I'm on it") {
			t.Fatalf("card:\n%s", got)
		}
		h.waitFor("the reporter told", func() bool {
			dms := fs.DMs(ann)
			return len(dms) == 1 && strings.Contains(messageText(dms[0]), "<@U0BOB> resolved your blocker")
		})
	})

	for _, tc := range []struct {
		name, user, text string
		n                int
	}{
		{"Reporter", ann, "resolve B-1 Done myself", 1},
		{"GroupMember", eve, "resolve 3", 3},
		{"NamedPerson", bob, "resolve b-4", 4},
		{"Admin", adm, "resolve B5", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.askBlocker(tc.user, general, tc.text); !strings.Contains(got, "Resolved *B-"+itoa(tc.n)+"*") {
				t.Fatalf("reply:\n%s", got)
			}
			h.waitFor("the card resolved", func() bool { return strings.Contains(card(tc.n), "(resolved)") })
		})
	}

	t.Run("ErrTwice", func(t *testing.T) {
		if got := h.askBlocker(ann, general, "resolve B-1"); !strings.Contains(got, "B-1 is already resolved.") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	h.settle()
	bs := h.exportBlockers()
	for i, b := range bs {
		if b["status"] != "resolved" {
			t.Errorf("B-%d is %v", i+1, b["status"])
		}
	}
	if bs[0]["resolution"] != "Done myself" || bs[2]["resolved_by"] != eve || bs[4]["resolved_by"] != adm {
		t.Fatalf("export %v", bs)
	}
	if got := len(h.botMessages(general)); got != 5 {
		t.Fatalf("%d bot messages in #general, want the 5 cards, updated in place", got)
	}
}

func TestBlockerChannelMemberMayAct(t *testing.T) {
	fs, h := newBlockerWorld(t)
	fs.AddUser(fakeslack.User{ID: "U0OPS", Name: "ops", RealName: "Ops Person"})
	fs.AddChannel(fakeslack.Channel{ID: "C0OPS", Name: "ops", Members: []string{"U0OPS", fs.BotUserID()}})
	h.blocker(ann, general, "Waiting on <#C0OPS|ops> for a DB replica")
	h.waitCards(general, 1)
	h.settle()
	if got := h.askBlocker("U0OPS", general, "resolve 1 Replica is up"); !strings.Contains(got, "Resolved *B-1*") {
		t.Fatalf("a member of the named channel could not resolve:\n%s", got)
	}
}

func TestBlockerImOnIt(t *testing.T) {
	fs, h := newBlockerWorld(t)
	ctx := context.Background()
	h.blocker(ann, general, "Waiting on <!subteam^S0PLAT|@platform> for the schema review")
	card := h.waitCards(general, 1)[0]
	click := func(user string) {
		t.Helper()
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: general, MessageTS: card.TS, ActionID: "blocker.ack", Value: "1"}); err != nil {
			t.Fatal(err)
		}
	}
	click(eve)
	h.waitFor("the card to show Eve", func() bool {
		return strings.Contains(messageText(h.botMessages(general)[0]), ":eyes: *On it:* <@U0EVE>")
	})
	click(dan)
	if got := h.waitEphemeral(dan, 1); !strings.Contains(got, "Only the people B-1 names can say they are on it.") {
		t.Fatalf("outsider:\n%s", got)
	}
	click(eve)
	if got := h.waitEphemeral(eve, 1); !strings.Contains(got, "You already said you are on B-1.") {
		t.Fatalf("twice:\n%s", got)
	}
	click(bob)
	h.waitFor("the card to show both", func() bool {
		return strings.Contains(messageText(h.botMessages(general)[0]), ":eyes: *On it:* <@U0EVE>, <@U0BOB>")
	})
	if got := h.askBlocker(ann, general, "list"); !strings.Contains(got, "2 people on it") {
		t.Fatalf("list:\n%s", got)
	}
}

func TestBlockerListOldestFirstWithAges(t *testing.T) {
	fs, h := newBlockerWorld(t)
	// Reporters in Berlin, New York and Tokyo; ages count from the same
	// instant whatever their zone, and so does the order.
	h.blocker(ann, general, "First: waiting on <@U0BOB>") // B-1
	h.waitCards(general, 1)
	h.clock.Advance(26 * time.Hour)
	h.blocker(bob, general, "Second: waiting on <@U0EVE>") // B-2
	h.waitCards(general, 2)
	h.blocker(bob, random, "Elsewhere: waiting on <@U0EVE>") // B-3, another channel
	h.waitCards(random, 1)
	h.clock.Advance(150 * time.Minute)
	h.blocker(dan, general, "Third: waiting on <@U0ANN>") // B-4
	h.waitCards(general, 3)
	h.blocker(dan, general, "Fourth: waiting on <@U0ANN>") // B-5, resolved below
	h.waitCards(general, 4)
	h.askBlocker(dan, general, "resolve 5")

	for _, viewer := range []string{eve, dan} {
		got := h.askBlocker(viewer, general, "list")
		if !strings.Contains(got, "*3 blockers open in this channel, oldest first*") {
			t.Fatalf("list for %s:\n%s", viewer, got)
		}
		i1 := strings.Index(got, "*B-1* · open 1d 4h · First")
		i2 := strings.Index(got, "*B-2* · open 2h · Second")
		i4 := strings.Index(got, "*B-4* · open 0m · Third")
		if i1 < 0 || i2 < i1 || i4 < i2 {
			t.Fatalf("list for %s:\n%s\nwant B-1 (1d 4h), B-2 (2h), B-4 (0m) in that order", viewer, got)
		}
		if !strings.Contains(got, "who must act: <@U0BOB>") || strings.Contains(got, "B-3") || strings.Contains(got, "B-5") {
			t.Fatalf("list for %s:\n%s", viewer, got)
		}
	}
	if got := h.askBlocker(eve, "C0GENERAL", "list"); strings.Contains(got, "Elsewhere") {
		t.Fatal("list shows another channel's blocker")
	}
	fs.AddChannel(fakeslack.Channel{ID: "C0EMPTY", Name: "empty", Members: []string{eve, fs.BotUserID()}})
	if got := h.askBlocker(eve, "C0EMPTY", "list"); !strings.Contains(got, "No open blockers in this channel") {
		t.Fatalf("empty list:\n%s", got)
	}
}

func TestBlockerSLA(t *testing.T) {
	_, h := newBlockerWorld(t)
	if got := h.askBlocker(ann, general, "sla"); !strings.Contains(got, "open for 3d (the default)") {
		t.Fatalf("sla:\n%s", got)
	}
	// ALIGNBOT_ADMINS is set in the harness: only admins change it.
	if got := h.askBlocker(ann, general, "sla 48h"); !strings.Contains(got, "Only alignbot's admins can change this channel's blocker SLA.") {
		t.Fatalf("non-admin:\n%s", got)
	}
	for text, want := range map[string]string{
		"sla banana": "“banana” is not a duration: write it like 2d, 1d 12h or 4h. A blocker's SLA is from 1h to 90d.",
		"sla 10m":    "A blocker's SLA is from 1h to 90d; 10m is too short.",
	} {
		if got := h.askBlocker(adm, general, text); !strings.Contains(got, want) {
			t.Errorf("/blocker %s:\n%s\nwant %q", text, got, want)
		}
	}
	if got := h.askBlocker(adm, general, "sla 2d"); !strings.Contains(got, "now escalated once it has been open for 2d") {
		t.Fatalf("admin:\n%s", got)
	}
	if got := h.askBlocker(eve, general, "sla"); !strings.Contains(got, "open for 2d (this channel's own)") {
		t.Fatalf("sla after the change:\n%s", got)
	}
	if got := h.askBlocker(eve, random, "sla"); !strings.Contains(got, "3d (the default)") {
		t.Fatalf("another channel's sla:\n%s", got)
	}
}

func TestBlockerExport(t *testing.T) {
	_, h := newBlockerWorld(t)
	h.blocker(ann, general, "Waiting on <!subteam^S0PLAT|@platform> for \"quotes\", commas\nand lines")
	h.waitCards(general, 1)
	h.blocker(bob, random, "Waiting on <@U0ANN>")
	h.waitCards(random, 1)
	h.clock.Advance(90 * time.Minute)
	h.askBlocker(ann, random, "resolve B-2 Sorted")

	bs := h.exportBlockers()
	if len(bs) != 2 || bs[0]["id"] != "B-1" || bs[0]["status"] != "open" || bs[1]["status"] != "resolved" {
		t.Fatalf("json %v", bs)
	}
	parties := bs[0]["parties"].([]any)
	if p := parties[0].(map[string]any); p["kind"] != "group" || p["id"] != platformGroup || len(p["members"].([]any)) != 3 {
		t.Fatalf("parties %v", parties)
	}
	if ttr, ok := bs[1]["time_to_resolve_seconds"].(float64); !ok || ttr < 5400 || ttr > 5460 {
		t.Fatalf("time_to_resolve_seconds=%v, want about 5400", bs[1]["time_to_resolve_seconds"])
	}
	if _, ok := bs[0]["time_to_resolve_seconds"]; ok {
		t.Fatal("an open blocker has a time to resolve")
	}

	rows, err := csv.NewReader(strings.NewReader(h.export("blockers", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "id" || rows[1][0] != "B-1" || rows[2][0] != "B-2" {
		t.Fatalf("csv %q", rows)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if got := rows[1][col["text"]]; !strings.Contains(got, "\"quotes\", commas\nand lines") {
		t.Fatalf("csv text %q", got)
	}
	if got := rows[1][col["parties"]]; got != "group:S0PLAT=U0BOB,U0EVE,U0ANN" {
		t.Fatalf("csv parties %q", got)
	}
	if rows[2][col["status"]] != "resolved" || rows[2][col["resolution"]] != "Sorted" || rows[2][col["time_to_resolve_seconds"]] == "" {
		t.Fatalf("csv row %q", rows[2])
	}
	if got := h.export("blockers", "--channel", "#random"); !strings.Contains(got, `"id": "B-2"`) || strings.Contains(got, `"id": "B-1"`) {
		t.Fatalf("export --channel #random:\n%s", got)
	}
	if got := h.export("blockers", "--since", "2026-11-26"); strings.TrimSpace(got) != "[]" {
		t.Fatalf("export --since a later day:\n%s", got)
	}
}
