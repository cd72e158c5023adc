package bot

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// readDecisionModal reads a submitted decision form. The values are what
// the person typed: Slack does not escape modal input.
func readDecisionModal(state *slack.ViewState) rituals.DecisionInput {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.DecisionInput{
		Title:     v(rituals.FieldTitle).Value,
		Text:      v(rituals.FieldText).Value,
		Rationale: v(rituals.FieldRationale).Value,
		Impact:    v(rituals.FieldImpact).Value,
		Status:    rituals.DecisionStatus(v(rituals.FieldStatus).SelectedOption.Value),
		DecideBy:  rituals.Date(v(rituals.FieldDecideBy).SelectedDate),
		RevisitBy: rituals.Date(v(rituals.FieldRevisitBy).SelectedDate),
		Links:     rituals.ParseLinks(v(rituals.FieldLinks).Value),
	}
	if state != nil {
		in.Area = state.Values[rituals.FieldArea][render.ActionDecisionArea].SelectedOption.Value
		for block, actions := range state.Values {
			if block == rituals.FieldOwner || strings.HasPrefix(block, rituals.FieldOwner+".") {
				in.Owner = actions[render.ValueAction].SelectedUser
			}
		}
		// A team's channel, when chosen, owns it instead of the person.
		if team := state.Values[rituals.FieldOwnerTeam][render.ValueAction].SelectedConversation; team != "" {
			in.Owner = team
		}
	}
	return in
}
