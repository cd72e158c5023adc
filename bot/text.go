package bot

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var entityUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// unescapeSlack undoes Slack's escaping of &, < and > in text it sends us,
// leaving mention tokens such as <@U123> as they are.
func unescapeSlack(s string) string { return entityUnescaper.Replace(s) }

// token matches the Slack markup we keep when rendering a person's text:
// user, channel and user-group mentions and links. Broadcasts (<!here>,
// <!channel>, <!everyone>) are not kept: a card must not ping a channel.
var token = regexp.MustCompile(`<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|#G[A-Z0-9]+|!subteam\^S[A-Z0-9]+|(?:https?|mailto):[^<>|\s]+)(?:\|[^<>]*)?>`)

var entityEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// mrkdwn renders a person's text for a mrkdwn field: &, < and > are escaped
// except inside mention and link tokens.
func mrkdwn(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range token.FindAllStringIndex(s, -1) {
		b.WriteString(entityEscaper.Replace(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(entityEscaper.Replace(s[last:]))
	return b.String()
}

// splitText cuts s into pieces of at most max characters, at a line break
// or a space where it can, and never inside a <…> token or an &…; entity.
// Joining the pieces with nothing between them gives s back. max must be
// positive: no piece of a non-empty s fits in 0 characters, and every
// caller passes a Slack limit, so anything else is a programming error
// and panics at once rather than loop forever or hand Slack a piece it
// refuses.
func splitText(s string, max int) []string {
	if max <= 0 {
		panic("bot: splitText needs max > 0: no piece of a text fits in no characters")
	}
	var out []string
	for utf8.RuneCountInString(s) > max {
		cut := cutPoint(s, max)
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return append(out, s)
}

// cutPoint returns a byte offset ≤ max characters into s to cut at.
func cutPoint(s string, max int) int {
	limit, n := len(s), 0 // byte offset of the max-th rune
	for i := range s {
		if n == max {
			limit = i
			break
		}
		n++
	}
	newline, space, safe := -1, -1, -1
	depth := false // inside <…> or &…;
	for i, r := range s[:limit] {
		switch {
		case r == '<' || r == '&':
			depth = true
		case depth && (r == '>' || r == ';'):
			depth = false
			safe = i + 1
			continue
		}
		if depth {
			continue
		}
		safe = i
		if r == '\n' {
			newline = i + 1
		} else if r == ' ' {
			space = i + 1
		}
	}
	if !depth {
		safe = limit
	}
	switch {
	case newline > limit/2:
		return newline
	case space > limit/2:
		return space
	case safe > 0:
		return safe
	default:
		return limit
	}
}

// clip shortens s to at most max characters, with an ellipsis when cut.
// With no room (max ≤ 0) it returns "": nothing fits, not even the
// ellipsis.
func clip(s string, max int) string {
	switch {
	case max <= 0:
		return ""
	case utf8.RuneCountInString(s) <= max:
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
