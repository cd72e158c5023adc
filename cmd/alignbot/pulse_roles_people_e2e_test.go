package main

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// TestPulseRolesOfPeople gives roles to people, as a workspace without
// user groups must, beside a user group: answers count under them, a
// person named under their own role whatever their groups, and bad input
// is refused with what to write.
func TestPulseRolesOfPeople(t *testing.T) {
	_, h, _ := pulseWorld(t)
	for text, want := range map[string]string{
		"roles <@U0ENG01|eng01> <@U0ENG02> = engineering <@U0PM01>": "“<@U0PM01>” is not a user group and a role, nor people and a role. Write `/pulse roles @people-or-group = role …`",
		"roles <@U0ENG01> = engineering <@U0ENG01> = product":       "<@U0ENG01> is given a role twice.",
		"roles = engineering": "“=engineering” is not a user group and a role",
	} {
		if got := h.pulseReply(adm, team, text); !strings.Contains(got, want) {
			t.Fatalf("/pulse %s: %q, want %q", text, got, want)
		}
	}
	// @pm comes first, yet U0PM01, named, answers as engineering.
	roles := "roles <!subteam^S0PM|@pm> <@U0ANN|ann> = product <@U0ENG01|eng01> <@U0ENG02> <@U0PM01> = engineering"
	want := "grouped by role: <!subteam^S0PM> <@U0ANN> = *product*, <@U0ENG01> <@U0ENG02> <@U0PM01> = *engineering*."
	if got := h.pulseReply(adm, team, roles); !strings.Contains(got, want) {
		t.Fatalf("roles reply %q", got)
	}
	if got := h.pulseReply(bob, team, "roles"); !strings.Contains(got, want) {
		t.Fatalf("roles shown %q", got)
	}

	h.sendPulse(adm, team, "", pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3")))
	for u, choice := range map[string]int{
		"U0ENG01": 4, "U0ENG02": 4, "U0PM01": 3, // engineering, by name: 5, 5, 4
		ann: 0, "U0PM02": 1, "U0PM03": 1, // product, by name and group: 1, 2, 2
		bob: 2, "U0ENG03": 2, "U0OPS01": 2, // no role
	} {
		h.answer(u, "P-1", choice, "Your answer")
	}
	h.closeWithRoleGap(t)
}

// closeWithRoleGap closes P-1 and checks its results: engineering's mean
// 4.7 and product's 1.7, 3 of 3 answered each, and the gap between them.
// It returns the results' text.
func (h *harness) closeWithRoleGap(t *testing.T) string {
	t.Helper()
	h.pulseReply(adm, team, "close P-1")
	results := h.results(team, 1)
	for _, want := range []string{"*By role*", "*engineering*: mean 4.7 · 3 of 3 answered", "*product*: mean 1.7 · 3 of 3 answered",
		"*Widest gap between roles:* *engineering* 4.7 vs *product* 1.7, 3.0 points apart"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q:\n%s", want, results)
		}
	}
	return results
}
