package render

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// maxInputLength is the most a plain_text_input may hold.
const maxInputLength = 3000

// ModalMeta travels in a modal's private_metadata: where it was opened
// from, so the submission knows its channel and how to answer. Features
// put what else they need in Extra.
type ModalMeta struct {
	Channel  string `json:"c"`
	Number   int64  `json:"n,omitempty"` // the entry the modal is about
	ReplyURL string `json:"r,omitempty"`
	Source   string `json:"s,omitempty"` // permalink of the message it came from
	// KeepText is set when the decision is too long for a form field: the
	// edit form leaves it out and the submission keeps it unchanged.
	KeepText bool            `json:"k,omitempty"`
	Extra    json.RawMessage `json:"x,omitempty"`
	// Home is set for a form opened from App Home, which has no channel:
	// the form asks for one (channelPicker).
	Home bool `json:"h,omitempty"`
}

func (m ModalMeta) encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// DecodeModalMeta reads a submitted modal's private_metadata.
func DecodeModalMeta(s string) (ModalMeta, error) {
	var m ModalMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, fmt.Errorf("modal metadata: %w", err)
	}
	return m, nil
}

// textInput renders a text field of at most limit characters, filled with
// initial. Slack refuses a field filled with more than 3,000 characters,
// so callers hand longer text over some other way (DecisionModal); a
// prefill longer than limit (a typed question over the domain's limit) is
// shown whole, so the person can shorten it, and the domain names the
// limit when the form is sent.
func textInput(field, label, hint, initial string, multiline, optional bool, limit int) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(nil, ValueAction)
	el.Multiline = multiline
	initial = Clip(initial, maxInputLength)
	el.MaxLength = min(max(limit, utf8.RuneCountInString(initial)), maxInputLength)
	el.InitialValue = initial
	var h *slack.TextBlockObject
	if hint != "" {
		h = plain(hint)
	}
	b := slack.NewInputBlock(field, plain(label), h, el)
	b.Optional = optional
	return b
}

// channelPicker is the input a form opened from App Home starts with:
// where the entry goes. Forms opened in a channel need none.
func channelPicker(meta ModalMeta) []slack.Block {
	if !meta.Home {
		return nil
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, plain("Choose a channel"), ValueAction)
	sel.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	return []slack.Block{slack.NewInputBlock(FieldHomeChannel, plain("Channel"),
		plain("Where it is recorded and its card posted: a channel you are in."), sel)}
}
