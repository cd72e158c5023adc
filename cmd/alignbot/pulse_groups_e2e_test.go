package main

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// TestPulseCreatorNotCounted sends anonymous pulses to people the creator
// chose, themselves among them. The creator knows their own answer, so it
// must not help reach the threshold: the results of three answers, one of
// them theirs, would tell them what the other two said.
func TestPulseCreatorNotCounted(t *testing.T) {
	_, h, _ := pulseWorld(t)
	chosen := func(people ...string) map[string]map[string]any {
		return pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3"),
			"audience", fakeslack.StaticValue("people"), "people", fakeslack.MultiUsersValue(people...))
	}

	t.Run("ErrTooFewBesidesTheCreator", func(t *testing.T) {
		view := h.openPulseForm(ann, team, "")
		msg := viewFieldError(t, h.submitView(ann, view.ID, chosen(ann, bob, "U0ENG01")), "people")
		if !strings.Contains(msg, "2 people besides you could never show its results") {
			t.Fatalf("people error %q", msg)
		}
	})

	h.sendPulse(ann, team, "", chosen(ann, bob, "U0ENG01", "U0ENG02"))
	for _, u := range []string{ann, bob, "U0ENG01"} {
		h.answer(u, "P-1", 4, "*5")
	}
	h.pulseReply(ann, team, "close P-1")
	results := h.results(team, 1)
	if !strings.Contains(results, "3 of 4 answered") || strings.Contains(results, "█") ||
		!strings.Contains(results, "2 people answered besides whoever sent this pulse") {
		t.Fatalf("three answers, one the creator's, were shown:\n%s", results)
	}
	if p := h.exportPulses()[0]; p["results"].(map[string]any)["shown"] != false {
		t.Fatalf("the export shows them: %v", p["results"])
	}
}

// TestPulseRolesFixedWhenSent changes the channel's roles while a pulse
// is open: its answers still count under the roles it was sent with.
func TestPulseRolesFixedWhenSent(t *testing.T) {
	_, h, humans := pulseWorld(t)
	h.pulseReply(adm, team, "roles <!subteam^S0ENG|@eng>=engineering <!subteam^S0PM|@pm>=product")
	h.sendPulse(adm, team, "", pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3")))
	h.waitPrompts("P-1", humans...)
	h.pulseReply(adm, team, "roles <!subteam^S0ENG|@eng>=platform <!subteam^S0OPS|@ops>=ops")
	for u, choice := range map[string]int{"U0ENG01": 4, "U0ENG02": 4, "U0ENG03": 3, "U0PM01": 0, "U0PM02": 1, "U0PM03": 1,
		ann: 2, bob: 2, "U0OPS01": 2} {
		h.answer(u, "P-1", choice, "Your answer")
	}
	h.pulseReply(adm, team, "close P-1")
	results := h.results(team, 1)
	for _, want := range []string{"*engineering*: mean 4.7 · 3 of 3 answered", "*product*: mean 1.7 · 3 of 3 answered"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q:\n%s", want, results)
		}
	}
	if strings.Contains(results, "platform") {
		t.Errorf("a role set after the pulse was sent was used:\n%s", results)
	}
}
