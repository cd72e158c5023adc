package bot

import (
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// FuzzParsePulse checks that whatever follows /pulse is one valid command
// or a refusal in a plain sentence.
func FuzzParsePulse(f *testing.F) {
	for _, s := range []string{"", "help", "templates", "list", "list 20", "list 0", "results P-3", "close 3", "stop", "threshold P-3 6",
		"roles", "roles clear", "roles <!subteam^S0ENG|@eng> = engineering <!subteam^S0PM|@pm>=product", "roles <@U0ANN> <@U0BOB|bob> = eng <@U0CY>=pm", "roles @eng = eng",
		"<!subteam^S0ENG|@eng> How clear are our priorities?", "<@U0ANN> <@U0BOB> Ship it?", "<!subteam^S1> <!subteam^S2> x", "ROLES"} {
		f.Add(s)
	}
	fuzzParser(f, parsePulse, func(cmd pulseCmd) string {
		switch cmd.Op {
		case pulseHelp, pulseTemplates, pulseRolesShow:
		case pulseForm:
			if cmd.Group != "" && len(cmd.People) > 0 {
				return "both a group and people"
			}
			for _, u := range cmd.People {
				if !userID.MatchString(u) {
					return "a person is not a user ID"
				}
			}
		case pulseList:
			return check(cmd.Limit < 1 || cmd.Limit > rituals.MaxListLimit, "limit out of range")
		case pulseResults, pulseClose, pulseStop:
			return check(cmd.ID <= 0, "no ID")
		case pulseThreshold:
			return check(cmd.ID <= 0 || cmd.Threshold == "", "no ID or no threshold")
		case pulseRolesSet:
			for _, r := range cmd.Roles {
				if r.Who() == "" || r.Role == "" {
					return "a role without its group (or person) or name"
				}
			}
		default:
			return "unknown op"
		}
		return ""
	})
}
