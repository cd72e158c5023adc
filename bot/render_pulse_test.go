package bot

import (
	"strings"
	"testing"
	"time"

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

func TestRenderPulsePrompt(t *testing.T) {
	p := samplePulse()
	p.Status = rituals.PulseOpen
	golden(t, "pulse_prompt_scale", pulsePrompt(p, "TOKEN", ""))
	golden(t, "pulse_prompt_scale_answered", pulsePrompt(p, "TOKEN", "4"))

	t.Run("TextAnsweredInAForm", func(t *testing.T) {
		p := samplePulse()
		p.Kind, p.Question, p.Anonymous = rituals.PulseText, "If we shipped nothing for 30 days, which projects would we miss most?", false
		golden(t, "pulse_prompt_text_answered", pulsePrompt(p, "TOKEN", "Billing <v2> & the\nsearch rewrite"))
	})
	t.Run("LongChoiceListAnsweredInAForm", func(t *testing.T) {
		p := samplePulse()
		p.Kind, p.Options = rituals.PulseChoice, []string{"a", "b", "c", "d", "e", "f"}
		blocks := pulsePrompt(p, "TOKEN", "")
		actions := blocks[1].(*slack.ActionBlock).Elements.ElementSet
		if len(actions) != 1 || actions[0].(*slack.ButtonBlockElement).ActionID != actionPulseAnswerForm {
			t.Fatalf("a 6-option list got %d buttons, want one that opens a form", len(actions))
		}
	})
	t.Run("ButtonsCarryTheToken", func(t *testing.T) {
		b := pulsePrompt(p, "TOKEN", "")[1].(*slack.ActionBlock).Elements.ElementSet[4].(*slack.ButtonBlockElement)
		v, err := decodePulseButton(b.Value)
		if err != nil || v != (pulseButton{Pulse: 3, Token: "TOKEN", Choice: 4}) || b.ActionID != "pulse.answer.4" {
			t.Fatalf("button %s %q: %+v %v", b.ActionID, b.Value, v, err)
		}
	})
}

func TestRenderPulseResults(t *testing.T) {
	p := samplePulse()
	p.Number, p.Series, p.Run = 4, 3, 2
	counts := []rituals.PulseCount{{Role: "eng", Asked: 4}, {Role: "pm", Asked: 3}, {Role: "ops", Asked: 3}}
	before := samplePulse()
	previous := rituals.BuildPulseReport(before, counts, answersOf("", "2", "3", "3", "2"), nil)
	all := append(append(answersOf("eng", "5", "5", "4"), answersOf("pm", "2", "1", "3")...), answersOf("ops", "3", "3", "4")...)
	golden(t, "pulse_results_scale_roles", pulseResultsBlocks(rituals.BuildPulseReport(p, counts, all, previous)))

	t.Run("HiddenBelowThreshold", func(t *testing.T) {
		golden(t, "pulse_results_hidden", pulseResultsBlocks(rituals.BuildPulseReport(samplePulse(), counts, answersOf("eng", "5", "1"), nil)))
	})
	t.Run("ChoiceGap", func(t *testing.T) {
		c := samplePulse()
		c.Kind, c.Question = rituals.PulseChoice, "When you say a piece of work is “done”, what has happened?"
		c.Options = []string{"The code is merged", "It is deployed to production", "Customers can use it"}
		all := append(answersOf("eng", "The code is merged", "The code is merged", "It is deployed to production"),
			answersOf("ops", "Customers can use it", "Customers can use it", "It is deployed to production")...)
		golden(t, "pulse_results_choice", pulseResultsBlocks(rituals.BuildPulseReport(c, counts, all, nil)))
	})
	t.Run("TextWithoutNames", func(t *testing.T) {
		c := samplePulse()
		c.Kind = rituals.PulseText
		golden(t, "pulse_results_text", pulseResultsBlocks(rituals.BuildPulseReport(c, counts,
			answersOf("", "Billing", "The search <rewrite>", "Nothing, honestly"), nil)))
	})
	t.Run("ManyLongTextsFitOneMessage", func(t *testing.T) {
		c := samplePulse()
		c.Kind = rituals.PulseText
		var many []string
		for range 300 {
			many = append(many, strings.Repeat("All words & <escaped> ", 90))
		}
		blocks := pulseResultsBlocks(rituals.BuildPulseReport(c, counts, answersOf("", many...), nil))
		if len(blocks) > maxBlocks {
			t.Fatalf("%d blocks, limit %d", len(blocks), maxBlocks)
		}
		for _, b := range blocks {
			if s, ok := b.(*slack.SectionBlock); ok && len([]rune(s.Text.Text)) > maxSectionText {
				t.Fatalf("section of %d characters", len([]rune(s.Text.Text)))
			}
		}
		if last := blocks[len(blocks)-1].(*slack.ContextBlock); !strings.Contains(last.ContextElements.Elements[0].(*slack.TextBlockObject).Text, "more") {
			t.Fatal("the answers left out are not counted")
		}
	})
}

func TestRenderPulseModal(t *testing.T) {
	golden(t, "pulse_modal_new", pulseModal(modalMeta{Channel: "C0PLAT"},
		rituals.PulseInput{Kind: rituals.PulseScale, Audience: rituals.AudienceGroup, Group: "S0ENG", Anonymous: true}, "@eng"))
	golden(t, "pulse_modal_answer_text", pulseAnswerModal(modalMeta{Channel: "D0ANN", Number: 3},
		&rituals.Pulse{Number: 3, Kind: rituals.PulseText, Question: "Which projects would we miss most?", Anonymous: true, Threshold: 5}, "TOKEN", "Billing"))

	t.Run("ReadBack", func(t *testing.T) {
		state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			rituals.FieldPulseQuestion:  {valueAction: {Value: "Q?"}},
			rituals.FieldPulseKind:      {valueAction: {SelectedOption: slack.OptionBlockObject{Value: "choice"}}},
			rituals.FieldPulseChoices:   {valueAction: {Value: "a\nb"}},
			rituals.FieldPulseAudience:  {valueAction: {SelectedOption: slack.OptionBlockObject{Value: "group"}}},
			rituals.FieldPulseAnonymous: {valueAction: {SelectedOptions: []slack.OptionBlockObject{{Value: "anonymous"}}}},
			rituals.FieldPulseThreshold: {valueAction: {Value: "4"}},
			rituals.FieldPulseOpenFor:   {valueAction: {Value: "2d"}},
			rituals.FieldPulseRepeat:    {valueAction: {SelectedOption: slack.OptionBlockObject{Value: "weekly"}}},
		}}
		meta := pulseModal(modalMeta{}, rituals.PulseInput{Group: "S0ENG"}, "").PrivateMetadata
		m, _ := decodeModalMeta(meta)
		in := readPulseModal(state, m)
		if in.Question != "Q?" || in.Kind != rituals.PulseChoice || in.Choices != "a\nb" || in.Audience != rituals.AudienceGroup ||
			in.Group != "S0ENG" || !in.Anonymous || in.Threshold != "4" || in.OpenFor != "2d" || in.Repeat != rituals.RepeatWeekly {
			t.Fatalf("read %+v", in)
		}
	})
}

func TestRenderPulseTemplates(t *testing.T) {
	golden(t, "pulse_templates", pulseTemplateBlocks())
}
