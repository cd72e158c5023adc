package bot

import (
	"regexp"
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// Commands that name people, user groups and channels (`/pulse roles`,
// `/decide rights`) read them the same way: as the mentions Slack sends,
// separated by spaces or commas, each checked against what its place
// takes, with the same sentence when it does not.

// mentionWord is one whole word that is a mention (see mention).
var mentionWord = regexp.MustCompile(`^` + mention.String() + `$`)

// partyWords splits text at spaces, tabs, line breaks and commas, so that
// "<@U1>, <@U2>" and "<@U1>,<@U2>" read as two people.
func partyWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// partyKinds says which parties a place in a command takes, and whether
// one or several.
type partyKinds struct {
	people, groups, channels bool
	one                      bool
}

// readParty reads word, one mention, for place ("accountable", "given a
// role"). Returns EINVALID saying what place takes when word is not a
// mention, or names a kind of party place does not take.
func readParty(word, place string, k partyKinds) (rituals.Party, error) {
	if m := mentionWord.FindStringSubmatch(word); m != nil {
		switch {
		case m[1] != "" && k.people:
			return rituals.Party{Kind: rituals.PartyUser, ID: m[1]}, nil
		case m[2] != "" && k.groups:
			return rituals.Party{Kind: rituals.PartyGroup, ID: m[2], Name: strings.TrimPrefix(m[4], "@")}, nil
		case m[3] != "" && k.channels:
			return rituals.Party{Kind: rituals.PartyChannel, ID: m[3], Name: m[4]}, nil
		}
	}
	return rituals.Party{}, rituals.Errorf(rituals.EINVALID, "“%s” cannot be %s: that takes %s.", render.Clip(word, 40), place, k.takes())
}

// takes says what k takes, with examples: "people or user groups, as
// mentions like @ann or @platform-team".
func (k partyKinds) takes() string {
	var nouns, examples []string
	add := func(ok bool, one, many, example string) {
		if !ok {
			return
		}
		if k.one {
			nouns = append(nouns, one)
		} else {
			nouns = append(nouns, many)
		}
		examples = append(examples, example)
	}
	add(k.people, "a person", "people", "@ann")
	add(k.groups, "a user group", "user groups", "@platform-team")
	add(k.channels, "a channel", "channels", "#platform")
	return orList(nouns) + ", as mentions like " + orList(examples)
}

// orList joins words as a sentence does: "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
