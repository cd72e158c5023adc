package bot

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// TestRolesAndRightsReadPeopleAlike gives `/pulse roles` and `/decide
// rights` the same people and groups, written every way Slack sends
// them: both take them all, and both refuse the same words with the same
// sentence.
func TestRolesAndRightsReadPeopleAlike(t *testing.T) {
	for _, who := range []string{
		"<@U0ANN>", "<@U0ANN|ann>", "<@W0ANN>",
		"<!subteam^S0ENG>", "<!subteam^S0ENG|@eng>",
		"<@U0ANN> <!subteam^S0ENG|@eng>", "<@U0ANN>, <!subteam^S0ENG|@eng>", "<@U0ANN>,<!subteam^S0ENG>",
	} {
		roles, err := parsePulse("roles " + who + " = engineering")
		if err != nil {
			t.Errorf("/pulse roles %s = engineering: %v", who, err)
		}
		rights, err := parseDecide("rights api accountable <@U0OWN> consulted " + who)
		if err != nil {
			t.Errorf("/decide rights … consulted %s: %v", who, err)
		}
		if got, want := len(rights.Right.Consulted), len(roles.Roles); got != want || got == 0 {
			t.Errorf("%s: %d consulted, %d roles; want the same, above 0", who, got, want)
		}
	}
	for _, tc := range []struct{ word, want string }{
		{"bob", "“bob” cannot be %s: that takes people or user groups, as mentions like @ann or @platform-team."},
		{"@eng", "“@eng” cannot be %s: that takes people or user groups"},
		{"<#C0ENG|eng>", "“<#C0ENG|eng>” cannot be %s: that takes people or user groups"},
		{"<@u0ann>", "“<@u0ann>” cannot be %s"},
		{"<!subteam^X0ENG>", "“<!subteam^X0ENG>” cannot be %s"},
		{"<@U0ANN", "“<@U0ANN” cannot be %s"},
		{strings.Repeat("<@U0ANN>", 1000), "cannot be %s"},
	} {
		_, err := parsePulse("roles " + tc.word + " = engineering")
		if want := strings.Replace(tc.want, "%s", "given a role", 1); rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), want) {
			t.Errorf("/pulse roles %s: %v, want %q", clipWord(tc.word), err, want)
		}
		_, err = parseDecide("rights api accountable <@U0OWN> consulted " + tc.word)
		if want := strings.Replace(tc.want, "%s", "consulted", 1); rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), want) {
			t.Errorf("/decide rights … consulted %s: %v, want %q", clipWord(tc.word), err, want)
		}
	}
}

func clipWord(s string) string { return s[:min(len(s), 40)] }
