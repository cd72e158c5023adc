package rituals_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestBlockerActions covers who may act on a blocker (its reporter, the
// people it names, the members of a channel it names, an admin) and what
// each action queues.
func TestBlockerActions(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	w.dir.channels["C9"] = []string{"U5"}
	_, err := w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Stuck"})
	wantCode(t, err, rituals.EINVALID)
	b := must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Need a DNS change",
		Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "C9"}, {Kind: rituals.PartyGroup, ID: "S1", Members: []string{"U6"}}}}))(t)
	w.sent(t)

	t.Run("PartiesThroughChannelsAndGroups", func(t *testing.T) {
		for user, want := range map[string]bool{"U5": true, "U6": true, "U7": false, "U1": false} {
			if got := must(w.blockers.IsParty(ctx, b, user))(t); got != want {
				t.Errorf("IsParty(%s)=%v, want %v", user, got, want)
			}
		}
		down := errors.New("slack is down")
		w.dir.IsMemberFunc = func(context.Context, string, string, string) (bool, error) { return false, down }
		if _, err := w.blockers.IsParty(ctx, b, "U7"); !errors.Is(err, down) {
			t.Fatalf("IsParty with Slack down: %v", err)
		}
		w.dir.IsMemberFunc = nil
	})
	t.Run("AcknowledgedOnceByAParty", func(t *testing.T) {
		_, err := w.blockers.Acknowledge(ctx, caller("U7"), b.Number)
		wantCode(t, err, rituals.EFORBIDDEN)
		acked := must(w.blockers.Acknowledge(ctx, caller("U6"), b.Number))(t)
		if !acked.AckedBy("U6") {
			t.Fatalf("acks %+v, want U6's", acked.Acks)
		}
		_, err = w.blockers.Acknowledge(ctx, caller("U6"), b.Number)
		wantCode(t, err, rituals.ECONFLICT)
		if diff := cmp.Diff(strs(rituals.KindBlockerCardUpdate), kinds(w.sent(t))); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
	})
	t.Run("ResolvedOnceByAChannelMember", func(t *testing.T) {
		_, err := w.blockers.ForResolve(ctx, caller("U7"), b.Number)
		wantCode(t, err, rituals.EFORBIDDEN)
		_, err = w.blockers.Resolve(ctx, caller("U5"), b.Number, strings.Repeat("x", rituals.MaxBlockerNote+1))
		wantCode(t, err, rituals.EINVALID)
		must(w.blockers.ForResolve(ctx, caller("U5"), b.Number))(t)
		w.at(friday.Add(5 * time.Hour))
		resolved := must(w.blockers.Resolve(ctx, caller("U5"), b.Number, " done "))(t)
		if resolved.Open() || resolved.Resolution != "done" || resolved.TimeToResolve != 5*time.Hour || resolved.Age(monday) != 5*time.Hour {
			t.Fatalf("resolved %+v", resolved)
		}
		got := w.sent(t)
		if diff := cmp.Diff(strs(rituals.KindBlockerCardUpdate, rituals.KindBlockerNotice), kinds(got)); diff != "" || got[1].Channel != "U1" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		_, err = w.blockers.Resolve(ctx, caller("U1"), b.Number, "")
		wantCode(t, err, rituals.ECONFLICT)
		_, err = w.blockers.Acknowledge(ctx, caller("U5"), b.Number)
		wantCode(t, err, rituals.ECONFLICT)
		if open := must(w.blockers.List(ctx, caller("U1")))(t); len(open) > 0 {
			t.Fatalf("List has %d open blockers, want none", len(open))
		}
	})
	t.Run("PrivateUnlessItsChannelIsKnownPublic", func(t *testing.T) {
		if _, err := w.blockers.Get(ctx, callerIn("U1", "C2"), b.Number); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("Get from another channel: %v, want ENOTFOUND", err)
		}
		ok(t, w.db.SaveChannel(ctx, rituals.Channel{Team: team, ID: channel, Name: "general"}, friday))
		must(w.blockers.Get(ctx, callerIn("U1", "C2"), b.Number))(t)
	})
}

// TestBlockerSLA covers a channel's escalation threshold.
func TestBlockerSLA(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	sla, isDefault := must2(w.blockers.SLA(ctx, caller("U1")))(t)
	if sla != rituals.DefaultSLA || !isDefault {
		t.Fatalf("SLA %v default %v, want the default", sla, isDefault)
	}
	wantCode(t, w.blockers.SetSLA(ctx, caller("U1"), time.Minute), rituals.EINVALID)
	admins := caller("U1")
	admins.AdminsOnly = true
	wantCode(t, w.blockers.SetSLA(ctx, admins, 4*time.Hour), rituals.EFORBIDDEN)
	ok(t, w.blockers.SetSLA(ctx, caller("U1"), 4*time.Hour))
	sla, isDefault = must2(w.blockers.SLA(ctx, caller("U1")))(t)
	if sla != 4*time.Hour || isDefault {
		t.Fatalf("SLA %v default %v, want 4h set", sla, isDefault)
	}
}
