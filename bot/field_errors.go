package bot

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

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
		out[f] = render.Clip(msg, 2000)
	}
	return out
}
