package bot

import (
	"testing"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

func TestReadPulseModal(t *testing.T) {
	state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		rituals.FieldPulseQuestion:  {render.ValueAction: {Value: "Q?"}},
		rituals.FieldPulseKind:      {render.ValueAction: {SelectedOption: slack.OptionBlockObject{Value: "choice"}}},
		rituals.FieldPulseChoices:   {render.ValueAction: {Value: "a\nb"}},
		rituals.FieldPulseAudience:  {render.ValueAction: {SelectedOption: slack.OptionBlockObject{Value: "group"}}},
		rituals.FieldPulseAnonymous: {render.ValueAction: {SelectedOptions: []slack.OptionBlockObject{{Value: "anonymous"}}}},
		rituals.FieldPulseThreshold: {render.ValueAction: {Value: "4"}},
		rituals.FieldPulseOpenFor:   {render.ValueAction: {Value: "2d"}},
		rituals.FieldPulseRepeat:    {render.ValueAction: {SelectedOption: slack.OptionBlockObject{Value: "weekly"}}},
	}}
	meta := render.PulseModal(render.ModalMeta{}, rituals.PulseInput{Group: "S0ENG"}, "").PrivateMetadata
	m, _ := render.DecodeModalMeta(meta)
	in := readPulseModal(state, m)
	if in.Question != "Q?" || in.Kind != rituals.PulseChoice || in.Choices != "a\nb" || in.Audience != rituals.AudienceGroup ||
		in.Group != "S0ENG" || !in.Anonymous || in.Threshold != "4" || in.OpenFor != "2d" || in.Repeat != rituals.RepeatWeekly {
		t.Fatalf("read %+v", in)
	}
}
