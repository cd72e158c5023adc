package bot

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

type blockerOp int

const (
	opBlockerReport blockerOp = iota
	opBlockerModal
	opBlockerHelp
	opBlockerList
	opBlockerShow
	opBlockerResolve
	opBlockerShowSLA
	opBlockerSetSLA
	opBlockerShowTeam
	opBlockerClaim
	opBlockerUnclaim
	opBlockerShowTarget
	opBlockerSetTarget
	opBlockerClearTarget
	opBlockerEdit
)

// blockerCmd is one parsed /blocker command.
type blockerCmd struct {
	Op   blockerOp
	Text string // opBlockerReport: what is blocked; opBlockerModal: what fills the form
	// Parties: opBlockerReport's who must act, as mentioned; the groups
	// and people opBlockerClaim and opBlockerUnclaim name; the one
	// opBlockerSetTarget names.
	Parties []rituals.Party
	ID      int64         // opBlockerShow, opBlockerResolve, opBlockerEdit
	Note    string        // opBlockerResolve
	Limit   int           // opBlockerList
	SLA     time.Duration // opBlockerSetSLA
}

// parseBlocker reads the text after "/blocker". A first word naming a
// subcommand makes it that subcommand; anything else is a blocker, whose
// mentions name who must act, or, naming nobody, the form's text. The
// text is what the person typed, already unescaped.
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
		n, err := parseListLimit("blocker", rest, rituals.MaxListLimit)
		if err != nil {
			return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
				"%s To report a blocker that starts with “list”, use the form: `/blocker`.", rituals.ErrorMessage(err))
		}
		return blockerCmd{Op: opBlockerList, Limit: n}, nil
	case "show":
		n, err := numberedID("blocker", "show", rest, "B", "B-7")
		if err != nil {
			return blockerCmd{}, err
		}
		return blockerCmd{Op: opBlockerShow, ID: n}, nil
	case "resolve", "close": // close: the verb every command shares
		verb := strings.ToLower(first)
		id, note := firstWord(rest)
		if id == "" {
			return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
				"`/blocker %s` takes a blocker ID and an optional note, e.g. `/blocker %s B-7 Schema approved`.", verb, verb)
		}
		n, err := rituals.ParseID("B", id)
		if err != nil {
			return blockerCmd{}, err
		}
		return blockerCmd{Op: opBlockerResolve, ID: n, Note: note}, nil
	case "edit":
		word, err := oneID("blocker", "edit", rest, "B-4")
		if err != nil {
			return blockerCmd{}, rituals.Errorf(rituals.EINVALID, "%s It opens that blocker's form. To report a blocker that starts with “edit”, use the form: `/blocker`.", rituals.ErrorMessage(err))
		}
		n, err := rituals.ParseID("B", word)
		if err != nil {
			return blockerCmd{}, err
		}
		return blockerCmd{Op: opBlockerEdit, ID: n}, nil
	case "sla":
		if rest == "" {
			return blockerCmd{Op: opBlockerShowSLA}, nil
		}
		d, err := rituals.ParseDuration(rest, rituals.SLABounds)
		if err != nil {
			return blockerCmd{}, err
		}
		return blockerCmd{Op: opBlockerSetSLA, SLA: time.Duration(d)}, nil
	case "team":
		return parseBlockerTeam(rest)
	case "escalate-to":
		return parseEscalateTo(rest)
	}
	parties := parseMentions(text)
	if len(parties) > 0 {
		return blockerCmd{Op: opBlockerReport, Text: text, Parties: parties}, nil
	}
	// Nobody named: the form opens with the text, for the person to pick
	// who must act; text longer than its field is refused, not cut.
	if n := utf8.RuneCountInString(text); n > rituals.MaxBlockerText {
		return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
			"That blocker is %d characters long; the form holds %d. Shorten it, and mention who must act (`@person`, `@group` or `#channel`).", n, rituals.MaxBlockerText)
	}
	return blockerCmd{Op: opBlockerModal, Text: text}, nil
}

// parseBlockerTeam reads what follows "/blocker team": nothing (show the
// channel's team), "remove" and the groups or people to drop, or the
// groups or people to claim, as mentions.
func parseBlockerTeam(rest string) (blockerCmd, error) {
	if rest == "" {
		return blockerCmd{Op: opBlockerShowTeam}, nil
	}
	op := opBlockerClaim
	if first, more := firstWord(rest); strings.EqualFold(first, "remove") {
		op, rest = opBlockerUnclaim, more
	}
	parties, ok := onlyMentions(rest)
	switch {
	case op == opBlockerUnclaim && (!ok || len(parties) == 0):
		return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
			"`/blocker team remove` takes the user groups or people to remove, as mentions, e.g. `/blocker team remove @platform-team`.")
	case !ok || len(parties) == 0:
		return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
			"`/blocker team` takes user groups or people as mentions, e.g. `/blocker team @platform-team`. To report a blocker that starts with “team”, use the form: `/blocker`.")
	}
	return blockerCmd{Op: op, Parties: parties}, nil
}

// parseEscalateTo reads what follows "/blocker escalate-to": nothing
// (show the target), "none" (clear it), or one person or channel.
func parseEscalateTo(rest string) (blockerCmd, error) {
	switch strings.ToLower(rest) {
	case "":
		return blockerCmd{Op: opBlockerShowTarget}, nil
	case "none", "off", "nobody":
		return blockerCmd{Op: opBlockerClearTarget}, nil
	}
	parties, ok := onlyMentions(rest)
	if !ok || len(parties) != 1 {
		return blockerCmd{}, rituals.Errorf(rituals.EINVALID,
			"`/blocker escalate-to` takes one person or one channel, e.g. `/blocker escalate-to @lead` or `/blocker escalate-to #eng-leads`; `/blocker escalate-to none` stops it.")
	}
	return blockerCmd{Op: opBlockerSetTarget, Parties: parties}, nil
}

// onlyMentions returns the parties text mentions, and false when it holds
// anything else than mentions, commas and "and".
func onlyMentions(text string) ([]rituals.Party, bool) {
	for _, w := range strings.Fields(strings.ReplaceAll(mention.ReplaceAllString(text, " "), ",", " ")) {
		if !strings.EqualFold(w, "and") && w != "&" {
			return nil, false
		}
	}
	return parseMentions(text), true
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
