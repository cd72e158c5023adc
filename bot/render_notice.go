package bot

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// noticeMessage renders a plain notice: its text, after a mention of the
// people it addresses.
func noticeMessage(data rituals.NoticeData) (string, []slack.Block) {
	text := mrkdwn(data.Text)
	shown := text
	if len(data.Mention) > 0 {
		shown = joinTokens("<@", data.Mention) + " " + text
	}
	return clip(text, maxMessageText), sections("", shown)
}
