package bot

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// readSessionItemModal reads a submitted item form. The values are what
// the person typed: Slack does not escape modal input.
func readSessionItemModal(state *slack.ViewState, kind rituals.ItemKind) rituals.ItemInput {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.ItemInput{
		Kind:       kind,
		Text:       v(rituals.FieldItemText).Value,
		Likelihood: rituals.RiskLevel(v(rituals.FieldItemLikelihood).SelectedOption.Value),
		Impact:     rituals.RiskLevel(v(rituals.FieldItemImpact).SelectedOption.Value),
		Owner:      v(rituals.FieldItemOwner).SelectedUser,
		Due:        rituals.Date(v(rituals.FieldItemDue).SelectedDate),
	}
	if tag := v(rituals.FieldItemTag).SelectedOption.Value; tag != "none" {
		in.Tag = rituals.RiskTag(tag)
	}
	for _, o := range v(rituals.FieldItemAnonymous).SelectedOptions {
		in.Anonymous = in.Anonymous || o.Value == "anonymous"
	}
	return in
}

// readSessionOwnerModal reads a submitted owner form.
func readSessionOwnerModal(state *slack.ViewState) rituals.OwnerInput {
	if state == nil {
		return rituals.OwnerInput{}
	}
	return rituals.OwnerInput{
		Owner: state.Values[rituals.FieldItemOwner][render.ValueAction].SelectedUser,
		Team:  state.Values[rituals.FieldItemTeam][render.ValueAction].SelectedConversation,
		Due:   rituals.Date(state.Values[rituals.FieldItemDue][render.ValueAction].SelectedDate),
	}
}
