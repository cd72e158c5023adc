package main

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestRetroChangesBecomeActionItems(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // 2026-11-24 23:30 UTC; Bob is in New York, Eve in UTC
	parent := h.openSession(ann, general, "/retro", "Checkout v2 launch")
	text := messageText(parent)
	for _, want := range []string{"Retro R-1: Checkout v2 launch", "blameless", "1. What went well\n2. What didn't\n3. What we will change",
		"What went well\n", "What didn't\n", "What we will change\n"} {
		if !strings.Contains(text, want) {
			t.Fatalf("parent lacks %q:\n%s", want, text)
		}
	}

	// Items by button and form, and by plain replies with their markers.
	h.pressAndSubmit(bob, parent, "session.add.well", "", map[string]map[string]any{"item_text": {"value": fakeslack.TextValue("The canary caught the bug")}})
	h.waitBotReplies(parent, 1)
	h.replyInThread(eve, parent, "didn't: support heard about it from customers")
	h.waitBotReplies(parent, 2)
	h.replyInThread(eve, parent, "change: page support on every rollback")
	h.waitBotReplies(parent, 3)
	h.pressAndSubmit(bob, parent, "session.add.change", "", map[string]map[string]any{
		"item_text":  {"value": fakeslack.TextValue("Load test before every launch")},
		"item_owner": {"value": fakeslack.UserValue(bob)},
		"item_due":   {"value": fakeslack.DateValue("2026-11-27")},
	})
	cards := h.waitBotReplies(parent, 4)
	for i, want := range []string{"*What went well #1*", "*What didn't #2*", "*What we will change #3* · no owner yet", "*What we will change #4* · owner <@U0BOB>, due 2026-11-27"} {
		if c := messageText(cards[i]); !strings.Contains(c, want) {
			t.Fatalf("reply %d lacks %q:\n%s", i+1, want, c)
		}
	}
	if c := messageText(cards[2]); !strings.Contains(c, "page support on every rollback") || strings.Contains(c, "change:") || !strings.Contains(c, "Assign owner") || !strings.Contains(c, "Done") {
		t.Fatalf("change card:\n%s", c)
	}
	h.press(ann, cards[1], "session.vote", "")
	h.waitMessageText(general, cards[1].TS, "+1 (1)")

	if got := h.askRitual(ann, general, "/retro", "close R-1"); !strings.Contains(got, "Closed *R-1*") {
		t.Fatalf("close:\n%s", got)
	}
	summary := h.waitBotReplies(parent, 5)[4]
	sum := messageText(summary)
	if !summary.ReplyBroadcast || !inOrder(sum, "Retro R-1: summary", "*What went well*", "The canary caught the bug",
		"*What didn't*", "support heard about it from customers · 1 vote", "*What we will change: action items*",
		"*#3* page support on every rollback", "no owner yet", "*#4* Load test before every launch", "owner <@U0BOB>, due 2026-11-27") {
		t.Fatalf("summary (broadcast %v):\n%s", summary.ReplyBroadcast, sum)
	}

	// The change nobody owned gets Eve, due on the 30th, from the summary.
	if ack := h.pressAndSubmit(ann, summary, "session.owner", "item.3", map[string]map[string]any{
		"item_owner": {"value": fakeslack.UserValue(eve)}, "item_due": {"value": fakeslack.DateValue("2026-11-30")},
	}); ack != nil {
		t.Fatalf("ack %v", ack)
	}
	h.waitMessageText(general, summary.TS, "owner <@U0EVE>, due 2026-11-30")
	h.waitMessageText(general, cards[2].TS, "owner <@U0EVE>, due 2026-11-30")
	if got := h.askRitual(bob, general, "/retro", "list"); !strings.Contains(got, "2 action items not done yet") ||
		!strings.Contains(got, "R-1 #3") || !strings.Contains(got, "R-1 #4") {
		t.Fatalf("list:\n%s", got)
	}

	t.Run("VoteAndReplyAfterCloseRefusedPolitely", func(t *testing.T) {
		if got := h.pressForEphemeral(eve, cards[0], "session.vote", ""); !strings.Contains(got, "R-1 is closed, so it takes no more votes") {
			t.Fatalf("vote:\n%s", got)
		}
		next := len(fs.Ephemerals(bob)) + 1
		h.replyInThread(bob, parent, "well: the rollback was quick")
		if got := h.waitEphemeral(bob, next); !strings.Contains(got, "R-1 is closed, so it takes no more items") {
			t.Fatalf("reply:\n%s", got)
		}
	})

	// Reminders on each owner's due day, in their zone, once; Done ends them.
	dmsBefore := len(fs.DMs(bob))
	h.clock.Freeze()
	h.clock.Set(at("2026-11-27T04:00:00Z")) // still the 26th in New York
	h.tickAndSettle()
	if n := len(fs.DMs(bob)); n != dmsBefore {
		t.Fatal("Bob was reminded before his due day")
	}
	h.clock.Set(at("2026-11-27T14:00:00Z")) // 09:00 on the 27th in New York
	h.tickAndSettle()
	h.tickAndSettle()
	h.waitFor("Bob's reminder", func() bool { return len(fs.DMs(bob)) == dmsBefore+1 })
	if dm := messageText(fs.DMs(bob)[dmsBefore]); !strings.Contains(dm, "Your action item *R-1 #4* “Load test before every launch”, from retro Checkout v2 launch") ||
		!strings.Contains(dm, "is due today (2026-11-27)") {
		t.Fatalf("reminder:\n%s", dm)
	}
	h.press(bob, cards[3], "session.done", "")
	h.waitMessageText(general, cards[3].TS, ":white_check_mark: done by <@U0BOB>")
	h.waitMessageText(general, summary.TS, ":white_check_mark: done by <@U0BOB>")
	if strings.Contains(messageText(h.messageNow(general, cards[3].TS)), "Change owner") {
		t.Fatal("a done item still offers Change owner")
	}
	h.clock.Set(at("2026-11-30T10:00:00Z"))
	h.tickAndSettle()
	h.tickAndSettle()
	h.waitFor("Eve's reminder", func() bool { return len(fs.DMs(eve)) >= 2 }) // the owner notice, then the reminder
	h.clock.Set(at("2026-12-01T10:00:00Z"))
	h.tickAndSettle()
	if n, m := len(fs.DMs(bob)), len(fs.DMs(eve)); n != dmsBefore+1 || m != 2 {
		t.Fatalf("Bob got %d reminders and Eve %d DMs, want one reminder each", n-dmsBefore, m)
	}
	if got := h.askRitual(bob, general, "/retro", "list"); !strings.Contains(got, "1 action item not done yet") || strings.Contains(got, "R-1 #4") {
		t.Fatalf("list after Done:\n%s", got)
	}
	its := exportedItems(h.exportRituals()[0])
	if its[4]["done_by"] != bob || its[3]["owner_id"] != eve || its[3]["due"] != "2026-11-30" || its[3]["done_at"] != nil {
		t.Fatalf("exported %v and %v", its[3], its[4])
	}
}
