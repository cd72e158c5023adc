package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// DecisionModal renders the form that records a decision, edits decision
// meta.Number, or (with meta.Extra "supersede") supersedes it, filled with
// in. areas, when any, offer an area select.
func DecisionModal(meta ModalMeta, in rituals.DecisionInput, areas []*rituals.Right) slack.ModalViewRequest {
	title, submit, callback := "Record a decision", "Record", CallbackDecisionNew
	switch {
	case meta.Number > 0 && string(meta.Extra) == `"supersede"`:
		title, submit = "Supersede "+rituals.FormatID("D", meta.Number), "Supersede"
	case meta.Number > 0:
		title, submit, callback = "Edit "+rituals.FormatID("D", meta.Number), "Save", CallbackDecisionEdit
	}
	blocks := append(channelPicker(meta),
		textInput(rituals.FieldTitle, "Title", "", in.Title, false, false, rituals.MaxTitle),
	)
	// A decision may be longer than a form field holds (Slack refuses
	// the form otherwise). Editing one leaves its text as it is; a new
	// one from a long message starts with as much as fits, and says so.
	long := utf8.RuneCountInString(in.Text) > maxInputLength
	if long && callback == CallbackDecisionEdit {
		meta.KeepText = true
	}
	switch {
	case meta.KeepText:
		blocks = append(blocks, ContextLine(fmt.Sprintf(
			"The decision itself is %d characters long, more than a form field holds, so it stays as it is.",
			utf8.RuneCountInString(in.Text))))
	case long:
		note := fmt.Sprintf("The text is %d characters long; a form field holds %d, so the decision starts with the first of them.",
			utf8.RuneCountInString(in.Text), maxInputLength)
		if meta.Source != "" {
			note += " The whole message stays linked as its source."
		}
		blocks = append(blocks,
			textInput(rituals.FieldText, "Decision", "What was decided, in a sentence or two.", Clip(in.Text, maxInputLength), true, false, maxInputLength),
			ContextLine(note))
	default:
		blocks = append(blocks, textInput(rituals.FieldText, "Decision", "What was decided, in a sentence or two.", in.Text, true, false, maxInputLength))
	}
	blocks = append(blocks,
		textInput(rituals.FieldRationale, "Rationale", "Why: the reasons and the trade-offs.", in.Rationale, true, true, rituals.MaxRationale),
		textInput(rituals.FieldImpact, "Impact", "Who must do what differently, and by when.", in.Impact, true, true, rituals.MaxImpact),
	)
	if len(areas) > 0 && callback == CallbackDecisionNew {
		var opts []*slack.OptionBlockObject
		var initial *slack.OptionBlockObject
		for _, a := range areas {
			o := slack.NewOptionBlockObject(a.Area, plain(Clip(a.Area, 75)), nil)
			opts = append(opts, o)
			if a.Area == in.Area {
				initial = o
			}
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("No area"), ActionDecisionArea, opts...)
		sel.InitialOption = initial
		area := slack.NewInputBlock(rituals.FieldArea, plain("Area"), plain("Its decision rights: the owner, who is consulted, which channels are informed."), sel)
		area.Optional, area.DispatchAction = true, true
		blocks = append(blocks, area)
	}
	owner := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, ValueAction)
	// The block ID carries the suggested owner: a new ID makes Slack show
	// the new suggestion instead of keeping the earlier choice.
	ownerBlock := slack.NewInputBlock(rituals.FieldOwner+"."+in.Owner, plain("Owner"), nil, owner)
	// Optional: a team chosen below owns it instead, and the domain says
	// "Choose an owner." when neither is.
	ownerBlock.Optional = true
	if team := rituals.IsTeamID(in.Owner); team || (in.Owner == "" && in.OwnerName != "") {
		// A team (or an imported owner's name) is no user to pick: left
		// empty, the owner stays.
		name := in.OwnerName
		if name == "" {
			name = "its team"
		}
		ownerBlock.Hint = plain(Clip("Owned by "+name+". Leave this empty to keep it so, or choose a person to hand it to.", 150))
	} else {
		owner.InitialUser = in.Owner
	}
	blocks = append(blocks, ownerBlock,
		inputBlock(rituals.FieldOwnerTeam, "Or a team", "A channel whose members own it together, instead of the person above.", teamSelect(in.Owner), true))

	decided := slack.NewOptionBlockObject(string(rituals.StatusDecided), plain("Decided"), nil)
	proposed := slack.NewOptionBlockObject(string(rituals.StatusProposed), plain("Proposed: to be decided by a date"), nil)
	status := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, ValueAction, decided, proposed)
	status.InitialOption = decided
	if in.Status == rituals.StatusProposed {
		status.InitialOption = proposed
	}
	blocks = append(blocks, slack.NewInputBlock(rituals.FieldStatus, plain("Status"), nil, status))

	date := slack.NewDatePickerBlockElement(ValueAction)
	date.InitialDate = string(in.DecideBy)
	decideBy := slack.NewInputBlock(rituals.FieldDecideBy, plain("Decide by"), plain("Required when the decision is proposed."), date)
	decideBy.Optional = true
	revisit := slack.NewDatePickerBlockElement(ValueAction)
	revisit.InitialDate = string(in.RevisitBy)
	revisitBy := slack.NewInputBlock(rituals.FieldRevisitBy, plain("Revisit by"), plain("When to look at it again; the owner is reminded that day."), revisit)
	revisitBy.Optional = true
	blocks = append(blocks, decideBy, revisitBy,
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

// RationaleModal renders the form behind Add rationale.
func RationaleModal(meta ModalMeta, current string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackDecisionRationale,
		Title:           plain(Clip("Rationale for "+rituals.FormatID("D", meta.Number), 24)),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			textInput(rituals.FieldRationale, "Rationale", "Why: the reasons and the trade-offs.", current, true, false, rituals.MaxRationale),
		}},
	}
}

// MarkDecidedModal asks for a proposal's final decision, saying how many
// comments its thread (thread, its permalink when known) holds.
func MarkDecidedModal(meta ModalMeta, text string, comments int, thread string) slack.ModalViewRequest {
	if utf8.RuneCountInString(text) > maxInputLength {
		text = ""
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackDecisionDecide, PrivateMetadata: meta.encode(),
		Title: plain("Decide " + rituals.FormatID("D", meta.Number)), Submit: plain("Mark decided"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			markDecidedComments(comments, thread),
			textInput(rituals.FieldText, "The decision", "What was decided, as it should read in the log.", text, true, false, maxInputLength),
		}},
	}
}

// teamSelect picks a team's channel to own something, showing owner when
// it is one.
func teamSelect(owner string) *slack.SelectBlockElement {
	team := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, nil, ValueAction)
	team.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	if rituals.IsChannelID(owner) {
		team.InitialConversation = owner
	}
	return team
}

// SendBackModal asks an area's Accountable owner why they send a
// proposal back; the proposer is told.
func SendBackModal(meta ModalMeta, d *rituals.Decision) slack.ModalViewRequest {
	what := fmt.Sprintf("*%s* “%s”", d.ID(), Mrkdwn(Clip(d.Title, 120)))
	if d.ChannelPrivate && meta.Channel != d.Channel {
		what = fmt.Sprintf("*%s* (in <#%s>)", d.ID(), d.Channel) // asked outside its private channel
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackDecisionSendBack, PrivateMetadata: meta.encode(),
		Title: plain("Send back " + d.ID()), Submit: plain("Send back"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			Section(fmt.Sprintf("Send back %s, proposed by %s? It is dropped, and they are told why.", what, Person(d.ProposedBy, ""))),
			textInput(rituals.FieldReason, "Why", "What would make it acceptable.", "", true, false, rituals.MaxRationale),
		}},
	}
}

// StatusModal confirms dropping a proposal or deprecating a decision; the
// op travels in meta.Extra.
func StatusModal(meta ModalMeta, d *rituals.Decision, op string) slack.ModalViewRequest {
	title, submit, text := "Drop "+d.ID(), "Drop it",
		fmt.Sprintf("Drop the proposal *%s* “%s”? It stays in the log, marked dropped, and its history is kept.", d.ID(), Mrkdwn(d.Title))
	if op == "deprecate" {
		title, submit, text = "Deprecate "+d.ID(), "Deprecate",
			fmt.Sprintf("Deprecate *%s* “%s”? It stays in the log, marked deprecated. To replace it with a new decision, use `/decide supersede %s <text>` instead.", d.ID(), Mrkdwn(d.Title), d.ID())
	}
	meta.Extra, _ = json.Marshal(op)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackDecisionStatus, PrivateMetadata: meta.encode(),
		Title: plain(title), Submit: plain(submit), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{Section(text)}},
	}
}

// DecisionInput returns a decision's fields as form input.
func DecisionInput(d *rituals.Decision) rituals.DecisionInput {
	return rituals.DecisionInput{
		Title: d.Title, Text: d.Text, Rationale: d.Rationale, Impact: d.Impact,
		Owner: d.Owner, OwnerName: d.OwnerName, Status: d.Status, DecideBy: d.DecideBy,
		RevisitBy: d.RevisitBy, Area: d.Area, Links: d.Links, Source: d.Source,
	}
}
