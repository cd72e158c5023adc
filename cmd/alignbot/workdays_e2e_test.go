package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// revisitBy records, as Eve (whose zone is UTC), a decision to revisit on
// day, and waits for its card.
func revisitBy(t *testing.T, h *harness, title, day string) {
	t.Helper()
	before := len(h.botMessages(general))
	h.decide(eve, general, "")
	h.waitFor("the form", func() bool { v, ok := h.fs.TopView(eve); return ok && v.Open })
	v, _ := h.fs.TopView(eve)
	if _, err := h.fs.ViewSubmission(context.Background(), fakeslack.Submit{User: eve, ViewID: v.ID, Values: map[string]map[string]any{
		"title":      {"value": fakeslack.TextValue(title)},
		"decision":   {"value": fakeslack.TextValue("Until we know more.")},
		"revisit_by": {"value": fakeslack.DateValue(day)},
	}}); err != nil {
		t.Fatal(err)
	}
	h.waitCards(general, before+1)
}

// heldUntil reaches at, runs the scheduler and sees the reminder it
// queued held until until: then, a minute before, a reply that the sender
// sends after it looked at the outbox, and still no reminder; at until,
// the reminder.
func heldUntil(t *testing.T, h *harness, at, until time.Time, want string) {
	t.Helper()
	h.clock.Freeze()
	h.clock.Set(at)
	h.tick()
	held := `"msg":"reminder held for working hours","component":"sender"`
	h.waitFor("the reminder held", func() bool {
		return strings.Contains(h.logs.String(), held) && strings.Contains(h.logs.String(), `"until":"`+until.Format(time.RFC3339)+`"`)
	})
	h.clock.Set(until.Add(-time.Minute))
	h.tick()
	h.ask(eve, general, "/alignbot", "workdays") // sent by a claim at this time: the reminder was not due in it
	if n := len(h.fs.DMs(eve)); n != 0 {
		t.Fatalf("Eve had %d DMs a minute before %v", n, until)
	}
	h.clock.Set(until)
	h.waitFor("the reminder at "+until.String(), func() bool { return len(h.fs.DMs(eve)) == 1 })
	if text := messageText(h.fs.DMs(eve)[0]); !strings.Contains(text, want) {
		t.Fatalf("reminder:\n%s", text)
	}
}

// A reminder due on a Saturday waits for Monday, at the start of working
// hours in the person's zone (08:00 UTC for Eve), and not before; with
// `/alignbot workdays sun-thu`, one due on a Friday about the channel's
// decision waits for Sunday.
func TestWorkdaysRemindersWait(t *testing.T) {
	for name, tc := range map[string]struct {
		workdays, revisit string
		due, until        time.Time
	}{
		"SaturdayWaitsForMonday": {"", "2026-11-28",
			time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)},
		"SunToThuFridayWaitsForSunday": {"sun-thu", "2026-11-27",
			time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)},
	} {
		t.Run(name, func(t *testing.T) {
			fs := newWorld(t)
			h := startBot(t, fs)
			if tc.workdays != "" {
				if got := h.ask(adm, general, "/alignbot", "workdays "+tc.workdays); !strings.Contains(got, "Working days here are now *Sunday to Thursday*") {
					t.Fatalf("/alignbot workdays %s answered %q", tc.workdays, got)
				}
			}
			revisitBy(t, h, "Keep the monolith", tc.revisit)
			heldUntil(t, h, tc.due, tc.until, "Keep the monolith")
		})
	}
}

// `/alignbot workdays` shows, sets and resets the channel's working days,
// shown in the checklist; only admins may change them when
// ALIGNBOT_ADMINS is set, and a refused or malformed change writes
// nothing.
func TestWorkdaysCommand(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	if got := h.ask(ann, general, "/alignbot", "workdays"); !strings.Contains(got, "Working days here: *Monday to Friday* (the default)") {
		t.Fatalf("/alignbot workdays answered %q", got)
	}
	for _, tc := range []struct{ user, text, says string }{
		{ann, "workdays sun-thu", "Only alignbot's admins can change this channel's working days."},
		{adm, "workdays sun-thurz", `"thurz" is not a weekday`},
		{adm, "workdays mon,,tue", `"" is not a weekday`},
		{adm, "workdays " + strings.Repeat("mon,", 200), "too long for a list of working days"},
		{adm, "weekend sat,sun", "`/alignbot` takes nothing, `help` or `workdays`"},
	} {
		if got := h.ask(tc.user, general, "/alignbot", tc.text); !strings.Contains(got, tc.says) {
			t.Errorf("/alignbot %.40s answered %q, want %q", tc.text, got, tc.says)
		}
	}
	if got := h.ask(ann, general, "/alignbot", ""); !strings.Contains(got, "*Working days:* Monday to Friday (the default)") {
		t.Fatalf("a refused change was written; the checklist reads:\n%s", got)
	}
	h.ask(adm, general, "/alignbot", "workdays mon, tue, wed, thu")
	if got := h.ask(ann, general, "/alignbot", ""); !strings.Contains(got, "*Working days:* Monday to Thursday;") {
		t.Fatalf("the checklist reads:\n%s", got)
	}
	if got := h.ask(ann, random, "/alignbot", "workdays"); !strings.Contains(got, "*Monday to Friday* (the default)") {
		t.Fatalf("another channel's days changed: %q", got)
	}
	if got := h.ask(adm, general, "/alignbot", "workdays default"); !strings.Contains(got, "Working days here are now *Monday to Friday* (the default)") {
		t.Fatalf("/alignbot workdays default answered %q", got)
	}
}

// A blocker's escalation that waits for the weekend to end is not sent
// once the blocker is resolved meanwhile.
func TestWorkdaysHeldEscalationOvertakenByResolution(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.blocker(ann, general, "Waiting on <@U0BOB> for the DNS change")
	h.waitCards(general, 1)
	h.settle()
	dms := len(fs.DMs(ann))
	h.clock.Freeze()
	h.clock.Set(time.Date(2026, 11, 27, 23, 31, 0, 0, time.UTC)) // 3d on: Saturday 00:31 in Berlin, Ann's zone
	h.tick()
	h.waitFor("Ann's escalation held", func() bool {
		return strings.Contains(h.logs.String(), `"kind":"blocker.notice","team":"T0TEAM","channel":"U0ANN","user":"U0ANN","until":"2026-11-30T08:00:00+01:00"`)
	})
	h.waitFor("Bob's escalation, in his working hours", func() bool {
		ms := fs.DMs(bob)
		return len(ms) > 0 && strings.Contains(messageText(ms[len(ms)-1]), "SLA of 3d")
	})
	if got := h.ask(bob, general, "/blocker", "resolve B-1 DNS changed"); !strings.Contains(got, "Resolved *B-1*") {
		t.Fatalf("resolve: %q", got)
	}
	h.clock.Set(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	h.settle()
	for _, m := range fs.DMs(ann)[dms:] {
		if strings.Contains(messageText(m), "SLA of 3d") {
			t.Fatalf("Ann got the escalation of a resolved blocker on Monday:\n%s", messageText(m))
		}
	}
}
