package rituals_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestBlockerEdit covers who may edit a blocker (its reporter, an admin),
// that a bad edit saves nothing, and that an edit updates the card and
// tells only the parties newly named.
func TestBlockerEdit(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	b := must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Need a DNS change",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	w.sent(t)
	edit := rituals.BlockerInput{Text: "Need a DNS change and a cert", Impact: "Launch slips",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}, {Kind: rituals.PartyGroup, ID: "S1", Name: "@ops", Members: []string{"U2", "U3"}}}}

	t.Run("ErrForbiddenToOthers", func(t *testing.T) {
		_, err := w.blockers.ForEdit(ctx, caller("U2"), b.Number)
		wantCode(t, err, rituals.EFORBIDDEN)
		_, _, err = w.blockers.Edit(ctx, caller("U2"), b.Number, edit)
		wantCode(t, err, rituals.EFORBIDDEN)
	})
	t.Run("ErrInvalidSavesNothing", func(t *testing.T) {
		for name, in := range map[string]rituals.BlockerInput{
			"Empty":     {Text: "  ", Parties: edit.Parties},
			"NoParty":   {Text: "x"},
			"Oversized": {Text: strings.Repeat("x", rituals.MaxBlockerText+1), Parties: edit.Parties},
		} {
			_, _, err := w.blockers.Edit(ctx, caller("U1"), b.Number, in)
			wantCode(t, err, rituals.EINVALID)
			if len(rituals.FieldErrors(err)) == 0 {
				t.Errorf("%s: no field error", name)
			}
		}
		if got := must(w.blockers.Get(ctx, caller("U1"), b.Number))(t); got.Text != b.Text || len(got.Parties) != 1 {
			t.Fatalf("saved %+v", got)
		}
		if got := w.sent(t); len(got) != 0 {
			t.Fatalf("enqueued %v", kinds(got))
		}
	})
	t.Run("ByReporterTellsOnlyNewParties", func(t *testing.T) {
		saved, told := must2(w.blockers.Edit(ctx, caller("U1"), b.Number, edit))(t)
		if saved.Text != edit.Text || saved.Impact != "Launch slips" || len(saved.Parties) != 2 {
			t.Fatalf("saved %+v", saved)
		}
		if diff := cmp.Diff([]string{"U3"}, told); diff != "" {
			t.Fatalf("told (-want +got):\n%s", diff)
		}
		sent := w.sent(t)
		if diff := cmp.Diff(strs(rituals.KindBlockerCardUpdate, rituals.KindBlockerNotice), kinds(sent)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		if got := must(w.blockers.Get(ctx, caller("U1"), b.Number))(t); got.Text != edit.Text || len(got.Parties) != 2 || got.Parties[1].Name != "@ops" {
			t.Fatalf("read back %+v", got)
		}
	})
	t.Run("ByAdmin", func(t *testing.T) {
		admin := caller("U9")
		admin.Admin = true
		_, told := must2(w.blockers.Edit(ctx, admin, b.Number, rituals.BlockerInput{Text: "Only the cert now", Parties: edit.Parties[1:]}))(t)
		if len(told) != 0 {
			t.Fatalf("told %v, want nobody new", told)
		}
		w.sent(t)
	})
	t.Run("ErrResolved", func(t *testing.T) {
		must(w.blockers.Resolve(ctx, caller("U1"), b.Number, ""))(t)
		_, _, err := w.blockers.Edit(ctx, caller("U1"), b.Number, edit)
		wantCode(t, err, rituals.ECONFLICT)
		if msg := rituals.ErrorMessage(err); !strings.Contains(msg, "resolved, so it can no longer be edited") {
			t.Fatalf("message %q", msg)
		}
	})
}
