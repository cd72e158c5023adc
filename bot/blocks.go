package bot

import (
	"github.com/slack-go/slack"
)

// Block Kit limits the renderers keep to (Slack rejects more).
const (
	maxSectionText = 3000
	maxHeaderText  = 150
	maxContextText = 2000 // per element; Slack shows long context poorly anyway
	maxMessageText = 4000 // chat.update refuses longer fallback text
	maxBlocks      = 50
)

// plain is a plain_text object; whatever a person typed in s shows as
// typed, with no broadcast mention (plainText).
func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, plainText(s), true, false)
}

func md(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func header(s string) slack.Block {
	return slack.NewHeaderBlock(plain(clip(plainText(s), maxHeaderText)))
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(md(text), nil, nil)
}

func contextLine(text string) slack.Block {
	return slack.NewContextBlock("", md(clip(text, maxContextText)))
}

// sections renders label and an already-mrkdwn body as one or more section
// blocks, split so none passes Slack's limit and no word is lost.
func sections(label, body string) []slack.Block {
	text := body
	if label != "" {
		text = "*" + label + "*\n" + body
	}
	var out []slack.Block
	for _, piece := range splitText(text, maxSectionText) {
		out = append(out, section(piece))
	}
	return out
}

// linesSections packs lines into as few sections as fit, one line each at
// most, so a long list becomes several sections instead of one too long.
func linesSections(lines []string) []slack.Block {
	var out []slack.Block
	cur := ""
	for _, l := range lines {
		l = clip(l, maxSectionText)
		if cur != "" && len([]rune(cur))+1+len([]rune(l)) > maxSectionText {
			out = append(out, section(cur))
			cur = ""
		}
		if cur != "" {
			cur += "\n"
		}
		cur += l
	}
	if cur != "" {
		out = append(out, section(cur))
	}
	return out
}

func button(actionID, value, text string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, value, plain(text))
}
