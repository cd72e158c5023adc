package rituals_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestReplyKind(t *testing.T) {
	for _, tc := range []struct {
		kind     rituals.SessionKind
		in       string
		want     rituals.ItemKind
		wantText string
	}{
		{rituals.SessionPremortem, "  well: anything is a failure mode here ", rituals.ItemFailure, "well: anything is a failure mode here"},
		{rituals.SessionRetro, "well: the canary caught it", rituals.ItemWell, "the canary caught it"},
		{rituals.SessionRetro, "Went well: pairing", rituals.ItemWell, "pairing"},
		{rituals.SessionRetro, "+ fast reviews", rituals.ItemWell, "fast reviews"},
		{rituals.SessionRetro, "didn't: support heard last", rituals.ItemDidnt, "support heard last"},
		{rituals.SessionRetro, "Didn’t: flaky tests", rituals.ItemDidnt, "flaky tests"},
		{rituals.SessionRetro, "- no rollback plan", rituals.ItemDidnt, "no rollback plan"},
		{rituals.SessionRetro, "change: page support on rollbacks", rituals.ItemChange, "page support on rollbacks"},
		{rituals.SessionRetro, "-> add a load test", rituals.ItemChange, "add a load test"},
		{rituals.SessionRetro, "The deploy took an hour", rituals.ItemDidnt, "The deploy took an hour"},
		{rituals.SessionRetro, "+1 to the above", rituals.ItemDidnt, "+1 to the above"},
		{rituals.SessionRetro, "-ish results", rituals.ItemDidnt, "-ish results"},
		{rituals.SessionRetro, "wellness week helped", rituals.ItemDidnt, "wellness week helped"},
	} {
		kind, text := tc.kind.ReplyKind(tc.in)
		if kind != tc.want || text != tc.wantText {
			t.Errorf("%s.ReplyKind(%q) = %s, %q; want %s, %q", tc.kind, tc.in, kind, text, tc.want, tc.wantText)
		}
	}
}

func TestSubstantive(t *testing.T) {
	for in, want := range map[string]bool{
		"+1": false, ":+1:": false, "!!": false, ":tada: :tada:": false, "": false,
		"agreed": true, "+1, and the rollback too": true, "遅延": true,
	} {
		if got := rituals.Substantive(in); got != want {
			t.Errorf("Substantive(%q)=%v, want %v", in, got, want)
		}
	}
}

func TestSessionInputCheck(t *testing.T) {
	today := rituals.Date("2026-11-24")
	for _, tc := range []struct {
		name    string
		in      rituals.SessionInput
		mention string
	}{
		{"ErrNoName", rituals.SessionInput{Kind: rituals.SessionPremortem, Name: "  "}, "Name the launch: `/premortem <launch>"},
		{"ErrNoRetroName", rituals.SessionInput{Kind: rituals.SessionRetro}, "Name what the retro looks back on"},
		{"ErrLongName", rituals.SessionInput{Kind: rituals.SessionRetro, Name: strings.Repeat("x", 151)}, "keep it under 150"},
		{"ErrShortWindow", rituals.SessionInput{Kind: rituals.SessionRetro, Name: "x", CloseIn: time.Minute}, "A pre-mortem or retro stays open from 1h to 30d; 1m is too short."},
		{"ErrRetroLaunch", rituals.SessionInput{Kind: rituals.SessionRetro, Name: "x", LaunchOn: today}, "A retro has no launch date"},
		{"ErrPastLaunch", rituals.SessionInput{Kind: rituals.SessionPremortem, Name: "x", LaunchOn: "2026-11-23"}, "is in the past"},
		{"LaunchToday", rituals.SessionInput{Kind: rituals.SessionPremortem, Name: "x", LaunchOn: today}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Check(today)
			if tc.mention == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
				t.Fatalf("err=%v, want EINVALID mentioning %q", err, tc.mention)
			}
		})
	}
}

func TestRanked(t *testing.T) {
	numbers := func(items []*rituals.Item) []int64 {
		var out []int64
		for _, it := range items {
			out = append(out, it.Number)
		}
		return out
	}
	s := &rituals.Session{Kind: rituals.SessionPremortem, Items: []*rituals.Item{
		{Number: 1, Kind: rituals.ItemFailure, Votes: 1, Likelihood: "low", Impact: "low"},
		{Number: 2, Kind: rituals.ItemAssumption, Votes: 1, Likelihood: "high", Impact: "medium"},
		{Number: 3, Kind: rituals.ItemFailure, Votes: 2},
		{Number: 4, Kind: rituals.ItemFailure, Votes: 1, Likelihood: "medium", Impact: "high"},
		{Number: 5, Kind: rituals.ItemFailure, Votes: 1, Likelihood: "high", Impact: "medium"},
	}}
	if got, want := numbers(s.Ranked()), []int64{3, 2, 4, 5, 1}; !slices.Equal(got, want) {
		t.Fatalf("ranked %v, want %v: votes first, then likelihood × impact, then first added", got, want)
	}
	retro := &rituals.Session{Kind: rituals.SessionRetro, Items: []*rituals.Item{
		{Number: 1, Kind: rituals.ItemChange, Votes: 5},
		{Number: 2, Kind: rituals.ItemDidnt, Votes: 1},
		{Number: 3, Kind: rituals.ItemWell},
		{Number: 4, Kind: rituals.ItemDidnt, Votes: 3},
	}}
	if got, want := numbers(retro.Ranked()), []int64{3, 4, 2, 1}; !slices.Equal(got, want) {
		t.Fatalf("ranked %v, want %v: prompts in order, votes within each", got, want)
	}
}
