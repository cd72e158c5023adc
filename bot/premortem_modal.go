package bot

import (
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Callback IDs of the pre-mortem and retro modals.
const (
	callbackSessionItem  = "session.item"
	callbackSessionOwner = "session.owner"
)

// sessionModalExtra travels in the modals' metadata: the kind of item
// being added, or the item being given an owner.
type sessionModalExtra struct {
	Kind rituals.ItemKind `json:"k,omitempty"`
	Item int64            `json:"i,omitempty"`
}

func readSessionExtra(meta modalMeta) sessionModalExtra {
	var x sessionModalExtra
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

// sessionItemModal renders the form that adds an item of kind to s: a
// risk's text, likelihood, impact, tag and anonymity; a retro item's text;
// a change's optional owner and due date.
func sessionItemModal(meta modalMeta, s *rituals.Session, kind rituals.ItemKind) slack.ModalViewRequest {
	meta.Number = s.Number
	meta.Extra, _ = json.Marshal(sessionModalExtra{Kind: kind})
	intro := premortemPrompt(s.Name)
	if s.Kind == rituals.SessionRetro {
		intro = fmt.Sprintf("*Retro: %s.* Blameless: about what happened and how we work, not who.", mrkdwn(s.Name))
	}
	blocks := []slack.Block{
		section(clip(intro, maxSectionText)),
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
				slack.NewCheckboxGroupsBlockElement(valueAction, anonymous), true))
	case rituals.ItemChange:
		owner := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, valueAction)
		blocks = append(blocks,
			inputBlock(rituals.FieldItemOwner, "Owner", "Who makes the change. With a due date, it is an action item: they are reminded that day.", owner, true),
			inputBlock(rituals.FieldItemDue, "Due", "", slack.NewDatePickerBlockElement(valueAction), true))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackSessionItem,
		Title:           plain(clip(kind.Label(), 24)),
		Submit:          plain("Add"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// readSessionItemModal reads a submitted item form. The values are what
// the person typed: Slack does not escape modal input.
func readSessionItemModal(state *slack.ViewState, kind rituals.ItemKind) rituals.ItemInput {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][valueAction]
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

// sessionOwnerModal renders the form behind Assign owner: who owns the
// item's action, and the day it is due.
func sessionOwnerModal(meta modalMeta, it *rituals.Item) slack.ModalViewRequest {
	meta.Number = it.Session
	meta.Extra, _ = json.Marshal(sessionModalExtra{Item: it.Number})
	owner := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, valueAction)
	owner.InitialUser = it.Owner
	due := slack.NewDatePickerBlockElement(valueAction)
	due.InitialDate = string(it.Due)
	what := "mitigates this risk"
	if it.Kind == rituals.ItemChange {
		what = "makes this change"
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackSessionOwner,
		Title:           plain(clip("Owner of "+it.Ref(), 24)),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: append(sections(fmt.Sprintf("%s #%d", it.Kind.Label(), it.Number), mrkdwn(it.Text)),
			inputBlock(rituals.FieldItemOwner, "Owner", "Who "+what+". They are told now, and reminded by DM on the due day.", owner, false),
			inputBlock(rituals.FieldItemDue, "Due", "", due, false),
		)},
	}
}

// readSessionOwnerModal reads a submitted owner form.
func readSessionOwnerModal(state *slack.ViewState) rituals.OwnerInput {
	if state == nil {
		return rituals.OwnerInput{}
	}
	return rituals.OwnerInput{
		Owner: state.Values[rituals.FieldItemOwner][valueAction].SelectedUser,
		Due:   rituals.Date(state.Values[rituals.FieldItemDue][valueAction].SelectedDate),
	}
}
