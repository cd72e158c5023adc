package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseBlocker(t *testing.T) {
	bob := rituals.Party{Kind: rituals.PartyUser, ID: "U0BOB"}
	plat := rituals.Party{Kind: rituals.PartyGroup, ID: "S0PLAT", Name: "@platform"}
	for _, tc := range []struct {
		in   string
		want blockerCmd
	}{
		{"", blockerCmd{Op: opBlockerModal}},
		{"  \n ", blockerCmd{Op: opBlockerModal}},
		{"help", blockerCmd{Op: opBlockerHelp}},
		{"HELP me", blockerCmd{Op: opBlockerHelp}},
		{"list", blockerCmd{Op: opBlockerList, Limit: rituals.MaxListLimit}},
		{"List 5", blockerCmd{Op: opBlockerList, Limit: 5}},
		{"show B-7", blockerCmd{Op: opBlockerShow, ID: 7}},
		{"SHOW 7 ", blockerCmd{Op: opBlockerShow, ID: 7}},
		{"close b7 Done", blockerCmd{Op: opBlockerResolve, ID: 7, Note: "Done"}},
		{"resolve B-7", blockerCmd{Op: opBlockerResolve, ID: 7}},
		{"resolve 7", blockerCmd{Op: opBlockerResolve, ID: 7}},
		{"resolve b-7   Schema approved,\nmerged", blockerCmd{Op: opBlockerResolve, ID: 7, Note: "Schema approved,\nmerged"}},
		{"resolve\nB7", blockerCmd{Op: opBlockerResolve, ID: 7}},
		{"edit B-4", blockerCmd{Op: opBlockerEdit, ID: 4}},
		{"EDIT 4 ", blockerCmd{Op: opBlockerEdit, ID: 4}},
		{"sla", blockerCmd{Op: opBlockerShowSLA}},
		{"sla 48h", blockerCmd{Op: opBlockerSetSLA, SLA: 48 * time.Hour}},
		{"SLA 3d", blockerCmd{Op: opBlockerSetSLA, SLA: 72 * time.Hour}},
		{"sla 1d 12h", blockerCmd{Op: opBlockerSetSLA, SLA: 36 * time.Hour}}, // as alignbot writes it
		{"sla 48 h", blockerCmd{Op: opBlockerSetSLA, SLA: 48 * time.Hour}},
		{"Waiting on <@U0BOB> for keys", blockerCmd{Op: opBlockerReport, Text: "Waiting on <@U0BOB> for keys", Parties: []rituals.Party{bob}}},
		{"listing is not a subcommand <@U0BOB|bob>", blockerCmd{Op: opBlockerReport, Text: "listing is not a subcommand <@U0BOB|bob>", Parties: []rituals.Party{bob}}},
		// Naming nobody opens the form with the text, to pick who must act.
		{"No one named yet", blockerCmd{Op: opBlockerModal, Text: "No one named yet"}},
		{"  Waiting on the vendor <!here>  ", blockerCmd{Op: opBlockerModal, Text: "Waiting on the vendor <!here>"}},
		{strings.Repeat("é", rituals.MaxBlockerText), blockerCmd{Op: opBlockerModal, Text: strings.Repeat("é", rituals.MaxBlockerText)}},
		{"team", blockerCmd{Op: opBlockerShowTeam}},
		{"team <!subteam^S0PLAT|@platform>", blockerCmd{Op: opBlockerClaim, Parties: []rituals.Party{plat}}},
		{"Team <!subteam^S0PLAT|@platform>, <@U0BOB> and <@U0BOB>", blockerCmd{Op: opBlockerClaim, Parties: []rituals.Party{plat, bob}}},
		{"team remove <!subteam^S0PLAT|@platform>", blockerCmd{Op: opBlockerUnclaim, Parties: []rituals.Party{plat}}},
		{"escalate-to", blockerCmd{Op: opBlockerShowTarget}},
		{"escalate-to None", blockerCmd{Op: opBlockerClearTarget}},
		{"escalate-to <@U0BOB>", blockerCmd{Op: opBlockerSetTarget, Parties: []rituals.Party{bob}}},
		{"escalate-to <#C0LEADS|eng-leads>", blockerCmd{Op: opBlockerSetTarget, Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "C0LEADS", Name: "eng-leads"}}}},
		{"teams in <#C0ENG|eng> wait on <@U0BOB>", blockerCmd{Op: opBlockerReport, Text: "teams in <#C0ENG|eng> wait on <@U0BOB>",
			Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "C0ENG", Name: "eng"}, bob}}},
	} {
		got, err := parseBlocker(tc.in)
		if err != nil {
			t.Errorf("parseBlocker(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseBlocker(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseBlockerErrors(t *testing.T) {
	for _, tc := range []struct{ in, mention string }{
		{"list five", "`/blocker list` takes a number from 1 to 100, e.g. `/blocker list 20`; “five” is not one."},
		{"list 0", "`/blocker list` takes a number from 1 to 100"},
		{"list " + strings.Repeat("9", 5000), "`/blocker list` takes a number from 1 to 100"},
		{"show", "`/blocker show` takes one ID, e.g. `/blocker show B-7`."},
		{"show B-1 B-2", "`/blocker show` takes one ID"},
		{"show D-7", `"D-7" is not an ID; write it like B-12 or 12.`},
		{"show " + strings.Repeat("B", 5000), "is not an ID"},
		{"close", "`/blocker close` takes a blocker ID and an optional note"},
		{"edit", "`/blocker edit` takes one ID, e.g. `/blocker edit B-4`. It opens that blocker's form."},
		{"edit B-4 the text", "To report a blocker that starts with “edit”, use the form"},
		{"edit D-4", `"D-4" is not an ID`},
		{"edit " + strings.Repeat("9", 400), "is not an ID"},
		{"resolve", "takes a blocker ID and an optional note"},
		{"resolve   ", "takes a blocker ID and an optional note"},
		{"resolve D-7", `"D-7" is not an ID; write it like B-12 or 12.`},
		{"resolve B-0", "is not an ID"},
		{"resolve seven done", `"seven" is not an ID`},
		{"sla banana", "“banana” is not a duration: write it like 2d, 1d 12h or 4h. A blocker's SLA is from 1h to 90d."},
		{"sla 48h please", "“48h please” is not a duration"},
		{"sla 10m", "A blocker's SLA is from 1h to 90d; 10m is too short."},
		{"sla 100d", "A blocker's SLA is from 1h to 90d; 100d is too long."},
		{"sla 30501w", "A blocker's SLA is from 1h to 90d; “30501w” is too long."},
		{"team platform", "`/blocker team` takes user groups or people as mentions"},
		{"team access to prod, needs <@U0BOB>", "To report a blocker that starts with “team”, use the form"},
		{"team remove", "`/blocker team remove` takes the user groups or people to remove"},
		{"team remove platform", "`/blocker team remove` takes the user groups or people to remove"},
		{"escalate-to lead", "`/blocker escalate-to` takes one person or one channel"},
		{"escalate-to <@U0BOB> <@U0ANN>", "`/blocker escalate-to` takes one person or one channel"},
		{strings.Repeat("é", rituals.MaxBlockerText+1), "That blocker is 3001 characters long; the form holds 3000."},
	} {
		_, err := parseBlocker(tc.in)
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
			t.Errorf("parseBlocker(%q) err=%v, want EINVALID mentioning %q", tc.in, err, tc.mention)
		}
	}
}

func TestParseMentions(t *testing.T) {
	text := "Blocked: <@U0BOB> and <@W0ANN|ann> from <!subteam^S0PLAT|@platform> in <#C0ENG|eng> " +
		"and <#G0SEC|>, again <@U0BOB>, not <!here> nor <!channel> nor <https://x.test|a link> nor <!subteam^bad>"
	want := []rituals.Party{
		{Kind: rituals.PartyUser, ID: "U0BOB"},
		{Kind: rituals.PartyUser, ID: "W0ANN"},
		{Kind: rituals.PartyGroup, ID: "S0PLAT", Name: "@platform"},
		{Kind: rituals.PartyChannel, ID: "C0ENG", Name: "eng"},
		{Kind: rituals.PartyChannel, ID: "G0SEC"},
	}
	if diff := cmp.Diff(want, parseMentions(text)); diff != "" {
		t.Fatalf("parseMentions (-want +got):\n%s", diff)
	}
	if got := parseMentions("@bob typed without escaping, #eng"); len(got) != 0 {
		t.Fatalf("unescaped names read as mentions: %+v", got)
	}
}
