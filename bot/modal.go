package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// valueAction is the action_id of every input in alignbot's modals; the
// block_id names the field.
const valueAction = "value"

// maxInputLength is the most a plain_text_input may hold.
const maxInputLength = 3000

// modalMeta travels in a modal's private_metadata: where it was opened
// from, so the submission knows its channel and how to answer. Features
// put what else they need in Extra.
type modalMeta struct {
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

func (m modalMeta) encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

func decodeModalMeta(s string) (modalMeta, error) {
	var m modalMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, fmt.Errorf("modal metadata: %w", err)
	}
	return m, nil
}

// textInput renders a text field of at most limit characters, filled with
// initial. Slack refuses a field filled with more than 3,000 characters,
// so callers hand longer text over some other way (decisionModal); a
// prefill longer than limit (a typed question over the domain's limit) is
// shown whole, so the person can shorten it, and the domain names the
// limit when the form is sent.
func textInput(field, label, hint, initial string, multiline, optional bool, limit int) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(nil, valueAction)
	el.Multiline = multiline
	initial = clip(initial, maxInputLength)
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

// fieldErrors maps a rituals error onto the view's input blocks. A field
// without an input block in this view shows on the first one, so the
// person always sees why the form did not close.
func fieldErrors(err error, view *slack.View) map[string]string {
	inputs := map[string]bool{}
	first := ""
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			inputs[in.BlockID] = true
			if first == "" {
				first = in.BlockID
			}
		}
	}
	out := map[string]string{}
	fields := rituals.FieldErrors(err)
	if len(fields) == 0 {
		fields = map[string]string{"": rituals.ErrorMessage(err)}
	}
	for f, msg := range fields {
		if !inputs[f] {
			// A block whose ID carries a suffix ("owner.U1") stands for
			// its field; failing that, the first input shows the message.
			target := first
			for id := range inputs {
				if strings.HasPrefix(id, f+".") {
					target = id
				}
			}
			f = target
		}
		if prev, ok := out[f]; ok {
			msg = prev + " " + msg
		}
		out[f] = clip(msg, 2000)
	}
	return out
}
