package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestDecisionReminders drives the owners' reminders through the runner:
// a proposal's owner is reminded on its decide-by day and on the day
// after, each at midnight in the owner's time zone and once; a decided
// decision's owner on its revisit-by day. Every tick runs twice.
func TestDecisionReminders(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	// Auckland is UTC+13 in March: its days start at 11:00 UTC the day before.
	proposal := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Owner: "U2", OwnerZone: rituals.StoredZone("Pacific/Auckland"), Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	decided := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Use Go", Text: "Use Go",
		RevisitBy: "2026-03-10"}))(t)
	w.sent(t)
	reminder := func(t *testing.T, got []rituals.OutboxItem, d *rituals.Decision, kind rituals.ReminderKind) {
		t.Helper()
		if diff := cmp.Diff(strs(rituals.KindDecisionReminder), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		var data rituals.ReminderData
		decode(t, got[0], &data)
		if got[0].Channel != d.Owner || got[0].Ref != d.Number || data.Kind != kind || !got[0].Reminder {
			t.Fatalf("reminder %+v (%s), want %s to %s about %s", got[0], data.Kind, kind, d.Owner, d.ID())
		}
	}

	t.Run("OnTheDecideByDayInTheOwnersZone", func(t *testing.T) {
		day := time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC)
		if got := w.tick(t, day.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q the day before", kinds(got))
		}
		reminder(t, w.tickTwice(t, day), proposal, rituals.ReminderDue)
	})
	t.Run("OnTheDayAfter", func(t *testing.T) {
		reminder(t, w.tickTwice(t, time.Date(2026, 3, 4, 11, 0, 0, 0, time.UTC)), proposal, rituals.ReminderAfter)
		if got := w.tickTwice(t, time.Date(2026, 3, 6, 11, 0, 0, 0, time.UTC)); len(got) > 0 {
			t.Fatalf("enqueued %q after both reminders", kinds(got))
		}
	})
	t.Run("OnTheRevisitByDay", func(t *testing.T) {
		reminder(t, w.tickTwice(t, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)), decided, rituals.ReminderRevisit)
	})
}

// TestDecisionRemindersAfterDowntime shows a proposal whose decide-by day
// passed while the bot was down: one reminder, the one for the day after,
// stands for both.
func TestDecisionRemindersAfterDowntime(t *testing.T) {
	w := newWorld(t)
	d := must(w.decisions.Record(w.ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Status: rituals.StatusProposed, DecideBy: "2026-03-02"}))(t)
	w.sent(t)
	got := w.tickTwice(t, time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC))
	if len(got) != 1 || got[0].Ref != d.Number {
		t.Fatalf("enqueued %q, want one reminder about %s", kinds(got), d.ID())
	}
	var data rituals.ReminderData
	decode(t, got[0], &data)
	if data.Kind != rituals.ReminderAfter {
		t.Fatalf("reminder kind %q, want %q", data.Kind, rituals.ReminderAfter)
	}
	if got := w.tickTwice(t, time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)); len(got) > 0 {
		t.Fatalf("enqueued %q the next day", kinds(got))
	}
}

// TestProposalEscalation shows a proposal in an area, owned by someone
// other than the area's Accountable owner, still open two days after its
// decide-by date: it is escalated to that owner once, at the start of
// that day in the proposal owner's zone, and never again; a proposal the
// Accountable owner owns is not escalated to them a third time, nor is
// one with no area.
func TestProposalEscalation(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "api", Owner: "U2"}))(t)
	theirs := must(w.decisions.Record(ctx, caller("U2"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Owner: "U3", Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	awaiting := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a cache", Text: "Pick a cache",
		Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a CI", Text: "Pick a CI",
		Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	if theirs.Owner != "U3" || !awaiting.AwaitsOwner() {
		t.Fatalf("set-up: %s owned by %s, %s awaiting %v", theirs.ID(), theirs.Owner, awaiting.ID(), awaiting.AwaitsOwner())
	}
	w.sent(t)

	w.tickTwice(t, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)) // the due reminders
	w.tickTwice(t, time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)) // the day after
	if got := ofKind(w.tick(t, time.Date(2026, 3, 5, 23, 59, 0, 0, time.UTC)), rituals.KindDecisionReminder); len(got) > 0 {
		t.Fatalf("escalated %q before its day", recipients(got))
	}
	got := w.tickTwice(t, time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC))
	if diff := cmp.Diff(strs(rituals.KindDecisionReminder), kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
	var data rituals.ReminderData
	decode(t, got[0], &data)
	if got[0].Channel != "U2" || got[0].Ref != theirs.Number || data.Kind != rituals.ReminderEscalate || data.To != "U2" || got[0].Reminder {
		t.Fatalf("escalation %+v (%+v), want %s to U2, not a foldable reminder", got[0], data, theirs.ID())
	}
	if got := w.tickTwice(t, time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)); len(got) > 0 {
		t.Fatalf("enqueued %q after the escalation", kinds(got))
	}
}

// Past the first level, a proposal climbs to its channel's escalation
// target (/blocker escalate-to) two days later, once; one in a channel
// without a target, or without an area, climbs only as far as there is
// someone to tell. Every tick runs twice.
func TestProposalClimbsToTheChannelTarget(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "api", Owner: "U2"}))(t)
	if err := w.blockers.SetEscalationTarget(ctx, caller("U1"), &rituals.Party{Kind: rituals.PartyChannel, ID: "C9", Name: "eng-leads"}); err != nil {
		t.Fatal(err)
	}
	inArea := must(w.decisions.Record(ctx, caller("U2"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Owner: "U3", Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	noArea := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a CI", Text: "Pick a CI",
		Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	elsewhere := must(w.decisions.Record(ctx, callerIn("U1", "C2"), rituals.DecisionInput{Title: "Pick a linter", Text: "Pick a linter",
		Status: rituals.StatusProposed, DecideBy: "2026-03-04"}))(t)
	w.sent(t)

	for _, day := range []int{4, 5, 6} { // due, the day after, the area's owner
		w.tickTwice(t, time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC))
	}
	if got := ofKind(w.tick(t, time.Date(2026, 3, 7, 23, 59, 0, 0, time.UTC)), rituals.KindDecisionReminder); len(got) > 0 {
		t.Fatalf("climbed %q before its day", recipients(got))
	}
	got := w.tickTwice(t, time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC))
	if diff := cmp.Diff(strs(rituals.KindDecisionReminder, rituals.KindDecisionReminder), kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
	for i, want := range []*rituals.Decision{inArea, noArea} {
		var data rituals.ReminderData
		decode(t, got[i], &data)
		if got[i].Channel != "C9" || got[i].Ref != want.Number || data.Kind != rituals.ReminderClimb || data.To != "C9" {
			t.Errorf("climb %d: %+v (%+v), want %s to C9", i, got[i], data, want.ID())
		}
	}
	if got := w.tickTwice(t, time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)); len(got) > 0 {
		t.Fatalf("enqueued %q after the climb (%s's channel has no target)", kinds(got), elsewhere.ID())
	}
}
