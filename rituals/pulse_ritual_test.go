package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// launch sends pending pulse n to members, as the edge does when it
// sends the pulse's launch, and returns the tickets of their DMs by user.
func (w *world) launch(tb testing.TB, n int64, members ...rituals.PulseMember) (*rituals.Pulse, map[string]rituals.PulseTicket) {
	tb.Helper()
	p := must(w.pulses.Launch(w.ctx, team, n, members))(tb)
	tickets := map[string]rituals.PulseTicket{}
	for _, it := range ofKind(w.sent(tb), rituals.KindPulsePrompt) {
		var data rituals.PulsePromptData
		decode(tb, it, &data)
		tickets[it.User] = data.PulseTicket
	}
	return p, tickets
}

// everyone returns the members of the channel as a pulse's audience.
func (w *world) everyone() []rituals.PulseMember {
	var out []rituals.PulseMember
	for _, u := range w.dir.channels[channel] {
		out = append(out, rituals.PulseMember{User: u})
	}
	return out
}

// TestPulseStages drives a weekly pulse through the runner: sent, one
// reminder to who has not answered a day before it closes, its results
// at the close, then the next run started by its schedule. Every tick
// runs twice.
func TestPulseStages(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	p := must(w.pulses.Create(ctx, caller("U1"), rituals.PulseInput{Question: "Is the roadmap clear?", Kind: rituals.PulseYesNo,
		Audience: rituals.AudienceChannel, OpenFor: "48h", Repeat: rituals.RepeatWeekly}))(t)
	launch := w.sent(t)
	if diff := cmp.Diff(strs(rituals.KindPulseLaunch), kinds(launch)); diff != "" || launch[0].Ref != p.Number {
		t.Fatalf("enqueued %v (-want +got):\n%s", launch, diff)
	}
	p, tickets := w.launch(t, p.Number, w.everyone()...)
	if p.Status != rituals.PulseOpen || len(tickets) != 3 {
		t.Fatalf("pulse %s with %d tickets, want open with 3", p.Status, len(tickets))
	}
	ok(t, w.pulses.Answer(ctx, caller("U2"), p.Number, tickets["U2"], rituals.AnswerInput{Choice: 0}))
	if got := w.sent(t); len(got) != 1 || string(got[0].Kind) != string(rituals.KindPulsePromptUpdate) || got[0].Target != p.PromptKey("U2") {
		t.Fatalf("enqueued %q, want U2's DM updated", kinds(got))
	}
	if got := must(w.pulses.MyAnswer(ctx, team, p.Number, "U2", ""))(t); got != "Yes" {
		t.Fatalf("MyAnswer=%q, want Yes", got)
	}

	remind := p.ClosesAt.Add(-rituals.PulseReminderLead)
	t.Run("RemindsNonRespondersOnce", func(t *testing.T) {
		if got := w.tick(t, remind.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q before the reminder's time", kinds(got))
		}
		got := w.tickTwice(t, remind)
		if diff := cmp.Diff([]string{"U1", "U3"}, recipients(ofKind(got, rituals.KindPulseReminder))); diff != "" || len(got) != 2 {
			t.Fatalf("reminded %q (-want +got):\n%s", kinds(got), diff)
		}
	})

	t.Run("ClosesWithResults", func(t *testing.T) {
		got := w.tickTwice(t, p.ClosesAt)
		if diff := cmp.Diff(strs(rituals.KindPulseResults), kinds(got)); diff != "" || got[0].Key != p.ResultsKey() {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		closed := must(w.db.Pulse(ctx, team, p.Number))(t)
		if closed.Status != rituals.PulseClosed || closed.Asked != 3 || closed.Answered != 1 {
			t.Fatalf("pulse %s asked %d answered %d, want closed, 3, 1", closed.Status, closed.Asked, closed.Answered)
		}
		r := must(w.pulses.Report(ctx, team, p.Number))(t)
		if diff := cmp.Diff([]rituals.PulseAnswer{{User: "U2", Value: "Yes"}}, r.Named); diff != "" || !r.All.Shown {
			t.Fatalf("named answers (-want +got):\n%s", diff)
		}
		wantCode(t, w.pulses.Answer(ctx, caller("U3"), p.Number, tickets["U3"], rituals.AnswerInput{Choice: 1}), rituals.ECONFLICT)
	})

	next := friday.AddDate(0, 0, 7)
	t.Run("ScheduleStartsTheNextRun", func(t *testing.T) {
		got := w.tickTwice(t, next)
		if diff := cmp.Diff(strs(rituals.KindPulseLaunch), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		run := must(w.db.Pulse(ctx, team, got[0].Ref))(t)
		if run.Series != p.Number || run.Run != 2 || run.Status != rituals.PulsePending || run.Question != p.Question {
			t.Fatalf("next run %+v: want run 2 of %s, pending", run, p.ID())
		}
	})

	t.Run("StoppedSeriesStartsNoMore", func(t *testing.T) {
		second, _ := w.launch(t, 2, w.everyone()...)
		stopped := must(w.pulses.Stop(ctx, caller("U1"), second.Number))(t)
		if stopped.Number != 2 {
			t.Fatalf("Stop returned %s, want P-2", stopped.ID())
		}
		_, err := w.pulses.Stop(ctx, caller("U1"), second.Number)
		wantCode(t, err, rituals.EINVALID)
		// The run still open closes; no third run starts.
		got := w.tickTwice(t, next.AddDate(0, 0, 7))
		if diff := cmp.Diff(strs(rituals.KindPulseResults), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
	})
}

// TestPulseRepeatClosesTheOpenRun shows a run still open when the next
// is due: the schedule closes it before starting the next, in the same
// tick, and the closing stage does not close it again.
func TestPulseRepeatClosesTheOpenRun(t *testing.T) {
	w := newWorld(t)
	p := must(w.pulses.Create(w.ctx, caller("U1"), rituals.PulseInput{Question: "How was the week?", Kind: rituals.PulseScale,
		Audience: rituals.AudienceChannel, OpenFor: "7d", Repeat: rituals.RepeatWeekly}))(t)
	w.sent(t)
	w.launch(t, p.Number, w.everyone()...)
	w.tick(t, friday.Add(6*24*time.Hour)) // the reminder
	got := w.tickTwice(t, friday.AddDate(0, 0, 7))
	if diff := cmp.Diff(strs(rituals.KindPulseResults, rituals.KindPulseLaunch), kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
}

// TestPulseBiweekly shows a series every other week: its weekly schedule
// starts nothing in the weeks between.
func TestPulseBiweekly(t *testing.T) {
	w := newWorld(t)
	must(w.pulses.Create(w.ctx, caller("U1"), rituals.PulseInput{Question: "Any friction?", Kind: rituals.PulseText,
		Audience: rituals.AudienceChannel, OpenFor: "2d", Repeat: rituals.RepeatBiweekly}))(t)
	w.sent(t)
	w.launch(t, 1, w.everyone()...)
	w.tick(t, friday.AddDate(0, 0, 1))
	w.tick(t, friday.AddDate(0, 0, 2)) // closes
	if got := w.tickTwice(t, friday.AddDate(0, 0, 7)); len(got) > 0 {
		t.Fatalf("week 1 enqueued %q, want nothing", kinds(got))
	}
	if got := w.tickTwice(t, friday.AddDate(0, 0, 14)); len(ofKind(got, rituals.KindPulseLaunch)) != 1 {
		t.Fatalf("week 2 enqueued %q, want the next run's launch", kinds(got))
	}
}

// TestPulseAnonymous closes an anonymous pulse: its ballots are counted
// only at the close, each person can read back only their own answer,
// and the results are shown once the threshold is met.
func TestPulseAnonymous(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	people := []string{"U2", "U3", "U4", "U5"}
	p := must(w.pulses.Create(ctx, caller("U1"), rituals.PulseInput{Question: "How clear are our priorities?", Kind: rituals.PulseScale,
		ScaleLabels: "Murky\nCrystal", Audience: rituals.AudiencePeople, People: people, Anonymous: true, Threshold: "3", OpenFor: "2d"}))(t)
	w.sent(t)
	var members []rituals.PulseMember
	for _, u := range people {
		members = append(members, rituals.PulseMember{User: u, Role: "eng"})
	}
	p, tickets := w.launch(t, p.Number, members...)
	for user, choice := range map[string]int{"U2": 4, "U3": 3, "U4": 4} {
		ok(t, w.pulses.Answer(ctx, caller(user), p.Number, tickets[user], rituals.AnswerInput{Choice: choice}))
	}
	ok(t, w.pulses.Answer(ctx, caller("U2"), p.Number, tickets["U2"], rituals.AnswerInput{Choice: 2})) // changed
	_, err := w.pulses.MyAnswer(ctx, team, p.Number, "U5", tickets["U5"].Token)
	wantCode(t, err, rituals.ENOTFOUND)
	wantCode(t, w.pulses.Answer(ctx, caller("U9"), p.Number, tickets["U5"], rituals.AnswerInput{Choice: 1}), rituals.EFORBIDDEN)
	wantCode(t, w.pulses.Answer(ctx, caller("U5"), p.Number, rituals.PulseTicket{}, rituals.AnswerInput{Choice: 1}), rituals.EINVALID)
	wantCode(t, w.pulses.Answer(ctx, caller("U5"), p.Number, tickets["U5"], rituals.AnswerInput{Choice: 9}), rituals.EINVALID)
	if got := must(w.pulses.MyAnswer(ctx, team, p.Number, "U2", tickets["U2"].Token))(t); got != "3" {
		t.Fatalf("U2's own answer %q, want 3", got)
	}
	w.sent(t)

	got := w.tickTwice(t, p.ClosesAt)
	if diff := cmp.Diff(strs(rituals.KindPulseResults), kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
	r := must(w.pulses.Report(ctx, team, p.Number))(t)
	if diff := cmp.Diff([]int{0, 0, 1, 1, 1}, r.All.Counts); diff != "" || !r.All.Shown || r.Named != nil {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	if got, want := r.All.Mean, (3.0+4+5)/3; got != want {
		t.Fatalf("mean %v, want %v", got, want)
	}
}

// TestPulseLaunchTooFew shows an anonymous pulse whose audience is under
// its threshold: canceled at launch, its creator told why.
func TestPulseLaunchTooFew(t *testing.T) {
	w := newWorld(t)
	p := must(w.pulses.Create(w.ctx, caller("U1"), rituals.PulseInput{Question: "Rate the offsite", Kind: rituals.PulseScale,
		Audience: rituals.AudienceChannel, Anonymous: true}))(t)
	w.sent(t)
	p = must(w.pulses.Launch(w.ctx, team, p.Number, w.everyone()))(t)
	got := w.sent(t)
	if p.Status != rituals.PulseCanceled || len(got) != 1 || string(got[0].Kind) != string(rituals.KindNotice) || got[0].Channel != "U1" {
		t.Fatalf("pulse %s, enqueued %q: want canceled and a notice to U1", p.Status, kinds(got))
	}
	_, err := w.pulses.Launch(w.ctx, team, p.Number, w.everyone())
	if err == nil {
		t.Fatal("second launch: want an error")
	}
	if got := w.tickTwice(t, friday.AddDate(0, 0, 3)); len(got) > 0 {
		t.Fatalf("a canceled pulse enqueued %q", kinds(got))
	}
}

// TestPulseManage covers what a pulse's creator (or an admin) may change
// by hand: its threshold before it is sent, an early close, a cancel.
func TestPulseManage(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	create := func(t *testing.T) *rituals.Pulse {
		return must(w.pulses.Create(ctx, caller("U1"), rituals.PulseInput{Question: "Ship on Friday?", Kind: rituals.PulseChoice,
			Choices: "Yes\nNo\nNot sure", Audience: rituals.AudienceChannel}))(t)
	}
	p := create(t)
	t.Run("ThresholdFixedOnceSent", func(t *testing.T) {
		wantCode(t, w.pulses.SetThreshold(ctx, caller("U2"), p.Number, "4"), rituals.EFORBIDDEN)
		wantCode(t, w.pulses.SetThreshold(ctx, caller("U1"), p.Number, "1"), rituals.EINVALID)
		ok(t, w.pulses.SetThreshold(ctx, caller("U1"), p.Number, "4"))
		w.launch(t, p.Number, w.everyone()...)
		wantCode(t, w.pulses.SetThreshold(ctx, caller("U1"), p.Number, "5"), rituals.ECONFLICT)
	})
	t.Run("CloseEarlyByItsCreator", func(t *testing.T) {
		_, err := w.pulses.Close(ctx, caller("U2"), p.Number)
		wantCode(t, err, rituals.EFORBIDDEN)
		closed := must(w.pulses.Close(ctx, caller("U1"), p.Number))(t)
		if closed.Status != rituals.PulseClosed {
			t.Fatalf("status %s, want closed", closed.Status)
		}
		if got := w.sent(t); len(ofKind(got, rituals.KindPulseResults)) != 1 {
			t.Fatalf("enqueued %q, want the results", kinds(got))
		}
		_, err = w.pulses.Close(ctx, caller("U1"), p.Number)
		wantCode(t, err, rituals.EINVALID)
		if got := w.tickTwice(t, friday.AddDate(0, 0, 3)); len(got) > 0 {
			t.Fatalf("closed early, then the runner enqueued %q", kinds(got))
		}
	})
	t.Run("CancelPending", func(t *testing.T) {
		q := create(t)
		_, err := w.pulses.Close(ctx, caller("U1"), q.Number)
		wantCode(t, err, rituals.EINVALID)
		ok(t, w.pulses.Cancel(ctx, team, q.Number, "its channel could not be read"))
		if got := w.sent(t); len(ofKind(got, rituals.KindNotice)) != 1 {
			t.Fatalf("enqueued %q, want a notice", kinds(got))
		}
		_, err = w.pulses.Close(ctx, caller("U1"), q.Number)
		wantCode(t, err, rituals.EINVALID)
	})
	t.Run("VisibleFromItsChannel", func(t *testing.T) {
		if got := must(w.pulses.Get(ctx, caller("U3"), p.Number))(t); got.Number != p.Number {
			t.Fatalf("Get=%s", got.ID())
		}
		if got := must(w.pulses.List(ctx, caller("U3"), 10))(t); len(got) != 2 {
			t.Fatalf("List has %d pulses, want 2", len(got))
		}
	})
	t.Run("Roles", func(t *testing.T) {
		roles := []rituals.PulseRole{{Group: "S1", Role: "eng"}, {Group: "S2", Role: "design"}}
		ok(t, w.pulses.SetRoles(ctx, caller("U1"), roles))
		if diff := cmp.Diff(roles, must(w.pulses.Roles(ctx, team, channel))(t)); diff != "" {
			t.Fatalf("roles (-want +got):\n%s", diff)
		}
		wantCode(t, w.pulses.SetRoles(ctx, caller("U1"), []rituals.PulseRole{{Group: "S1", Role: "a"}, {Group: "S1", Role: "b"}}), rituals.EINVALID)
		wantCode(t, w.pulses.SetRoles(ctx, caller("U1"), []rituals.PulseRole{{Group: "S1", Role: "no spaces"}}), rituals.EINVALID)
		admins := caller("U1")
		admins.AdminsOnly = true
		wantCode(t, w.pulses.SetRoles(ctx, admins, roles), rituals.EFORBIDDEN)
	})
	t.Run("RolesOfPeople", func(t *testing.T) {
		roles := []rituals.PulseRole{{User: "U2", Role: "eng"}, {User: "W3", Role: "eng"}, {Group: "S2", Role: "design"}}
		ok(t, w.pulses.SetRoles(ctx, caller("U1"), roles))
		if diff := cmp.Diff(roles, must(w.pulses.Roles(ctx, team, channel))(t)); diff != "" {
			t.Fatalf("roles (-want +got):\n%s", diff)
		}
		for name, bad := range map[string][]rituals.PulseRole{
			"PersonTwice":         {{User: "U2", Role: "a"}, {User: "U2", Role: "b"}},
			"NobodyGiven":         {{Role: "a"}},
			"PersonAndGroupInOne": {{User: "U2", Group: "S1", Role: "a"}},
		} {
			if err := w.pulses.SetRoles(ctx, caller("U1"), bad); rituals.ErrorCode(err) != rituals.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
	})
}

// TestPulseFollowUp gives a closed pulse's results, themes included, to a
// decision or blocker that follows up on them; an open pulse has none, and
// a private channel's pulse is not seen from elsewhere.
func TestPulseFollowUp(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	people := []string{"U2", "U3", "U4", "U5"}
	asker := caller("U1")
	asker.ChannelPrivate = true
	p := must(w.pulses.Create(ctx, asker, rituals.PulseInput{Question: "What slows us down?", Kind: rituals.PulseText,
		Audience: rituals.AudiencePeople, People: people, Anonymous: true, Threshold: "3", OpenFor: "2d"}))(t)
	w.sent(t)
	var members []rituals.PulseMember
	for _, u := range people {
		members = append(members, rituals.PulseMember{User: u})
	}
	p, tickets := w.launch(t, p.Number, members...)
	_, err := w.pulses.FollowUp(ctx, caller("U2"), p.Number)
	wantCode(t, err, rituals.EINVALID)
	for user, text := range map[string]string{"U2": "Flaky tests", "U3": "flaky builds", "U4": "Slow reviews"} {
		ok(t, w.pulses.Answer(ctx, caller(user), p.Number, tickets[user], rituals.AnswerInput{Text: text}))
	}
	w.sent(t)
	w.tickTwice(t, p.ClosesAt)

	r := must(w.pulses.FollowUp(ctx, caller("U5"), p.Number))(t)
	if diff := cmp.Diff([]rituals.PulseTheme{{Word: "flaky", Answers: 2, Example: "Flaky tests"}}, r.Themes); diff != "" || !r.All.Shown {
		t.Fatalf("themes (-want +got):\n%s", diff)
	}
	_, err = w.pulses.FollowUp(ctx, callerIn("U5", "C0ELSEWHERE"), p.Number)
	wantCode(t, err, rituals.ENOTFOUND)
	_, err = w.pulses.FollowUp(ctx, caller("U5"), p.Number+1)
	wantCode(t, err, rituals.ENOTFOUND)
}
