package main

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// TestRetroOverdueActionItems leaves a retro's action item open past its
// due day: its owner is reminded on the due day, then again 2 and 7 days
// past it (each once, however often the runner ticks); his App Home
// lists it until it is done, and it, /retro list, the digest and the
// check-in's agenda flag it overdue.
func TestRetroOverdueActionItems(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // 2026-11-24 23:30 UTC; Bob is in New York
	h.openHome(bob)
	parent := h.openSession(ann, general, "/retro", "Checkout v2 launch")
	h.pressAndSubmit(bob, parent, "session.add.change", "", map[string]map[string]any{
		"item_text":  {"value": fakeslack.TextValue("Load test before every launch")},
		"item_owner": {"value": fakeslack.UserValue(bob)},
		"item_due":   {"value": fakeslack.DateValue("2026-11-27")},
	})
	card := h.waitBotReplies(parent, 1)[0]
	h.waitHome(bob, []string{"*Action items you own* (1)", "*R-1 #1* · Load test before every launch · <#" + general + "> · due 2026-11-27"}, "overdue")
	if got := h.askRitual(ann, general, "/retro", "close R-1"); !strings.Contains(got, "Closed *R-1*") {
		t.Fatalf("close:\n%s", got)
	}
	h.waitBotReplies(parent, 2)
	if got := h.askRitual(bob, general, "/retro", "list"); !strings.Contains(got, "due 2026-11-27") || strings.Contains(got, "overdue") {
		t.Fatalf("list before the due day:\n%s", got)
	}

	dms := len(fs.DMs(bob))
	h.clock.Freeze()
	remindedAt := func(instant string, want int) {
		t.Helper()
		h.clock.Set(at(instant))
		h.tickAndSettle()
		h.tickAndSettle()
		h.waitFor("Bob's reminders", func() bool { return len(fs.DMs(bob)) >= dms+want })
		if n := len(fs.DMs(bob)); n != dms+want {
			t.Fatalf("at %s Bob has %d reminders, want %d", instant, n-dms, want)
		}
	}
	remindedAt("2026-11-27T14:00:00Z", 1) // 09:00 on the due day in New York
	if dm := messageText(fs.DMs(bob)[dms]); !strings.Contains(dm, "is due today (2026-11-27)") {
		t.Fatalf("due-day reminder:\n%s", dm)
	}
	remindedAt("2026-11-28T14:00:00Z", 1)
	remindedAt("2026-11-29T04:00:00Z", 1) // still the 28th in New York
	// Two days past due is a Sunday: that reminder waits for Monday,
	// 08:00 in New York, and not a minute less.
	h.clock.Set(at("2026-11-29T14:00:00Z"))
	h.tick()
	h.waitFor("the Sunday reminder held", func() bool {
		return strings.Contains(h.logs.String(), `"kind":"session.reminder","team":"T0TEAM","channel":"U0BOB","user":"U0BOB","until":"2026-11-30T08:00:00-05:00"`)
	})
	h.clock.Set(at("2026-11-30T12:59:00Z"))
	h.tick()
	h.ask(bob, general, "/retro", "list") // a reply sent after the sender looked at the outbox at 07:59
	if n := len(fs.DMs(bob)); n != dms+1 {
		t.Fatalf("Bob has %d reminders at 07:59 on Monday, want 1", n-dms)
	}
	remindedAt("2026-11-30T13:00:00Z", 2)
	if dm := messageText(fs.DMs(bob)[dms+1]); !strings.Contains(dm, "Your action item *R-1 #1* “Load test before every launch”, from retro Checkout v2 launch") ||
		!strings.Contains(dm, "is *overdue*: it was due 2026-11-27, 3 days ago") { // queued at 2 days, read on Monday

		t.Fatalf("2 days past due:\n%s", dm)
	}
	if got := h.askRitual(bob, general, "/retro", "list"); !strings.Contains(got, "*R-1 #1* Load test before every launch · owner <@U0BOB>, due 2026-11-27 · from Checkout v2 launch · :warning: *overdue*") {
		t.Fatalf("list past the due day:\n%s", got)
	}
	if got := h.openHome(bob); !strings.Contains(got, "Load test before every launch · <#"+general+"> · due 2026-11-27 · :warning: *overdue*") {
		t.Fatalf("Home past the due day:\n%s", got)
	}
	if got := h.ask(bob, general, "/digest", "preview"); !strings.Contains(got, "*Open action items* (1)\n• *R-1 #1* Load test before every launch · <@U0BOB> · due 2026-11-27 · :warning: *overdue*\n") {
		t.Fatalf("digest past the due day:\n%s", got)
	}
	remindedAt("2026-11-30T14:00:00Z", 2)
	remindedAt("2026-12-04T14:00:00Z", 3)
	if dm := messageText(fs.DMs(bob)[dms+2]); !strings.Contains(dm, "it was due 2026-11-27, 7 days ago") {
		t.Fatalf("7 days past due:\n%s", dm)
	}
	remindedAt("2026-12-05T14:00:00Z", 3)
	remindedAt("2026-12-11T14:00:00Z", 3)

	h.slash(adm, general, "/checkin", "now")
	h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	if got := messageText(h.checkinPrompts(general)[0]); !inOrder(got, "3. Decisions to be made", "_Action items from retros and pre-mortems_\n"+
		"• *R-1 #1* Load test before every launch · <@U0BOB> · due 2026-11-27 · :warning: *overdue*") {
		t.Fatalf("check-in agenda:\n%s", got)
	}

	h.press(bob, card, "session.done", "")
	h.waitHome(bob, []string{"Check-ins waiting for your answer"}, "Action items you own")
}

// TestTeamOwnedActionItemReminded gives an action item to a channel: the
// reminders, on the due day and 2 days past it, are posted there.
func TestTeamOwnedActionItemReminded(t *testing.T) {
	h, card := startWithRetroChange(t, newWorld(t))
	if ack := h.pressAndSubmit(ann, card, "session.owner", "", map[string]map[string]any{
		"item_team": {"value": conversation("C0PLATFORM")}, "item_due": {"value": fakeslack.DateValue("2026-11-30")},
	}); ack != nil {
		t.Fatalf("ack %v", ack)
	}
	h.waitMessageText(general, card.TS, "owner <#C0PLATFORM>, due 2026-11-30")
	posted := func(want string) bool {
		for _, m := range h.botMessages("C0PLATFORM") {
			if strings.Contains(messageText(m), want) {
				return true
			}
		}
		return false
	}
	h.clock.Freeze()
	what := "This channel's action item *R-1 #1* “page support on every rollback”, from retro Checkout v2 launch in <#" + general + "> is "
	for _, step := range []struct{ at, want string }{
		{"2026-11-30T10:00:00Z", what + "due today"},
		{"2026-12-02T10:00:00Z", what + "*overdue*: it was due 2026-11-30, 2 days ago"},
	} {
		h.clock.Set(at(step.at))
		h.tickAndSettle()
		h.waitFor("the channel's reminder at "+step.at, func() bool { return posted(step.want) })
	}
}

// startWithRetroChange adds #platform (Eve's) to fs, starts the bot, and
// opens a retro in #general with one change nobody owns yet: it returns
// the change's card.
func startWithRetroChange(t *testing.T, fs *fakeslack.Server) (*harness, fakeslack.Message) {
	t.Helper()
	fs.AddChannel(fakeslack.Channel{ID: "C0PLATFORM", Name: "platform", Members: []string{eve, fs.BotUserID()}})
	h := startBot(t, fs)
	parent := h.openSession(ann, general, "/retro", "Checkout v2 launch")
	h.replyInThread(bob, parent, "change: page support on every rollback")
	return h, h.waitBotReplies(parent, 1)[0]
}
