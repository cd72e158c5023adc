package bot

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

func TestReadBlockerModal(t *testing.T) {
	state := func(groups ...string) *slack.ViewState {
		var picked []slack.OptionBlockObject
		for _, g := range groups {
			picked = append(picked, slack.OptionBlockObject{Value: g, Text: &slack.TextBlockObject{Type: "plain_text", Text: g}})
		}
		return &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			rituals.FieldBlockerText:    {render.ValueAction: {Value: "Blocked on <@U0ANN>"}},
			rituals.FieldParties:        {render.ValueAction: {SelectedUsers: []string{"U0BOB"}}},
			render.FieldBlockerGroup:    {render.ValueAction: {SelectedOptions: picked}},
			render.FieldBlockerChannels: {render.ValueAction: {SelectedConversations: []string{"C0DATA"}}},
			rituals.FieldImpact:         {render.ValueAction: {Value: "Launch slips"}},
			rituals.FieldNeededBy:       {render.ValueAction: {SelectedDate: "2026-12-01"}},
		}}
	}
	in, err := readBlockerModal(state("S0DATA", "S0OPS|@ops"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range in.Parties {
		ids = append(ids, string(p.Kind)+":"+p.ID+":"+p.Name)
	}
	if got, want := strings.Join(ids, " "), "user:U0BOB: group:S0DATA: group:S0OPS:@ops channel:C0DATA: user:U0ANN:"; got != want {
		t.Fatalf("parties %q, want %q", got, want)
	}
	if in.Text != "Blocked on <@U0ANN>" || in.Impact != "Launch slips" || in.NeededBy != "2026-12-01" {
		t.Fatalf("read %+v", in)
	}
	for _, bad := range []string{"@data", "data-team", "s0data", "", strings.Repeat("S", 500)} {
		_, err := readBlockerModal(state("S0OPS|@ops", bad))
		if msg := rituals.FieldErrors(err)[render.FieldBlockerGroup]; !strings.Contains(msg, "is not a user group") {
			t.Errorf("group %q: field error %q", bad, msg)
		}
	}
	if in, err := readBlockerModal(nil); err != nil || in.Text != "" || len(in.Parties) != 0 {
		t.Fatalf("nil state read as %+v, %v", in, err)
	}
}

func TestMatchGroups(t *testing.T) {
	gs := []slackapi.Group{
		{ID: "S1", Handle: "data-eng", Name: "Data engineering"},
		{ID: "S2", Handle: "platform", Name: "Platform team"},
		{ID: "S3", Handle: "bigdata", Name: "Big data"},
	}
	for query, want := range map[string]string{
		"":        "S1 S2 S3",
		"data":    "S1 S3",
		"@DATA":   "S1 S3",
		"big":     "S3",
		"team":    "S2",
		"nothing": "",
	} {
		var ids []string
		for _, g := range matchGroups(gs, query) {
			ids = append(ids, g.ID)
		}
		if got := strings.Join(ids, " "); got != want {
			t.Errorf("%q matched %q, want %q", query, got, want)
		}
	}
	if got := matchGroups(nil, "x"); len(got) != 0 {
		t.Fatalf("no groups matched %v", got)
	}
}
