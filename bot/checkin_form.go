package bot

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// readCheckinAnswer reads a submitted answer form.
func readCheckinAnswer(state *slack.ViewState) rituals.CheckinAnswer {
	if state == nil {
		return rituals.CheckinAnswer{}
	}
	v := func(field string) slack.BlockAction { return state.Values[field][render.ValueAction] }
	var parties []rituals.Party
	for _, u := range v(render.FieldCheckinParties).SelectedUsers {
		parties = append(parties, rituals.Party{Kind: rituals.PartyUser, ID: u})
	}
	a := rituals.CheckinAnswer{Outcomes: v(rituals.FieldOutcomes).Value, Decisions: rituals.Lines(v(rituals.FieldCheckinDecide).Value)}
	for _, l := range rituals.Lines(v(rituals.FieldCheckinBlocker).Value) {
		a.Blockers = append(a.Blockers, rituals.BlockerLine{Text: l, Parties: parties})
	}
	return a
}
