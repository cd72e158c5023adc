package rituals_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestDecisionLifecycle takes decisions through their statuses, each
// change checked against who may make it, versioned, and queued as card
// updates.
func TestDecisionLifecycle(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	decide := func(t *testing.T, title string, status rituals.DecisionStatus) *rituals.Decision {
		t.Helper()
		in := rituals.DecisionInput{Title: title, Text: title, Status: status}
		if status == rituals.StatusProposed {
			in.DecideBy = "2026-03-05"
		}
		return must(w.decisions.Record(ctx, caller("U1"), in))(t)
	}

	t.Run("RecordPostsTheCardOnce", func(t *testing.T) {
		c := caller("U1")
		c.RequestID = "Ev1"
		d := must(w.decisions.Record(ctx, c, rituals.DecisionInput{Title: "Use Go", Text: "Use Go for services"}))(t)
		if d.Number != 1 || d.Owner != "U1" || d.Status != rituals.StatusDecided || d.Date != "2026-02-27" {
			t.Fatalf("recorded %+v", d)
		}
		_, err := w.decisions.Record(ctx, c, rituals.DecisionInput{Title: "Use Go", Text: "Use Go for services"})
		if !errors.Is(err, rituals.ErrDuplicate) {
			t.Fatalf("redelivery: %v, want ErrDuplicate", err)
		}
		got := w.sent(t)
		if diff := cmp.Diff(strs(rituals.KindDecisionCard), kinds(got)); diff != "" || got[0].Key != d.CardKey(channel) {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrTitleRequired", func(t *testing.T) {
		_, err := w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Text: "No title"})
		wantCode(t, err, rituals.EINVALID)
		if rituals.FieldErrors(err)[rituals.FieldTitle] == "" {
			t.Fatalf("field errors %v, want one for the title", rituals.FieldErrors(err))
		}
	})
	t.Run("MarkDecided", func(t *testing.T) {
		p := decide(t, "Pick a queue", rituals.StatusProposed)
		_, err := w.decisions.MarkDecided(ctx, caller("U1"), p.Number, "  ")
		wantCode(t, err, rituals.EINVALID)
		_, err = w.decisions.MarkDecided(ctx, caller("U2"), p.Number, "SQS")
		wantCode(t, err, rituals.EFORBIDDEN)
		w.at(friday.Add(90 * time.Minute))
		d := must(w.decisions.MarkDecided(ctx, caller("U1"), p.Number, "SQS"))(t)
		if d.Status != rituals.StatusDecided || d.Text != "SQS" || d.LeadTime() != 90*60e9 || d.Version != 2 {
			t.Fatalf("decided %+v", d)
		}
		_, err = w.decisions.MarkDecided(ctx, caller("U1"), p.Number, "SNS")
		wantCode(t, err, rituals.ECONFLICT)
		if got := w.sent(t); len(ofKind(got, rituals.KindDecisionCardUpdate)) != 1 {
			t.Fatalf("enqueued %q, want the card updated once", kinds(got))
		}
	})
	t.Run("DropAndDeprecate", func(t *testing.T) {
		p := decide(t, "Adopt Bazel", rituals.StatusProposed)
		d := decide(t, "Use tabs", rituals.StatusDecided)
		_, err := w.decisions.Deprecate(ctx, caller("U1"), p.Number)
		wantCode(t, err, rituals.ECONFLICT)
		_, err = w.decisions.Drop(ctx, caller("U1"), d.Number)
		wantCode(t, err, rituals.ECONFLICT)
		if got := must(w.decisions.Drop(ctx, caller("U1"), p.Number))(t); got.Status != rituals.StatusDropped {
			t.Fatalf("status %s, want dropped", got.Status)
		}
		if got := must(w.decisions.Deprecate(ctx, caller("U1"), d.Number))(t); got.Status != rituals.StatusDeprecated {
			t.Fatalf("status %s, want deprecated", got.Status)
		}
	})
	t.Run("Supersede", func(t *testing.T) {
		old := decide(t, "Deploy on Fridays", rituals.StatusDecided)
		in := rituals.DecisionInput{Title: "No deploys on Fridays", Text: "No deploys on Fridays"}
		_, err := w.decisions.Supersede(ctx, caller("U2"), old.Number, in)
		wantCode(t, err, rituals.EFORBIDDEN)
		w.sent(t)
		d := must(w.decisions.Supersede(ctx, caller("U1"), old.Number, in))(t)
		if d.Supersedes != old.Number {
			t.Fatalf("Supersedes=%d, want %d", d.Supersedes, old.Number)
		}
		if diff := cmp.Diff(strs(rituals.KindDecisionCard, rituals.KindDecisionCardUpdate), kinds(w.sent(t))); diff != "" {
			t.Fatalf("enqueued (-want +got):\n%s", diff)
		}
		if got := must(w.decisions.Get(ctx, caller("U2"), old.Number))(t); got.Status != rituals.StatusSuperseded || got.SupersededBy != d.Number {
			t.Fatalf("old %s superseded by %d", got.Status, got.SupersededBy)
		}
		_, err = w.decisions.Supersede(ctx, caller("U1"), old.Number, in)
		wantCode(t, err, rituals.ECONFLICT)
		p := decide(t, "Pick a font", rituals.StatusProposed)
		_, err = w.decisions.Supersede(ctx, caller("U1"), p.Number, in)
		wantCode(t, err, rituals.EINVALID)
	})
	t.Run("EditKeepsHistory", func(t *testing.T) {
		d := decide(t, "Use Postgres", rituals.StatusDecided)
		in := rituals.DecisionInput{Title: "Use PostgreSQL", Text: "Use PostgreSQL 16", Status: rituals.StatusDecided}
		_, err := w.decisions.Edit(ctx, caller("U2"), d.Number, in)
		wantCode(t, err, rituals.EFORBIDDEN)
		edited := must(w.decisions.Edit(ctx, caller("U1"), d.Number, in))(t)
		must(w.decisions.AddRationale(ctx, caller("U1"), d.Number, "Managed offering"))(t)
		_, err = w.decisions.AddRationale(ctx, caller("U1"), d.Number, " ")
		wantCode(t, err, rituals.EINVALID)
		got, versions := must2(w.decisions.History(ctx, caller("U3"), d.Number))(t)
		if edited.Title != "Use PostgreSQL" || got.Rationale != "Managed offering" || got.Version != 3 || len(versions) != 2 {
			t.Fatalf("decision v%d %q, %d earlier versions", got.Version, got.Rationale, len(versions))
		}
		if versions[0].Title != "Use Postgres" {
			t.Fatalf("first version %q, want the original title", versions[0].Title)
		}
	})
	t.Run("ListAndSearch", func(t *testing.T) {
		_, err := w.decisions.List(ctx, caller("U1"), 0)
		wantCode(t, err, rituals.EINVALID)
		if got := must(w.decisions.List(ctx, caller("U1"), 3))(t); len(got) != 3 {
			t.Fatalf("List has %d, want 3", len(got))
		}
		_, err = w.decisions.Search(ctx, caller("U1"), " ")
		wantCode(t, err, rituals.EINVALID)
		_, err = w.decisions.Search(ctx, caller("U1"), strings.Repeat("x", rituals.MaxSearchQuery+1))
		wantCode(t, err, rituals.EINVALID)
		found := must(w.decisions.Search(ctx, caller("U1"), "fridays"))(t)
		if len(found) != 2 {
			t.Fatalf("search found %d, want the two about Fridays", len(found))
		}
	})
	t.Run("SimilarTitles", func(t *testing.T) {
		d := &rituals.Decision{Title: "No deploys on a Friday"}
		similar := must(w.decisions.Similar(ctx, caller("U1"), d))(t)
		if len(similar) == 0 || !strings.Contains(similar[0].Title, "Fridays") {
			t.Fatalf("similar %v, want the Friday deploy decisions", similar)
		}
		if got := must(w.decisions.Similar(ctx, caller("U1"), &rituals.Decision{Title: "the of"}))(t); got != nil {
			t.Fatalf("similar to stop words: %v", got)
		}
	})
}

// TestDecisionPrivacy shows a private channel's decision: visible and
// editable only from inside it.
func TestDecisionPrivacy(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	inside := callerIn("U1", "G1")
	inside.ChannelPrivate = true
	d := must(w.decisions.Record(ctx, inside, rituals.DecisionInput{Title: "Reorg", Text: "Reorg the team"}))(t)
	if _, err := w.decisions.Get(ctx, caller("U1"), d.Number); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("Get from outside: %v, want ENOTFOUND", err)
	}
	if _, err := w.decisions.ForEdit(ctx, caller("U1"), d.Number); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("ForEdit from outside: %v, want ENOTFOUND", err)
	}
	if _, err := w.decisions.ForEdit(ctx, callerIn("U2", "G1"), d.Number); rituals.ErrorCode(err) != rituals.EFORBIDDEN {
		t.Fatalf("ForEdit by another member: %v, want EFORBIDDEN", err)
	}
	admin := callerIn("U2", "G1")
	admin.Admin = true
	must(w.decisions.ForEdit(ctx, admin, d.Number))(t)
	if _, err := w.decisions.Drop(ctx, caller("U1"), d.Number); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("Drop from outside: %v, want ENOTFOUND", err)
	}
}

// TestDecisionRights covers decision rights: who may publish and change
// an area, and a decision in an area posting to its informed channels
// and pinging its consulted people.
func TestDecisionRights(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	_, err := w.rights.Add(ctx, caller("U1"), rituals.Right{Area: "Not An Area", Owner: "U1"})
	wantCode(t, err, rituals.EINVALID)
	_, err = w.rights.Add(ctx, caller("U1"), rituals.Right{Area: "api"})
	wantCode(t, err, rituals.EINVALID)
	admins := caller("U1")
	admins.AdminsOnly = true
	_, err = w.rights.Add(ctx, admins, rituals.Right{Area: "api", Owner: "U1"})
	wantCode(t, err, rituals.EFORBIDDEN)
	r := must(w.rights.Add(ctx, caller("U1"), rituals.Right{Area: "api", Owner: "U2",
		Consulted: []string{"U3", "U3", ""}, Informed: []string{"C7", channel}}))(t)
	if diff := cmp.Diff([]string{"U3"}, r.Consulted); diff != "" {
		t.Fatalf("consulted (-want +got):\n%s", diff)
	}
	_, err = w.rights.Add(ctx, caller("U1"), rituals.Right{Area: "api", Owner: "U1"})
	wantCode(t, err, rituals.EFORBIDDEN) // only its owner, U2, may replace it
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "api", Owner: "U2", Consulted: []string{"U3"}, Informed: []string{"C7"}}))(t)

	_, err = w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Version the API", Text: "Use /v2", Area: "nope"})
	wantCode(t, err, rituals.EINVALID)

	t.Run("TheAreaOwnerOwnsItsDecisions", func(t *testing.T) {
		in := rituals.DecisionInput{Owner: "U1", Area: "api"}
		ok(t, w.decisions.ApplyArea(ctx, team, &in))
		if in.Owner != "U2" {
			t.Fatalf("owner %s, want the api area's owner U2", in.Owner)
		}
		untagged := rituals.DecisionInput{Owner: "U1"}
		ok(t, w.decisions.ApplyArea(ctx, team, &untagged))
		if untagged.Owner != "U1" {
			t.Fatalf("an untagged decision's owner became %s", untagged.Owner)
		}
		wantCode(t, w.decisions.ApplyArea(ctx, team, &rituals.DecisionInput{Area: "nope"}), rituals.EINVALID)
	})
	t.Run("ATagIsAnAreaOnlyWhenOneHasItsName", func(t *testing.T) {
		in := must(w.decisions.Tagged(ctx, team, "API", "Use /v2", "[API] Use /v2"))(t)
		if in.Area != "api" || in.Owner != "U2" || in.Title != "Use /v2" {
			t.Fatalf("[API] gave area %q, owner %q, title %q; want the api area, its owner U2, and the rest as title", in.Area, in.Owner, in.Title)
		}
		in = must(w.decisions.Tagged(ctx, team, "wip", "Use /v2", "[WIP] Use /v2"))(t)
		if in.Area != "" || in.Owner != "" || in.Title != "[WIP] Use /v2" || in.Text != "[WIP] Use /v2" {
			t.Fatalf("[WIP] with no wip area gave area %q, owner %q, title %q, text %q; want the brackets kept in the title", in.Area, in.Owner, in.Title, in.Text)
		}
		in = must(w.decisions.Tagged(ctx, team, "rfc-12", "", "[RFC-12]"))(t)
		if in.Area != "" || in.Title != "[RFC-12]" {
			t.Fatalf("a bare [RFC-12] gave area %q, title %q", in.Area, in.Title)
		}
	})
	d := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Version the API", Text: "Use /v2", Area: "api"}))(t)
	got := w.sent(t)
	// U1 is not the area's owner: the decision waits for U2, who is asked
	// last (see TestProposalToTheAccountableOwner).
	if diff := cmp.Diff(strs(rituals.KindDecisionCard, rituals.KindDecisionCard, rituals.KindNotice, rituals.KindDecisionReminder), kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
	if got[1].Channel != "C7" || got[2].Target != d.CardKey(channel) {
		t.Fatalf("second card in %s, notice under %q", got[1].Channel, got[2].Target)
	}
	var notice rituals.NoticeData
	decode(t, got[2], &notice)
	if diff := cmp.Diff([]string{"U3"}, notice.Mention); diff != "" {
		t.Fatalf("mentioned (-want +got):\n%s", diff)
	}

	if list := must(w.rights.List(ctx, caller("U1")))(t); len(list) != 1 || list[0].Area != "api" {
		t.Fatalf("rights %+v", list)
	}
	wantCode(t, w.rights.Remove(ctx, caller("U1"), "api"), rituals.EFORBIDDEN)
	wantCode(t, w.rights.Remove(ctx, caller("U2"), "nope"), rituals.ENOTFOUND)
	ok(t, w.rights.Remove(ctx, caller("U2"), "api"))
}
