package rituals_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestPremortemStages drives a pre-mortem through the runner: it closes
// with its ranked summary when its window ends, its action owner is
// reminded on the due day, and its follow-up opens FollowUpAfter days
// after the launch. Every tick runs twice.
func TestPremortemStages(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	ses := must(w.sessions.Open(ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionPremortem, Name: " Billing   v2 ", LaunchOn: "2026-03-06"}))(t)
	if ses.Name != "Billing v2" || !ses.ClosesAt.Equal(friday.Add(rituals.DefaultSessionWindow)) {
		t.Fatalf("session %q closes %v", ses.Name, ses.ClosesAt)
	}
	followUp := time.Date(2026, 3, 20, rituals.FollowUpHour, 0, 0, 0, time.UTC)
	if !ses.FollowUpAt.Equal(followUp) {
		t.Fatalf("FollowUpAt=%v, want %v", ses.FollowUpAt, followUp)
	}
	_, risk := must2(w.sessions.AddItem(ctx, caller("U2"), ses.Number, rituals.ItemInput{Kind: rituals.ItemFailure, Text: "Webhooks drop events",
		Likelihood: rituals.LevelHigh, Impact: rituals.LevelHigh, Tag: rituals.TagTiger}))(t)
	_, reply := must2(w.sessions.AddItem(ctx, caller("U3"), ses.Number, rituals.ItemInput{Text: "Nobody owns the runbook", SourceTS: "1.000001"}))(t)
	_, elephant := must2(w.sessions.AddItem(ctx, caller("U3"), ses.Number, rituals.ItemInput{Kind: rituals.ItemAssumption,
		Text: "The deadline is fixed", Tag: rituals.TagElephant, Anonymous: true}))(t)
	if reply.Kind != rituals.ItemFailure || elephant.Author != "" {
		t.Fatalf("reply kind %q, elephant author %q: want a failure mode, no author", reply.Kind, elephant.Author)
	}
	voted, _ := must2(w.sessions.Vote(ctx, caller("U3"), ses.Number, risk.Number))(t)
	unvoted, _ := must2(w.sessions.Vote(ctx, caller("U3"), ses.Number, risk.Number))(t)
	must2(w.sessions.Vote(ctx, caller("U1"), ses.Number, risk.Number))(t)
	if !voted || unvoted {
		t.Fatalf("votes %v then %v, want given then taken back", voted, unvoted)
	}
	must(w.sessions.AssignOwner(ctx, caller("U1"), ses.Number, risk.Number, rituals.OwnerInput{Owner: "U2", Due: "2026-03-10"}))(t)
	got := w.sent(t)
	want := strs(rituals.KindSessionOpen, rituals.KindSessionItem, rituals.KindSessionItem, rituals.KindSessionItem,
		rituals.KindSessionItemUpdate, rituals.KindSessionItemUpdate, rituals.KindSessionItemUpdate,
		rituals.KindSessionItemUpdate, rituals.KindNotice)
	if diff := cmp.Diff(want, kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}

	t.Run("ClosesWhenItsWindowEnds", func(t *testing.T) {
		if got := w.tick(t, ses.ClosesAt.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q before the close", kinds(got))
		}
		got := w.tickTwice(t, ses.ClosesAt)
		if diff := cmp.Diff(strs(rituals.KindSessionUpdate, rituals.KindSessionSummary), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		closed := must(w.db.Session(ctx, team, ses.Number))(t)
		if closed.Open() || closed.ClosedBy != "" {
			t.Fatalf("session %s closed by %q, want closed by its window", closed.Status, closed.ClosedBy)
		}
		if ranked := closed.Ranked(); ranked[0].Number != risk.Number || ranked[0].Votes != 1 {
			t.Fatalf("top risk #%d with %d votes, want #%d with 1", ranked[0].Number, ranked[0].Votes, risk.Number)
		}
		_, _, err := w.sessions.Vote(ctx, caller("U2"), ses.Number, risk.Number)
		wantCode(t, err, rituals.ECONFLICT)
		_, _, err = w.sessions.AddItem(ctx, caller("U2"), ses.Number, rituals.ItemInput{Text: "Too late"})
		wantCode(t, err, rituals.ECONFLICT)
	})

	t.Run("RemindsTheOwnerOnTheDueDay", func(t *testing.T) {
		due := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		if got := w.tick(t, due.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q the day before", kinds(got))
		}
		got := w.tickTwice(t, due)
		if diff := cmp.Diff(strs(rituals.KindSessionReminder), kinds(got)); diff != "" || got[0].Channel != "U2" {
			t.Fatalf("enqueued to %q (-want +got):\n%s", recipients(got), diff)
		}
	})

	t.Run("FollowsUpAfterTheLaunch", func(t *testing.T) {
		_, err := w.sessions.ToggleHappened(ctx, caller("U2"), ses.Number, risk.Number)
		wantCode(t, err, rituals.ECONFLICT)
		got := w.tickTwice(t, followUp)
		if diff := cmp.Diff(strs(rituals.KindSessionFollowUp), kinds(got)); diff != "" || got[0].Key != ses.FollowUpKey() {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		happened := must(w.sessions.ToggleHappened(ctx, caller("U2"), ses.Number, risk.Number))(t)
		again := must(w.sessions.ToggleHappened(ctx, caller("U2"), ses.Number, risk.Number))(t)
		if !happened || again {
			t.Fatalf("happened %v then %v, want marked then unmarked", happened, again)
		}
		if got := w.sent(t); len(ofKind(got, rituals.KindSessionFollowUpUpdate)) != 2 {
			t.Fatalf("enqueued %q, want two follow-up updates", kinds(got))
		}
	})

	t.Run("RiskBecomesABlockerOnce", func(t *testing.T) {
		b, it := must2(w.sessions.MakeBlocker(ctx, caller("U1"), ses.Number, reply.Number, "Name of U1", ""))(t)
		if it.Blocker != b.Number || b.Reporter != "U1" || b.Parties[0].ID != channel {
			t.Fatalf("blocker %+v from %+v: want reported by U1, the channel to act", b, it)
		}
		want := strs(rituals.KindBlockerCard, rituals.KindSessionItemUpdate, rituals.KindSessionSummaryUpdate)
		if diff := cmp.Diff(want, kinds(w.sent(t))); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		_, _, err := w.sessions.MakeBlocker(ctx, caller("U1"), ses.Number, reply.Number, "", "")
		wantCode(t, err, rituals.ECONFLICT)
	})
}

// TestRetroStages drives a retro: closed early by its creator (only), its
// action done before its due day, so no reminder comes.
func TestRetroStages(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	ses := must(w.sessions.Open(ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Q1 launch", CloseIn: 24 * time.Hour}))(t)
	_, well := must2(w.sessions.AddItem(ctx, caller("U2"), ses.Number, rituals.ItemInput{Text: "well: the canary caught it"}))(t)
	_, change := must2(w.sessions.AddItem(ctx, caller("U2"), ses.Number, rituals.ItemInput{Kind: rituals.ItemChange,
		Text: "Write the runbook", Owner: "U3", Due: "2026-03-05"}))(t)
	if well.Kind != rituals.ItemWell || well.Text != "the canary caught it" || change.Owner != "U3" {
		t.Fatalf("items %+v, %+v", well, change)
	}
	got := w.sent(t)
	if diff := cmp.Diff([]string{"U3"}, recipients(ofKind(got, rituals.KindNotice))); diff != "" {
		t.Fatalf("owner told (-want +got):\n%s", diff)
	}

	t.Run("ListsOpenSessionsAndActions", func(t *testing.T) {
		open, actions := must2(w.sessions.List(ctx, caller("U1"), rituals.SessionRetro))(t)
		if len(open) != 1 || len(actions) != 1 || actions[0].Number != change.Number {
			t.Fatalf("open %d, actions %+v", len(open), actions)
		}
		if _, err := w.sessions.ForAdd(ctx, caller("U2"), ses.Number, rituals.ItemFailure); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("ForAdd of a failure mode to a retro: %v, want EINVALID", err)
		}
		if _, _, err := w.sessions.ForTrack(ctx, caller("U9"), ses.Number, change.Number); rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("ForTrack by a stranger: %v, want EFORBIDDEN", err)
		}
		if _, _, err := w.sessions.ForTrack(ctx, caller("U1"), ses.Number, well.Number); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("ForTrack of what went well: %v, want EINVALID", err)
		}
	})

	t.Run("ClosedEarlyOnlyByItsCreator", func(t *testing.T) {
		_, err := w.sessions.Close(ctx, caller("U2"), ses.Kind, rituals.SessionID{Number: ses.Number})
		wantCode(t, err, rituals.EFORBIDDEN)
		closed := must(w.sessions.Close(ctx, caller("U1"), ses.Kind, rituals.SessionID{Number: ses.Number}))(t)
		if closed.ClosedBy != "U1" {
			t.Fatalf("ClosedBy=%q, want U1", closed.ClosedBy)
		}
		if diff := cmp.Diff(strs(rituals.KindSessionUpdate, rituals.KindSessionSummary), kinds(w.sent(t))); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		_, err = w.sessions.Close(ctx, caller("U1"), ses.Kind, rituals.SessionID{Number: ses.Number})
		wantCode(t, err, rituals.ECONFLICT)
		if got := w.tickTwice(t, ses.ClosesAt); len(got) > 0 {
			t.Fatalf("closed early, then the runner enqueued %q", kinds(got))
		}
	})

	t.Run("DoneActionIsNotReminded", func(t *testing.T) {
		done := must(w.sessions.Finish(ctx, caller("U3"), ses.Number, change.Number))(t)
		if done.DoneBy != "U3" {
			t.Fatalf("DoneBy=%q", done.DoneBy)
		}
		want := strs(rituals.KindSessionItemUpdate, rituals.KindSessionSummaryUpdate)
		if diff := cmp.Diff(want, kinds(w.sent(t))); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		_, err := w.sessions.Finish(ctx, caller("U3"), ses.Number, change.Number)
		wantCode(t, err, rituals.ECONFLICT)
		if got := w.tickTwice(t, time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)); len(got) > 0 {
			t.Fatalf("enqueued %q for a done action", kinds(got))
		}
	})
}

// TestOverdueActionReminders ticks past an action item's due day: its
// owner is reminded on the due day, again 2 and 7 days past it, once
// each however often the runner ticks, and not at all once it is done.
func TestOverdueActionReminders(t *testing.T) {
	w := newWorld(t)
	_, change := closedRetroWithAction(t, w, "U3")
	done, other := closedRetroWithAction(t, w, "U2")
	must(w.sessions.Finish(w.ctx, caller("U2"), done.Number, other.Number))(t)
	w.sent(t)
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	overdue := func(t *testing.T, got []rituals.OutboxItem) []int {
		t.Helper()
		var days []int
		for _, it := range got {
			var data rituals.SessionItemData
			if it.Kind != rituals.KindSessionReminder || it.User != "U3" || !it.Reminder || unmarshal(t, it.Data, &data).Item != change.Number {
				t.Fatalf("enqueued %s to %q (reminder %v), want a capped reminder of #%d to U3", it.Kind, it.User, it.Reminder, change.Number)
			}
			days = append(days, data.Overdue)
		}
		return days
	}
	for _, step := range []struct {
		name string
		at   time.Time
		want []int
	}{
		{"OnTheDueDay", day(10, 9), []int{0}},
		{"NotTheDayAfter", day(11, 9), nil},
		{"TwoDaysPast", day(12, 0), []int{2}},
		{"OnceThatDay", day(12, 18), nil},
		{"NotInBetween", day(16, 23), nil},
		{"SevenDaysPast", day(17, 9), []int{7}},
		{"NotAfter", day(24, 9), nil},
	} {
		t.Run(step.name, func(t *testing.T) {
			if diff := cmp.Diff(step.want, overdue(t, w.tickTwice(t, step.at))); diff != "" {
				t.Fatalf("days overdue reminded (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOverdueReminderAfterDowntime: an item whose due-day reminder never
// went out gets only the overdue one.
func TestOverdueReminderAfterDowntime(t *testing.T) {
	w := newWorld(t)
	_, change := closedRetroWithAction(t, w, "U3")
	got := w.tickTwice(t, time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC))
	if len(got) != 1 || got[0].Kind != rituals.KindSessionReminder {
		t.Fatalf("enqueued %q, want one reminder", kinds(got))
	}
	var data rituals.SessionItemData
	if unmarshal(t, got[0].Data, &data); data != (rituals.SessionItemData{Item: change.Number, Overdue: 2}) {
		t.Fatalf("reminded %+v, want #%d 2 days overdue", data, change.Number)
	}
}

// closedRetroWithAction opens a retro with one change, owned by owner
// and due 2026-03-10, closes it and drains what that enqueued.
func closedRetroWithAction(t *testing.T, w *world, owner string) (*rituals.Session, *rituals.Item) {
	t.Helper()
	ses := must(w.sessions.Open(w.ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Q1 launch", CloseIn: 24 * time.Hour}))(t)
	_, change := must2(w.sessions.AddItem(w.ctx, caller("U2"), ses.Number, rituals.ItemInput{Kind: rituals.ItemChange,
		Text: "Write the runbook", Owner: owner, Due: "2026-03-10"}))(t)
	must(w.sessions.Close(w.ctx, caller("U1"), ses.Kind, rituals.SessionID{Number: ses.Number}))(t)
	w.sent(t)
	return ses, change
}

// unmarshal decodes an outbox item's data into v, and returns v.
func unmarshal[T any](t *testing.T, data []byte, v *T) *T {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("data %s: %v", data, err)
	}
	return v
}
