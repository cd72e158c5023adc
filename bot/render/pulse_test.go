package render

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

func samplePulse() *rituals.Pulse {
	sent := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	return &rituals.Pulse{
		Team: "T1", Number: 3, Series: 3, Run: 1, Channel: "C0PLAT", CreatedBy: "U0ANN",
		Question: "How clear are our top priorities this week?", Kind: rituals.PulseScale,
		ScaleLow: "Not clear at all", ScaleHigh: "Crystal clear", Audience: rituals.AudienceChannel,
		Anonymous: true, Threshold: 3, OpenFor: 48 * time.Hour, Status: rituals.PulseClosed,
		CreatedAt: sent, SentAt: sent, ClosesAt: sent.Add(48 * time.Hour), ClosedAt: sent.Add(48 * time.Hour),
	}
}

func answersOf(role string, values ...string) (out []rituals.PulseAnswer) {
	for _, v := range values {
		out = append(out, rituals.PulseAnswer{Role: role, Value: v})
	}
	return out
}

// closedReport is the report of anonymous pulse p once closed with
// answers: counts by role, and only the tallies (or texts) of groups that
// reached the threshold, as a close keeps them.
func closedReport(p *rituals.Pulse, asked []rituals.PulseCount, answers []rituals.PulseAnswer, previous *rituals.PulseReport) *rituals.PulseReport {
	counts := append([]rituals.PulseCount(nil), asked...)
	groups := map[string][]string{}
	for _, a := range answers {
		i := slices.IndexFunc(counts, func(c rituals.PulseCount) bool { return c.Role == a.Role })
		if i < 0 {
			counts, i = append(counts, rituals.PulseCount{Role: a.Role}), len(counts)
		}
		counts[i].Answered++
		counts[i].Others++
		groups[""] = append(groups[""], a.Value)
		if a.Role != "" {
			groups[a.Role] = append(groups[a.Role], a.Value)
		}
	}
	res := &rituals.PulseResults{Tallies: map[string]map[string]int{}}
	for role, values := range groups {
		switch {
		case len(values) < p.Threshold:
		case p.Kind == rituals.PulseText:
			res.Texts = slices.Sorted(slices.Values(values))
		default:
			res.Tallies[role] = map[string]int{}
			for _, v := range values {
				res.Tallies[role][v]++
			}
		}
	}
	return rituals.BuildPulseReport(p, counts, res, nil, previous)
}

// goldenTicket is the ticket of the golden DMs: a token, no key shares.
var goldenTicket = rituals.PulseTicket{Token: "TOKEN"}

func TestRenderPulsePrompt(t *testing.T) {
	p := samplePulse()
	p.Status = rituals.PulseOpen
	golden(t, "pulse_prompt_scale", PulsePrompt(p, goldenTicket, ""))
	golden(t, "pulse_prompt_scale_answered", PulsePrompt(p, goldenTicket, "4"))

	t.Run("TextAnsweredInAForm", func(t *testing.T) {
		p := samplePulse()
		p.Kind, p.Question, p.Anonymous = rituals.PulseText, "If we shipped nothing for 30 days, which projects would we miss most?", false
		golden(t, "pulse_prompt_text_answered", PulsePrompt(p, goldenTicket, "Billing <v2> & the\nsearch rewrite"))
	})
	t.Run("LongChoiceListAnsweredInAForm", func(t *testing.T) {
		p := samplePulse()
		p.Kind, p.Options = rituals.PulseChoice, []string{"a", "b", "c", "d", "e", "f"}
		blocks := PulsePrompt(p, goldenTicket, "")
		actions := blocks[1].(*slack.ActionBlock).Elements.ElementSet
		if len(actions) != 1 || actions[0].(*slack.ButtonBlockElement).ActionID != ActionPulseAnswerForm {
			t.Fatalf("a 6-option list got %d buttons, want one that opens a form", len(actions))
		}
	})
	t.Run("ButtonsCarryTheTicket", func(t *testing.T) {
		ticket := rituals.PulseTicket{Token: "TOKEN", Shares: []string{"12.c2hhcmU", "3.cm9sZQ"}}
		b := PulsePrompt(p, ticket, "")[1].(*slack.ActionBlock).Elements.ElementSet[4].(*slack.ButtonBlockElement)
		v, err := DecodePulseButton(b.Value)
		if err != nil || !cmp.Equal(v, PulseButton{Pulse: 3, Token: "TOKEN", Shares: ticket.Shares, Choice: 4}) || b.ActionID != "pulse.answer.4" {
			t.Fatalf("button %s %q: %+v %v", b.ActionID, b.Value, v, err)
		}
	})
}

func TestRenderPulseResults(t *testing.T) {
	p := samplePulse()
	p.Number, p.Series, p.Run = 4, 3, 2
	counts := []rituals.PulseCount{{Role: "eng", Asked: 4}, {Role: "pm", Asked: 3}, {Role: "ops", Asked: 3}}
	before := samplePulse()
	previous := closedReport(before, counts, answersOf("", "2", "3", "3", "2"), nil)
	all := append(append(answersOf("eng", "5", "5", "4"), answersOf("pm", "2", "1", "3")...), answersOf("ops", "3", "3", "4")...)
	golden(t, "pulse_results_scale_roles", PulseResults(closedReport(p, counts, all, previous)))

	t.Run("HiddenBelowThreshold", func(t *testing.T) {
		golden(t, "pulse_results_hidden", PulseResults(closedReport(samplePulse(), counts, answersOf("eng", "5", "1"), nil)))
	})
	t.Run("ChoiceGap", func(t *testing.T) {
		c := samplePulse()
		c.Kind, c.Question = rituals.PulseChoice, "When you say a piece of work is “done”, what has happened?"
		c.Options = []string{"The code is merged", "It is deployed to production", "Customers can use it"}
		all := append(answersOf("eng", "The code is merged", "The code is merged", "It is deployed to production"),
			answersOf("ops", "Customers can use it", "Customers can use it", "It is deployed to production")...)
		golden(t, "pulse_results_choice", PulseResults(closedReport(c, counts, all, nil)))
	})
	t.Run("TextWithoutNames", func(t *testing.T) {
		c := samplePulse()
		c.Kind = rituals.PulseText
		golden(t, "pulse_results_text", PulseResults(closedReport(c, counts,
			answersOf("", "Billing", "The search <rewrite>", "Nothing, honestly"), nil)))
	})
	t.Run("TextThemes", func(t *testing.T) {
		c := samplePulse()
		c.Kind, c.Question = rituals.PulseText, "What slows us down?"
		golden(t, "pulse_results_text_themes", PulseResults(closedReport(c, counts,
			answersOf("", "Flaky tests & slow reviews", "Reviews wait for days", "tests break on main", "Meetings", "review <queue>"), nil)))
	})
	t.Run("ManyLongTextsFitOneMessage", func(t *testing.T) {
		c := samplePulse()
		c.Kind = rituals.PulseText
		var many []string
		for range 300 {
			many = append(many, strings.Repeat("All words & <escaped> ", 90))
		}
		blocks := PulseResults(closedReport(c, counts, answersOf("", many...), nil))
		if len(blocks) > maxBlocks {
			t.Fatalf("%d blocks, limit %d", len(blocks), maxBlocks)
		}
		for _, b := range blocks {
			if s, ok := b.(*slack.SectionBlock); ok && len([]rune(s.Text.Text)) > maxSectionText {
				t.Fatalf("section of %d characters", len([]rune(s.Text.Text)))
			}
		}
		if last := blocks[len(blocks)-2].(*slack.ContextBlock); !strings.Contains(last.ContextElements.Elements[0].(*slack.TextBlockObject).Text, "more") {
			t.Fatal("the answers left out are not counted")
		}
	})
}

func TestRenderPulseModal(t *testing.T) {
	golden(t, "pulse_modal_new", PulseModal(ModalMeta{Channel: "C0PLAT"},
		rituals.PulseInput{Kind: rituals.PulseScale, Audience: rituals.AudienceGroup, Group: "S0ENG", Anonymous: true}, "@eng"))
	golden(t, "pulse_modal_answer_text", PulseAnswerModal(ModalMeta{Channel: "D0ANN", Number: 3},
		&rituals.Pulse{Number: 3, Kind: rituals.PulseText, Question: "Which projects would we miss most?", Anonymous: true, Threshold: 5}, goldenTicket, "Billing"))
}

func TestRenderPulseTemplates(t *testing.T) {
	golden(t, "pulse_templates", PulseTemplates())
}
