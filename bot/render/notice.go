package render

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Notice renders a plain notice: its text, after a mention of the
// people it addresses.
func Notice(data rituals.NoticeData) (string, []slack.Block) {
	text := Mrkdwn(data.Text)
	shown := text
	if len(data.Mention) > 0 {
		shown = mentions(data.Mention) + " " + text
	}
	return Clip(text, MaxMessageText), sections("", shown)
}
