package rituals_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestCheckinStages drives one weekly check-in through the runner: it
// opens at its scheduled time with last week's agenda and the answers
// given ahead, reminds who has not taken part two hours before it closes,
// and closes with the participation counted, the answers' lines recorded
// as entries and the summary queued. Every tick runs twice.
func TestCheckinStages(t *testing.T) {
	w := newWorld(t)
	w.dir.channels[channel] = []string{"U1", "U2", "U3", "U4", "U5"}
	ctx := w.ctx
	ok(t, w.blockers.SetSLA(ctx, caller("U1"), 30*24*time.Hour))
	must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Staging is down",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Status: rituals.StatusProposed, DecideBy: "2026-03-05"}))(t)
	ok(t, w.checkins.AnswerAhead(ctx, caller("U1"), rituals.CheckinAnswer{Outcomes: "Shipped the importer"}))
	ok(t, w.checkins.Away(ctx, caller("U4"), "2026-03-04"))
	sch := must(w.checkins.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"}))(t)
	if !sch.NextRunAt.Equal(monday) || sch.Window != rituals.DefaultCheckinWindow {
		t.Fatalf("schedule next %v window %v, want %v and %v", sch.NextRunAt, sch.Window, monday, rituals.DefaultCheckinWindow)
	}
	w.sent(t)

	t.Run("NothingBeforeItsTime", func(t *testing.T) {
		if got := w.tick(t, monday.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q", kinds(got))
		}
	})

	var chk *rituals.Checkin
	t.Run("OpensWithAgendaAndAnswersGivenAhead", func(t *testing.T) {
		got := w.tickTwice(t, monday)
		want := strs(rituals.KindCheckinPrompt, rituals.KindCheckinAnswer, rituals.KindCheckinPrompt)
		if diff := cmp.Diff(want, kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		chk = must(w.db.Checkin(ctx, team, channel, monday))(t)
		if got[0].Key != chk.Key() || got[1].Key != chk.AnswerKey("U1") || got[2].Target != chk.Key() {
			t.Fatalf("keys %q %q %q, want the prompt, U1's answer, the prompt refreshed", got[0].Key, got[1].Key, got[2].Target)
		}
		if got, want := chk.ClosesAt, monday.Add(rituals.DefaultCheckinWindow); !got.Equal(want) {
			t.Fatalf("ClosesAt=%v, want %v", got, want)
		}
		if got, want := chk.NextDue, rituals.Date("2026-03-09"); got != want {
			t.Fatalf("NextDue=%v, want %v", got, want)
		}
		if len(chk.Agenda.Blockers) != 1 || chk.Agenda.Blockers[0].Number != 1 {
			t.Fatalf("agenda blockers %+v, want B-1", chk.Agenda.Blockers)
		}
		if len(chk.Agenda.Decisions) != 1 || chk.Agenda.Decisions[0].Number != 1 || chk.Agenda.Decisions[0].Overdue {
			t.Fatalf("agenda decisions %+v, want D-1 not overdue", chk.Agenda.Decisions)
		}
	})

	t.Run("AnswersAndRepliesRefreshThePrompt", func(t *testing.T) {
		w.at(monday.Add(time.Hour))
		answer := rituals.CheckinAnswer{Outcomes: "Reviewed the RFC", Blockers: []rituals.BlockerLine{{Text: "Waiting on a design review"}},
			Decisions: []string{"- Adopt trunk-based development"}}
		ok(t, w.checkins.Answer(ctx, caller("U2"), channel, monday, answer))
		ok(t, w.checkins.Answer(ctx, caller("U2"), channel, monday, answer)) // changed their mind: same again
		ok(t, w.checkins.Reply(ctx, caller("U3"), chk.Key(), rituals.CheckinReply{User: "U3", TS: "1.000002", Text: "Out sick, sorry"}))
		got := w.sent(t)
		want := strs(rituals.KindCheckinAnswer, rituals.KindCheckinPrompt, rituals.KindCheckinAnswer, rituals.KindCheckinPrompt, rituals.KindCheckinPrompt)
		if diff := cmp.Diff(want, kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		if got[0].Key != chk.AnswerKey("U2") || got[2].Target != chk.AnswerKey("U2") {
			t.Fatalf("answer keys %q, %q: want the first posted, the second replacing it", got[0].Key, got[2].Target)
		}
		_, mine, err := w.checkins.ForAnswer(ctx, caller("U2"), channel, monday)
		ok(t, err)
		if mine == nil || mine.Outcomes != "Reviewed the RFC" || len(mine.Decisions) != 1 || mine.Decisions[0] != "Adopt trunk-based development" {
			t.Fatalf("U2's answer %+v", mine)
		}
	})

	closes := monday.Add(rituals.DefaultCheckinWindow)
	t.Run("RemindsOnlyWhoHasNotTakenPart", func(t *testing.T) {
		if got := w.tick(t, closes.Add(-rituals.CheckinReminderLead-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q before the reminder's time", kinds(got))
		}
		got := w.tickTwice(t, closes.Add(-rituals.CheckinReminderLead))
		if diff := cmp.Diff([]string{"U5"}, recipients(ofKind(got, rituals.KindCheckinReminder))); diff != "" || len(got) != 1 {
			t.Fatalf("reminded %q (-want +got):\n%s", kinds(got), diff)
		}
		if !got[0].Reminder || !got[0].ExpiresAt.Equal(closes) {
			t.Fatalf("reminder %+v: want a Reminder expiring at the close", got[0])
		}
	})

	t.Run("ClosesWithSummaryAndEntries", func(t *testing.T) {
		got := w.tickTwice(t, closes)
		want := strs(rituals.KindBlockerCard, rituals.KindDecisionCard, rituals.KindCheckinSummary, rituals.KindCheckinPrompt)
		if diff := cmp.Diff(want, kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		closed := must(w.db.Checkin(ctx, team, channel, monday))(t)
		if closed.Open() || !closed.ClosedAt.Equal(closes) {
			t.Fatalf("check-in open=%v closed at %v, want closed at %v", closed.Open(), closed.ClosedAt, closes)
		}
		// U4 is away and did not answer: not counted. U3 replied.
		if closed.Members != 4 || closed.Answered != 3 {
			t.Fatalf("members %d answered %d, want 4 and 3", closed.Members, closed.Answered)
		}
		if diff := cmp.Diff([]int64{2}, closed.Blockers); diff != "" {
			t.Fatalf("blockers (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int64{2}, closed.Decisions); diff != "" {
			t.Fatalf("decisions (-want +got):\n%s", diff)
		}
		b := must(w.db.Blocker(ctx, team, 2))(t)
		if b.Reporter != "U2" || b.Text != "Waiting on a design review" || len(b.Parties) != 1 || b.Parties[0].ID != channel {
			t.Fatalf("B-2 %+v: want U2's line, the channel to act", b)
		}
		d := must(w.db.Decision(ctx, team, 2))(t)
		if d.Owner != "U2" || d.OwnerName != "Name of U2" || d.Status != rituals.StatusProposed || d.DecideBy != "2026-03-09" {
			t.Fatalf("D-2 %+v: want U2's proposal due at the next check-in", d)
		}
	})

	t.Run("ClosedTakesNoMoreAnswers", func(t *testing.T) {
		wantCode(t, w.checkins.Answer(ctx, caller("U5"), channel, monday, rituals.CheckinAnswer{Outcomes: "Late"}), rituals.ECONFLICT)
		ok(t, w.checkins.Reply(ctx, caller("U5"), chk.Key(), rituals.CheckinReply{User: "U5", TS: "1.000003", Text: "late"}))
		if got := w.sent(t); len(got) > 0 {
			t.Fatalf("enqueued %q for a closed check-in", kinds(got))
		}
		st := must(w.checkins.Status(ctx, caller("U1")))(t)
		if st.Open != nil || st.Last == nil || !st.Last.ScheduledFor.Equal(monday) || st.Schedule == nil {
			t.Fatalf("status %+v: want no open check-in, Monday's last, and the schedule", st)
		}
	})
}

// TestCheckinSkippedDay shows a holiday: the run is recorded as skipped,
// nothing is posted, and nothing closes it later.
func TestCheckinSkippedDay(t *testing.T) {
	w := newWorld(t)
	must(w.checkins.SetSchedule(w.ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"}))(t)
	ok(t, w.checkins.Skip(w.ctx, caller("U1"), "2026-03-02"))
	wantCode(t, w.checkins.Skip(w.ctx, caller("U1"), "2026-02-26"), rituals.EINVALID)
	w.sent(t)
	if got := w.tickTwice(t, monday); len(got) > 0 {
		t.Fatalf("enqueued %q on a skipped day", kinds(got))
	}
	chk := must(w.db.Checkin(w.ctx, team, channel, monday))(t)
	if !chk.Skipped || chk.Open() {
		t.Fatalf("check-in %+v, want skipped", chk)
	}
	if got := w.tickTwice(t, monday.Add(rituals.DefaultCheckinWindow)); len(got) > 0 {
		t.Fatalf("enqueued %q at the skipped day's close", kinds(got))
	}
}

// TestCheckinStagesFailWithoutMembers shows a directory that does not
// answer: the tick reports it, and the reminders are tried again on the
// next tick.
func TestCheckinStagesFailWithoutMembers(t *testing.T) {
	w := newWorld(t)
	chk := must(w.checkins.OpenNow(w.ctx, caller("U1")))(t)
	w.sent(t)
	down := errors.New("slack is down")
	w.dir.MembersFunc = func(context.Context, string, string) ([]string, error) { return nil, down }
	remind := chk.ClosesAt.Add(-rituals.CheckinReminderLead)
	w.clock.Set(remind)
	if err := w.runner.Tick(w.ctx, remind); !errors.Is(err, down) || !strings.Contains(err.Error(), "members of "+channel) {
		t.Fatalf("Tick: %v, want the directory's error", err)
	}
	w.dir.MembersFunc = nil
	if got := w.tickTwice(t, remind.Add(time.Minute)); len(ofKind(got, rituals.KindCheckinReminder)) != 3 {
		t.Fatalf("enqueued %q, want three reminders once the directory answers", kinds(got))
	}
}
