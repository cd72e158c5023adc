package render

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// TextReply renders mrkdwn text as a reply: split across sections, none
// over Slack's limit, and a top-level text cut to what Slack takes.
func TextReply(text string) (string, []slack.Block) {
	return Clip(text, MaxMessageText), sections("", text)
}

// ErrorText is what a person is told of err, in a plain sentence; typed,
// when not empty, is the command they typed, given back to try again.
func ErrorText(err error, typed string) string {
	text := ":warning: " + Mrkdwn(rituals.ErrorMessage(err))
	if typed != "" {
		text += "\nWhat you typed, to try again:\n```" + Mrkdwn(Clip(typed, MaxMessageText-500)) + "```"
	}
	return text
}
