package render

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// BlockerEditModal renders the blocker form filled with open blocker b, to
// edit it: its text, who must act, impact and needed-by date. meta.Number
// is b's number.
func BlockerEditModal(meta ModalMeta, b *rituals.Blocker) slack.ModalViewRequest {
	m := BlockerModal(meta, BlockerForm{Text: b.Text, Parties: b.Parties})
	m.CallbackID = CallbackBlockerEdit
	m.Title = plain(Clip("Edit "+b.ID(), 24))
	m.Submit = plain("Save")
	blocks := m.Blocks.BlockSet
	for i, bl := range blocks {
		switch bl := bl.(type) {
		case *slack.InputBlock:
			switch el := bl.Element.(type) {
			case *slack.PlainTextInputBlockElement:
				if bl.BlockID == rituals.FieldImpact {
					el.InitialValue = Clip(b.Impact, maxInputLength)
				}
			case *slack.DatePickerBlockElement:
				el.InitialDate = string(b.NeededBy)
			}
		case *slack.ContextBlock:
			if i == len(blocks)-1 {
				blocks[i] = ContextLine("Saving updates the card in place. People, groups and channels newly named are told once, as for a new blocker; those removed are not told.")
			}
		}
	}
	return m
}
