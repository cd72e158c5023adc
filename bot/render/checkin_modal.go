package render

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// namesOwnParties reports whether a blocker line mentions who must act,
// as Slack escapes a mention.
func namesOwnParties(line string) bool {
	return strings.Contains(line, "<@") || strings.Contains(line, "<!subteam^") || strings.Contains(line, "<#")
}

// CheckinAnswerModal renders the three-part answer form, filled with an
// earlier answer if any.
func CheckinAnswerModal(meta ModalMeta, callback, channel string, prev *rituals.CheckinAnswer) slack.ModalViewRequest {
	var outcomes, blockers, decisions string
	var parties []string
	if prev != nil {
		outcomes, decisions = prev.Outcomes, strings.Join(prev.Decisions, "\n")
		var lines []string
		for _, l := range prev.Blockers {
			lines = append(lines, l.Text)
			if namesOwnParties(l.Text) {
				continue // its parties are in its text, not the picker
			}
			for _, p := range l.Parties {
				if p.Kind == rituals.PartyUser && !containsString(parties, p.ID) {
					parties = append(parties, p.ID)
				}
			}
		}
		blockers = strings.Join(lines, "\n")
	}
	title := "Weekly check-in"
	intro := "Your answer is posted in the check-in's thread under your name. Answering again replaces it."
	if callback == CallbackCheckinAhead {
		title = "Answer ahead"
		intro = "Your answer is kept and posted when this channel's next check-in opens."
	}
	who := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain("Choose people"), ValueAction)
	who.InitialUsers = parties
	whoBlock := slack.NewInputBlock(FieldCheckinParties, plain("Who must act on these blockers"), plain("Each blocker line that names nobody is reported to them; with nobody chosen, to this channel."), who)
	whoBlock.Optional = true
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callback, PrivateMetadata: meta.encode(),
		Title: plain(title), Submit: plain("Answer"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			ContextLine(intro),
			textInput(rituals.FieldOutcomes, "1. Last week's outcomes", "What shipped, what moved, what you learned.", outcomes, true, false, maxInputLength),
			textInput(rituals.FieldCheckinBlocker, "2. Blockers requiring cross-team action", "One a line. Each becomes a B- blocker reported by you. A line that mentions @people, an @group or a #channel goes to them.", blockers, true, true, maxInputLength),
			whoBlock,
			textInput(rituals.FieldCheckinDecide, "3. Decisions to be made", "One a line. Each becomes a proposed D- decision you own, due at the next check-in.", decisions, true, true, maxInputLength),
		}},
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
