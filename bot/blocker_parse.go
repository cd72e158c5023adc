package bot

import (
	"regexp"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

type blockerOp int

const (
	opBlockerReport blockerOp = iota
	opBlockerModal
	opBlockerHelp
	opBlockerList
	opBlockerResolve
	opBlockerShowSLA
	opBlockerSetSLA
)

// blockerCmd is one parsed /blocker command.
type blockerCmd struct {
	Op      blockerOp
	Text    string          // opBlockerReport: what is blocked
	Parties []rituals.Party // opBlockerReport: who must act, as mentioned
	ID      int64           // opBlockerResolve
	Note    string          // opBlockerResolve
	SLA     time.Duration   // opBlockerSetSLA
}

// parseBlocker reads the text after "/blocker". A first word naming a
// subcommand makes it that subcommand; anything else is a blocker, whose
// mentions name who must act. The text is what the person typed, already
// unescaped.
func parseBlocker(text string) (blockerCmd, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return blockerCmd{Op: opBlockerModal}, nil
	}
	first, rest := firstWord(text)
	switch strings.ToLower(first) {
	case "help":
		return blockerCmd{Op: opBlockerHelp}, nil
	case "list":
		if rest != "" {
			return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
				"`/blocker list` takes nothing more: it lists this channel's open blockers. To report a blocker that starts with “list”, use the form: `/blocker`.")
		}
		return blockerCmd{Op: opBlockerList}, nil
	case "resolve":
		id, note := firstWord(rest)
		if id == "" {
			return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
				"`/blocker resolve` takes a blocker ID and an optional note, e.g. `/blocker resolve B-7 Schema approved`.")
		}
		n, err := rituals.ParseID("B", id)
		if err != nil {
			return blockerCmd{}, err
		}
		return blockerCmd{Op: opBlockerResolve, ID: n, Note: note}, nil
	case "sla":
		if rest == "" {
			return blockerCmd{Op: opBlockerShowSLA}, nil
		}
		d, err := rituals.ParseDuration(rest, rituals.SLABounds)
		if err != nil {
			return blockerCmd{}, err
		}
		return blockerCmd{Op: opBlockerSetSLA, SLA: time.Duration(d)}, nil
	}
	return blockerCmd{Op: opBlockerReport, Text: text, Parties: parseMentions(text)}, nil
}

// firstWord splits text at its first space, tab or line break.
func firstWord(text string) (first, rest string) {
	text = strings.TrimSpace(text)
	i := strings.IndexAny(text, " \n\t")
	if i < 0 {
		return text, ""
	}
	return text[:i], strings.TrimSpace(text[i+1:])
}

// mention matches the mentions Slack puts in an escaped command's text: a
// person (<@U…>), a user group (<!subteam^S…|@handle>) and a channel
// (<#C…|name>, or <#G…|> when private), each with or without its label.
var mention = regexp.MustCompile(`<(?:@([UW][A-Z0-9]+)|!subteam\^(S[A-Z0-9]+)|#([CG][A-Z0-9]+))(?:\|([^<>]*))?>`)

// parseMentions returns the parties text mentions, in order, once each.
// It takes time linear in the text: one pass of the (RE2, linear)
// regexp, and a set of the parties seen so far.
func parseMentions(text string) []rituals.Party {
	type key struct {
		kind rituals.PartyKind
		id   string
	}
	var out []rituals.Party
	seen := map[key]bool{}
	for _, m := range mention.FindAllStringSubmatch(text, -1) {
		p := rituals.Party{Name: m[4]}
		switch {
		case m[1] != "":
			p.Kind, p.ID, p.Name = rituals.PartyUser, m[1], ""
		case m[2] != "":
			p.Kind, p.ID = rituals.PartyGroup, m[2]
		default:
			p.Kind, p.ID = rituals.PartyChannel, m[3]
		}
		if k := (key{p.Kind, p.ID}); !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}
