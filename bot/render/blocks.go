package render

import (
	"github.com/slack-go/slack"
)

// Block Kit limits the renderers keep to (Slack rejects more).
const (
	maxSectionText = 3000
	maxHeaderText  = 150
	maxContextText = 2000 // per element; Slack shows long context poorly anyway
	MaxMessageText = 4000 // chat.update refuses longer fallback text
	maxBlocks      = 50
)

// plain is a plain_text object; whatever a person typed in s shows as
// typed, with no broadcast mention (plainText).
func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, plainText(s), true, false)
}

// MD is a mrkdwn text object of s, which must already be mrkdwn: a
// person's text in it escaped by Mrkdwn.
func MD(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func header(s string) slack.Block {
	return slack.NewHeaderBlock(plain(Clip(plainText(s), maxHeaderText)))
}

// Section is a section block of mrkdwn text, which must be short enough
// for one: Slack refuses a section of more than 3,000 characters.
func Section(text string) slack.Block {
	return slack.NewSectionBlock(MD(text), nil, nil)
}

// ContextLine is a context block of one line of mrkdwn, clipped to what
// Slack shows in a context element.
func ContextLine(text string) slack.Block {
	return slack.NewContextBlock("", MD(Clip(text, maxContextText)))
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
		out = append(out, Section(piece))
	}
	return out
}

// linesSections packs lines into as few sections as fit, one line each at
// most, so a long list becomes several sections instead of one too long.
func linesSections(lines []string) []slack.Block {
	var out []slack.Block
	cur := ""
	for _, l := range lines {
		l = Clip(l, maxSectionText)
		if cur != "" && len([]rune(cur))+1+len([]rune(l)) > maxSectionText {
			out = append(out, Section(cur))
			cur = ""
		}
		if cur != "" {
			cur += "\n"
		}
		cur += l
	}
	if cur != "" {
		out = append(out, Section(cur))
	}
	return out
}

func button(actionID, value, text string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, value, plain(text))
}
