package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// A blocker's reporter (or an admin) edits it from its card's Edit button
// or /blocker edit: the card is updated in place and only the parties
// newly named are told.
func TestBlockerEdit(t *testing.T) {
	fs, h := newBlockerWorld(t)
	ctx := context.Background()
	h.blocker(ann, general, "Waiting on <@U0BOB> for the signing keys")
	card := h.waitCards(general, 1)[0]
	h.settle()
	clickEdit := func(user string) {
		t.Helper()
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: general, MessageTS: card.TS, ActionID: "blocker.edit", Value: "1"}); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(messageText(card), "Edit") {
		t.Fatalf("card has no Edit button:\n%s", messageText(card))
	}

	t.Run("ErrNotTheReporter", func(t *testing.T) {
		next := len(fs.Ephemerals(eve)) + 1
		clickEdit(eve)
		if got := h.waitEphemeral(eve, next); !strings.Contains(got, "Only whoever reported B-1 (<@U0ANN>) or an admin can edit it.") {
			t.Fatalf("reply:\n%s", got)
		}
		if got := h.askBlocker(bob, general, "edit B-1"); !strings.Contains(got, "Only whoever reported B-1") {
			t.Fatalf("reply:\n%s", got)
		}
		if _, ok := fs.TopView(eve); ok {
			t.Fatal("a form opened for Eve")
		}
	})

	clickEdit(ann)
	view := h.waitView(ann, "the edit form")
	rawJSON, _ := json.Marshal(view.Blocks)
	raw := string(rawJSON)
	if view.CallbackID != "blocker.edit" || view.Title != "Edit B-1" || !strings.Contains(raw, "signing keys") {
		t.Fatalf("form %q %q:\n%s", view.CallbackID, view.Title, raw)
	}
	submit := func(v map[string]map[string]any) map[string]any { return h.submitView(ann, view.ID, v) }
	t.Run("ErrBadEditSavesNothing", func(t *testing.T) {
		for name, tc := range map[string]struct {
			values map[string]map[string]any
			field  string
		}{
			"Empty":     {map[string]map[string]any{"blocker": {"value": fakeslack.TextValue("   ")}}, "blocker"},
			"NoParty":   {map[string]map[string]any{"blocker": {"value": fakeslack.TextValue("Waiting for keys")}, "parties": {"value": fakeslack.MultiUsersValue()}}, "parties"},
			"Oversized": {map[string]map[string]any{"blocker": {"value": fakeslack.TextValue(strings.Repeat("k", 3001))}}, "blocker"},
		} {
			if msg := viewFieldError(t, submit(tc.values), tc.field); msg == "" {
				t.Errorf("%s: no error", name)
			}
		}
		if bs := h.exportBlockers(); len(bs) != 1 || !strings.Contains(bs[0]["text"].(string), "signing keys") {
			t.Fatalf("export %v", bs)
		}
	})

	plat := h.suggestGroups(ann, view.ID, "plat")
	if payload := submit(map[string]map[string]any{
		"blocker": {"value": fakeslack.TextValue("Waiting for the signing keys and the push certificate")},
		"parties": {"value": fakeslack.MultiUsersValue(bob)},
		"group":   {"value": fakeslack.ExternalValue(plat...)},
		"impact":  {"value": fakeslack.TextValue("The iOS release slips.")},
	}); payload != nil {
		t.Fatalf("ack=%v", payload)
	}
	h.waitFor("the edit's reply", func() bool {
		e := fs.Ephemerals(ann)
		return len(e) > 0 && strings.Contains(e[len(e)-1].Text, "Saved *B-1*; its card is updated. I'm telling 1 person, newly named, with a link to its card.")
	})
	h.waitFor("the card updated", func() bool { return strings.Contains(messageText(h.botMessages(general)[0]), "push certificate") })
	h.settle()
	text := messageText(h.botMessages(general)[0])
	for _, want := range []string{"*Who must act:* <@U0BOB>, <!subteam^S0PLAT|@platform> (3 people)", "The iOS release slips."} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if n := len(h.botMessages(general)); n != 1 {
		t.Fatalf("%d bot messages in #general: the card was not updated in place", n)
	}
	if len(fs.DMs(bob)) != 1 || len(fs.DMs(eve)) != 1 || len(fs.DMs(ann)) != 0 {
		t.Fatalf("DMs: bob %d, eve %d, ann %d; want 1 (the report), 1 (newly named through @platform), 0 (the reporter)",
			len(fs.DMs(bob)), len(fs.DMs(eve)), len(fs.DMs(ann)))
	}

	t.Run("SlashOpensTheForm", func(t *testing.T) {
		h.blocker(adm, general, "edit B-1")
		v := h.waitView(adm, "the admin's edit form")
		b, _ := json.Marshal(v.Blocks)
		if v.CallbackID != "blocker.edit" || !strings.Contains(string(b), "push certificate") || !strings.Contains(string(b), `"value":"S0PLAT|@platform"`) {
			t.Fatalf("form %q:\n%s", v.CallbackID, b)
		}
	})
	t.Run("ErrResolved", func(t *testing.T) {
		h.askBlocker(ann, general, "resolve B-1")
		if got := h.askBlocker(ann, general, "edit B-1"); !strings.Contains(got, "B-1 is resolved, so it can no longer be edited.") {
			t.Fatalf("reply:\n%s", got)
		}
		if got := h.askBlocker(ann, general, "edit B-9"); !strings.Contains(got, "There is no blocker B-9") {
			t.Fatalf("reply:\n%s", got)
		}
		for text, want := range map[string]string{
			"edit":            "`/blocker edit` takes one ID, e.g. `/blocker edit B-4`. It opens that blocker's form.",
			"edit banana":     `"banana" is not an ID`,
			"edit B-1 please": "To report a blocker that starts with “edit”, use the form",
		} {
			if got := h.askBlocker(ann, general, text); !strings.Contains(got, want) {
				t.Errorf("/blocker %s:\n%s", text, got)
			}
		}
	})
}
