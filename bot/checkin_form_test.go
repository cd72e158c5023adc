package bot

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// TestReadCheckinAnswerLineParties shows each blocker line naming its own
// parties, as /blocker text does, and a line that names nobody going to
// the people picked for the form (or, with nobody picked, to none: the
// check-in's close names the channel).
func TestReadCheckinAnswerLineParties(t *testing.T) {
	bob := rituals.Party{Kind: rituals.PartyUser, ID: "U0BOB"}
	for _, tc := range []struct {
		name   string
		lines  string
		picked []string
		want   [][]rituals.Party
	}{
		{"NobodyNamed", "Waiting on DNS", nil, [][]rituals.Party{nil}},
		{"Picked", "Waiting on DNS", []string{"U0BOB"}, [][]rituals.Party{{bob}}},
		{"GroupInLine", "Need a slot from <!subteam^S0SRE|@sre>\nWaiting on DNS", []string{"U0BOB"},
			[][]rituals.Party{{{Kind: rituals.PartyGroup, ID: "S0SRE", Name: "@sre"}}, {bob}}},
		{"ChannelAndPersonInLine", "- Schema from <#C0DATA|data> and <@U0EVE>", []string{"U0BOB"},
			[][]rituals.Party{{{Kind: rituals.PartyChannel, ID: "C0DATA", Name: "data"}, {Kind: rituals.PartyUser, ID: "U0EVE"}}}},
		{"UnescapedIsText", "Waiting on @sre in #data", nil, [][]rituals.Party{nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := readCheckinAnswer(&slack.ViewState{Values: map[string]map[string]slack.BlockAction{
				rituals.FieldOutcomes:       {render.ValueAction: {Value: "Shipped"}},
				rituals.FieldCheckinBlocker: {render.ValueAction: {Value: tc.lines}},
				render.FieldCheckinParties:  {render.ValueAction: {SelectedUsers: tc.picked}},
			}})
			var got [][]rituals.Party
			for _, l := range a.Blockers {
				got = append(got, l.Parties)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("parties by line (-want +got):\n%s", diff)
			}
		})
	}
}
