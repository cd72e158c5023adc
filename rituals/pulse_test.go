package rituals

import (
	"strings"
	"testing"
	"time"
)

func TestPulseInput(t *testing.T) {
	valid := func() PulseInput {
		return PulseInput{Question: "How clear are our top priorities this week?", Kind: PulseScale,
			Audience: AudienceChannel, Anonymous: true}
	}
	for _, tc := range []struct {
		name   string
		change func(in *PulseInput)
		field  string // the field in error, "" for valid input
		want   string // part of its message
	}{
		{"Valid", func(in *PulseInput) {}, "", ""},
		{"ValidChoice", func(in *PulseInput) { in.Kind, in.Choices = PulseChoice, "Merged\n\n Deployed  \nReleased" }, "", ""},
		{"ErrBlankQuestion", func(in *PulseInput) { in.Question = " \n " }, FieldPulseQuestion, "required"},
		{"ErrLongQuestion", func(in *PulseInput) { in.Question = strings.Repeat("q", MaxPulseQuestion+1) }, FieldPulseQuestion, "301 characters"},
		{"ErrNoKind", func(in *PulseInput) { in.Kind = "" }, FieldPulseKind, "how people answer"},
		{"ErrOneChoice", func(in *PulseInput) { in.Kind, in.Choices = PulseChoice, "Only one" }, FieldPulseChoices, "at least 2"},
		{"ErrDuplicateChoice", func(in *PulseInput) { in.Kind, in.Choices = PulseChoice, "Ops\nops" }, FieldPulseChoices, "listed twice"},
		{"ErrLongChoice", func(in *PulseInput) { in.Kind, in.Choices = PulseChoice, "a\n"+strings.Repeat("b", 76) }, FieldPulseChoices, "Option 2"},
		{"ErrTooManyChoices", func(in *PulseInput) { in.Kind, in.Choices = PulseChoice, strings.Repeat("x\n", 21) }, FieldPulseChoices, "the limit is 20"},
		{"ErrChoicesOnScale", func(in *PulseInput) { in.Choices = "a\nb" }, FieldPulseChoices, "only for a choice list"},
		{"ErrThreeLabels", func(in *PulseInput) { in.ScaleLabels = "a\nb\nc" }, FieldPulseScale, "at most two"},
		{"ErrLabelsOnYesNo", func(in *PulseInput) { in.Kind, in.ScaleLabels = PulseYesNo, "a" }, FieldPulseScale, "only for a 1–5 scale"},
		{"ErrThresholdTwo", func(in *PulseInput) { in.Threshold = "2" }, FieldPulseThreshold, "never be below 3"},
		{"ErrThresholdWord", func(in *PulseInput) { in.Threshold = "five" }, FieldPulseThreshold, "whole number"},
		{"ErrOpenForZero", func(in *PulseInput) { in.OpenFor = "0h" }, FieldPulseOpenFor, "from 1h to 30d; 0m is too short."},
		{"ErrOpenForGarbage", func(in *PulseInput) { in.OpenFor = "soon" }, FieldPulseOpenFor, "not a duration"},
		{"ErrOpenForTooLong", func(in *PulseInput) { in.OpenFor = "31d" }, FieldPulseOpenFor, "from 1h to 30d; 31d is too long."},
		{"ErrOpenLongerThanRepeat", func(in *PulseInput) { in.OpenFor, in.Repeat = "8d", RepeatWeekly }, FieldPulseOpenFor, "at most 7d"},
		{"ErrGroupWithoutGroup", func(in *PulseInput) { in.Audience = AudienceGroup }, FieldPulseAudience, "/pulse @group"},
		{"ErrNoPeople", func(in *PulseInput) { in.Audience = AudiencePeople }, FieldPulsePeople, "Choose the people"},
		{"ErrTooFewPeople", func(in *PulseInput) { in.Audience, in.People = AudiencePeople, []string{"U1", "U2", "U2"} }, FieldPulsePeople, "2 people could never show"},
		{"ErrTooFewPeopleBesidesTheCreator", func(in *PulseInput) {
			in.Audience, in.People, in.Threshold = AudiencePeople, []string{"UANN", "U1", "U2", "U3"}, "4"
		}, FieldPulsePeople, "3 people besides you could never show"},
		{"FewPeopleNamed", func(in *PulseInput) { in.Audience, in.People, in.Anonymous = AudiencePeople, []string{"U1"}, false }, "", ""},
		{"ErrBadRepeat", func(in *PulseInput) { in.Repeat = "daily" }, FieldPulseRepeat, "weekly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			p, err := in.pulse(true, "UANN")
			if tc.field == "" {
				if err != nil {
					t.Fatalf("err=%v, want none", err)
				}
				if p.Threshold != DefaultPulseThreshold || p.OpenFor != DefaultPulseOpenFor {
					t.Fatalf("defaults: threshold %d, open for %v", p.Threshold, p.OpenFor)
				}
				return
			}
			msg := FieldErrors(err)[tc.field]
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("field %s: %q, want it to say %q (all: %v)", tc.field, msg, tc.want, FieldErrors(err))
			}
		})
	}
	t.Run("ErrRepeatNotAllowed", func(t *testing.T) {
		in := valid()
		in.Repeat = RepeatMonthly
		if _, err := in.pulse(false, "UANN"); FieldErrors(err)[FieldPulseRepeat] == "" {
			t.Fatalf("err=%v, want a repeat error", err)
		}
	})
}

// TestPulseInputOpenFor checks that the form's "open for" reads as every
// duration setting does, an empty field meaning the default.
func TestPulseInputOpenFor(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"": DefaultPulseOpenFor, " ": DefaultPulseOpenFor, "48h": 48 * time.Hour, "2d": 48 * time.Hour, "1d 12h": 36 * time.Hour,
		"1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "1W": 7 * 24 * time.Hour, "3 d": 72 * time.Hour,
	} {
		p, err := (&PulseInput{Question: "Q?", Kind: PulseYesNo, Audience: AudienceChannel, OpenFor: in}).pulse(true, "UANN")
		if err != nil || p.OpenFor != want {
			t.Errorf("OpenFor %q: %v, %v; want %v", in, p.OpenFor, err, want)
		}
	}
	for _, in := range []string{"0h", "59m", "h", "12", "1.5h", "-3h", "1y", "9999999h", "1 2h"} {
		if _, err := (&PulseInput{Question: "Q?", Kind: PulseYesNo, Audience: AudienceChannel, OpenFor: in}).pulse(true, "UANN"); FieldErrors(err)[FieldPulseOpenFor] == "" {
			t.Errorf("OpenFor %q taken: %v", in, err)
		}
	}
}

// reportOf builds the report of anonymous pulse p from its answers the
// way a close keeps them: counts per role, and tallies only of groups with
// at least the threshold of answers. creator answered the first answer.
func reportOf(p *Pulse, asked []PulseCount, answers []PulseAnswer, creator bool, previous *PulseReport) *PulseReport {
	counts := append([]PulseCount(nil), asked...)
	for i, a := range answers {
		found := false
		for j := range counts {
			if counts[j].Role == a.Role {
				counts[j].Answered++
				if !creator || i > 0 {
					counts[j].Others++
				}
				found = true
			}
		}
		if !found {
			counts = append(counts, PulseCount{Role: a.Role, Answered: 1, Others: 1})
		}
	}
	res := resultsOf(answers)
	for role, tally := range res.Tallies {
		n := 0
		for _, k := range tally {
			n += k
		}
		if n < p.Threshold {
			delete(res.Tallies, role)
		}
	}
	return BuildPulseReport(p, counts, res, nil, previous)
}

func TestBuildPulseReport(t *testing.T) {
	p := &Pulse{Number: 3, Kind: PulseScale, Anonymous: true, Threshold: 3, Status: PulseClosed}
	answers := func(role string, values ...string) (out []PulseAnswer) {
		for _, v := range values {
			out = append(out, PulseAnswer{Role: role, Value: v})
		}
		return out
	}
	counts := []PulseCount{{Role: "eng", Asked: 4}, {Role: "pm", Asked: 3}, {Role: "ops", Asked: 3}, {Asked: 2}}

	t.Run("HiddenBelowThreshold", func(t *testing.T) {
		r := reportOf(p, counts, answers("eng", "4", "5"), false, nil)
		if r.All.Shown || r.All.Counts != nil || len(r.Roles) != 0 || r.All.Asked != 12 || r.All.Answered != 2 {
			t.Fatalf("report %+v", r.All)
		}
	})
	t.Run("ShownAtThreshold", func(t *testing.T) {
		r := reportOf(p, counts, answers("eng", "4", "5", "3"), false, nil)
		if !r.All.Shown || r.All.Mean != 4 || r.All.Counts[4] != 1 {
			t.Fatalf("report %+v", r.All)
		}
	})
	t.Run("CreatorNotCounted", func(t *testing.T) {
		// Three answers, one of them the creator's: the creator would
		// learn what the two others said.
		r := reportOf(p, counts, answers("eng", "4", "5", "3"), true, nil)
		if r.All.Shown || len(r.Roles) != 0 {
			t.Fatalf("report %+v", r.All)
		}
		if r = reportOf(p, counts, answers("eng", "4", "5", "3", "1"), true, nil); !r.All.Shown {
			t.Fatalf("report %+v, want it shown with three answers besides the creator's", r.All)
		}
	})
	t.Run("WidestGap", func(t *testing.T) {
		all := append(append(answers("eng", "5", "5", "4"), answers("pm", "2", "1", "3")...), answers("ops", "3", "3", "3")...)
		r := reportOf(p, counts, all, false, nil)
		if len(r.Roles) != 3 || r.Gap == nil || r.Gap.High != "eng" || r.Gap.Low != "pm" || r.Gap.HighValue-r.Gap.LowValue < 2.6 {
			t.Fatalf("roles %+v gap %+v", r.Roles, r.Gap)
		}
	})
	t.Run("SmallRemainderHoldsBackAnotherRole", func(t *testing.T) {
		// eng 3 and pm 3 could be shown, but then the one ops answer would
		// be the whole minus them: pm, the smallest, is held back too.
		all := append(append(answers("eng", "5", "5", "4"), answers("pm", "2", "1", "3", "2")...), answers("ops", "1")...)
		r := reportOf(p, counts, all, false, nil)
		if len(r.Roles) != 1 || r.Roles[0].Role != "pm" || r.HeldBack != 2 {
			t.Fatalf("roles %+v held back %d", r.Roles, r.HeldBack)
		}
	})
	t.Run("RemainderCountedWithoutTheCreator", func(t *testing.T) {
		// Showing eng and pm would leave ops, three answers of which one
		// is the creator's, as the whole minus them: the creator would
		// learn what the two others said.
		all := append(append(answers("ops", "1", "2", "2"), answers("eng", "5", "5", "4")...), answers("pm", "2", "1", "3", "2")...)
		r := reportOf(p, counts, all, true, nil)
		if len(r.Roles) != 1 || r.HeldBack != 2 {
			t.Fatalf("roles %+v held back %d", r.Roles, r.HeldBack)
		}
	})
	t.Run("ChoiceGapIsAnOption", func(t *testing.T) {
		c := &Pulse{Kind: PulseChoice, Options: []string{"Merged", "Deployed"}, Anonymous: true, Threshold: 3}
		all := append(answers("eng", "Merged", "Merged", "Merged"), answers("ops", "Deployed", "Deployed", "Merged")...)
		r := reportOf(c, nil, all, false, nil)
		if r.Gap == nil || r.Gap.Choice != 0 || r.Gap.High != "eng" || r.Gap.Low != "ops" {
			t.Fatalf("gap %+v", r.Gap)
		}
	})
	t.Run("ChangeAgainstPrevious", func(t *testing.T) {
		before := reportOf(p, counts, answers("", "2", "2", "2"), false, nil)
		r := reportOf(p, counts, answers("", "4", "4", "4"), false, before)
		if d, ok := r.Change(); !ok || d != 2 {
			t.Fatalf("change %v %v, want +2", d, ok)
		}
		hidden := reportOf(p, counts, answers("", "2"), false, nil)
		if _, ok := reportOf(p, counts, answers("", "4", "4", "4"), false, hidden).Change(); ok {
			t.Fatal("a change against a hidden run was shown")
		}
	})
}
