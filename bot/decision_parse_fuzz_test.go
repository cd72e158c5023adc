package bot

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alignbot/alignbot/internal/fuzzcheck"
	"github.com/alignbot/alignbot/rituals"
)

var (
	userID    = regexp.MustCompile(`^[UW][A-Z0-9]+$`)
	channelID = regexp.MustCompile(`^[CG][A-Z0-9]+$`)
	groupID   = regexp.MustCompile(`^S[A-Z0-9]+$`)
	partyID   = regexp.MustCompile(`^[UWSCG][A-Z0-9]+$`)
)

// FuzzParseDecide checks that whatever follows /decide is one valid
// command or a refusal in a plain sentence.
func FuzzParseDecide(f *testing.F) {
	for _, s := range []string{"Use semver", "[api] Use semver", "[api]", "[api Use semver", "list", "list 20", "list 0", "search cache",
		"show D-12", "show 12 13", "supersede D-3 Use calver", "supersede D-3", "rights", "rights remove api",
		"rights add api <@U0BOB> consulted <@U0EVE|eve> informed <#C0PLAT|platform>", "rights add api bob",
		"rights pay accountable <!subteam^S1|@plat> responsible <#C1|x> consulted <!subteam^S2> informed <#C2>", "help", "  ", "List\nx"} {
		f.Add(s)
	}
	fuzzParser(f, parseDecide, func(cmd decideCmd) string {
		if cmd.Area != "" && cmd.Area != strings.TrimSpace(cmd.Area) {
			return "area not trimmed"
		}
		switch cmd.Op {
		case decideModal, decideHelp, decideRights:
		case decideRecord:
			first, _, _ := strings.Cut(cmd.Text, " ")
			switch {
			case cmd.Text == "" || cmd.Text != strings.TrimSpace(cmd.Text):
				return "no decision text"
			case cmd.Area == "" && isDecideSubcommand(strings.ToLower(strings.FieldsFunc(first, func(r rune) bool { return r == '\n' || r == '\t' })[0])):
				return "a subcommand recorded as a decision"
			}
		case decideList:
			return check(cmd.Limit < 1 || cmd.Limit > rituals.MaxListLimit, "limit out of range")
		case decideSearch:
			return check(cmd.Query == "", "no query")
		case decideShow:
			return check(cmd.ID <= 0, "no ID")
		case decideSupersede:
			return check(cmd.ID <= 0 || cmd.Text == "", "no ID or no decision")
		case decideRightsAdd, decideRightsRemove:
			switch {
			case cmd.Area == "" || cmd.Area != strings.ToLower(cmd.Area):
				return "no area"
			case cmd.Op == decideRightsAdd && !partyID.MatchString(cmd.Right.Owner):
				return "the owner is not a person, group or channel ID"
			}
			for _, u := range cmd.Right.Consulted {
				if !userID.MatchString(u) && !groupID.MatchString(u) {
					return "a consulted party is not a user or group ID"
				}
			}
			for _, u := range cmd.Right.Responsible {
				if !partyID.MatchString(u) {
					return "a responsible party is not a person, group or channel ID"
				}
			}
			for _, c := range cmd.Right.Informed {
				if !channelID.MatchString(c) {
					return "an informed channel is not a channel ID"
				}
			}
		default:
			return "unknown op"
		}
		return ""
	})
}

func isDecideSubcommand(word string) bool {
	switch word {
	case "help", "list", "search", "show", "supersede", "rights":
		return true
	}
	return false
}

// fuzzParser fuzzes parse, a parser of what people type into Slack, from
// the seeds already added to f: each UTF-8 text (Slack sends nothing else)
// must give a command that problem finds nothing wrong with, or a
// refusal in a plain sentence.
func fuzzParser[C any](f *testing.F, parse func(string) (C, error), problem func(C) string) {
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		cmd, err := parse(text)
		if err != nil {
			if why := fuzzcheck.Refusal(err, text); why != "" {
				t.Fatalf("%q: %s", text, why)
			}
			return
		}
		if why := problem(cmd); why != "" {
			t.Fatalf("%q gives %+v: %s", text, cmd, why)
		}
	})
}

// check returns why if bad holds, else "".
func check(bad bool, why string) string {
	if bad {
		return why
	}
	return ""
}
