package rituals_test

import (
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// TestTeamOwnedDecisions shows a user group as an area's Accountable
// owner: its members decide in the area directly and edit what the group
// owns, anyone else proposes and is refused.
func TestTeamOwnedDecisions(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	must(w.rights.Add(ctx, caller("U1"), rituals.Right{Area: "api", Owner: platformTeam, Names: map[string]string{platformTeam: "platform-team"}}))(t)
	_, err := w.rights.Add(ctx, caller("U1"), rituals.Right{Area: "api", Owner: "U1"})
	wantCode(t, err, rituals.EFORBIDDEN) // U1 published it but is not in the team
	must(w.rights.Add(ctx, caller("U4"), rituals.Right{Area: "api", Owner: platformTeam, Consulted: []string{"U1"}, Names: map[string]string{platformTeam: "platform-team"}}))(t)

	in := rituals.DecisionInput{Title: "Use semver", Text: "Use semver", Area: "api"}
	ok(t, w.decisions.ApplyArea(ctx, team, &in))
	d := must(w.decisions.Record(ctx, caller("U4"), in))(t)
	if d.Status != rituals.StatusDecided || d.Owner != platformTeam || d.OwnerName != "platform-team" {
		t.Fatalf("a member's decision: %s, owned by %s (%s)", d.Status, d.Owner, d.OwnerName)
	}
	edit := rituals.DecisionInput{Title: "Use semver 2", Text: "Use semver 2"}
	must(w.decisions.Edit(ctx, caller("U5"), d.Number, edit))(t)
	_, err = w.decisions.Edit(ctx, caller("U3"), d.Number, edit)
	wantCode(t, err, rituals.EFORBIDDEN)
	if msg := rituals.ErrorMessage(err); !strings.Contains(msg, "the members of its owner (platform-team)") {
		t.Fatalf("refusal: %s", msg)
	}
	p := must(w.decisions.Record(ctx, caller("U3"), rituals.DecisionInput{Title: "Use calver", Text: "Use calver", Area: "api"}))(t)
	if !p.AwaitsOwner() || p.Owner != platformTeam {
		t.Fatalf("an outsider's decision: %s owned by %s", p.Status, p.Owner)
	}
	sent := w.sent(t)
	asked := ofKind(sent, rituals.KindDecisionReminder)
	if len(asked) != 1 || asked[0].Channel != channel {
		t.Fatalf("asked the group in %q, want its proposal's channel", recipients(asked))
	}
	must(w.decisions.Accept(ctx, caller("U5"), p.Number))(t)

	// The group's own proposal is reminded in its channel, not by DM
	// to a group ID.
	queue := rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue", Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-03-04"}
	ok(t, w.decisions.ApplyArea(ctx, team, &queue))
	due := must(w.decisions.Record(ctx, caller("U4"), queue))(t)
	if due.Owner != platformTeam || due.AwaitsOwner() {
		t.Fatalf("a member's proposal: owned by %s, awaiting %v", due.Owner, due.AwaitsOwner())
	}
	w.sent(t)
	reminders := ofKind(w.tickTwice(t, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)), rituals.KindDecisionReminder)
	if len(reminders) != 1 || reminders[0].Channel != channel || reminders[0].User != "" || reminders[0].Reminder {
		t.Fatalf("reminded %q (%+v), want a post in %s", recipients(reminders), reminders, channel)
	}
}

// TestImportedDecisionClaimedByChannel shows an imported entry, with no
// Slack owner: a member of the channel it was imported into may edit it
// (and keeps its owner's name), anyone else may not.
func TestImportedDecisionClaimedByChannel(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	imported := rituals.ImportedDecision{Decision: rituals.Decision{Date: "2026-01-05", Title: "API versioning", Text: "Semver.",
		OwnerName: "Platform Team", Status: rituals.StatusDecided}}
	if n := must(w.decisions.Import(ctx, rituals.Caller{Team: team, Channel: channel}, []rituals.ImportedDecision{imported}))(t); n != 1 {
		t.Fatalf("imported %d", n)
	}
	got := must(w.decisions.Edit(ctx, caller("U2"), 1, rituals.DecisionInput{Title: "API versioning", Text: "Semver, always."}))(t)
	if got.Owner != "" || got.OwnerName != "Platform Team" {
		t.Fatalf("after an edit the owner is %q (%q), want the team kept", got.Owner, got.OwnerName)
	}
	_, err := w.decisions.Edit(ctx, caller("U9"), 1, rituals.DecisionInput{Title: "x", Text: "y"}) // not in C1
	wantCode(t, err, rituals.EFORBIDDEN)
}

// TestTeamOwnedActionItem gives a retro's change to a channel: a person
// and a channel at once is refused; the channel is told there and
// reminded there on the due day (not held for a person), and its members
// may mark it done while others may not.
func TestTeamOwnedActionItem(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	ses := must(w.sessions.Open(ctx, callerIn("U1", "C2"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Launch"}))(t)
	_, it := must2(w.sessions.AddItem(ctx, callerIn("U1", "C2"), ses.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Page support"}))(t)
	_, err := w.sessions.AssignOwner(ctx, callerIn("U1", "C2"), ses.Number, it.Number, rituals.OwnerInput{Owner: "U2", Team: channel, Due: "2026-03-10"})
	if rituals.FieldErrors(err)[rituals.FieldItemTeam] == "" {
		t.Fatalf("a person and a channel: %v", err)
	}
	got := must(w.sessions.AssignOwner(ctx, callerIn("U1", "C2"), ses.Number, it.Number, rituals.OwnerInput{Team: channel, Due: "2026-03-10"}))(t)
	if got.Owner != channel {
		t.Fatalf("owner %q, want the channel %s", got.Owner, channel)
	}
	notices := ofKind(w.sent(t), rituals.KindNotice)
	if len(notices) != 1 || notices[0].Channel != channel || notices[0].User != "" {
		t.Fatalf("told %q", recipients(notices))
	}
	reminders := ofKind(w.tickTwice(t, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)), rituals.KindSessionReminder)
	if len(reminders) != 1 || reminders[0].Channel != channel || reminders[0].Reminder {
		t.Fatalf("reminded %q (%+v)", recipients(reminders), reminders)
	}
	_, err = w.sessions.Finish(ctx, callerIn("U9", "C2"), ses.Number, it.Number)
	wantCode(t, err, rituals.EFORBIDDEN)
	must(w.sessions.Finish(ctx, callerIn("U3", "C2"), ses.Number, it.Number))(t) // U3 is in C1
}
