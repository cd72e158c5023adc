package rituals

import (
	"math"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want time.Duration
		ok   bool
	}{
		{"None", nil, 0, false},
		{"One", []time.Duration{5 * h}, 5 * h, true},
		{"OddUnsorted", []time.Duration{9 * h, 1 * h, 4 * h}, 4 * h, true},
		{"EvenIsMeanOfMiddleTwo", []time.Duration{10 * h, 1 * h, 2 * h, 4 * h}, 3 * h, true},
		{"EvenUnevenMiddle", []time.Duration{h, 2 * h}, 90 * time.Minute, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Median(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Median(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
	t.Run("LeavesInputAlone", func(t *testing.T) {
		in := []time.Duration{3, 1, 2}
		Median(in)
		if in[0] != 3 || in[1] != 1 {
			t.Fatalf("input reordered: %v", in)
		}
	})
}

func TestMetricChange(t *testing.T) {
	if d, ok := (Metric[time.Duration]{Value: 3 * time.Hour, Before: 5 * time.Hour, Has: true, HadBefore: true}).Change(); !ok || d != -2*time.Hour {
		t.Fatalf("change = %v, %v; want -2h", d, ok)
	}
	if _, ok := (Metric[float64]{Value: 0.5, Has: true}).Change(); ok {
		t.Fatal("a change with nothing the week before")
	}
	if _, ok := (Metric[float64]{Before: 0.5, HadBefore: true}).Change(); ok {
		t.Fatal("a change with nothing this week")
	}
}

func TestWeekStartsFollowLocalTime(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	end := time.Date(2026, 11, 27, 9, 0, 0, 0, berlin) // CET, UTC+1
	starts := weekStarts(end, berlin)
	if len(starts) != DigestWeeks+1 {
		t.Fatalf("%d bounds, want %d", len(starts), DigestWeeks+1)
	}
	// Eight weeks back is 2 October, still summer time (UTC+2).
	if want := time.Date(2026, 10, 2, 7, 0, 0, 0, time.UTC); !starts[0].Equal(want) {
		t.Fatalf("first week starts %v, want %v", starts[0], want)
	}
	if want := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC); !starts[DigestWeeks-1].Equal(want) {
		t.Fatalf("this week starts %v, want %v", starts[DigestWeeks-1], want)
	}
}

// TestBuildDigest checks every list, metric and chart week against
// numbers worked out by hand.
func TestBuildDigest(t *testing.T) {
	end := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) // a Friday
	day := 24 * time.Hour
	ago := func(d time.Duration) time.Time { return end.Add(-d) }
	proposal := func(n int64, created, decided time.Time) *Decision {
		return &Decision{Number: n, Status: StatusDecided, CreatedAt: created, DecidedAt: decided}
	}
	in := digestData{
		decided: []*Decision{
			proposal(1, ago(10*day), ago(6*day)),            // this week, lead 4d
			proposal(2, ago(3*day), ago(2*day)),             // this week, lead 1d
			proposal(3, ago(day), ago(day)),                 // recorded as decided: no lead time
			proposal(4, ago(12*day), ago(10*day)),           // the week before, lead 2d
			proposal(5, ago(40*day), ago(40*day)),           // six weeks ago
			proposal(6, ago(60*day+time.Hour), ago(60*day)), // before the chart: ignored
		},
		due: []*Decision{{Number: 7, Status: StatusProposed, DecideBy: "2026-11-25"}, {Number: 8, Status: StatusProposed, DecideBy: "2026-12-01"}},
		blockers: []*Blocker{
			{Number: 1, CreatedAt: ago(20 * day)},                                                        // open 20d, from before
			{Number: 2, CreatedAt: ago(5 * day), ResolvedAt: ago(2 * day), TimeToResolve: 3 * day},       // opened and resolved this week
			{Number: 3, CreatedAt: ago(9 * day), ResolvedAt: ago(8 * day), TimeToResolve: day},           // the week before
			{Number: 4, CreatedAt: ago(4 * day), EscalatedAt: ago(day)},                                  // opened this week, open, escalated
			{Number: 5, CreatedAt: ago(15 * day), ResolvedAt: ago(3 * day), TimeToResolve: 12 * day},     // resolved this week
			{Number: 6, CreatedAt: ago(8 * day), ResolvedAt: end.Add(time.Hour), TimeToResolve: 8 * day}, // resolved after the week: open at its end
		},
		checkins: []*Checkin{
			{ClosedAt: ago(15 * day), Members: 5, Answered: 5},
			{ClosedAt: ago(2 * day), Members: 4, Answered: 3},
			{ClosedAt: ago(9 * day), Members: 4, Answered: 2},
		},
		pulses: []*PulseReport{
			{Pulse: &Pulse{Number: 1, Kind: PulseScale, ClosedAt: ago(day)}, All: PulseGroup{Asked: 10, Answered: 6, Shown: true, Mean: 4}},
			{Pulse: &Pulse{Number: 2, Kind: PulseScale, ClosedAt: ago(2 * day)}, All: PulseGroup{Asked: 10, Answered: 2, Mean: 0}}, // held back
			{Pulse: &Pulse{Number: 3, Kind: PulseYesNo, ClosedAt: ago(3 * day)}, All: PulseGroup{Asked: 5, Answered: 5, Shown: true}},
			{Pulse: &Pulse{Number: 4, Kind: PulseScale, ClosedAt: ago(8 * day)}, All: PulseGroup{Asked: 4, Answered: 3, Shown: true, Mean: 3}},
		},
	}
	g := buildDigest("T1", "C1", time.UTC, end, in)

	ids := func(ns ...int64) []int64 { return ns }
	numbersOf := func(ds []*Decision) []int64 {
		var out []int64
		for _, d := range ds {
			out = append(out, d.Number)
		}
		return out
	}
	blockerNumbers := func(bs []*Blocker) []int64 {
		var out []int64
		for _, b := range bs {
			out = append(out, b.Number)
		}
		return out
	}
	check := func(what string, got, want []int64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s = %v, want %v", what, got, want)
			}
		}
	}
	check("decided", numbersOf(g.Decided), ids(1, 2, 3))
	check("due", numbersOf(g.Due), ids(7, 8))
	check("opened", blockerNumbers(g.Opened), ids(2, 4))
	check("resolved", blockerNumbers(g.Resolved), ids(2, 5))
	check("open", blockerNumbers(g.Open), ids(1, 4, 6))
	if g.Today != "2026-11-27" || !g.Overdue(g.Due[0]) || g.Overdue(g.Due[1]) {
		t.Fatalf("today %s; overdue D-7 %v, D-8 %v", g.Today, g.Overdue(g.Due[0]), g.Overdue(g.Due[1]))
	}
	if !g.Escalated(g.Open[1]) || g.Escalated(g.Open[0]) {
		t.Fatal("escalation flags wrong")
	}

	// Lead time: median of 4d and 1d is 2.5d; the week before, 2d.
	if got, ok := g.LeadTime.Change(); g.LeadTime.Value != 60*time.Hour || !ok || got != 12*time.Hour {
		t.Fatalf("lead time %+v, change %v", g.LeadTime, got)
	}
	// Time to resolve: median of 3d and 12d is 7.5d; the week before, 1d.
	if got, ok := g.TimeToResolve.Change(); g.TimeToResolve.Value != 180*time.Hour || !ok || got != 156*time.Hour {
		t.Fatalf("time to resolve %+v, change %v", g.TimeToResolve, got)
	}
	// Participation: the last check-in, 3 of 4; as of last week 2 of 4.
	if got, ok := g.Participation.Change(); g.Participation.Value != 0.75 || !ok || got != 0.25 || !g.CheckinThisWeek() {
		t.Fatalf("participation %+v, change %v", g.Participation, got)
	}
	// Response rate: (6+2+5)/(10+10+5) = 13/25; the week before 3/4.
	if got, ok := g.ResponseRate.Change(); g.ResponseRate.Value != 0.52 || !ok || math.Abs(got-(-0.23)) > 1e-9 {
		t.Fatalf("response rate %+v, change %v", g.ResponseRate, got)
	}
	if len(g.Pulses) != 3 || g.Quiet() {
		t.Fatalf("%d pulses, quiet %v", len(g.Pulses), g.Quiet())
	}

	if len(g.Weeks) != DigestWeeks {
		t.Fatalf("%d chart weeks", len(g.Weeks))
	}
	this, before := g.Weeks[7], g.Weeks[6]
	if this.Decisions != 3 || before.Decisions != 1 || g.Weeks[2].Decisions != 1 || g.Weeks[0].Decisions != 0 {
		t.Fatalf("decisions per week: %+v", g.Weeks)
	}
	// Open at the end of this week: B-1 (20d), B-4 (4d), B-6 (8d): median 8d.
	if !this.HasBlocker || this.BlockerAge != 8*day {
		t.Fatalf("this week's blocker age %v", this.BlockerAge)
	}
	// At the end of the week before: B-1 (13d), B-3 no, B-5 (8d), B-6 (1d): median 8d.
	if !before.HasBlocker || before.BlockerAge != 8*day {
		t.Fatalf("last week's blocker age %v", before.BlockerAge)
	}
	if !this.HasCheckin || this.Participation != 0.75 || !before.HasCheckin || before.Participation != 0.5 || g.Weeks[5].HasCheckin != true || g.Weeks[4].HasCheckin {
		t.Fatalf("participation per week: %+v", g.Weeks)
	}
	// Only shown scale pulses count: P-1 (4) this week; P-4 (3) the week before.
	if !this.HasPulse || this.PulseMean != 4 || !before.HasPulse || before.PulseMean != 3 || g.Weeks[3].HasPulse {
		t.Fatalf("pulse means per week: %+v", g.Weeks)
	}
	if g.Weeks[0].HasBlocker || g.Weeks[0].HasCheckin {
		t.Fatalf("eight weeks ago: %+v", g.Weeks[0])
	}
}

func TestQuietWeek(t *testing.T) {
	end := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	g := buildDigest("T1", "C1", time.UTC, end, digestData{})
	if !g.Quiet() || g.Checkin != nil || len(g.Weeks) != DigestWeeks {
		t.Fatalf("quiet=%v checkin=%v weeks=%d", g.Quiet(), g.Checkin, len(g.Weeks))
	}
	for _, ok := range []bool{g.LeadTime.Has, g.TimeToResolve.Has, g.Participation.Has, g.ResponseRate.Has} {
		if ok {
			t.Fatalf("a metric in a quiet week: %+v", g)
		}
	}
}
