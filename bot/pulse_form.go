package bot

import (
	"encoding/json"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// readRepeat reads the repeat select's value: render.RepeatOnce is none.
func readRepeat(v string) rituals.PulseRepeat {
	if v == render.RepeatOnce {
		return rituals.RepeatNone
	}
	return rituals.PulseRepeat(v)
}

// readPulseModal reads a submitted pulse form; the group comes from its
// metadata.
func readPulseModal(state *slack.ViewState, meta render.ModalMeta) rituals.PulseInput {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	var extra render.PulseFormExtra
	if len(meta.Extra) > 0 {
		_ = json.Unmarshal(meta.Extra, &extra)
	}
	in := rituals.PulseInput{
		Question:    v(rituals.FieldPulseQuestion).Value,
		Kind:        rituals.PulseKind(v(rituals.FieldPulseKind).SelectedOption.Value),
		Choices:     v(rituals.FieldPulseChoices).Value,
		ScaleLabels: v(rituals.FieldPulseScale).Value,
		Audience:    rituals.PulseAudience(v(rituals.FieldPulseAudience).SelectedOption.Value),
		Group:       extra.Group,
		People:      v(rituals.FieldPulsePeople).SelectedUsers,
		Threshold:   v(rituals.FieldPulseThreshold).Value,
		OpenFor:     v(rituals.FieldPulseOpenFor).Value,
		Repeat:      readRepeat(v(rituals.FieldPulseRepeat).SelectedOption.Value),
	}
	for _, o := range v(rituals.FieldPulseAnonymous).SelectedOptions {
		in.Anonymous = in.Anonymous || o.Value == "anonymous"
	}
	return in
}

// readPulseAnswer reads a submitted answer form.
func readPulseAnswer(state *slack.ViewState) rituals.AnswerInput {
	if state == nil {
		return rituals.AnswerInput{Choice: -1}
	}
	a := state.Values[rituals.FieldPulseAnswer][render.ValueAction]
	choice, err := strconv.Atoi(a.SelectedOption.Value)
	if err != nil {
		choice = -1
	}
	return rituals.AnswerInput{Choice: choice, Text: a.Value}
}
