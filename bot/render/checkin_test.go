package render

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// Part 3 of a check-in's agenda lists the channel's open action items
// after its proposals: owner and due day, overdue flagged, "no owner yet"
// for a change nobody took, and past maxAgendaActions a count.
func TestRenderCheckinAgendaActions(t *testing.T) {
	chk, _ := textCheckin("Ship it")
	chk.Agenda.Actions = []rituals.AgendaAction{
		{Session: 4, Item: 2, Text: "Write the runbook", Owner: "U0EVE", Due: "2026-11-26", Overdue: true},
		{Session: 4, Item: 3, Text: "Page support on every rollback"},
		{Session: 5, Item: 1, Text: "Load test", Owner: "U0BOB", OwnerName: "Bob", Due: "2026-12-01"},
	}
	blocks := CheckinPrompt(chk, nil, blockerNow)
	golden(t, "checkin_prompt_actions", blocks)
	text := viewText(t, blocks)
	if !inOrderText(text, "*3. Decisions to be made", "*D-20*", "_Action items from retros and pre-mortems_",
		"• *R-4 #2* Write the runbook · <@U0EVE> · due 2026-11-26 · :warning: *overdue*\n",
		"• *R-4 #3* Page support on every rollback · no owner yet\n", "• *R-5 #1* Load test · <@U0BOB> · due 2026-12-01") {
		t.Fatalf("part 3:\n%s", text)
	}
	t.Run("ManyCounted", func(t *testing.T) {
		text := viewText(t, CheckinPrompt(actionsCheckin("Ship it"), nil, blockerNow))
		if n := strings.Count(text, "• *R-4 #"); n != maxAgendaActions-1 || !strings.Contains(text, "…and 26 more: `/retro list`") {
			t.Fatalf("%d action items listed:\n%s", n, text)
		}
	})
}

// inOrderText reports whether text holds each of parts, in that order.
func inOrderText(text string, parts ...string) bool {
	for _, p := range parts {
		i := strings.Index(text, p)
		if i < 0 {
			return false
		}
		text = text[i+len(p):]
	}
	return true
}
