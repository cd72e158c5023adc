package rituals

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLines(t *testing.T) {
	got := Lines("- first\n\n• second\n* third\n  1. fourth\n12. fifth\nplain\n- \n")
	want := []string{"first", "second", "third", "fourth", "fifth", "plain"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Lines (-want +got):\n%s", diff)
	}
}

func TestWeeklyTimeSpec(t *testing.T) {
	spec, err := WeeklyTime{Days: []time.Weekday{time.Thursday, time.Monday, time.Monday}, Hour: 9, Minute: 30, Zone: "Europe/Berlin"}.spec()
	if err != nil || spec != "30 9 * * 1,4" {
		t.Fatalf("spec=%q err=%v", spec, err)
	}
	for _, bad := range []WeeklyTime{
		{Hour: 9, Zone: "UTC"},
		{Days: []time.Weekday{time.Monday}, Hour: 24, Zone: "UTC"},
		{Days: []time.Weekday{time.Monday}, Minute: 60, Zone: "UTC"},
		{Days: []time.Weekday{time.Monday}, Zone: "Nowhere/Town"},
		{Days: []time.Weekday{time.Monday}, Zone: ""},
	} {
		if _, err := bad.spec(); ErrorCode(err) != EINVALID {
			t.Errorf("spec(%+v) err=%v, want EINVALID", bad, err)
		}
	}
}

func TestCheckinAnswerCheck(t *testing.T) {
	t.Run("ErrOutcomesRequired", func(t *testing.T) {
		a := CheckinAnswer{Outcomes: "  "}
		if FieldErrors(a.check())[FieldOutcomes] == "" {
			t.Fatal("want an outcomes field error")
		}
	})
	t.Run("ErrTooManyLines", func(t *testing.T) {
		a := CheckinAnswer{Outcomes: "x", Decisions: []string{strings.Repeat("d\n", MaxCheckinLines+1)}}
		if FieldErrors(a.check())[FieldCheckinDecide] == "" {
			t.Fatal("want a decisions field error")
		}
	})
	t.Run("ErrDecisionLineTooLong", func(t *testing.T) {
		a := CheckinAnswer{Outcomes: "x", Decisions: []string{strings.Repeat("y", MaxTitle+1)}}
		if FieldErrors(a.check())[FieldCheckinDecide] == "" {
			t.Fatal("want a decisions field error")
		}
	})
	t.Run("BlankLinesDropped", func(t *testing.T) {
		a := CheckinAnswer{Outcomes: " done ", Blockers: []BlockerLine{{Text: " "}, {Text: "dns"}}, Decisions: []string{"- a\n\nb"}}
		if err := a.check(); err != nil {
			t.Fatal(err)
		}
		if a.Outcomes != "done" || len(a.Blockers) != 1 || len(a.Decisions) != 2 {
			t.Fatalf("%+v", a)
		}
	})
}

func TestParseCheckinKey(t *testing.T) {
	c := &Checkin{Channel: "C1", ScheduledFor: time.UnixMilli(1795000000123).UTC()}
	ch, at, err := parseCheckinKey(c.Key())
	if err != nil || ch != "C1" || !at.Equal(c.ScheduledFor) {
		t.Fatalf("%s %v %v", ch, at, err)
	}
	if _, _, err := parseCheckinKey("retro/C1/1"); err == nil {
		t.Fatal("a retro key was read as a check-in")
	}
}
