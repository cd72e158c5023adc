package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestHomeActionItems: a person's App Home lists the open action items
// they own and those a channel of theirs owns, the earliest due first, an
// item of a private channel they are not in without its text; owning one
// or finishing it refreshes their Home.
func TestHomeActionItems(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	w.dir.channels["G1"] = []string{"U2"}
	private := callerIn("U2", "G1")
	private.ChannelPrivate = true
	ok(t, w.homes.Opened(ctx, caller("U1")))
	w.sent(t)

	retro := must(w.sessions.Open(ctx, caller("U2"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Sprint 9"}))(t)
	_, mine := must2(w.sessions.AddItem(ctx, caller("U2"), retro.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Split the epic",
		Owner: "U1", Due: "2026-03-04"}))(t)
	if got := ofKind(w.sent(t), rituals.KindHomeRefresh); len(got) != 1 || got[0].User != "U1" {
		t.Fatalf("refreshed %q, want U1's Home with the item they now own", recipients(got))
	}
	_, ours := must2(w.sessions.AddItem(ctx, caller("U2"), retro.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Write the runbook"}))(t)
	must(w.sessions.AssignOwner(ctx, caller("U2"), retro.Number, ours.Number, rituals.OwnerInput{Team: channel, Due: "2026-03-02"}))(t)
	secret := must(w.sessions.Open(ctx, private, rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Reorg"}))(t)
	must2(w.sessions.AddItem(ctx, private, secret.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Tell nobody",
		Owner: "U1", Due: "2026-03-03"}))(t)
	w.sent(t)

	h := must(w.homes.Build(ctx, team, "U1", time.UTC))(t)
	var got []string
	for _, it := range h.Actions.Items {
		got = append(got, it.Entry.Ref()+" "+it.Entry.Text)
	}
	want := []string{"R-1 #2 Write the runbook", "R-2 #1 ", "R-1 #1 Split the epic"}
	if diff := cmp.Diff(want, got); diff != "" || !h.Waiting() || !h.Actions.Items[1].Hidden {
		t.Fatalf("action items (-want +got):\n%s", diff)
	}

	t.Run("DoneLeavesTheHome", func(t *testing.T) {
		must(w.sessions.Finish(ctx, caller("U1"), retro.Number, mine.Number))(t)
		if got := ofKind(w.sent(t), rituals.KindHomeRefresh); len(got) != 1 || got[0].User != "U1" {
			t.Fatalf("refreshed %q, want U1's Home", recipients(got))
		}
		h := must(w.homes.Build(ctx, team, "U1", time.UTC))(t)
		if n := len(h.Actions.Items); n != 2 {
			t.Fatalf("%d action items, want 2 once one is done", n)
		}
	})
	t.Run("NotAnotherPersons", func(t *testing.T) {
		h := must(w.homes.Build(ctx, team, "U3", time.UTC))(t)
		if n := len(h.Actions.Items); n != 1 || h.Actions.Items[0].Entry.Number != ours.Number {
			t.Fatalf("U3's action items %+v, want only the channel's", h.Actions.Items)
		}
	})
}
