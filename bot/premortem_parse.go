package bot

import (
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

type sessionOp int

const (
	opSessionOpen sessionOp = iota
	opSessionHelp
	opSessionList
	opSessionClose
)

// sessionCmd is one parsed /premortem or /retro command.
type sessionCmd struct {
	Op sessionOp
	In rituals.SessionInput // opSessionOpen
	ID int64                // opSessionClose
}

// Trailing options of /premortem and /retro, in any order after the name.
// A duration after "close in" is one word, or several as alignbot writes
// them ("close in 1d 12h").
var (
	closeInOption = regexp.MustCompile(`(?i)(?:^|\s)close\s+in\s+(\S+(?:\s+\d+[[:alpha:]]+)*)\s*$`)
	launchOption  = regexp.MustCompile(`(?i)(?:^|\s)launch(?:es|ing)?(?:\s+on)?\s+(\d{4}-\d{1,2}-\d{1,2}\S*)\s*$`)
)

// parseSession reads the text after "/premortem" or "/retro" (kind says
// which). A first word naming a subcommand (help, list, close) makes it
// that subcommand; anything else names a new session, optionally followed
// by "close in <duration>" and, for a pre-mortem, "launch <YYYY-MM-DD>".
// The text is what the person typed, already unescaped.
func parseSession(kind rituals.SessionKind, text string) (sessionCmd, error) {
	usage := rituals.PremortemUsage
	if kind == rituals.SessionRetro {
		usage = rituals.RetroUsage
	}
	text = strings.TrimSpace(text)
	first, rest := firstWord(text)
	switch strings.ToLower(first) {
	case "help":
		return sessionCmd{Op: opSessionHelp}, nil
	case "list":
		if rest != "" {
			return sessionCmd{}, rituals.Errorf(rituals.EINVALID,
				"`/%s list` takes nothing more: it lists this channel's open ones. To name one that starts with “list”, put the name in quotes.", kind)
		}
		return sessionCmd{Op: opSessionList}, nil
	case "close":
		id, more := firstWord(rest)
		switch {
		case strings.EqualFold(id, "in"):
			return sessionCmd{}, rituals.Errorf(rituals.EINVALID, "Give the name first, then when it closes: %s.", usage)
		case id == "" || more != "":
			return sessionCmd{}, rituals.Errorf(rituals.EINVALID, "`/%s close` takes one ID, e.g. `/%s close R-4`. To name one that starts with “close”, put the name in quotes.", kind, kind)
		}
		n, err := rituals.ParseID("R", id)
		if err != nil {
			return sessionCmd{}, err
		}
		return sessionCmd{Op: opSessionClose, ID: n}, nil
	}
	in := rituals.SessionInput{Kind: kind}
	for {
		if m := closeInOption.FindStringSubmatchIndex(text); m != nil && in.CloseIn == 0 {
			d, err := rituals.ParseDuration(text[m[2]:m[3]], rituals.SessionWindowBounds)
			if err != nil {
				return sessionCmd{}, err
			}
			in.CloseIn, text = time.Duration(d), strings.TrimSpace(text[:m[0]])
			continue
		}
		if m := launchOption.FindStringSubmatchIndex(text); m != nil && in.LaunchOn.IsZero() {
			d, err := rituals.ParseDate(text[m[2]:m[3]])
			if err != nil {
				return sessionCmd{}, err
			}
			in.LaunchOn, text = d, strings.TrimSpace(text[:m[0]])
			continue
		}
		break
	}
	in.Name = unquote(text)
	if strings.TrimSpace(in.Name) == "" {
		return sessionCmd{}, in.Check("")
	}
	return sessionCmd{Op: opSessionOpen, In: in}, nil
}

// unquote takes off the quotes around a name, which let it start with a
// subcommand's word.
func unquote(s string) string {
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"'", "'"}} {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// readSessionItemModal reads a submitted item form. The values are what
// the person typed: Slack does not escape modal input.
func readSessionItemModal(state *slack.ViewState, kind rituals.ItemKind) rituals.ItemInput {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.ItemInput{
		Kind:       kind,
		Text:       v(rituals.FieldItemText).Value,
		Likelihood: rituals.RiskLevel(v(rituals.FieldItemLikelihood).SelectedOption.Value),
		Impact:     rituals.RiskLevel(v(rituals.FieldItemImpact).SelectedOption.Value),
		Owner:      v(rituals.FieldItemOwner).SelectedUser,
		Due:        rituals.Date(v(rituals.FieldItemDue).SelectedDate),
	}
	if tag := v(rituals.FieldItemTag).SelectedOption.Value; tag != "none" {
		in.Tag = rituals.RiskTag(tag)
	}
	for _, o := range v(rituals.FieldItemAnonymous).SelectedOptions {
		in.Anonymous = in.Anonymous || o.Value == "anonymous"
	}
	return in
}

// readSessionOwnerModal reads a submitted owner form.
func readSessionOwnerModal(state *slack.ViewState) rituals.OwnerInput {
	if state == nil {
		return rituals.OwnerInput{}
	}
	return rituals.OwnerInput{
		Owner: state.Values[rituals.FieldItemOwner][render.ValueAction].SelectedUser,
		Due:   rituals.Date(state.Values[rituals.FieldItemDue][render.ValueAction].SelectedDate),
	}
}
