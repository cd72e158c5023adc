package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseDecide(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want decideCmd
	}{
		{"", decideCmd{Op: decideModal}},
		{"   ", decideCmd{Op: decideModal}},
		{"Use semver for public APIs", decideCmd{Op: decideRecord, Text: "Use semver for public APIs"}},
		{"help", decideCmd{Op: decideHelp}},
		{"HELP me", decideCmd{Op: decideHelp}},
		{"list", decideCmd{Op: decideList, Limit: 10}},
		{"list 25", decideCmd{Op: decideList, Limit: 25}},
		{"search semver  api", decideCmd{Op: decideSearch, Query: "semver  api"}},
		{"show D-12", decideCmd{Op: decideShow, ID: 12}},
		{"show 7", decideCmd{Op: decideShow, ID: 7}},
		{"supersede D-1 new text", decideCmd{Op: decideSupersede, ID: 1, Text: "new text"}},
		{"supersede 7   Use calver  ", decideCmd{Op: decideSupersede, ID: 7, Text: "Use calver"}},
		{"rights", decideCmd{Op: decideRights}},
		{"rights remove API", decideCmd{Op: decideRightsRemove, Area: "api"}},
		{"rights add api <@U1|ann>", decideCmd{Op: decideRightsAdd, Area: "api", Right: rightArgs{Owner: "U1"}}},
		{"rights add api <@U1> consulted <@U2> <@U3|c> informed <#C1|platform> <#G2|>", decideCmd{Op: decideRightsAdd, Area: "api",
			Right: rightArgs{Owner: "U1", Consulted: []string{"U2", "U3"}, Informed: []string{"C1", "G2"}}}},
		{"rights add api <@U1> informed <#C1> consulted <@U2>", decideCmd{Op: decideRightsAdd, Area: "api",
			Right: rightArgs{Owner: "U1", Consulted: []string{"U2"}, Informed: []string{"C1"}}}},
		{"rights payments accountable <@U1|ann> responsible <@U2> consulted <!subteam^S1|@platform-team> informed <#C1|eng>",
			decideCmd{Op: decideRightsAdd, Area: "payments", Right: rightArgs{Owner: "U1", Responsible: []string{"U2"},
				Consulted: []string{"S1"}, Informed: []string{"C1"}, GroupNames: map[string]string{"S1": "platform-team"}}}},
		{"rights Payments ACCOUNTABLE <!subteam^S1> responsible <#C2|platform> <@U2>", decideCmd{Op: decideRightsAdd, Area: "payments",
			Right: rightArgs{Owner: "S1", Responsible: []string{"C2", "U2"}}}},
		{"rights api accountable <@U1> consulted <@U2>, <@U3>,<!subteam^S1|@sre> informed <#C1>", decideCmd{Op: decideRightsAdd, Area: "api",
			Right: rightArgs{Owner: "U1", Consulted: []string{"U2", "U3", "S1"}, Informed: []string{"C1"}, GroupNames: map[string]string{"S1": "sre"}}}},
		{"rights add api accountable <#C1|platform>", decideCmd{Op: decideRightsAdd, Area: "api", Right: rightArgs{Owner: "C1"}}},
		{"rights add api <!subteam^S9|@sre> informed <#C1>", decideCmd{Op: decideRightsAdd, Area: "api",
			Right: rightArgs{Owner: "S9", Informed: []string{"C1"}, GroupNames: map[string]string{"S9": "sre"}}}},
		{"[API] Use semver", decideCmd{Op: decideRecord, Area: "api", Text: "Use semver", Whole: "[API] Use semver"}},
		{"[api]", decideCmd{Op: decideModal, Area: "api", Whole: "[api]"}},
		// A tag may be no area: the handler asks, and Whole keeps it.
		{"  [WIP] Ship the beta  ", decideCmd{Op: decideRecord, Area: "wip", Text: "Ship the beta", Whole: "[WIP] Ship the beta"}},
		{"[RFC-12]", decideCmd{Op: decideModal, Area: "rfc-12", Whole: "[RFC-12]"}},
		// Brackets that can hold no area's name are the decision's own.
		{"[api Use semver", decideCmd{Op: decideRecord, Text: "[api Use semver"}},
		{"[] Use semver", decideCmd{Op: decideRecord, Text: "[] Use semver"}},
		{"[ ] Use semver", decideCmd{Op: decideRecord, Text: "[ ] Use semver"}},
		{"[[api]] Use semver", decideCmd{Op: decideRecord, Text: "[[api]] Use semver"}},
		{"[a\nb] Use semver", decideCmd{Op: decideRecord, Text: "[a\nb] Use semver"}},
		{"listing is not a subcommand", decideCmd{Op: decideRecord, Text: "listing is not a subcommand"}},
		{"show\nD-3", decideCmd{Op: decideShow, ID: 3}},
		{"We ship <@U1> & co", decideCmd{Op: decideRecord, Text: "We ship <@U1> & co"}},
	} {
		got, err := parseDecide(tc.in)
		if err != nil {
			t.Errorf("parseDecide(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseDecide(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseDecideErrors(t *testing.T) {
	for _, tc := range []struct{ in, mention string }{
		{"list 0", "from 1 to 100"},
		{"list 101", "from 1 to 100"},
		{"list ten", "from 1 to 100"},
		{"list -5", "from 1 to 100"},
		{"search", "what to search for"},
		{"search   ", "what to search for"},
		{"show", "`/decide show` takes one ID"},
		{"show D-1 D-2", "`/decide show` takes one ID, e.g. `/decide show D-12`."},
		{"list 0", "`/decide list` takes a number from 1 to 100, e.g. `/decide list 20`; “0” is not one."},
		{"show B-1", "not an ID"},
		{"show D-x", "not an ID"},
		{"rights payments", "takes an area and its people"},
		{"rights payments bob", "takes an area and its people"},
		{"rights add api", "Name the area and its Accountable owner"},
		{"rights add api bob", "“bob” cannot be accountable: that takes a person, a user group or a channel, as mentions like @ann, @platform-team or #platform."},
		{"rights api accountable <@U1> consulted <@U2>, <!subteam^S1|@sre>,#eng", "“#eng” cannot be consulted: that takes people or user groups, as mentions like @ann or @platform-team."},
		{"rights api accountable", "Name the area's Accountable owner"},
		{"rights api responsible <@U1>", "Name the area's Accountable owner"},
		{"rights api accountable <@U1> <@U2>", "one Accountable owner, a person or a team"},
		{"rights api accountable <@U1> accountable <@U2>", "one Accountable owner; name it once"},
		{"rights api accountable <@U1> informed <@U2>", "cannot be informed: that takes channels"},
		{"rights api accountable <@U1> consulted <#C1>", "cannot be consulted: that takes people or user groups"},
		{"rights api accountable bob", "cannot be accountable"},
	} {
		_, err := parseDecide(tc.in)
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
			t.Errorf("parseDecide(%q) err=%v, want EINVALID mentioning %q", tc.in, err, tc.mention)
		}
	}
}
