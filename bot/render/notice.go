package render

import (
	"strings"

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

// mentions renders people, groups and channels by their IDs, as live
// mentions: a notice is meant to reach them.
func mentions(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = rituals.Mention(id)
	}
	return strings.Join(out, " ")
}
