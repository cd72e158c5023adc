package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Callback IDs of the decision modals.
const (
	callbackDecisionNew       = "decision.new"
	callbackDecisionEdit      = "decision.edit"
	callbackDecisionRationale = "decision.rationale"
)

// decisionModal renders the form that records (n == 0) or edits decision
// n, filled with in.
func decisionModal(meta modalMeta, in rituals.DecisionInput) slack.ModalViewRequest {
	title, submit, callback := "Record a decision", "Record", callbackDecisionNew
	if meta.Number > 0 {
		title, submit, callback = "Edit "+rituals.FormatID("D", meta.Number), "Save", callbackDecisionEdit
	}
	blocks := []slack.Block{
		textInput(rituals.FieldTitle, "Title", "", in.Title, false, false, rituals.MaxTitle),
	}
	if meta.KeepText {
		blocks = append(blocks, contextLine(fmt.Sprintf(
			"The decision itself is %d characters long, more than a form field holds, so it stays as it is.",
			utf8.RuneCountInString(in.Text))))
	} else {
		blocks = append(blocks, textInput(rituals.FieldText, "Decision", "What was decided, in a sentence or two.", in.Text, true, false, maxInputLength))
	}
	blocks = append(blocks,
		textInput(rituals.FieldRationale, "Rationale", "Why: the reasons and the trade-offs.", in.Rationale, true, true, rituals.MaxRationale),
		textInput(rituals.FieldImpact, "Impact", "Who must do what differently, and by when.", in.Impact, true, true, rituals.MaxImpact),
	)
	owner := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, valueAction)
	owner.InitialUser = in.Owner
	blocks = append(blocks, slack.NewInputBlock(rituals.FieldOwner, plain("Owner"), nil, owner))

	decided := slack.NewOptionBlockObject(string(rituals.StatusDecided), plain("Decided"), nil)
	proposed := slack.NewOptionBlockObject(string(rituals.StatusProposed), plain("Proposed: to be decided by a date"), nil)
	status := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, valueAction, decided, proposed)
	status.InitialOption = decided
	if in.Status == rituals.StatusProposed {
		status.InitialOption = proposed
	}
	blocks = append(blocks, slack.NewInputBlock(rituals.FieldStatus, plain("Status"), nil, status))

	date := slack.NewDatePickerBlockElement(valueAction)
	date.InitialDate = string(in.DecideBy)
	decideBy := slack.NewInputBlock(rituals.FieldDecideBy, plain("Decide by"), plain("Required when the decision is proposed."), date)
	decideBy.Optional = true
	blocks = append(blocks, decideBy,
		textInput(rituals.FieldLinks, "Links", "Issue tracker, RFC: one URL a line.", strings.Join(in.Links, "\n"), true, true, maxInputLength),
	)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callback,
		Title:           plain(title),
		Submit:          plain(submit),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// rationaleModal renders the form behind Add rationale.
func rationaleModal(meta modalMeta, current string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackDecisionRationale,
		Title:           plain(clip("Rationale for "+rituals.FormatID("D", meta.Number), 24)),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			textInput(rituals.FieldRationale, "Rationale", "Why: the reasons and the trade-offs.", current, true, false, rituals.MaxRationale),
		}},
	}
}

// readDecisionModal reads a submitted decision form. The values are what
// the person typed: Slack does not escape modal input.
func readDecisionModal(state *slack.ViewState) rituals.DecisionInput {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][valueAction]
	}
	return rituals.DecisionInput{
		Title:     v(rituals.FieldTitle).Value,
		Text:      v(rituals.FieldText).Value,
		Rationale: v(rituals.FieldRationale).Value,
		Impact:    v(rituals.FieldImpact).Value,
		Owner:     v(rituals.FieldOwner).SelectedUser,
		Status:    rituals.DecisionStatus(v(rituals.FieldStatus).SelectedOption.Value),
		DecideBy:  rituals.Date(v(rituals.FieldDecideBy).SelectedDate),
		Links:     rituals.ParseLinks(v(rituals.FieldLinks).Value),
	}
}
