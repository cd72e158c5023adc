package bot

import (
	"context"
	"slices"

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
		// A line that names its own parties goes to them; one that names
		// nobody, to the people picked for every line (or the channel).
		line := rituals.BlockerLine{Text: l, Parties: parseMentions(l)}
		if len(line.Parties) == 0 {
			line.Parties = slices.Clone(parties)
		}
		a.Blockers = append(a.Blockers, line)
	}
	return a
}

// resolveLineParties fills in the members of each user group an answer's
// blocker lines name, and checks the channels they name, so that the
// blockers the lines become at close tell them. Returns EINVALID on the
// form's blockers field otherwise.
func (b checkins) resolveLineParties(ctx context.Context, r *request, a *rituals.CheckinAnswer) error {
	for i := range a.Blockers {
		for j := range a.Blockers[i].Parties {
			p := &a.Blockers[i].Parties[j]
			var err error
			switch p.Kind {
			case rituals.PartyGroup:
				p.Members, err = b.dir.GroupMembers(ctx, r.team, p.ID)
				if err == nil && len(p.Members) == 0 {
					err = rituals.Errorf(rituals.EINVALID, "The user group %s has nobody in it, so nobody would be told. Name its people instead.", render.PartyMention(*p))
				}
			case rituals.PartyChannel:
				if p.ID != r.channel {
					err = blockers{b.Bot}.checkPostable(ctx, r, p, "which a blocker line names")
				}
			}
			if rituals.ErrorCode(err) == rituals.EINVALID {
				msg := rituals.ErrorMessage(err)
				return &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{rituals.FieldCheckinBlocker: msg}}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
