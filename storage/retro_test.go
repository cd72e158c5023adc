package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestRetroActionItems(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newSessions(t)
	_, err := svc.Open(ctx, caller("UANN", "CPUB", ""), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Checkout v2"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(user string, in rituals.ItemInput) *rituals.Item {
		t.Helper()
		_, it, err := svc.AddItem(ctx, caller(user, "CPUB", ""), 1, in)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	well := add("UBOB", rituals.ItemInput{Text: "well: the canary caught the bug"})
	if well.Kind != rituals.ItemWell || well.Text != "the canary caught the bug" {
		t.Fatalf("reply became %+v", well)
	}
	owned := add("UBOB", rituals.ItemInput{Kind: rituals.ItemChange, Text: "Add a load test", Owner: "UBOB", OwnerZone: rituals.StoredZone("America/New_York"), Due: "2026-11-26"})
	loose := add("UCAT", rituals.ItemInput{Text: "change: write the runbook"})
	drain(t, db, *now)

	t.Run("OpenActionsAreTheChanges", func(t *testing.T) {
		items, err := svc.OpenActions(ctx, "T1", "CPUB")
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, it := range items {
			got = append(got, it.Number)
		}
		if want := []int64{owned.Number, loose.Number}; !slices.Equal(got, want) {
			t.Fatalf("open actions %v, want %v", got, want)
		}
		if items[0].Owner != "UBOB" || items[0].Due != "2026-11-26" || items[0].SessionName != "Checkout v2" {
			t.Fatalf("stored %+v", items[0])
		}
	})
	t.Run("ErrAssignByOthers", func(t *testing.T) {
		_, err := svc.AssignOwner(ctx, caller("UEVE", "CPUB", ""), 1, loose.Number, rituals.OwnerInput{Owner: "UEVE", Due: "2026-11-30"})
		if rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("err=%v, want EFORBIDDEN", err)
		}
		_, err = svc.AssignOwner(ctx, caller("UANN", "CPUB", ""), 1, loose.Number, rituals.OwnerInput{Owner: "UEVE", Due: "2026-11-01"})
		if rituals.FieldErrors(err)[rituals.FieldItemDue] == "" {
			t.Fatalf("err=%v, want a due-date field error", err)
		}
	})
	if _, err := svc.AssignOwner(ctx, caller("UANN", "CPUB", ""), 1, loose.Number, rituals.OwnerInput{Owner: "UEVE", OwnerZone: rituals.StoredZone("UTC"), Due: "2026-11-30"}); err != nil {
		t.Fatal(err)
	}
	if got := describe(drain(t, db, *now)); !slices.Equal(got, []string{"notice>UEVE", "session.item.update>CPUB"}) {
		t.Fatalf("outbox %v", got)
	}

	t.Run("RemindedOnTheDueDayInTheOwnersZoneOnce", func(t *testing.T) {
		*now = time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC) // still the 25th in New York
		if err := svc.Due(ctx, *now); err != nil {
			t.Fatal(err)
		}
		if items := drain(t, db, *now); len(items) != 0 {
			t.Fatalf("reminded before the due day: %v", describe(items))
		}
		*now = time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC) // the 26th in New York
		for range 2 {
			if err := svc.Due(ctx, *now); err != nil {
				t.Fatal(err)
			}
		}
		items := drain(t, db, *now)
		if len(items) != 1 || items[0].Kind != rituals.KindSessionReminder || items[0].User != "UBOB" || !items[0].Reminder {
			t.Fatalf("outbox %v, want one reminder to UBOB", describe(items))
		}
	})
	t.Run("DoneIsNoLongerOpenNorReminded", func(t *testing.T) {
		if _, err := svc.Finish(ctx, caller("UEVE", "CPUB", ""), 1, loose.Number); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Finish(ctx, caller("UEVE", "CPUB", ""), 1, loose.Number); rituals.ErrorCode(err) != rituals.ECONFLICT {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
		*now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		drain(t, db, *now)
		if err := svc.Due(ctx, *now); err != nil {
			t.Fatal(err)
		}
		for _, it := range drain(t, db, *now) {
			if it.Kind == rituals.KindSessionReminder {
				t.Fatal("a done item was reminded")
			}
		}
		items, _ := svc.OpenActions(ctx, "T1", "CPUB")
		if len(items) != 1 || items[0].Number != owned.Number {
			t.Fatalf("%d open actions, want only the owned one", len(items))
		}
	})
}

func TestTopRisksForTheDigest(t *testing.T) {
	ctx := context.Background()
	svc, now, _ := newSessions(t)
	openPremortem(t, svc, "CPUB", "", "")
	openPremortem(t, svc, "GPRIV", "", "")
	a := addRisk(t, svc, caller("UANN", "CPUB", ""), 1, rituals.ItemInput{Text: "A", Likelihood: "low", Impact: "low"})
	b := addRisk(t, svc, caller("UANN", "CPUB", ""), 1, rituals.ItemInput{Text: "B", Likelihood: "high", Impact: "medium"})
	addRisk(t, svc, caller("UANN", "GPRIV", ""), 2, rituals.ItemInput{Text: "Secret", Likelihood: "high", Impact: "high"})
	if _, _, err := svc.Vote(ctx, caller("UBOB", "CPUB", ""), 1, a.Number); err != nil {
		t.Fatal(err)
	}
	top, err := svc.TopRisks(ctx, "T1", "CPUB", now.Add(-time.Hour), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top[0].Text != a.Text || top[1].Text != b.Text {
		t.Fatalf("top risks %v, want A (voted), then B, and nothing from the private channel", top)
	}
}
