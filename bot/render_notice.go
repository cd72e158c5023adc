package bot

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// noticeMessage renders a plain notice: its text, after a mention of the
// people it addresses.
func noticeMessage(data rituals.NoticeData) (string, []slack.Block) {
	text := mrkdwn(data.Text)
	if len(data.Mention) > 0 {
		text = joinTokens("<@", data.Mention) + " " + text
	}
	return clip(mrkdwn(data.Text), maxMessageText), sections("", text)
}
