package main

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/testdb"
)

// TestDecisionRightsTakeover checks who may replace or remove a published
// area: with ALIGNBOT_ADMINS unset anyone may publish a new area, but only
// its owner may change or remove it; with it set only the admins may do
// either, the owner included.
func TestDecisionRightsTakeover(t *testing.T) {
	t.Run("AdminsUnset", func(t *testing.T) {
		fs := newWorld(t)
		t.Parallel()
		h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{}, func(m *Main) { m.Config.Admins = nil })
		ask := h.askDecide(t)
		owned := "Only the owner of the `api` area (<@U0BOB>) can change or remove it."

		if got := ask(eve, "rights add api <@U0BOB>"); !strings.Contains(got, "Published: *api* — owner <@U0BOB>") {
			t.Fatalf("anyone may publish a new area:\n%s", got)
		}
		for _, take := range []string{"rights add api <@U0EVE>", "rights add api <@U0BOB> consulted <@U0EVE>", "rights remove api"} {
			if got := ask(eve, take); !strings.Contains(got, owned) {
				t.Fatalf("%q by the area's creator, not its owner:\n%s", take, got)
			}
		}
		if got := ask(adm, "rights add api <@U0ADM>"); !strings.Contains(got, owned) {
			t.Fatalf("with no admins set, an operator's account is like anyone's:\n%s", got)
		}
		if got := ask(ann, "rights"); !strings.Contains(got, "*api* — owner <@U0BOB>") || strings.Contains(got, "consulted <@") {
			t.Fatalf("a refused change changed the area:\n%s", got)
		}
		if got := ask(bob, "rights add api <@U0ANN> consulted <@U0BOB>"); !strings.Contains(got, "Published: *api* — owner <@U0ANN>, consulted <@U0BOB>") {
			t.Fatalf("the owner hands the area over:\n%s", got)
		}
		if got := ask(bob, "rights remove api"); !strings.Contains(got, "Only the owner of the `api` area (<@U0ANN>)") {
			t.Fatalf("the former owner removed the area:\n%s", got)
		}
		if got := ask(ann, "rights remove api"); !strings.Contains(got, "withdrawn") {
			t.Fatalf("the owner removes the area:\n%s", got)
		}
	})

	t.Run("AdminsSet", func(t *testing.T) {
		fs := newWorld(t)
		h := startBot(t, fs) // ALIGNBOT_ADMINS is Ada
		ask := h.askDecide(t)
		adminsOnly := "Only alignbot's admins can change decision rights here."

		if got := ask(eve, "rights add api <@U0EVE>"); !strings.Contains(got, adminsOnly) {
			t.Fatalf("a non-admin published a new area:\n%s", got)
		}
		if got := ask(adm, "rights add api <@U0BOB>"); !strings.Contains(got, "Published: *api* — owner <@U0BOB>") {
			t.Fatalf("an admin publishes:\n%s", got)
		}
		for _, who := range []string{eve, bob} {
			for _, take := range []string{"rights add api <@U0EVE>", "rights remove api"} {
				if got := ask(who, take); !strings.Contains(got, adminsOnly) {
					t.Fatalf("%q by %s:\n%s", take, who, got)
				}
			}
		}
		if got := ask(adm, "rights add api <@U0ANN>"); !strings.Contains(got, "Published: *api* — owner <@U0ANN>") {
			t.Fatalf("an admin changes the owner:\n%s", got)
		}
		if got := ask(adm, "rights remove api"); !strings.Contains(got, "withdrawn") {
			t.Fatalf("an admin removes the area:\n%s", got)
		}
	})
}

// askDecide returns a function that runs /decide as user in #general and
// returns the ephemeral reply.
func (h *harness) askDecide(t *testing.T) func(user, text string) string {
	return func(user, text string) string {
		t.Helper()
		next := len(h.fs.Ephemerals(user)) + 1
		h.decide(user, general, text)
		return h.waitEphemeral(user, next)
	}
}
