package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestCheckinAgendaActions: part 3 of a check-in's agenda carries the
// channel's open retro and pre-mortem action items due before the next
// check-in, overdue ones flagged, and the changes nobody owns yet; not
// those done, due later, or from another channel.
func TestCheckinAgendaActions(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	retro := must(w.sessions.Open(ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Sprint 9"}))(t)
	add := func(c rituals.Caller, n int64, text, owner string, due rituals.Date) *rituals.Item {
		_, it := must2(w.sessions.AddItem(ctx, c, n, rituals.ItemInput{Kind: rituals.ItemChange, Text: text, Owner: owner, Due: due}))(t)
		return it
	}
	add(caller("U1"), retro.Number, "Write the runbook", "U2", "2026-02-28")
	add(caller("U1"), retro.Number, "Page support", "", "")
	add(caller("U1"), retro.Number, "Load test", "U3", "2026-03-05")
	add(caller("U1"), retro.Number, "Rewrite billing", "U3", "2026-03-20")
	done := add(caller("U1"), retro.Number, "Fix the alert", "U2", "2026-03-03")
	must(w.sessions.Finish(ctx, caller("U2"), retro.Number, done.Number))(t)
	elsewhere := must(w.sessions.Open(ctx, callerIn("U1", "C9"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Other team"}))(t)
	add(callerIn("U1", "C9"), elsewhere.Number, "Not ours", "U1", "2026-03-03")
	must(w.checkins.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"}))(t)
	w.sent(t)

	w.tickTwice(t, monday)
	chk := must(w.db.Checkin(ctx, team, channel, monday))(t)
	want := []rituals.AgendaAction{
		{Session: retro.Number, Item: 1, Kind: rituals.ItemChange, Text: "Write the runbook", Owner: "U2", Due: "2026-02-28", Overdue: true},
		{Session: retro.Number, Item: 2, Kind: rituals.ItemChange, Text: "Page support"},
		{Session: retro.Number, Item: 3, Kind: rituals.ItemChange, Text: "Load test", Owner: "U3", Due: "2026-03-05"},
	}
	if diff := cmp.Diff(want, chk.Agenda.Actions); diff != "" {
		t.Fatalf("agenda action items (-want +got):\n%s", diff)
	}
}
