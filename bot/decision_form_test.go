package bot

import (
	"testing"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

func TestReadDecisionModal(t *testing.T) {
	state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		rituals.FieldTitle:     {render.ValueAction: {Value: "T"}},
		rituals.FieldText:      {render.ValueAction: {Value: "a < b"}},
		"owner.U0ANN":          {render.ValueAction: {SelectedUser: "U0BOB"}},
		rituals.FieldArea:      {render.ActionDecisionArea: {SelectedOption: slack.OptionBlockObject{Value: "api"}}},
		rituals.FieldStatus:    {render.ValueAction: {SelectedOption: slack.OptionBlockObject{Value: "proposed"}}},
		rituals.FieldDecideBy:  {render.ValueAction: {SelectedDate: "2026-12-01"}},
		rituals.FieldLinks:     {render.ValueAction: {Value: "https://a.test\n\n https://b.test "}},
		rituals.FieldRationale: {render.ValueAction: {Value: ""}},
	}}
	in := readDecisionModal(state)
	if in.Title != "T" || in.Text != "a < b" || in.Owner != "U0BOB" || in.Status != rituals.StatusProposed ||
		in.DecideBy != "2026-12-01" || len(in.Links) != 2 || in.Links[1] != "https://b.test" || in.Area != "api" {
		t.Fatalf("read %+v", in)
	}
	if got := readDecisionModal(nil); got.Title != "" {
		t.Fatalf("nil state read as %+v", got)
	}
}
