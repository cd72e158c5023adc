package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// Search reads every field by word prefixes and leaves stop words out, as
// PostgreSQL's english configuration does, so both backends find the
// same decisions.
func TestDecisionSearch(t *testing.T) {
	ctx := context.Background()
	svc, _, db := newDecisions(t)
	for i, in := range []rituals.DecisionInput{
		{Title: "Use semver for public APIs", Text: "Public APIs follow semver.", Status: rituals.StatusDecided},
		{Title: "Adopt semantic versioning for services", Text: "Services carry a version.", Status: rituals.StatusDecided},
		{Title: "Hire a designer", Text: "One designer for the platform team.", Rationale: "Public pages need care.", Status: rituals.StatusDecided},
	} {
		if _, err := svc.Record(ctx, caller("UANN", "CPUB", fmt.Sprintf("env-%d", i)), in); err != nil {
			t.Fatal(err)
		}
	}
	search := func(f rituals.DecisionFilter) []string {
		t.Helper()
		f.Team, f.ViewerChannel = "T1", "CPUB"
		ds, err := db.Decisions(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.ID())
		}
		slices.Sort(ids)
		return ids
	}
	for _, tc := range []struct {
		name string
		f    rituals.DecisionFilter
		want []string
	}{
		{"PrefixInAnyField", rituals.DecisionFilter{Query: "sem"}, []string{"D-1", "D-2"}},
		{"EveryWord", rituals.DecisionFilter{Query: "public semver"}, []string{"D-1"}},
		{"StopWordsLeftOut", rituals.DecisionFilter{Query: "versioning for", AnyWord: true}, []string{"D-2"}},
		{"RationaleCounts", rituals.DecisionFilter{Query: "public", AnyWord: true}, []string{"D-1", "D-3"}},
		{"Numbers", rituals.DecisionFilter{Numbers: []int64{1, 3, 9}}, []string{"D-1", "D-3"}},
		{"NumbersAndQuery", rituals.DecisionFilter{Query: "public", AnyWord: true, Numbers: []int64{2, 3}}, []string{"D-3"}},
		{"NoNumbers", rituals.DecisionFilter{Numbers: []int64{}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := search(tc.f); !slices.Equal(got, tc.want) {
				t.Fatalf("%q: %v, want %v", tc.f.Query, got, tc.want)
			}
		})
	}
}
