package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// /blocker with text that names nobody opens the form filled with the
// text, so the person picks who must act; submitted, it reports the
// blocker as typed.
func TestBlockerNamingNobodyOpensTheForm(t *testing.T) {
	fs, h := newBlockerWorld(t)
	const typed = "Waiting on the vendor for the signing keys & <certs>"
	h.blocker(ann, general, "  "+typed+"  ")
	view := h.waitView(ann, "the prefilled blocker form")
	raw, _ := json.Marshal(view.Blocks)
	if view.CallbackID != "blocker.new" || !strings.Contains(string(raw), `"initial_value":"Waiting on the vendor for the signing keys \u0026 \u003ccerts\u003e"`) {
		t.Fatalf("form %q:\n%s", view.CallbackID, raw)
	}
	if got := len(fs.Ephemerals(ann)); got != 0 {
		t.Fatalf("%d replies besides the form, want none: %s", got, messageText(fs.Ephemerals(ann)[0]))
	}
	t.Run("ErrStillNobody", func(t *testing.T) {
		if msg := viewFieldError(t, h.submitView(ann, view.ID, nil), "parties"); !strings.Contains(msg, "Name who must act") {
			t.Fatalf("error %q", msg)
		}
	})
	if payload := h.submitView(ann, view.ID, map[string]map[string]any{"parties": {"value": fakeslack.MultiUsersValue(bob)}}); payload != nil {
		t.Fatalf("ack=%v, want the form closed", payload)
	}
	card := messageText(h.waitCards(general, 1)[0])
	if !strings.Contains(card, "signing keys &amp; &lt;certs&gt;") || !strings.Contains(card, "<@U0BOB>") {
		t.Fatalf("card:\n%s", card)
	}
	h.settle()
	if bs := h.exportBlockers(); len(bs) != 1 || bs[0]["text"] != typed {
		t.Fatalf("export %v, want one blocker reading %q", bs, typed)
	}
	if len(fs.DMs(bob)) != 1 {
		t.Fatalf("bob got %d DMs, want 1", len(fs.DMs(bob)))
	}

	t.Run("ErrTooLongForTheForm", func(t *testing.T) {
		if got := h.askBlocker(ann, general, strings.Repeat("é", 3001)); !strings.Contains(got, "That blocker is 3001 characters long; the form holds 3000.") {
			t.Fatalf("reply %q", got)
		}
	})
	t.Run("ErrNotInTheChannel", func(t *testing.T) {
		if got := h.askBlocker(ann, nobot, "Waiting on the vendor"); !strings.Contains(got, "/invite @alignbot") {
			t.Fatalf("reply %q", got)
		}
	})
}
