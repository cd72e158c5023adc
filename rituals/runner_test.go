package rituals_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestRunnerMonday0900 answers "what happens at 09:00 on Monday?" with
// one of everything due then: the scheduled rituals open first, then each
// stage in the order NewRunner lists them. A second tick at the same
// instant does nothing.
func TestRunnerMonday0900(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	w.dir.channels["C3"] = []string{"U1", "U2"}
	w.dir.channels["C4"] = []string{"U1", "U2"}
	weekly := rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"}
	must(w.checkins.SetSchedule(ctx, caller("U1"), weekly))(t)
	must(w.digests.SetSchedule(ctx, callerIn("U1", "C2"), weekly))(t)
	must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Owner: "U2", Status: rituals.StatusProposed, DecideBy: "2026-03-02"}))(t)
	w.at(monday.Add(-rituals.DefaultSLA))
	must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Need prod DB access",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	w.at(monday.Add(-48 * time.Hour))
	p := must(w.pulses.Create(ctx, caller("U1"), rituals.PulseInput{Question: "Ready?", Kind: rituals.PulseYesNo,
		Audience: rituals.AudienceChannel, OpenFor: "48h"}))(t)
	w.launch(t, p.Number, w.everyone()...)
	ses := must(w.sessions.Open(ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Sprint 9", CloseIn: 48 * time.Hour}))(t)
	must2(w.sessions.AddItem(ctx, caller("U1"), ses.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Split the epic",
		Owner: "U3", Due: "2026-03-02"}))(t)
	w.at(monday.Add(-24 * time.Hour))
	ok(t, w.checkins.SetWindow(ctx, callerIn("U1", "C3"), 26*time.Hour))
	must(w.checkins.OpenNow(ctx, callerIn("U1", "C3")))(t) // closes at 11:00: reminders now
	must(w.checkins.OpenNow(ctx, callerIn("U1", "C4")))(t) // closes now
	w.sent(t)

	got := w.tickTwice(t, monday)
	// The schedules due open first, in no set order among themselves.
	opened := kinds(got[:3])
	slices.Sort(opened)
	if diff := cmp.Diff(strs(rituals.KindCheckinPrompt, rituals.KindDigestChart, rituals.KindDigest), opened); diff != "" {
		t.Fatalf("opened (-want +got):\n%s", diff)
	}
	want := strs(
		rituals.KindDecisionReminder,                                                        // DecisionReminders
		rituals.KindBlockerCardUpdate, rituals.KindBlockerNotice, rituals.KindBlockerNotice, // BlockerWatch
		rituals.KindPulseResults,                                 // Pulses
		rituals.KindCheckinReminder, rituals.KindCheckinReminder, // CheckinReminders (C3)
		rituals.KindCheckinSummary, rituals.KindCheckinPrompt, // CheckinClosing (C4)
		rituals.KindSessionUpdate, rituals.KindSessionSummary, rituals.KindSessionReminder, // Sessions
	)
	if diff := cmp.Diff(want, kinds(got[3:])); diff != "" {
		t.Fatalf("stages enqueued (-want +got):\n%s", diff)
	}
}

// TestNewRunner pins what NewRunner declares: the rituals it opens and
// its stages, in the order a tick runs them.
func TestNewRunner(t *testing.T) {
	w := newWorld(t)
	var stages []string
	for _, st := range w.runner.Stages {
		stages = append(stages, rituals.StageName(st))
	}
	want := []string{"DecisionReminders", "BlockerWatch", "Pulses", "CheckinReminders", "CheckinClosing", "Sessions"}
	if diff := cmp.Diff(want, stages); diff != "" {
		t.Fatalf("stages (-want +got):\n%s", diff)
	}
	w.runner.Maintain = func(context.Context, time.Time) error { return nil }
	kinds, names := w.runner.Names()
	if diff := cmp.Diff([]string{"checkin", "digest", "pulse"}, kinds); diff != "" {
		t.Fatalf("kinds (-want +got):\n%s", diff)
	}
	want = []string{"BlockerWatch", "CheckinClosing", "CheckinReminders", "DecisionReminders", "Pulses", "Sessions", "maintain", "open"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("names (-want +got):\n%s", diff)
	}
}

// TestRunnerMissedRuns shows the runner after downtime: only the latest
// missed occurrence opens, if its window is still open; an occurrence
// whose window has closed is skipped, and the schedule moves on.
func TestRunnerMissedRuns(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	must(w.checkins.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Monday, time.Thursday}, Hour: 9, Zone: "UTC"}))(t)
	ok(t, w.checkins.SetWindow(ctx, caller("U1"), 4*time.Hour))
	w.sent(t)
	thursday := monday.AddDate(0, 0, 3)

	t.Run("LatestOpensTheRestAreSkipped", func(t *testing.T) {
		got := w.tickTwice(t, thursday.Add(time.Hour))
		if diff := cmp.Diff(strs(rituals.KindCheckinPrompt), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		open := must(w.db.Checkins(ctx, rituals.CheckinFilter{Team: team, Channel: channel}))(t)
		if len(open) != 1 || !open[0].ScheduledFor.Equal(thursday) || !open[0].OpenedAt.Equal(thursday.Add(time.Hour)) {
			t.Fatalf("check-ins %+v, want Thursday's alone, opened an hour late", open)
		}
	})
	t.Run("PastItsWindowIsSkipped", func(t *testing.T) {
		w.tick(t, thursday.Add(4*time.Hour)) // closes Thursday's
		nextMonday := monday.AddDate(0, 0, 7)
		if got := w.tickTwice(t, nextMonday.Add(4*time.Hour+time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q for a run whose window closed", kinds(got))
		}
		if got := w.tickTwice(t, thursday.AddDate(0, 0, 7)); len(got) != 1 {
			t.Fatalf("enqueued %q at the next run, want its prompt", kinds(got))
		}
	})
}

// TestRunnerUnknownRitual shows a schedule no ritual claims: skipped with
// a log line, and moved on so it is not read on every tick.
func TestRunnerUnknownRitual(t *testing.T) {
	w := newWorld(t)
	sch := &rituals.Schedule{Team: team, Channel: channel, Kind: "standup", Spec: "0 9 * * 1", Zone: rituals.StoredZone("UTC"), Window: time.Hour, NextRunAt: monday}
	ok(t, w.db.InTx(w.ctx, func(tx rituals.Tx) error { return tx.SaveSchedule(w.ctx, sch, friday) }))
	var observed []string
	w.runner.Observe = func(kind, stage string, err error) { observed = append(observed, kind+"/"+stage) }
	if got := w.tickTwice(t, monday); len(got) > 0 {
		t.Fatalf("enqueued %q", kinds(got))
	}
	if due := must(w.db.DueSchedules(w.ctx, monday))(t); len(due) > 0 {
		t.Fatalf("still due: %+v", due[0])
	}
	if len(observed) > 0 {
		t.Fatalf("observed %q, want nothing: nothing opened or failed", observed)
	}
}

type panicStage struct{}

func (panicStage) Due(context.Context, time.Time) error { panic("boom") }
func (panicStage) Name() string                         { return "boom" }

type failStage struct{ err error }

func (s failStage) Due(context.Context, time.Time) error { return s.err }

type panicRitual struct{}

func (panicRitual) Open(context.Context, rituals.RitualTx, *rituals.Schedule, *rituals.Occurrence) error {
	panic("bad ritual")
}

// TestRunnerPanics shows a tick surviving its pieces: a stage that panics
// is skipped and observed, and the stages after it still run; a ritual
// that panics opening skips its occurrence, whose claim rolls back, and
// its schedule moves on. A stage's error is observed and returned.
func TestRunnerPanics(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	type obs struct {
		kind, stage string
		panicked    bool
		err         error
	}
	var observed []obs
	w.runner.Observe = func(kind, stage string, err error) {
		var p *rituals.Panic
		if errors.As(err, &p) {
			err = nil
		}
		observed = append(observed, obs{kind, stage, p != nil, err})
	}
	failed := errors.New("stage failed")
	w.runner.Stages = append([]rituals.Stage{panicStage{}, failStage{failed}}, w.runner.Stages...)
	w.runner.Rituals[rituals.CheckinKind] = panicRitual{}
	must(w.checkins.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"}))(t)
	b := must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Stuck",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	w.sent(t)

	stale := b.CreatedAt.Add(rituals.DefaultSLA) // Monday 12:00, inside the check-in's window
	w.clock.Set(stale)
	if err := w.runner.Tick(ctx, stale); !errors.Is(err, failed) {
		t.Fatalf("Tick: %v, want the failed stage's error", err)
	}
	want := []obs{{"checkin", rituals.StageOpen, true, nil}, {"", "boom", true, nil}, {"", "failStage", false, failed}}
	if diff := cmp.Diff(want, observed, cmp.AllowUnexported(obs{}), cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) })); diff != "" {
		t.Fatalf("observed (-want +got):\n%s", diff)
	}
	if got := w.sent(t); len(got) != 3 { // BlockerWatch ran after them: the escalation
		t.Fatalf("enqueued %q, want the blocker's escalation", kinds(got))
	}
	if got := must(w.db.Blocker(ctx, team, b.Number))(t); got.EscalatedAt.IsZero() {
		t.Fatal("the stages after the panic did not run")
	}
	if got := must(w.db.Checkins(ctx, rituals.CheckinFilter{Team: team}))(t); len(got) > 0 {
		t.Fatalf("check-in %+v recorded by a ritual that panicked", got[0])
	}
	if due := must(w.db.DueSchedules(ctx, stale))(t); len(due) > 0 {
		t.Fatal("the schedule whose ritual panicked is still due")
	}
}

// TestRunnerRun shows the heartbeat: Run ticks at once, runs the
// housekeeping, and returns when its context ends.
func TestRunnerRun(t *testing.T) {
	w := newWorld(t)
	ticked := make(chan time.Time, 1)
	w.runner.Maintain = func(_ context.Context, now time.Time) error {
		select {
		case ticked <- now:
		default:
		}
		return nil
	}
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan struct{})
	go func() {
		w.runner.Run(ctx, time.Hour, w.clock.Now)
		close(done)
	}()
	if at := <-ticked; !at.Equal(friday) {
		t.Fatalf("first tick at %v, want at once, at %v", at, friday)
	}
	cancel()
	<-done
}
