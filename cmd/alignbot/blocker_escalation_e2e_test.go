package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// tickAndSettle runs the scheduler once at the fake clock's time, as its
// heartbeat would, and waits for what it sent.
func (h *harness) tickAndSettle() {
	h.t.Helper()
	if err := h.main.Runner.Tick(context.Background(), h.clock.Now()); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

// updatesOf counts the successful chat.update calls on message ts.
func updatesOf(fs *fakeslack.Server, ts string) int {
	n := 0
	for _, c := range fs.Calls("chat.update") {
		if c.OK && c.Params["ts"] == ts {
			n++
		}
	}
	return n
}

func TestBlockerEscalatedExactlyOnce(t *testing.T) {
	fs, h := newBlockerWorld(t)
	h.blocker(ann, general, "Waiting on <@U0BOB> and <!subteam^S0PLAT|@platform> in <#C0PLATFORM|platform>") // B-1
	stale := h.waitCards(general, 1)[0]
	h.blocker(dan, general, "Waiting on <@U0ADM> for the budget") // B-2, resolved just before its SLA
	h.waitCards(general, 2)
	h.settle()
	before := map[string]int{bob: len(fs.DMs(bob)), eve: len(fs.DMs(eve)), ann: len(fs.DMs(ann)), dan: len(fs.DMs(dan)), adm: len(fs.DMs(adm))}

	h.clock.Advance(72*time.Hour - time.Minute)
	h.tickAndSettle()
	if got := len(fs.DMs(ann)); got != before[ann] {
		t.Fatal("escalated before the SLA passed")
	}
	if got := h.askBlocker(dan, general, "resolve B-2 Budget approved"); !strings.Contains(got, "Resolved *B-2*") {
		t.Fatalf("resolve:\n%s", got)
	}
	h.clock.Advance(2 * time.Minute)
	h.tickAndSettle()
	h.tickAndSettle()

	for user, want := range map[string]string{
		ann: "Your blocker",
		bob: "which needs you",
		eve: "which needs @\u2060platform (you are in it)",
	} {
		dms := fs.DMs(user)
		if len(dms) != before[user]+1 {
			t.Fatalf("%s got %d escalation DMs, want 1", user, len(dms)-before[user])
		}
		last := messageText(dms[len(dms)-1])
		if !strings.Contains(last, want) || !strings.Contains(last, "longer than <#C0GENERAL>'s SLA of 3d") || !strings.Contains(last, cardLink(stale)) {
			t.Errorf("%s's escalation:\n%s", user, last)
		}
	}
	if posts := h.botMessages(platform); len(posts) != 2 || !strings.Contains(messageText(posts[1]), "SLA of 3d") {
		t.Fatalf("#platform has %d posts, want the report and one escalation", len(posts))
	}
	if card := messageText(h.botMessages(general)[0]); !strings.Contains(card, ":rotating_light: *Escalated*") {
		t.Fatalf("card not marked:\n%s", card)
	}
	if updatesOf(fs, stale.TS) != 1 {
		t.Fatalf("the card was updated %d times, want once", updatesOf(fs, stale.TS))
	}
	if got := len(fs.DMs(adm)) - before[adm]; got != 0 {
		t.Fatalf("the resolved B-2 was escalated: %d DMs to its party", got)
	}
	if got := len(fs.DMs(dan)) - before[dan]; got != 0 {
		t.Fatalf("the resolved B-2 was escalated: %d DMs to its reporter", got)
	}
	if got := h.askBlocker(eve, general, "list"); !strings.Contains(got, ":rotating_light: escalated") {
		t.Fatalf("list does not flag the escalation:\n%s", got)
	}

	t.Run("AgainNever", func(t *testing.T) {
		counts := []int{len(fs.DMs(ann)), len(fs.DMs(bob)), len(h.botMessages(platform)), updatesOf(fs, stale.TS)}
		h.clock.Advance(24 * time.Hour)
		h.tickAndSettle()
		h.tickAndSettle()
		again := []int{len(fs.DMs(ann)), len(fs.DMs(bob)), len(h.botMessages(platform)), updatesOf(fs, stale.TS)}
		for i := range counts {
			if counts[i] != again[i] {
				t.Fatalf("later ticks sent more: %v, then %v", counts, again)
			}
		}
	})
}

func TestBlockerChannelSLAAndOverdue(t *testing.T) {
	fs, h := newBlockerWorld(t)
	h.askBlocker(adm, random, "sla 24h")
	// Ann (Berlin) needs it by 2026-11-25: overdue once that day ends
	// there, at 23:00 UTC, about 23.5 hours after the start.
	h.blocker(ann, random, "")
	v := h.waitView(ann, "the blocker form")
	if payload := h.submitView(ann, v.ID, map[string]map[string]any{
		"blocker":   {"value": fakeslack.TextValue("The beta needs a signed build")},
		"parties":   {"value": fakeslack.MultiUsersValue(bob)},
		"needed_by": {"value": fakeslack.DateValue("2026-11-25")},
	}); payload != nil {
		t.Fatalf("ack=%v", payload)
	}
	card := h.waitCards(random, 1)[0]
	h.settle()

	h.clock.Advance(23 * time.Hour)
	h.tickAndSettle()
	if strings.Contains(messageText(h.botMessages(random)[0]), "overdue") {
		t.Fatal("marked overdue before the needed-by day ended in the reporter's zone")
	}
	h.clock.Advance(time.Hour) // 24.5 h: overdue, and past #random's 24h SLA
	h.tickAndSettle()
	h.tickAndSettle()
	got := messageText(h.botMessages(random)[0])
	if !strings.Contains(got, "*Needed by:* 2026-11-25 · :warning: *overdue*") || !strings.Contains(got, ":rotating_light: *Escalated*") {
		t.Fatalf("card:\n%s", got)
	}
	if n := updatesOf(fs, card.TS); n != 2 {
		t.Fatalf("%d card updates, want 2: overdue once, escalated once", n)
	}
	if dms := fs.DMs(bob); len(dms) != 2 || !strings.Contains(messageText(dms[1]), "SLA of 1d") {
		t.Fatalf("bob's DMs: %d, want the report and one escalation under the 24h SLA", len(dms))
	}
	if bs := h.exportBlockers(); bs[0]["overdue_at"] == nil || bs[0]["escalated_at"] == nil {
		t.Fatalf("export %v", bs[0])
	}
}
