package rituals_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestOwnerInputCheck pins what an action's owner needs: someone, and a
// due day not in the past; each missing piece named on its field.
func TestOwnerInputCheck(t *testing.T) {
	today := rituals.Date("2026-03-02")
	for _, tc := range []struct {
		name   string
		in     rituals.OwnerInput
		fields []string
	}{
		{"Valid", rituals.OwnerInput{Owner: "U1", Due: today}, nil},
		{"ErrNoOwner", rituals.OwnerInput{Due: today}, []string{rituals.FieldItemOwner}},
		{"ErrNoDue", rituals.OwnerInput{Owner: "U1"}, []string{rituals.FieldItemDue}},
		{"ErrDueInThePast", rituals.OwnerInput{Owner: "U1", Due: "2026-03-01"}, []string{rituals.FieldItemDue}},
		{"ErrBoth", rituals.OwnerInput{}, []string{rituals.FieldItemDue, rituals.FieldItemOwner}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Check(today)
			var fields []string
			for f := range rituals.FieldErrors(err) {
				fields = append(fields, f)
			}
			slices.Sort(fields)
			if diff := cmp.Diff(tc.fields, fields); diff != "" {
				t.Fatalf("fields in error (-want +got):\n%s", diff)
			}
			if err != nil && rituals.ErrorCode(err) != rituals.EINVALID {
				t.Fatalf("code %s, want EINVALID", rituals.ErrorCode(err))
			}
		})
	}
}

// TestRankRisks pins the ranking of risks: more votes first, then a
// higher likelihood × impact, then the older.
func TestRankRisks(t *testing.T) {
	risk := func(session, n int64, votes int, l, i rituals.RiskLevel) *rituals.Item {
		return &rituals.Item{Session: session, Number: n, Kind: rituals.ItemFailure, Votes: votes, Likelihood: l, Impact: i}
	}
	items := []*rituals.Item{
		risk(1, 1, 0, "", ""),
		risk(1, 2, 2, rituals.LevelLow, rituals.LevelLow),
		risk(1, 3, 2, rituals.LevelHigh, rituals.LevelMedium),
		risk(1, 4, 0, "", ""),
		risk(1, 5, 5, "", ""),
	}
	var got []int64
	for _, it := range rituals.RankRisks(items) {
		got = append(got, it.Number)
	}
	if diff := cmp.Diff([]int64{5, 3, 2, 1, 4}, got); diff != "" {
		t.Fatalf("ranked (-want +got):\n%s", diff)
	}
	if items[0].Number != 1 {
		t.Fatal("RankRisks reordered its input")
	}

	t.Run("AcrossSessionsOlderFirst", func(t *testing.T) {
		// Equal votes and score: the older session's risks come first,
		// whatever their numbers.
		ranked := rituals.RankRisks([]*rituals.Item{risk(2, 1, 1, "", ""), risk(1, 2, 1, "", ""), risk(1, 1, 1, "", "")})
		var got [][2]int64
		for _, it := range ranked {
			got = append(got, [2]int64{it.Session, it.Number})
		}
		if diff := cmp.Diff([][2]int64{{1, 1}, {1, 2}, {2, 1}}, got); diff != "" {
			t.Fatalf("ranked (-want +got):\n%s", diff)
		}
	})
}
