package render

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

var entityUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// Unescape undoes Slack's escaping of &, < and > in text it sends us,
// leaving mention tokens such as <@U123> as they are.
func Unescape(s string) string { return entityUnescaper.Replace(s) }

// token matches the Slack markup kept when rendering a person's text:
// user and channel mentions and links. Everything else between < and >
// is escaped, so no <!here>, <!channel>, <!everyone> or <!subteam^…> a
// person typed can ping anyone: only a blocker's card mentions a group
// (PartyMention), never the text it quotes.
var token = regexp.MustCompile(`<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|#G[A-Z0-9]+|(?:https?://|mailto:)[^<>|\s]+)(?:\|[^<>]*)?>`)

// broadcastToken matches the mentions that notify many people at once,
// with or without a label: <!here>, <!channel>, <!everyone>, <!group> (an
// old name of <!channel>) and a user group's <!subteam^S…|@handle>.
var broadcastToken = regexp.MustCompile(`(?i)<!(here|channel|everyone|group|subteam\^([^<>|]*))(?:\|([^<>]*))?>`)

// broadcastWord matches @here, @channel and @everyone written out as
// words, which Slack links into broadcasts in its link_names and full
// parsing modes; an e-mail address such as ann@here.com is not a word.
var broadcastWord = regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}._%+\-])@(here|channel|everyone)`)

// wordJoiner is the invisible character put after the @ of a quieted
// mention: it reads as "@channel" and no parsing mode links it.
const wordJoiner = "\u2060"

// quiet turns the broadcast mentions in a person's text into the words
// they show, "@channel" or a group's "@handle", which notify nobody, until
// none is left: quieting a label can complete the mention around it, as in
// <!subteam^S1|<!here>>. Each round takes a "<" away, so it ends; none
// makes the text longer in characters.
func quiet(s string) string {
	if !strings.Contains(s, "<!") {
		return s
	}
	for {
		q := quietOnce(s)
		if q == s {
			return s
		}
		s = q
	}
}

func quietOnce(s string) string {
	return broadcastToken.ReplaceAllStringFunc(s, func(m string) string {
		sub := broadcastToken.FindStringSubmatch(m)
		name := strings.ToLower(sub[1])
		if strings.HasPrefix(name, "subteam^") {
			name = sub[2]
			if label := strings.TrimPrefix(sub[3], "@"); label != "" {
				name = label
			}
		}
		return "@" + wordJoiner + name
	})
}

// quietWords keeps @here, @channel and @everyone written as words from
// being linked into broadcasts.
func quietWords(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return broadcastWord.ReplaceAllString(s, "${1}@"+wordJoiner+"${2}")
}

var entityEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Mrkdwn renders a person's text for Slack's mrkdwn: a text object of that
// type, or a message's top-level text (its notification). User and channel
// mentions and links stay as they are; broadcasts and user-group mentions
// become the words they show (quiet), and every other &, < and > is
// escaped, so the text shows as typed and pings no crowd.
func Mrkdwn(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range token.FindAllStringIndex(s, -1) {
		b.WriteString(escapeText(s[last:loc[0]]))
		b.WriteString(quietLabel(s[loc[0]:loc[1]]))
		last = loc[1]
	}
	b.WriteString(escapeText(s[last:]))
	return b.String()
}

func escapeText(s string) string { return entityEscaper.Replace(quietWords(quiet(s))) }

// quietLabel quiets broadcast words in a kept token's label.
func quietLabel(tok string) string {
	i := strings.IndexByte(tok, '|')
	if i < 0 {
		return tok
	}
	return tok[:i] + quietWords(tok[i:])
}

// linkable matches a URL that can stand in a <url|label> link: nothing in
// it ends the token early.
var linkable = regexp.MustCompile(`^(?:https?://|mailto:)[^<>|\s]+$`)

// sourceLink renders where an entry came from: a link to the message when
// source is its permalink, and otherwise source's words (a check-in's
// key, or whatever an imported decision log said).
func sourceLink(source string) string {
	if linkable.MatchString(source) {
		return "<" + source + "|this message>"
	}
	return Mrkdwn(Clip(oneLine(source), 200))
}

// plainText renders a person's text for a plain_text object (a header, a
// button, an option), which Slack shows as it is, parsing nothing: a
// broadcast or group mention in it becomes the words it shows, so it
// reads as typed. It never makes the text longer.
func plainText(s string) string { return quiet(s) }

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

// Clip shortens s to at most max characters, with an ellipsis when cut.
// With no room (max ≤ 0) it returns "": nothing fits, not even the
// ellipsis.
func Clip(s string, max int) string {
	switch {
	case max <= 0:
		return ""
	case utf8.RuneCountInString(s) <= max:
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// mrkdwnClip renders a person's text for mrkdwn and cuts the result to at
// most max characters, never inside a token or an entity, with an
// ellipsis when cut. Slack counts a field's length as sent, entities and
// all, so text full of &, < and > must be cut after it is escaped.
func mrkdwnClip(s string, max int) string {
	out := Mrkdwn(s)
	if utf8.RuneCountInString(out) <= max {
		return out
	}
	head := out[:cutPoint(out, max-1)]
	// cutPoint cuts inside a token longer than max to keep splitText
	// going; a clip drops the token instead.
	if i := strings.LastIndexAny(head, "<&"); i >= 0 && !strings.ContainsAny(head[i:], ">;") {
		head = head[:i]
	}
	return head + "…"
}

// CountNoun counts n of noun in English: "1 blocker", "3 blockers".
func CountNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
