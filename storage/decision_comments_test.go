package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestDecisionComments stores a proposal's comments exactly, once per
// reply, oldest first, and reads them back for one decision and for the
// exports; a proposal is offered for its comment reminder until it is
// marked reminded for its decide-by date.
func TestDecisionComments(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newDecisions(t)
	d, err := svc.Record(ctx, caller("UANN", "CPUB", "ev-1"), rituals.DecisionInput{Title: "Pick a queue", Text: "SQS",
		Owner: "UANN", Status: rituals.StatusProposed, DecideBy: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	text := "Kafka, ‘really’ — replay matters.\n\n  Indented line\t"
	in := rituals.CommentInput{Channel: "CPUB", TS: "1700000001.000100", ThreadTS: "1700000000.000100", UserName: "Bob Ray", Text: text}
	if _, _, err := svc.Comment(ctx, caller("UBOB", "CPUB", "ev-2"), d.Number, in); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Comment(ctx, caller("UBOB", "CPUB", "ev-3"), d.Number, in); !errors.Is(err, rituals.ErrDuplicate) {
		t.Fatalf("the same reply again: err=%v, want ErrDuplicate", err)
	}
	*now = now.Add(time.Millisecond)
	long := strings.Repeat("x", rituals.MaxComment+1)
	if _, _, err := svc.Comment(ctx, caller("UEVE", "CPUB", "ev-4"), d.Number, rituals.CommentInput{Channel: "CPUB", TS: "1700000002.000100", Text: long}); err != nil {
		t.Fatal(err)
	}
	_, cs, err := svc.Comments(ctx, caller("UEVE", "CPUB", ""), d.Number)
	if err != nil {
		t.Fatal(err)
	}
	want := []rituals.Comment{
		{Team: "T1", Decision: 1, Channel: "CPUB", TS: in.TS, ThreadTS: in.ThreadTS, User: "UBOB", UserName: "Bob Ray", Text: text, At: now.Add(-time.Millisecond)},
		{Team: "T1", Decision: 1, Channel: "CPUB", TS: "1700000002.000100", User: "UEVE", Text: long[:rituals.MaxComment], Clipped: true, At: *now},
	}
	if diff := cmp.Diff(want, cs); diff != "" {
		t.Fatalf("comments (-want +got):\n%s", diff)
	}
	all, err := db.AllDecisionComments(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Fatalf("all comments (-want +got):\n%s", diff)
	}
	if none, err := db.AllDecisionComments(ctx, "T2"); err != nil || len(none) > 0 {
		t.Fatalf("another team's comments: %v, %v", none, err)
	}

	t.Run("EditedAndDeleted", func(t *testing.T) {
		edit := func(user, text string) error {
			return db.InDecisionTx(ctx, func(tx rituals.DecisionTx) error {
				return tx.EditDecisionComment(ctx, "T1", "CPUB", in.TS, user, text, false)
			})
		}
		if err := edit("UEVE", "not hers"); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("someone else's edit: err=%v, want ENOTFOUND", err)
		}
		must(edit("UBOB", "Kafka after all."))(t)
		if _, cs, _ := svc.Comments(ctx, caller("UBOB", "CPUB", ""), d.Number); cs[0].Text != "Kafka after all." || cs[0].At != want[0].At {
			t.Fatalf("after the edit %+v", cs[0])
		}
		del := func() error {
			return db.InDecisionTx(ctx, func(tx rituals.DecisionTx) error { return tx.DeleteDecisionComment(ctx, "T1", "CPUB", in.TS) })
		}
		must(del())(t)
		if err := del(); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("deleted twice: err=%v, want ENOTFOUND", err)
		}
		if _, cs, _ := svc.Comments(ctx, caller("UBOB", "CPUB", ""), d.Number); len(cs) != 1 {
			t.Fatalf("%d comments after the deletion, want 1", len(cs))
		}
	})
	t.Run("ProposalsToComment", func(t *testing.T) {
		// No area: it consults nobody.
		if ds, err := db.ProposalsToComment(ctx, "2026-11-20", "2026-12-31"); err != nil || len(ds) > 0 {
			t.Fatalf("proposals without an area: %v, %v", ds, err)
		}
		must(db.InRightsTx(ctx, func(tx rituals.RightsTx) error {
			return tx.SaveRight(ctx, &rituals.Right{Team: "T1", Area: "api", Owner: "UANN", Consulted: []string{"UBOB"}, UpdatedAt: *now})
		}))(t)
		p, err := svc.Record(ctx, caller("UANN", "CPUB", "ev-5"), rituals.DecisionInput{Title: "Pick a cache", Text: "Redis",
			Owner: "UANN", Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-11-30"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			from, to rituals.Date
			want     int
		}{{"2026-11-20", "2026-11-29", 0}, {"2026-11-30", "2026-11-30", 1}, {"2026-12-01", "2026-12-05", 0}} {
			if ds, err := db.ProposalsToComment(ctx, r.from, r.to); err != nil || len(ds) != r.want {
				t.Fatalf("from %s to %s: %d proposals (%v), want %d", r.from, r.to, len(ds), err, r.want)
			}
		}
		must(db.InDecisionReminderTx(ctx, func(tx rituals.DecisionReminderTx) error {
			return tx.MarkDecisionReminded(ctx, "T1", p.Number, rituals.ReminderComment, p.DecideBy)
		}))(t)
		if ds, err := db.ProposalsToComment(ctx, "2026-11-30", "2026-11-30"); err != nil || len(ds) > 0 {
			t.Fatalf("once reminded: %v, %v", ds, err)
		}
		err = db.InDecisionReminderTx(ctx, func(tx rituals.DecisionReminderTx) error {
			return tx.MarkDecisionReminded(ctx, "T1", p.Number, rituals.ReminderComment, p.DecideBy)
		})
		if !errors.Is(err, rituals.ErrDuplicate) {
			t.Fatalf("reminded twice: err=%v, want ErrDuplicate", err)
		}
	})
}

// must fails tb on err.
func must(err error) func(tb testing.TB) {
	return func(tb testing.TB) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
}
