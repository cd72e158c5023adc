package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

const resultsLink = "https://acme.slack.com/archives/C0PLAT/p1764158400000100"

func TestPulseFollowUp(t *testing.T) {
	counts := []rituals.PulseCount{{Role: "eng", Asked: 4}, {Role: "pm", Asked: 3}, {Role: "ops", Asked: 3}}
	t.Run("ScaleWithRoles", func(t *testing.T) {
		all := append(append(answersOf("eng", "5", "5", "4"), answersOf("pm", "2", "1", "3")...), answersOf("ops", "3", "3", "4")...)
		f := NewPulseFollowUp(closedReport(samplePulse(), counts, all, nil), resultsLink)
		if want := "Follow-up to pulse P-3: How clear are our top priorities this week?"; f.Title != want {
			t.Fatalf("title %q, want %q", f.Title, want)
		}
		in := f.Decision("U0ANN")
		for _, want := range []string{"9 of 10 answered (90%), anonymous.", "Mean 3.3 out of 5.", "- 5 · Crystal clear: 2 (22%)",
			"By role: eng mean 4.7; ops mean 3.3; pm mean 2.0.", "Widest gap between roles: eng 4.7 vs pm 2.0.", "\nResults: " + resultsLink} {
			if !strings.Contains(in.Rationale, want) {
				t.Errorf("rationale lacks %q:\n%s", want, in.Rationale)
			}
		}
		if in.Title != f.Title || in.Owner != "U0ANN" || in.Status != rituals.StatusDecided || in.Text != "" {
			t.Errorf("decision input %+v", in)
		}
		if b := f.Blocker(); !strings.HasPrefix(b.Text, f.Title+"\n\nPulse P-3") || !strings.HasSuffix(b.Text, resultsLink) || b.Parties != nil {
			t.Errorf("blocker form %+v", b)
		}
	})
	t.Run("HiddenBelowThresholdShowsOnlyHowManyAnswered", func(t *testing.T) {
		p := samplePulse()
		p.Kind = rituals.PulseText
		f := NewPulseFollowUp(closedReport(p, counts, answersOf("eng", "flaky tests", "flaky tests again"), nil), "")
		want := "Pulse P-3, closed 2026-11-26: “How clear are our top priorities this week?”\n2 of 10 answered (20%), anonymous.\n" +
			"The answers are not shown: 2 people answered, fewer than its anonymity threshold of 3."
		if f.Summary != want || f.Decision("U0ANN").Rationale != want {
			t.Fatalf("summary %q, want %q", f.Summary, want)
		}
		if strings.Contains(f.Blocker().Text, "flaky") {
			t.Fatalf("the blocker form shows a hidden answer: %q", f.Blocker().Text)
		}
	})
	t.Run("TextThemes", func(t *testing.T) {
		p := samplePulse()
		p.Kind = rituals.PulseText
		f := NewPulseFollowUp(closedReport(p, counts, answersOf("", "flaky tests", "slow reviews", "tests again", "reviews"), nil), "")
		if !strings.Contains(f.Summary, "Top themes: reviews (2 answers), tests (2 answers).") || strings.Contains(f.Summary, "flaky") {
			t.Fatalf("summary %q", f.Summary)
		}
		f = NewPulseFollowUp(closedReport(p, counts, answersOf("", "flaky", "slow", "meetings"), nil), "")
		if !strings.HasSuffix(f.Summary, "3 free-text answers, with no word recurring among them.") {
			t.Fatalf("summary %q", f.Summary)
		}
	})
	t.Run("NobodyAnswered", func(t *testing.T) {
		f := NewPulseFollowUp(closedReport(samplePulse(), counts, nil, nil), resultsLink)
		if !strings.HasSuffix(f.Summary, "0 of 10 answered (0%), anonymous.\nNobody answered.") {
			t.Fatalf("summary %q", f.Summary)
		}
	})
	t.Run("CutToTheFieldsOnACharacterKeepingTheLink", func(t *testing.T) {
		// The longest question and options the domain allows, in
		// characters of several bytes: the summary runs far over 3,000.
		p := samplePulse()
		p.Kind, p.Question = rituals.PulseChoice, strings.Repeat("é😀", rituals.MaxPulseQuestion/2)
		for i := range rituals.MaxPulseOptions {
			p.Options = append(p.Options, strings.Repeat("ü", rituals.MaxPulseOption-3)+string(rune('a'+i))+"😀😀")
		}
		var all []rituals.PulseAnswer
		for i := range 200 {
			all = append(all, answersOf("eng", p.Options[i%len(p.Options)])...)
		}
		r := closedReport(p, counts, all, nil)
		for i := range 20 { // more roles than one channel sets
			r.Roles = append(r.Roles, rituals.PulseGroup{Role: strings.Repeat("ß", rituals.MaxRoleName-1) + string(rune('a'+i)), Shown: true, Counts: r.All.Counts})
		}
		f := NewPulseFollowUp(r, resultsLink)
		if utf8.RuneCountInString(f.Summary) <= rituals.MaxRationale {
			t.Fatalf("the summary is only %d characters: nothing to cut", utf8.RuneCountInString(f.Summary))
		}
		in, b := f.Decision("U0ANN"), f.Blocker()
		for _, c := range []struct {
			name, text string
			max        int
		}{{"title", in.Title, rituals.MaxTitle}, {"rationale", in.Rationale, rituals.MaxRationale}, {"blocker", b.Text, rituals.MaxBlockerText}} {
			if n := utf8.RuneCountInString(c.text); n > c.max || !utf8.ValidString(c.text) {
				t.Errorf("%s: %d characters (limit %d), valid UTF-8 %v", c.name, n, c.max, utf8.ValidString(c.text))
			}
		}
		if !strings.HasSuffix(in.Rationale, "…\nResults: "+resultsLink) || !strings.HasSuffix(b.Text, "…\nResults: "+resultsLink) {
			t.Errorf("the link was cut off:\n%s", in.Rationale[len(in.Rationale)-200:])
		}
		for _, v := range []slack.ModalViewRequest{DecisionModal(ModalMeta{Channel: "C0PLAT", Source: resultsLink}, in, nil),
			BlockerModal(ModalMeta{Channel: "C0PLAT", Source: resultsLink}, b)} {
			for _, blk := range v.Blocks.BlockSet {
				ib, ok := blk.(*slack.InputBlock)
				if !ok {
					continue
				}
				if el, ok := ib.Element.(*slack.PlainTextInputBlockElement); ok && utf8.RuneCountInString(el.InitialValue) > el.MaxLength {
					t.Errorf("%s %s: initial value of %d characters, max_length %d", v.CallbackID, ib.BlockID, utf8.RuneCountInString(el.InitialValue), el.MaxLength)
				}
			}
		}
	})
}
