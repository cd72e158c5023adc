package render

import (
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// SessionExtra travels in the modals' metadata: the kind of item
// being added, or the item being given an owner.
type SessionExtra struct {
	Kind rituals.ItemKind `json:"k,omitempty"`
	Item int64            `json:"i,omitempty"`
}

// ReadSessionExtra reads what a session modal's metadata carries beyond
// meta: the item kind or the item; zero when it carries nothing.
func ReadSessionExtra(meta ModalMeta) SessionExtra {
	var x SessionExtra
	if len(meta.Extra) > 0 {
		_ = json.Unmarshal(meta.Extra, &x)
	}
	return x
}

// itemQuestion is the label of an item form's text, by kind.
var itemQuestion = map[rituals.ItemKind]string{
	rituals.ItemFailure:    "What went wrong?",
	rituals.ItemAssumption: "What are we assuming that may not hold?",
	rituals.ItemWell:       "What went well?",
	rituals.ItemDidnt:      "What didn't go well?",
	rituals.ItemChange:     "What will we change?",
}

// SessionItemModal renders the form that adds an item of kind to s: a
// risk's text, likelihood, impact, tag and anonymity; a retro item's text;
// a change's optional owner and due date.
func SessionItemModal(meta ModalMeta, s *rituals.Session, kind rituals.ItemKind) slack.ModalViewRequest {
	meta.Number = s.Number
	meta.Extra, _ = json.Marshal(SessionExtra{Kind: kind})
	intro := premortemPrompt(s.Name)
	if s.Kind == rituals.SessionRetro {
		intro = fmt.Sprintf("*Retro: %s.* Blameless: about what happened and how we work, not who.", Mrkdwn(s.Name))
	}
	blocks := []slack.Block{
		Section(Clip(intro, maxSectionText)),
		textInput(rituals.FieldItemText, itemQuestion[kind], "", "", true, false, rituals.MaxItemText),
	}
	levels := func() *slack.SelectBlockElement {
		return staticSelect(string(rituals.LevelMedium), option("low", "Low"), option("medium", "Medium"), option("high", "High"))
	}
	switch kind {
	case rituals.ItemFailure, rituals.ItemAssumption:
		anonymous := option("anonymous", "Add it anonymously: nobody, you included, can see who added it")
		blocks = append(blocks,
			inputBlock(rituals.FieldItemLikelihood, "Likelihood", "How likely is it to happen?", levels(), false),
			inputBlock(rituals.FieldItemImpact, "Impact", "How bad would it be?", levels(), false),
			inputBlock(rituals.FieldItemTag, "Tag", "A tiger is a real threat, a paper tiger an unfounded worry, an elephant what nobody says.",
				staticSelect("none", option("none", "No tag"), option(string(rituals.TagTiger), "Tiger: a real threat"),
					option(string(rituals.TagPaperTiger), "Paper tiger: an unfounded worry"),
					option(string(rituals.TagElephant), "Elephant: what nobody says")), false),
			inputBlock(rituals.FieldItemAnonymous, "Anonymity", "Only an elephant may be added anonymously.",
				slack.NewCheckboxGroupsBlockElement(ValueAction, anonymous), true))
	case rituals.ItemChange:
		owner := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, ValueAction)
		blocks = append(blocks,
			inputBlock(rituals.FieldItemOwner, "Owner", "Who makes the change. With a due date, it is an action item: they are reminded that day.", owner, true),
			inputBlock(rituals.FieldItemDue, "Due", "", slack.NewDatePickerBlockElement(ValueAction), true))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackSessionItem,
		Title:           plain(Clip(kind.Label(), 24)),
		Submit:          plain("Add"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// SessionOwnerModal renders the form behind Assign owner: who owns the
// item's action, and the day it is due.
func SessionOwnerModal(meta ModalMeta, it *rituals.Item) slack.ModalViewRequest {
	meta.Number = it.Session
	meta.Extra, _ = json.Marshal(SessionExtra{Item: it.Number})
	owner := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, ValueAction)
	team := teamSelect(it.Owner)
	if !rituals.IsTeamID(it.Owner) {
		owner.InitialUser = it.Owner
	}
	due := slack.NewDatePickerBlockElement(ValueAction)
	due.InitialDate = string(it.Due)
	what := "mitigates this risk"
	if it.Kind == rituals.ItemChange {
		what = "makes this change"
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackSessionOwner,
		Title:           plain(Clip("Owner of "+it.Ref(), 24)),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: append(sections(fmt.Sprintf("%s #%d", it.Kind.Label(), it.Number), Mrkdwn(it.Text)),
			inputBlock(rituals.FieldItemOwner, "Owner", "Who "+what+". They are told now, and reminded by DM on the due day.", owner, true),
			inputBlock(rituals.FieldItemTeam, "Or a team", "A channel whose members own it together instead: told there now, reminded there on the due day.", team, true),
			inputBlock(rituals.FieldItemDue, "Due", "", due, false),
		)},
	}
}
