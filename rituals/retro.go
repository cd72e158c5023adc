package rituals

import (
	"regexp"
	"strings"
	"unicode"
)

// replyMarkers are the first words of a retro reply that choose its
// prompt, longest first so "went well:" wins over "well:". A reply with
// none is what didn't go well: a retro's unsolicited replies are mostly
// about what hurt, and its card says how to choose otherwise.
var replyMarkers = []struct {
	marker string
	kind   ItemKind
}{
	{"what we will change:", ItemChange}, {"will change:", ItemChange}, {"change:", ItemChange},
	{"action:", ItemChange}, {"todo:", ItemChange}, {"->", ItemChange}, {"→", ItemChange},
	{"what went well:", ItemWell}, {"went well:", ItemWell}, {"well:", ItemWell}, {"good:", ItemWell}, {"+", ItemWell},
	{"what didn't:", ItemDidnt}, {"didn't:", ItemDidnt}, {"didn’t:", ItemDidnt}, {"didnt:", ItemDidnt},
	{"not well:", ItemDidnt}, {"bad:", ItemDidnt}, {"-", ItemDidnt},
}

// ReplyKind returns the kind of item a plain reply in a session's thread
// becomes, and its text without the marker that chose it. In a pre-mortem
// every reply is a failure mode. In a retro the reply's first word chooses:
// "well:" or "+" for what went well, "didn't:" or "-" for what didn't,
// "change:" or "->" for what we will change; a reply with none is what
// didn't.
func (k SessionKind) ReplyKind(text string) (ItemKind, string) {
	text = strings.TrimSpace(text)
	if k != SessionRetro {
		return ItemFailure, text
	}
	lower := strings.ToLower(text)
	for _, m := range replyMarkers {
		if !strings.HasPrefix(lower, m.marker) {
			continue
		}
		rest := text[len(m.marker):]
		if !strings.HasSuffix(m.marker, ":") && rest != "" && !unicode.IsSpace(rune(rest[0])) {
			continue // "+1" is a vote, "-foo" a word: only "+ " and "- " mark
		}
		return m.kind, strings.TrimSpace(rest)
	}
	return ItemDidnt, text
}

// shortcode matches an emoji as Slack writes it in text, e.g. ":+1:".
var shortcode = regexp.MustCompile(`:[a-z0-9_+'-]+:`)

// Substantive reports whether a plain reply says something an item could
// hold: a word, not just "+1", an emoji or punctuation. Replies that do
// not are conversation, and stay out of the ritual.
func Substantive(text string) bool {
	for _, r := range shortcode.ReplaceAllString(text, "") {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
