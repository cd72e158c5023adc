package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestCheckinSettings covers a channel's check-in settings and the
// check-ins opened and closed by hand.
func TestCheckinSettings(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	monday9 := rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"}

	t.Run("OnlyAdminsWhenAdminsAreSet", func(t *testing.T) {
		admins := caller("U1")
		admins.AdminsOnly = true
		_, err := w.checkins.SetSchedule(ctx, admins, monday9)
		wantCode(t, err, rituals.EFORBIDDEN)
		wantCode(t, w.checkins.SetWindow(ctx, admins, time.Hour), rituals.EFORBIDDEN)
		wantCode(t, w.checkins.Off(ctx, admins), rituals.EFORBIDDEN)
		wantCode(t, w.checkins.Skip(ctx, admins, "2026-03-02"), rituals.EFORBIDDEN)
		_, err = w.checkins.OpenNow(ctx, admins)
		wantCode(t, err, rituals.EFORBIDDEN)
		wantCode(t, w.checkins.CloseNow(ctx, admins), rituals.EFORBIDDEN)
		admins.Admin = true
		must(w.checkins.SetSchedule(ctx, admins, monday9))(t)
	})
	t.Run("ErrBadSchedule", func(t *testing.T) {
		for name, wt := range map[string]rituals.WeeklyTime{
			"NoDay":   {Hour: 9, Zone: "UTC"},
			"BadHour": {Days: []time.Weekday{time.Monday}, Hour: 24, Zone: "UTC"},
			"NoZone":  {Days: []time.Weekday{time.Monday}, Hour: 9},
			"Local":   {Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "Local"},
		} {
			if _, err := w.checkins.SetSchedule(ctx, caller("U1"), wt); rituals.ErrorCode(err) != rituals.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
	})
	t.Run("WindowFollowsIntoTheSchedule", func(t *testing.T) {
		wantCode(t, w.checkins.SetWindow(ctx, caller("U1"), 30*time.Minute), rituals.EINVALID)
		wantCode(t, w.checkins.SetWindow(ctx, caller("U1"), 7*24*time.Hour), rituals.EINVALID)
		ok(t, w.checkins.SetWindow(ctx, caller("U1"), 6*time.Hour))
		st := must(w.checkins.Status(ctx, caller("U1")))(t)
		if st.Window != 6*time.Hour || st.Schedule == nil || st.Schedule.Window != 6*time.Hour {
			t.Fatalf("status window %v, schedule %+v: want 6h in both", st.Window, st.Schedule)
		}
	})
	t.Run("SkipsListedAhead", func(t *testing.T) {
		ok(t, w.checkins.Skip(ctx, caller("U1"), "2026-03-09"))
		st := must(w.checkins.Status(ctx, caller("U1")))(t)
		if len(st.Skips) != 1 || st.Skips[0] != "2026-03-09" {
			t.Fatalf("skips %v", st.Skips)
		}
	})
	t.Run("AwayOnlyAhead", func(t *testing.T) {
		wantCode(t, w.checkins.Away(ctx, caller("U2"), "2026-02-26"), rituals.EINVALID)
		ok(t, w.checkins.Away(ctx, caller("U2"), "2026-02-27"))
	})
	t.Run("OpenAndCloseByHand", func(t *testing.T) {
		wantCode(t, w.checkins.CloseNow(ctx, caller("U1")), rituals.ENOTFOUND)
		chk := must(w.checkins.OpenNow(ctx, caller("U1")))(t)
		if !chk.ClosesAt.Equal(friday.Add(6*time.Hour)) || !chk.Open() {
			t.Fatalf("opened %+v, want open for the channel's 6h", chk)
		}
		_, err := w.checkins.OpenNow(ctx, caller("U1"))
		wantCode(t, err, rituals.ECONFLICT)
		ok(t, w.checkins.CloseNow(ctx, caller("U1")))
		if st := must(w.checkins.Status(ctx, caller("U1")))(t); st.Open != nil || st.Last == nil {
			t.Fatalf("status %+v, want the last closed and none open", st)
		}
		want := strs(rituals.KindCheckinPrompt, rituals.KindCheckinSummary, rituals.KindCheckinPrompt)
		if diff := cmp.Diff(want, kinds(w.sent(t))); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrAnswers", func(t *testing.T) {
		err := w.checkins.AnswerAhead(ctx, caller("U1"), rituals.CheckinAnswer{Outcomes: " "})
		wantCode(t, err, rituals.EINVALID)
		if rituals.FieldErrors(err)[rituals.FieldOutcomes] == "" {
			t.Fatalf("field errors %v, want one for the outcomes", rituals.FieldErrors(err))
		}
		err = w.checkins.Answer(ctx, caller("U1"), channel, monday, rituals.CheckinAnswer{Outcomes: "x"})
		wantCode(t, err, rituals.ENOTFOUND)
		if err := w.checkins.Reply(ctx, caller("U1"), "pulse/1/results", rituals.CheckinReply{User: "U1", Text: "x"}); err == nil {
			t.Fatal("Reply under a key that is not a check-in's: want an error")
		}
	})
	t.Run("Off", func(t *testing.T) {
		ok(t, w.checkins.Off(ctx, caller("U1")))
		wantCode(t, w.checkins.Off(ctx, caller("U1")), rituals.ENOTFOUND)
		if got := w.tickTwice(t, monday); len(ofKind(got, rituals.KindCheckinPrompt)) > 0 {
			t.Fatalf("enqueued %q after Off", kinds(got))
		}
	})
}
