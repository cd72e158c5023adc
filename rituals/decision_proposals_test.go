package rituals_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestProposalToTheAccountableOwner shows RACI at work: in an area whose
// Accountable owner is U2, a decision U1 records is a proposal owned by
// U2, who is asked; only U2 (or an admin) settles it, by accepting it or
// sending it back with a reason, and U1 is told either way.
func TestProposalToTheAccountableOwner(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	many := make([]string, rituals.MaxRightParties+1)
	for i := range many {
		many[i] = fmt.Sprintf("U%d", 100+i)
	}
	_, err := w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "payments", Owner: "U2", Responsible: many})
	if msg := rituals.ErrorMessage(err); rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(msg, "That names 21 responsible; an area takes at most 20.") {
		t.Fatalf("too many responsible: %v", err)
	}
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "payments", Owner: "U2", Responsible: []string{"U3"}}))(t)
	propose := func(title string) *rituals.Decision {
		t.Helper()
		d := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: title, Text: title, Area: "payments", Owner: "U1"}))(t)
		if d.Status != rituals.StatusProposed || d.Owner != "U2" || d.ProposedBy != "U1" || d.DecideBy != "2026-03-06" {
			t.Fatalf("recorded %s %s owned by %s, proposed by %q, decide by %s; want proposed, owned by U2, by U1, decide by a week on",
				d.ID(), d.Status, d.Owner, d.ProposedBy, d.DecideBy)
		}
		got := w.sent(t)
		if diff := cmp.Diff(strs(rituals.KindDecisionCard, rituals.KindDecisionReminder), kinds(got)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		var data rituals.ReminderData
		decode(t, got[1], &data)
		if got[1].Channel != "U2" || data.Kind != rituals.ReminderAccept || got[1].Reminder {
			t.Fatalf("asked %s (%s, reminder %v), want U2 asked at once to accept", got[1].Channel, data.Kind, got[1].Reminder)
		}
		return d
	}

	t.Run("AcceptedByTheOwner", func(t *testing.T) {
		d := propose("Charge in EUR")
		_, err := w.decisions.Accept(ctx, caller("U1"), d.Number)
		wantCode(t, err, rituals.EFORBIDDEN)
		_, err = w.decisions.MarkDecided(ctx, caller("U1"), d.Number, "Charge in EUR")
		wantCode(t, err, rituals.EFORBIDDEN) // the proposer may not settle it another way
		_, err = w.decisions.Edit(ctx, caller("U1"), d.Number, rituals.DecisionInput{Title: d.Title, Text: d.Text, Owner: "U1", Status: rituals.StatusProposed, DecideBy: d.DecideBy})
		wantCode(t, err, rituals.EFORBIDDEN) // nor take it over
		got := must(w.decisions.Accept(ctx, caller("U2"), d.Number))(t)
		if got.Status != rituals.StatusDecided || got.DecidedAt.IsZero() {
			t.Fatalf("accepted: %s at %v", got.Status, got.DecidedAt)
		}
		sent := w.sent(t)
		if diff := cmp.Diff(strs(rituals.KindDecisionCardUpdate, rituals.KindNotice), kinds(sent)); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		var n rituals.NoticeData
		decode(t, sent[1], &n)
		if sent[1].Channel != "U1" || !strings.Contains(n.Text, "<@U2> accepted your proposal "+d.ID()) {
			t.Fatalf("told %s: %q", sent[1].Channel, n.Text)
		}
		_, err = w.decisions.Accept(ctx, caller("U2"), d.Number)
		wantCode(t, err, rituals.ECONFLICT)
	})
	t.Run("SentBackWithAReason", func(t *testing.T) {
		d := propose("Charge in USD")
		_, err := w.decisions.SendBack(ctx, caller("U2"), d.Number, "  ")
		if rituals.FieldErrors(err)[rituals.FieldReason] == "" {
			t.Fatalf("empty reason: %v", err)
		}
		_, err = w.decisions.SendBack(ctx, caller("U2"), d.Number, strings.Repeat("x", rituals.MaxRationale+1))
		wantCode(t, err, rituals.EINVALID)
		_, err = w.decisions.SendBack(ctx, caller("U3"), d.Number, "No.")
		wantCode(t, err, rituals.EFORBIDDEN) // responsible is not accountable
		got := must(w.decisions.SendBack(ctx, caller("U2"), d.Number, "We bill in EUR first."))(t)
		if got.Status != rituals.StatusDropped || got.SentBack != "We bill in EUR first." {
			t.Fatalf("sent back: %s, %q", got.Status, got.SentBack)
		}
		stored := must(w.decisions.Get(ctx, caller("U1"), d.Number))(t)
		if stored.SentBack != got.SentBack || stored.ProposedBy != "U1" {
			t.Fatalf("stored %+v", stored)
		}
		sent := w.sent(t)
		var n rituals.NoticeData
		decode(t, sent[len(sent)-1], &n)
		if sent[len(sent)-1].Channel != "U1" || !strings.Contains(n.Text, "We bill in EUR first.") {
			t.Fatalf("told %s: %q", sent[len(sent)-1].Channel, n.Text)
		}
	})
	t.Run("AnsweredFromOutsideAPrivateChannel", func(t *testing.T) {
		private := callerIn("U1", "G9")
		private.ChannelPrivate = true
		d := must(w.decisions.Record(ctx, private, rituals.DecisionInput{Title: "Secret", Text: "Secret", Area: "payments"}))(t)
		if !d.ChannelPrivate || !d.AwaitsOwner() {
			t.Fatalf("set-up: private %v, awaiting %v", d.ChannelPrivate, d.AwaitsOwner())
		}
		w.sent(t)
		_, err := w.decisions.ForAnswer(ctx, callerIn("U3", "D3"), d.Number)
		wantCode(t, err, rituals.ENOTFOUND) // not its owner: it does not exist outside G9
		_, err = w.decisions.Accept(ctx, callerIn("U3", "D3"), d.Number)
		wantCode(t, err, rituals.ENOTFOUND)
		must(w.decisions.ForAnswer(ctx, callerIn("U2", "D2"), d.Number))(t)
		must(w.decisions.SendBack(ctx, callerIn("U2", "D2"), d.Number, "Invite me first."))(t)
		w.sent(t)
	})
	t.Run("TheAccountableOwnerEditsTheAreasDecisions", func(t *testing.T) {
		must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "billing", Owner: "U2"}))(t)
		d := must(w.decisions.Record(ctx, caller("U2"), rituals.DecisionInput{Title: "Pick a PSP", Text: "Pick a PSP", Area: "billing",
			Owner: "U3", Status: rituals.StatusProposed, DecideBy: "2026-03-10"}))(t)
		if d.Owner != "U3" || d.AwaitsOwner() {
			t.Fatalf("the owner's proposal for U3: owned by %s, awaiting %v", d.Owner, d.AwaitsOwner())
		}
		must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "billing", Owner: "U4"}))(t) // handed over
		must(w.decisions.AddRationale(ctx, caller("U4"), d.Number, "Fees."))(t)               // neither its owner nor its author
		_, err := w.decisions.AddRationale(ctx, caller("U1"), d.Number, "Mine.")
		wantCode(t, err, rituals.EFORBIDDEN)
		w.sent(t)
	})
	t.Run("ErrOnlyTheOwnerSupersedesInTheArea", func(t *testing.T) {
		old := must(w.decisions.Record(ctx, caller("U2"), rituals.DecisionInput{Title: "Settle daily", Text: "Settle daily", Area: "payments", Owner: "U1"}))(t)
		_, err := w.decisions.Supersede(ctx, caller("U1"), old.Number, rituals.QuickDecision("Settle hourly")) // U1 owns it, U2 is accountable
		wantCode(t, err, rituals.EFORBIDDEN)
		if msg := rituals.ErrorMessage(err); !strings.Contains(msg, "propose the new decision with `/decide [payments] <text>`") {
			t.Fatalf("refusal: %s", msg)
		}
		must(w.decisions.Supersede(ctx, caller("U2"), old.Number, rituals.QuickDecision("Settle hourly")))(t)
		w.sent(t)
	})
	t.Run("TheOwnerDecidesDirectly", func(t *testing.T) {
		d := must(w.decisions.Record(ctx, caller("U2"), rituals.DecisionInput{Title: "Refund in 5 days", Text: "Refund in 5 days", Area: "payments"}))(t)
		if d.Status != rituals.StatusDecided || d.ProposedBy != "" {
			t.Fatalf("the owner's own decision is %s, proposed by %q", d.Status, d.ProposedBy)
		}
		w.sent(t)
	})
}
