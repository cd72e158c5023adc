// Package fuzzcheck holds what the fuzz targets of alignbot's parsers
// assert of an answer, beyond "no panic": a refusal of bad input is a
// plain sentence a person can act on. It is for tests only.
package fuzzcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// Refusal returns what is wrong with err as a parser's refusal of typed,
// or "" if nothing is: it must be EINVALID, and its message a plain
// sentence (see Sentence).
func Refusal(err error, typed string) string {
	if code := rituals.ErrorCode(err); code != rituals.EINVALID {
		return "a refusal of bad input is EINVALID, not " + code + ": " + err.Error()
	}
	return Sentence(rituals.ErrorMessage(err), typed)
}

// Sentence returns what keeps msg, the answer to typed, from being a
// plain sentence, or "" if nothing does: it is non-empty, valid UTF-8
// (Slack sends nothing else, so invalid bytes typed may be quoted back), on
// one line, does not start with a lower-case letter (a quote or a code
// span is fine), ends with a full stop, and carries no fmt verb gone
// wrong (a "%!" that typed did not bring).
func Sentence(msg, typed string) string {
	first, _ := utf8.DecodeRuneInString(msg)
	switch {
	case msg == "":
		return "the message is empty"
	case !utf8.ValidString(msg) && utf8.ValidString(typed):
		return "the message is not valid UTF-8: " + msg
	case strings.ContainsAny(msg, "\n\r"):
		return "the message spans lines: " + msg
	case unicode.IsLower(first):
		return "the message starts in lower case: " + msg
	case !strings.HasSuffix(msg, "."):
		return "the message does not end with a full stop: " + msg
	case strings.Contains(msg, "%!") && !strings.Contains(typed, "%!"):
		return "the message has a broken fmt verb: " + msg
	}
	return ""
}
