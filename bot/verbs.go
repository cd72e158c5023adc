package bot

import (
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
)

// elsewhere puts "<said> <#channel>" above an item's blocks shown with
// `show <ID>` from another channel than the one it belongs to, as
// `/decide show` does, so nobody mistakes it for this channel's.
func elsewhere(channel, caller, said string, blocks []slack.Block) []slack.Block {
	if channel == caller || channel == "" {
		return blocks
	}
	out := append([]slack.Block{render.ContextLine(said + " <#" + channel + ">")}, blocks...)
	return out[:min(len(out), maxMessageBlocks)]
}

// maxMessageBlocks is the most blocks Slack takes in one message.
const maxMessageBlocks = 50
