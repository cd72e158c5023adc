package bot

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
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

// blockerFormFrom fills the blocker form from a message's text, as
// "Report as blocker" does: the text, cut to what the form holds
// (MaxBlockerText characters, at a space or line break in its second
// half where there is one, and never inside a <…> mention), and the
// parties mentioned in what is kept.
func blockerFormFrom(text string) render.BlockerForm {
	f := render.BlockerForm{Text: text}
	if n := utf8.RuneCountInString(text); n > rituals.MaxBlockerText {
		f.Text, f.Cut = cutTyped(text, rituals.MaxBlockerText), n
	}
	f.Parties = parseMentions(f.Text)
	return f
}

// cutTyped returns the start of text, at most max characters, that ends
// outside a <…> token, at a line break or space if one falls in the
// second half.
func cutTyped(text string, max int) string {
	end, n := len(text), 0
	for i := range text {
		if n == max {
			end = i
			break
		}
		n++
	}
	head := text[:end]
	if open := strings.LastIndexByte(head, '<'); open > strings.LastIndexByte(head, '>') {
		head = head[:open]
	}
	if space := strings.LastIndexAny(head, " \n"); space > len(head)/2 {
		head = head[:space]
	}
	return head
}

// groupRef matches one user group in the form's group field: an ID, or a
// mention as Slack writes it.
var groupRef = regexp.MustCompile(`^(?:<!subteam\^)?(S[A-Z0-9]{2,})(?:\|([^<>]*))?>?$`)

// readBlockerModal reads a submitted blocker form: the parties are the
// people and channels chosen, the groups given and the mentions in the
// text. Returns EINVALID on the group field when it holds no group ID.
func readBlockerModal(state *slack.ViewState) (rituals.BlockerInput, error) {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.BlockerInput{
		Text:     v(rituals.FieldBlockerText).Value,
		Impact:   v(rituals.FieldImpact).Value,
		NeededBy: rituals.Date(v(rituals.FieldNeededBy).SelectedDate),
	}
	for _, u := range v(rituals.FieldParties).SelectedUsers {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyUser, ID: u})
	}
	for _, word := range strings.FieldsFunc(v(render.FieldBlockerGroup).Value, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' }) {
		m := groupRef.FindStringSubmatch(word)
		if m == nil {
			msg := "“" + render.Clip(word, 40) + "” is not a user group ID; give the ID, which starts with S (e.g. S0123ABCD)."
			return in, &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{render.FieldBlockerGroup: msg}}
		}
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyGroup, ID: m[1], Name: m[2]})
	}
	for _, c := range v(render.FieldBlockerChannels).SelectedConversations {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: c})
	}
	in.Parties = append(in.Parties, parseMentions(in.Text)...)
	return in, nil
}
