package rituals_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// folded drains the outbox as the sender does for a person over their
// weekly cap of reminders: reminders folded, everything else sent.
func (w *world) folded(tb testing.TB) []rituals.OutboxItem {
	tb.Helper()
	return w.drain(tb, func(it rituals.OutboxItem) string {
		if it.Reminder {
			return rituals.OutcomeFolded
		}
		return ""
	})
}

// TestHomeBuild gathers a person's App Home: what waits for them (their
// proposals, blockers, the check-in and pulse they have not answered, the
// reminders their weekly cap folded) and their channels' latest
// decisions, with the entries of a private channel they are not in shown
// without their text.
func TestHomeBuild(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	w.dir.channels["G1"] = []string{"U2"}
	private := callerIn("U2", "G1")
	private.ChannelPrivate = true
	saturday := friday.Add(12 * time.Hour) // midnight

	ok(t, w.homes.Opened(ctx, caller("U1")))
	if got := w.sent(t); len(got) != 1 || string(got[0].Kind) != string(rituals.KindHomeRefresh) || !got[0].Interactive {
		t.Fatalf("enqueued %+v, want U1's Home published ahead of bulk messages", got)
	}
	d1 := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Status: rituals.StatusProposed, DecideBy: "2026-02-28"}))(t)
	if got := w.sent(t); len(ofKind(got, rituals.KindHomeRefresh)) != 1 {
		t.Fatalf("enqueued %q, want U1's Home refreshed with their new proposal", kinds(got))
	}
	d2 := must(w.decisions.Record(ctx, private, rituals.DecisionInput{Title: "Reorg", Text: "Reorg the team", Owner: "U1",
		Status: rituals.StatusProposed, DecideBy: "2026-03-10"}))(t)
	b1 := must(w.blockers.Report(ctx, private, rituals.BlockerInput{Text: "Secret blocker", Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U1"}}}))(t)
	b2 := must(w.blockers.Report(ctx, caller("U3"), rituals.BlockerInput{Text: "Need reviews", Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: channel}}}))(t)
	must(w.checkins.OpenNow(ctx, caller("U3")))(t)
	p := must(w.pulses.Create(ctx, caller("U2"), rituals.PulseInput{Question: "Ready?", Kind: rituals.PulseYesNo,
		Audience: rituals.AudienceChannel, OpenFor: "36h"}))(t)
	w.sent(t)
	w.launch(t, p.Number, rituals.PulseMember{User: "U1"}, rituals.PulseMember{User: "U2"})
	retro := must(w.sessions.Open(ctx, caller("U2"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Sprint 9"}))(t)
	must2(w.sessions.AddItem(ctx, caller("U2"), retro.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Split the epic",
		Owner: "U1", Due: "2026-02-28"}))(t)
	w.sent(t)
	// Saturday at midnight: the decision, pulse and action reminders; at
	// ten, the check-in's. U1's cap folds them all.
	for _, at := range []time.Time{saturday, saturday.Add(10 * time.Hour)} {
		w.clock.Set(at)
		ok(t, w.runner.Tick(ctx, at))
		w.folded(t)
	}

	h := must(w.homes.Build(ctx, team, "U1", time.UTC))(t)
	if !h.Waiting() || h.Today != "2026-02-28" {
		t.Fatalf("home waiting %v today %s", h.Waiting(), h.Today)
	}
	t.Run("ProposalsOfAPrivateChannelHidden", func(t *testing.T) {
		items := h.Proposed.Items
		if len(items) != 2 || items[0].Entry.Number != d1.Number || items[0].Hidden || items[1].Entry.Number != d2.Number || !items[1].Hidden {
			t.Fatalf("proposed %+v, want D-1 and D-2 hidden", items)
		}
		if items[1].Entry.Title != "" || items[1].Entry.Text != "" {
			t.Fatalf("hidden D-2 shows %q", items[1].Entry.Title)
		}
	})
	t.Run("BlockersWithWhyTheyAreTheirs", func(t *testing.T) {
		items := h.Blockers.Items
		if len(items) != 2 || items[0].Entry.Number != b1.Number || !items[0].Hidden || items[0].Entry.Text != "" {
			t.Fatalf("blockers %+v, want B-1 hidden first", items)
		}
		if got := items[1].Entry; got.Number != b2.Number || got.Reported || got.Via.ID != channel {
			t.Fatalf("B-2 %+v, want it theirs through %s", got, channel)
		}
	})
	t.Run("WaitingCheckinAndPulse", func(t *testing.T) {
		if len(h.Checkins.Items) != 1 || len(h.Pulses.Items) != 1 || h.Pulses.Items[0].Entry.Number != p.Number {
			t.Fatalf("check-ins %+v pulses %+v", h.Checkins.Items, h.Pulses.Items)
		}
	})
	t.Run("FoldedRemindersStillWaiting", func(t *testing.T) {
		var ids []string
		for _, it := range h.Held.Items {
			ids = append(ids, it.Entry.ID())
		}
		slices.Sort(ids)
		if diff := cmp.Diff([]string{"D-1", "P-1", "R-1 #1", "check-in"}, ids); diff != "" {
			t.Fatalf("held (-want +got):\n%s", diff)
		}
	})
	t.Run("RecentDecisionsOfTheirChannels", func(t *testing.T) {
		if len(h.Recent) != 1 || h.Recent[0].Number != d1.Number {
			t.Fatalf("recent %v, want D-1 alone", h.Recent)
		}
	})
	t.Run("RefreshOnlyWhoOpenedTheirs", func(t *testing.T) {
		ok(t, w.homes.Refresh(ctx, team))
		ok(t, w.homes.Refresh(ctx, team, "U1", "U2"))
		got := w.sent(t)
		if len(got) != 1 || got[0].User != "U1" {
			t.Fatalf("enqueued %+v, want U1's refresh alone", got)
		}
	})
}
