package render

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// maxSentText is the longest top-level text a message may carry: Slack
// refuses longer with msg_too_long on chat.update and chat.postEphemeral,
// and cards and DMs are updated.
const maxSentText = 4000

// TestEverySurfaceKeepsSlacksLimits renders every modal, card, DM,
// summary, reply and App Home in the catalogue with empty, long, unicode
// and markup-heavy text in every field a person fills in, and holds each
// to the Block Kit limits Slack enforces (../shared/slack/BLOCKKIT.md,
// minimums included), as the fake Slack does: real Slack refuses a whole
// message or view that breaks one, for every user.
func TestEverySurfaceKeepsSlacksLimits(t *testing.T) {
	inputs := map[string]string{
		"Empty":      "",
		"OneRune":    "x",
		"Spaces":     "   ",
		"Long":       strings.Repeat("word ", 2000),
		"LongNoGaps": strings.Repeat("x", 10_000),
		"Unicode":    strings.Repeat("ünïcödé 🚀 ✓ “quotes” 日本語 ", 400),
		"Emoji":      strings.Repeat("👩‍👩‍👧‍👦", 3000),
		"Markup":     strings.Repeat("<@U0ANN> <#C0PLAT|plat> <https://example.com/a|link> & *b* _i_ `c` ", 200),
		"Lines":      strings.Repeat("line\n", 3000),
		"Entities":   strings.Repeat("&lt;&gt;&amp;", 1000),
	}
	for name, text := range inputs {
		t.Run(name, func(t *testing.T) {
			for _, s := range allSurfaces(text) {
				var msgs []string
				switch s.kind {
				case surfaceModal, surfaceHome:
					msgs = fakeslack.CheckView(s.view)
				default:
					msgs = fakeslack.CheckMessage(s.blocks)
					if n := utf8.RuneCountInString(s.text); n > maxSentText {
						msgs = append(msgs, fmt.Sprintf("top-level text is %d characters, over %d (msg_too_long)", n, maxSentText))
					}
					if s.text == "" && len(s.blocks) == 0 {
						msgs = append(msgs, "neither text nor blocks (no_text)")
					}
				}
				for _, m := range msgs {
					t.Errorf("%s: %s", s.name, m)
				}
			}
		})
	}
}
