package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestBlockerWatch drives a blocker's timed stages through the runner:
// escalated once its channel's SLA has passed (its card updated, its
// reporter and parties told), marked overdue once its needed-by day has
// ended, and left alone once resolved. Every tick runs twice.
func TestBlockerWatch(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	b := must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Need prod DB access", NeededBy: "2026-03-02",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}, {Kind: rituals.PartyChannel, ID: "C9"}}}))(t)
	reported := w.sent(t)
	want := strs(rituals.KindBlockerCard, rituals.KindBlockerNotice, rituals.KindBlockerNotice)
	if diff := cmp.Diff(want, kinds(reported)); diff != "" {
		t.Fatalf("reported (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"C1", "C9", "U2"}, recipients(reported)); diff != "" {
		t.Fatalf("reported to (-want +got):\n%s", diff)
	}
	stale := b.CreatedAt.Add(rituals.DefaultSLA)

	t.Run("EscalatedAfterItsSLA", func(t *testing.T) {
		if got := w.tick(t, stale.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q before the SLA passed", kinds(got))
		}
		got := w.tickTwice(t, stale)
		want := strs(rituals.KindBlockerCardUpdate, rituals.KindBlockerNotice, rituals.KindBlockerNotice, rituals.KindBlockerNotice)
		if diff := cmp.Diff(want, kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"C9", "U1", "U2"}, recipients(got[1:])); diff != "" {
			t.Fatalf("told (-want +got):\n%s", diff)
		}
		var data rituals.BlockerNoticeData
		decode(t, got[1], &data)
		if data.Event != rituals.NoticeEscalated || data.SLA != "3d" {
			t.Fatalf("notice %+v, want escalated after 3d", data)
		}
		if got := must(w.db.Blocker(ctx, team, b.Number))(t); !got.EscalatedAt.Equal(stale) {
			t.Fatalf("EscalatedAt=%v, want %v", got.EscalatedAt, stale)
		}
	})

	t.Run("OverdueAfterItsNeededByDay", func(t *testing.T) {
		due := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC) // the end of 2026-03-02 in the reporter's zone
		if !b.DueAt.Equal(due) {
			t.Fatalf("DueAt=%v, want %v", b.DueAt, due)
		}
		if got := w.tick(t, due.Add(-time.Minute)); len(got) > 0 {
			t.Fatalf("enqueued %q before the day ended", kinds(got))
		}
		got := w.tickTwice(t, due)
		if diff := cmp.Diff(strs(rituals.KindBlockerCardUpdate), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		if got := must(w.db.Blocker(ctx, team, b.Number))(t); !got.OverdueAt.Equal(due) {
			t.Fatalf("OverdueAt=%v, want %v", got.OverdueAt, due)
		}
	})

	t.Run("ResolvedIsLeftAlone", func(t *testing.T) {
		c := must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Flaky CI", NeededBy: "2026-03-20",
			Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U3"}}}))(t)
		must(w.blockers.Resolve(ctx, caller("U3"), c.Number, "fixed the runner"))(t)
		w.sent(t)
		if got := w.tickTwice(t, time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC)); len(got) > 0 {
			t.Fatalf("enqueued %q for a resolved blocker", kinds(got))
		}
	})
}

// TestBlockerWatchChannelSLA shows a channel's own SLA replacing the
// default.
func TestBlockerWatchChannelSLA(t *testing.T) {
	w := newWorld(t)
	ok(t, w.blockers.SetSLA(w.ctx, caller("U1"), 4*time.Hour))
	b := must(w.blockers.Report(w.ctx, caller("U1"), rituals.BlockerInput{Text: "Vendor API key expired",
		Parties: []rituals.Party{{Kind: rituals.PartyGroup, ID: "S1", Members: []string{"U2", "U3"}}}}))(t)
	w.sent(t)
	got := w.tickTwice(t, b.CreatedAt.Add(4*time.Hour))
	if diff := cmp.Diff([]string{"U1", "U2", "U3"}, recipients(ofKind(got, rituals.KindBlockerNotice))); diff != "" {
		t.Fatalf("told (-want +got):\n%s", diff)
	}
	var data rituals.BlockerNoticeData
	decode(t, ofKind(got, rituals.KindBlockerNotice)[0], &data)
	if data.SLA != "4h" {
		t.Fatalf("SLA %q, want 4h", data.SLA)
	}
}
