package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestDecisionsPublicOnly covers what the decision log's site reads:
// public channels only, filtered by area, owner and date range, a page at
// a time, with a count of the whole and the facets to filter by.
func TestDecisionsPublicOnly(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newDecisions(t)
	record := func(user, channel, area, title string) {
		t.Helper()
		in := rituals.QuickDecision(title)
		in.Area, in.OwnerName = area, "name-"+user
		if area != "" {
			admin := caller("UADM", channel, "")
			admin.Admin = true
			if _, err := (&rituals.Rights{Store: db, Now: fixedClock(now)}).Add(ctx, admin, rituals.Right{Area: area, Owner: user}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Record(ctx, caller(user, channel, ""), in); err != nil {
			t.Fatal(err)
		}
	}
	record("UANN", "CPUB", "infra", "Use Postgres for billing")  // D-1
	record("UBOB", "GPRIV", "infra", "Secret reorg plan")        // D-2, private
	record("UBOB", "COTHER", "", "Adopt weekly demos")           // D-3
	record("UANN", "CUNKNOWN", "", "Decided in an unseen place") // D-4, unknown channel: private
	record("UANN", "CPUB", "", "Retire the old wiki")            // D-5

	numbers := func(f rituals.DecisionFilter) []int64 {
		t.Helper()
		f.Team, f.PublicOnly = "T1", true
		ds, err := db.Decisions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, d := range ds {
			out = append(out, d.Number)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    rituals.DecisionFilter
		want []int64
	}{
		{"PrivateAndUnknownLeftOut", rituals.DecisionFilter{}, []int64{5, 3, 1}},
		{"Area", rituals.DecisionFilter{Area: "infra"}, []int64{1}},
		{"Owner", rituals.DecisionFilter{Owner: "UBOB"}, []int64{3}},
		{"Channel", rituals.DecisionFilter{Channel: "CPUB"}, []int64{5, 1}},
		{"UntilBeforeAll", rituals.DecisionFilter{Until: "2026-11-23"}, nil},
		{"SinceUntil", rituals.DecisionFilter{Since: "2026-11-24", Until: "2026-11-24"}, []int64{5, 3, 1}},
		{"Page", rituals.DecisionFilter{Limit: 1, Offset: 1}, []int64{3}},
		{"OffsetPastEnd", rituals.DecisionFilter{Limit: 10, Offset: 10}, nil},
		{"SearchPrivateLeftOut", rituals.DecisionFilter{Query: "secret"}, nil},
		{"SearchWithArea", rituals.DecisionFilter{Query: "postgres", Area: "infra"}, []int64{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, numbers(tc.f)); diff != "" {
				t.Fatalf("numbers (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Count", func(t *testing.T) {
		n, err := db.CountDecisions(ctx, rituals.DecisionFilter{Team: "T1", PublicOnly: true, Limit: 1, Offset: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, 3; got != want {
			t.Fatalf("count=%v, want %v", got, want)
		}
		n, err = db.CountDecisions(ctx, rituals.DecisionFilter{Team: "T1", PublicOnly: true, Query: "wiki"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, 1; got != want {
			t.Fatalf("search count=%v, want %v", got, want)
		}
	})
	t.Run("StampChangesWithTheLog", func(t *testing.T) {
		before, err := db.DecisionLogStamp(ctx, "T1")
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := db.DecisionLogStamp(ctx, "T1"); again != before {
			t.Fatalf("stamp moved with nothing changed: %s, then %s", before, again)
		}
		*now = now.Add(time.Minute)
		if _, err := svc.AddRationale(ctx, caller("UANN", "CPUB", ""), 5, "Nobody reads it."); err != nil {
			t.Fatal(err)
		}
		edited, _ := db.DecisionLogStamp(ctx, "T1")
		if edited == before {
			t.Fatal("stamp did not move with an edit")
		}
		*now = now.Add(time.Minute)
		if err := db.SaveChannel(ctx, rituals.Channel{Team: "T1", ID: "COTHER", Name: "random", Private: true}, *now); err != nil {
			t.Fatal(err)
		}
		if made, _ := db.DecisionLogStamp(ctx, "T1"); made == edited {
			t.Fatal("stamp did not move when a channel became private")
		}
		if err := db.SaveChannel(ctx, rituals.Channel{Team: "T1", ID: "COTHER", Name: "random"}, *now); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Facets", func(t *testing.T) {
		f, err := db.DecisionFacets(ctx, "T1")
		if err != nil {
			t.Fatal(err)
		}
		want := rituals.DecisionFacets{
			Channels: []rituals.Channel{{Team: "T1", ID: "CPUB", Name: "general"}, {Team: "T1", ID: "COTHER", Name: "random"}},
			Areas:    []string{"infra"},
			Owners:   []rituals.Person{{ID: "UANN", Name: "name-UANN"}, {ID: "UBOB", Name: "name-UBOB"}},
		}
		if diff := cmp.Diff(want, f); diff != "" {
			t.Fatalf("facets (-want +got):\n%s", diff)
		}
	})
}
