package bot

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

func TestReadBlockerModal(t *testing.T) {
	state := func(group string) *slack.ViewState {
		return &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			rituals.FieldBlockerText:    {render.ValueAction: {Value: "Blocked on <@U0ANN>"}},
			rituals.FieldParties:        {render.ValueAction: {SelectedUsers: []string{"U0BOB"}}},
			render.FieldBlockerGroup:    {render.ValueAction: {Value: group}},
			render.FieldBlockerChannels: {render.ValueAction: {SelectedConversations: []string{"C0DATA"}}},
			rituals.FieldImpact:         {render.ValueAction: {Value: "Launch slips"}},
			rituals.FieldNeededBy:       {render.ValueAction: {SelectedDate: "2026-12-01"}},
		}}
	}
	in, err := readBlockerModal(state(" S0DATA, <!subteam^S0OPS|@ops>"))
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
	for _, bad := range []string{"@data", "data-team", "s0data"} {
		_, err := readBlockerModal(state(bad))
		if msg := rituals.FieldErrors(err)[render.FieldBlockerGroup]; !strings.Contains(msg, "is not a user group ID") {
			t.Errorf("group %q: field error %q", bad, msg)
		}
	}
	if in, err := readBlockerModal(nil); err != nil || in.Text != "" || len(in.Parties) != 0 {
		t.Fatalf("nil state read as %+v, %v", in, err)
	}
}
