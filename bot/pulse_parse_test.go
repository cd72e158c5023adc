package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestParsePulse(t *testing.T) {
	for _, tc := range []struct {
		text string
		want pulseCmd
	}{
		{"", pulseCmd{Op: pulseForm}},
		{"  ", pulseCmd{Op: pulseForm}},
		{"help", pulseCmd{Op: pulseHelp}},
		{"HELP me", pulseCmd{Op: pulseHelp}},
		{"templates", pulseCmd{Op: pulseTemplates}},
		{"list", pulseCmd{Op: pulseList, Limit: 10}},
		{"list 25", pulseCmd{Op: pulseList, Limit: 25}},
		{"results P-3", pulseCmd{Op: pulseResults, ID: 3}},
		{"results 3", pulseCmd{Op: pulseResults, ID: 3}},
		{"show P-3", pulseCmd{Op: pulseResults, ID: 3}},
		{"Show p3", pulseCmd{Op: pulseResults, ID: 3}},
		{"close p-12", pulseCmd{Op: pulseClose, ID: 12}},
		{"stop P-4", pulseCmd{Op: pulseStop, ID: 4}},
		{"threshold P-4 6", pulseCmd{Op: pulseThreshold, ID: 4, Threshold: "6"}},
		{"roles", pulseCmd{Op: pulseRolesShow}},
		{"roles clear", pulseCmd{Op: pulseRolesSet}},
		{"roles <!subteam^S0ENG|@eng>=engineering <!subteam^S0PM|@pm> = product",
			pulseCmd{Op: pulseRolesSet, Roles: []rituals.PulseRole{{Group: "S0ENG", Role: "engineering"}, {Group: "S0PM", Role: "product"}}}},
		{"roles <!subteam^S0OPS>=ops", pulseCmd{Op: pulseRolesSet, Roles: []rituals.PulseRole{{Group: "S0OPS", Role: "ops"}}}},
		{"roles <@U0ANN|ann> <@U0BOB|bob> = engineering <@U0CY> = product", pulseCmd{Op: pulseRolesSet, Roles: []rituals.PulseRole{
			{User: "U0ANN", Role: "engineering"}, {User: "U0BOB", Role: "engineering"}, {User: "U0CY", Role: "product"}}}},
		{"roles <!subteam^S0ENG|@eng> <@W0PM>=product", pulseCmd{Op: pulseRolesSet, Roles: []rituals.PulseRole{
			{Group: "S0ENG", Role: "product"}, {User: "W0PM", Role: "product"}}}},
		{"roles <@U0ANN>, <@U0BOB>,<!subteam^S0PM> = product", pulseCmd{Op: pulseRolesSet, Roles: []rituals.PulseRole{
			{User: "U0ANN", Role: "product"}, {User: "U0BOB", Role: "product"}, {Group: "S0PM", Role: "product"}}}},
		{"How clear are our priorities?", pulseCmd{Op: pulseForm, Question: "How clear are our priorities?"}},
		{"<!subteam^S0ENG|@eng>", pulseCmd{Op: pulseForm, Group: "S0ENG", GroupHandle: "@eng"}},
		{"<!subteam^S0ENG|@eng> Is the on-call load fair?", pulseCmd{Op: pulseForm, Group: "S0ENG", GroupHandle: "@eng", Question: "Is the on-call load fair?"}},
		{"<@U0ANN> <@U0BOB|bob> Ship Friday?", pulseCmd{Op: pulseForm, People: []string{"U0ANN", "U0BOB"}, Question: "Ship Friday?"}},
		{"Is <@U0ANN> on call?", pulseCmd{Op: pulseForm, Question: "Is <@U0ANN> on call?"}},
	} {
		got, err := parsePulse(tc.text)
		if err != nil {
			t.Errorf("parsePulse(%q): %v", tc.text, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parsePulse(%q) (-want +got):\n%s", tc.text, diff)
		}
	}
}

func TestParsePulseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"list many", "a number from 1 to 100"},
		{"list 0", "a number from 1 to 100"},
		{"results", "`/pulse results` takes one ID, e.g. `/pulse results P-3`."},
		{"close P-1 P-2", "`/pulse close` takes one ID"},
		{"show", "`/pulse show` takes one ID, e.g. `/pulse show P-3`."},
		{"show P-1 now", "`/pulse show` takes one ID"},
		{"show D-1", `"D-1" is not an ID; write it like P-12 or 12.`},
		{"show " + strings.Repeat("P", 5000), "is not an ID"},
		{"close yesterday", "is not an ID"},
		{"threshold P-3", "a pulse ID and a number"},
		{"roles @eng=engineering", "“@eng” cannot be given a role: that takes people or user groups, as mentions like @ann or @platform-team."},
		{"roles <!subteam^S0ENG|@eng>", "is not a user group and a role"},
		{"roles <@U0ANN> = eng <@U0BOB> <@U0CY>", "“<@U0BOB> <@U0CY>” is not a user group and a role, nor people and a role"},
		{"roles = engineering", "“=engineering” is not"},
		{"roles <@U0ANN>=", "“<@U0ANN>=” is not"},
		{"roles <#C0ENG|eng>=engineering", "“<#C0ENG|eng>” cannot be given a role: that takes people or user groups"},
		{"roles <@U0ANN> " + strings.Repeat("x", 5000) + "=eng", "“xxxxxxxx"},
		{"<!subteam^S1|@a> <!subteam^S2|@b>", "one user group at a time"},
		{"<!subteam^S1|@a> <@U0ANN>", "not both"},
	} {
		_, err := parsePulse(tc.text)
		if err == nil || rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parsePulse(%q): %v, want EINVALID saying %q", tc.text, err, tc.want)
		}
	}
}
