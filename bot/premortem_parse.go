package bot

import (
	"regexp"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

type sessionOp int

const (
	opSessionOpen sessionOp = iota
	opSessionHelp
	opSessionList
	opSessionShow
	opSessionClose
	opSessionStatus
)

// sessionCmd is one parsed /premortem or /retro command.
type sessionCmd struct {
	Op    sessionOp
	In    rituals.SessionInput // opSessionOpen
	ID    rituals.SessionID    // opSessionShow, opSessionClose
	Limit int                  // opSessionList
}

// Trailing options of /premortem and /retro, in any order after the name.
// A duration after "close in" is one word, or several as alignbot writes
// them ("close in 1d 12h").
var (
	closeInOption = regexp.MustCompile(`(?i)(?:^|\s)close\s+in\s+(\S+(?:\s+\d+[[:alpha:]]+)*)\s*$`)
	launchOption  = regexp.MustCompile(`(?i)(?:^|\s)launch(?:es|ing)?(?:\s+on)?\s+(\d{4}-\d{1,2}-\d{1,2}\S*)\s*$`)
)

// parseSession reads the text after "/premortem" or "/retro" (kind says
// which). No text is the status: the open ones, and a button to start
// one. A first word naming a subcommand (help, list, show, close) makes it
// that subcommand; anything else names a new session, optionally followed
// by "close in <duration>" and, for a pre-mortem, "launch <YYYY-MM-DD>".
// The text is what the person typed, already unescaped.
func parseSession(kind rituals.SessionKind, text string) (sessionCmd, error) {
	usage := rituals.PremortemUsage
	if kind == rituals.SessionRetro {
		usage = rituals.RetroUsage
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return sessionCmd{Op: opSessionStatus}, nil
	}
	first, rest := firstWord(text)
	switch strings.ToLower(first) {
	case "help":
		return sessionCmd{Op: opSessionHelp}, nil
	case "list":
		n, err := parseListLimit(string(kind), rest, rituals.MaxListLimit)
		if err != nil {
			return sessionCmd{}, rituals.Errorf(rituals.EINVALID, "%s To name one that starts with “list”, put the name in quotes.", rituals.ErrorMessage(err))
		}
		return sessionCmd{Op: opSessionList, Limit: n}, nil
	case "show", "close":
		verb := strings.ToLower(first)
		if id, _ := firstWord(rest); verb == "close" && strings.EqualFold(id, "in") {
			return sessionCmd{}, rituals.Errorf(rituals.EINVALID, "Give the name first, then when it closes: %s.", usage)
		}
		word, err := oneID(string(kind), verb, rest, kind.Prefix()+"-4")
		if err != nil {
			return sessionCmd{}, rituals.Errorf(rituals.EINVALID, "%s To name one that starts with “%s”, put the name in quotes.", rituals.ErrorMessage(err), verb)
		}
		id, err := rituals.ParseSessionID(kind, word)
		if err != nil {
			return sessionCmd{}, err
		}
		op := opSessionShow
		if verb == "close" {
			op = opSessionClose
		}
		return sessionCmd{Op: op, ID: id}, nil
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
