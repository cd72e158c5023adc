package render

import (
	"encoding/json"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// PulseFormExtra travels in the pulse form's metadata: the user group it
// asks, when opened with /pulse @group.
type PulseFormExtra struct {
	Group  string `json:"g,omitempty"`
	Handle string `json:"h,omitempty"`
}

// PulseAnswerExtra travels in the answer form's metadata: the person's
// ticket. It lives in Slack, and in no table.
type PulseAnswerExtra struct {
	Token  string   `json:"t"`
	Shares []string `json:"s,omitempty"`
}

// RepeatOnce is the form's value for a pulse that does not repeat: the
// domain says so with an empty string, and Slack refuses an option whose
// value is empty.
const RepeatOnce = "once"

func repeatValue(r rituals.PulseRepeat) string {
	if r == rituals.RepeatNone {
		return RepeatOnce
	}
	return string(r)
}

func option(value, text string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(text), nil)
}

// staticSelect renders a select of options, with the one whose value is
// initial (or the first) chosen.
func staticSelect(initial string, opts ...*slack.OptionBlockObject) *slack.SelectBlockElement {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, ValueAction, opts...)
	el.InitialOption = opts[0]
	for _, o := range opts {
		if o.Value == initial {
			el.InitialOption = o
		}
	}
	return el
}

func inputBlock(field, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	var h *slack.TextBlockObject
	if hint != "" {
		h = plain(hint)
	}
	b := slack.NewInputBlock(field, plain(label), h, el)
	b.Optional = optional
	return b
}

// PulseModal renders the form that sends a pulse, filled with in. A user
// group to ask comes in in.Group, shown by its handle.
func PulseModal(meta ModalMeta, in rituals.PulseInput, handle string) slack.ModalViewRequest {
	if in.Group != "" {
		meta.Extra, _ = json.Marshal(PulseFormExtra{Group: in.Group, Handle: handle})
	}
	kind := staticSelect(string(in.Kind),
		option(string(rituals.PulseScale), "Scale 1–5"),
		option(string(rituals.PulseYesNo), "Yes or no"),
		option(string(rituals.PulseChoice), "Single choice from a list"),
		option(string(rituals.PulseText), "Free text"))
	audiences := []*slack.OptionBlockObject{option(string(rituals.AudienceChannel), "The members of this channel")}
	if in.Group != "" {
		if handle == "" {
			handle = in.Group
		}
		audiences = append(audiences, option(string(rituals.AudienceGroup), Clip("The user group "+handle, 75)))
	}
	audiences = append(audiences, option(string(rituals.AudiencePeople), "The people chosen below"))
	people := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, nil, ValueAction)
	people.InitialUsers = in.People

	anonymous := option("anonymous", "Anonymous: nobody, you included, sees who answered what")
	anon := slack.NewCheckboxGroupsBlockElement(ValueAction, anonymous)
	if in.Anonymous {
		anon.InitialOptions = []*slack.OptionBlockObject{anonymous}
	}
	threshold := in.Threshold
	if threshold == "" {
		threshold = strconv.Itoa(rituals.DefaultPulseThreshold)
	}
	openFor := in.OpenFor
	if openFor == "" {
		openFor = rituals.Duration(rituals.DefaultPulseOpenFor).String()
	}
	blocks := []slack.Block{
		textInput(rituals.FieldPulseQuestion, "Question", "", in.Question, true, false, rituals.MaxPulseQuestion),
		inputBlock(rituals.FieldPulseKind, "How people answer", "", kind, false),
		textInput(rituals.FieldPulseChoices, "Choices", "For a choice list: one option a line, 2 to 20. Longer than 5 is answered in a form.",
			in.Choices, true, true, maxInputLength),
		textInput(rituals.FieldPulseScale, "Scale labels", "For a scale: what 1 means, then what 5 means, one a line.",
			in.ScaleLabels, true, true, 2*rituals.MaxScaleLabel+1),
		inputBlock(rituals.FieldPulseAudience, "Who to ask", "Each gets a DM; bots and deactivated accounts are left out.",
			staticSelect(string(in.Audience), audiences...), false),
		inputBlock(rituals.FieldPulsePeople, "People", "When asking chosen people.", people, true),
		inputBlock(rituals.FieldPulseAnonymous, "Anonymity", "", anon, true),
		inputBlock(rituals.FieldPulseThreshold, "Anonymity threshold",
			"Results of any group show only when it has at least this many answers: 3 or more, fixed once sent.",
			slack.NewNumberInputBlockElement(nil, ValueAction, false).WithInitialValue(threshold), false),
		textInput(rituals.FieldPulseOpenFor, "Open for", "e.g. 2d, 1d 12h or 4h. One reminder goes 1d before it closes.",
			openFor, false, false, 20),
		inputBlock(rituals.FieldPulseRepeat, "Repeat", "", staticSelect(repeatValue(in.Repeat),
			option(RepeatOnce, "No, just once"),
			option(string(rituals.RepeatWeekly), "Weekly"),
			option(string(rituals.RepeatBiweekly), "Every 2 weeks"),
			option(string(rituals.RepeatMonthly), "Monthly")), false),
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackPulseNew,
		Title:           plain("Send a pulse"),
		Submit:          plain("Send"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// PulseAnswerModal renders the form that answers p in free text or from a
// long list, filled with the person's current answer.
func PulseAnswerModal(meta ModalMeta, p *rituals.Pulse, t rituals.PulseTicket, current string) slack.ModalViewRequest {
	meta.Extra, _ = json.Marshal(PulseAnswerExtra{Token: t.Token, Shares: t.Shares})
	var input slack.Block
	if p.Kind == rituals.PulseText {
		input = textInput(rituals.FieldPulseAnswer, "Your answer", "", current, true, false, rituals.MaxPulseAnswer)
	} else {
		var opts []*slack.OptionBlockObject
		for i := range p.Choices() {
			opts = append(opts, option(strconv.Itoa(i), Clip(p.ChoiceLabel(i), 75)))
		}
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, ValueAction, opts...)
		for i, c := range p.Choices() {
			if c == current {
				el.InitialOption = opts[i]
			}
		}
		input = inputBlock(rituals.FieldPulseAnswer, "Your answer", "", el, false)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackPulseAnswer,
		Title:           plain(Clip("Answer "+p.ID(), 24)),
		Submit:          plain("Save answer"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			Section("*" + Mrkdwn(p.Question) + "*"),
			ContextLine(pulsePromise(p) + " You can change your answer until the pulse closes."),
			input,
		}},
	}
}
