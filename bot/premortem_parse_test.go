package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseSession(t *testing.T) {
	pm, retro := rituals.SessionPremortem, rituals.SessionRetro
	open := func(kind rituals.SessionKind, name string, closeIn time.Duration, launch rituals.Date) sessionCmd {
		return sessionCmd{Op: opSessionOpen, In: rituals.SessionInput{Kind: kind, Name: name, CloseIn: closeIn, LaunchOn: launch}}
	}
	for _, tc := range []struct {
		kind rituals.SessionKind
		in   string
		want sessionCmd
	}{
		{pm, "", sessionCmd{Op: opSessionStatus}}, // a bare command shows the status
		{retro, " \n\t ", sessionCmd{Op: opSessionStatus}},
		{pm, "help", sessionCmd{Op: opSessionHelp}},
		{retro, "HELP please", sessionCmd{Op: opSessionHelp}},
		{pm, "list", sessionCmd{Op: opSessionList, Limit: rituals.MaxListLimit}},
		{retro, "LIST 5", sessionCmd{Op: opSessionList, Limit: 5}},
		{pm, "close R-4", sessionCmd{Op: opSessionClose, ID: rituals.SessionID{Number: 4}}},
		{retro, "close r4", sessionCmd{Op: opSessionClose, ID: rituals.SessionID{Number: 4}}},
		{pm, "close 4", sessionCmd{Op: opSessionClose, ID: rituals.SessionID{Number: 4}}},
		{pm, "close PM-3", sessionCmd{Op: opSessionClose, ID: rituals.SessionID{Number: 3, Kind: pm}}},
		{retro, "close pm3", sessionCmd{Op: opSessionClose, ID: rituals.SessionID{Number: 3, Kind: pm}}},
		{pm, "show PM-3", sessionCmd{Op: opSessionShow, ID: rituals.SessionID{Number: 3, Kind: pm}}},
		{retro, "Show  R-4 ", sessionCmd{Op: opSessionShow, ID: rituals.SessionID{Number: 4}}},
		{retro, `"show and tell"`, open(retro, "show and tell", 0, "")},
		{pm, "Checkout v2", open(pm, "Checkout v2", 0, "")},
		{pm, "  Checkout   v2  ", open(pm, "Checkout   v2", 0, "")},
		{pm, "Checkout v2 close in 72h", open(pm, "Checkout v2", 72*time.Hour, "")},
		{pm, "Checkout v2 launch 2026-12-10", open(pm, "Checkout v2", 0, "2026-12-10")},
		{pm, "Checkout v2 close in 3d launch 2026-12-10", open(pm, "Checkout v2", 72*time.Hour, "2026-12-10")},
		{pm, "Checkout v2 LAUNCH 2026-12-10 Close In 1w", open(pm, "Checkout v2", 7*24*time.Hour, "2026-12-10")},
		{pm, "Launch of the new checkout", open(pm, "Launch of the new checkout", 0, "")},
		{pm, "Checkout launch tomorrow", open(pm, "Checkout launch tomorrow", 0, "")},
		{pm, "Closing the Berlin office", open(pm, "Closing the Berlin office", 0, "")},
		{pm, `"list view redesign"`, open(pm, "list view redesign", 0, "")},
		{retro, "Q3 incident <#C0OPS|ops>", open(retro, "Q3 incident <#C0OPS|ops>", 0, "")},
		{retro, "Checkout v2 close in 1d", open(retro, "Checkout v2", 24*time.Hour, "")},
		{retro, "Checkout v2 close in 1d 12h", open(retro, "Checkout v2", 36*time.Hour, "")}, // as alignbot writes it
		{pm, "Checkout v2 close in 1d 12h launch 2026-12-10", open(pm, "Checkout v2", 36*time.Hour, "2026-12-10")},
	} {
		got, err := parseSession(tc.kind, tc.in)
		if err != nil {
			t.Errorf("parseSession(%s, %q): %v", tc.kind, tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseSession(%s, %q) (-want +got):\n%s", tc.kind, tc.in, diff)
		}
	}
}

func TestParseSessionErrors(t *testing.T) {
	pm, retro := rituals.SessionPremortem, rituals.SessionRetro
	for _, tc := range []struct {
		kind        rituals.SessionKind
		in, mention string
	}{
		{pm, `""`, "Name the launch: `/premortem <launch> [close in 2d] [launch YYYY-MM-DD]`"},
		{retro, `""`, "Name what the retro looks back on: `/retro <name> [close in 2d]`"},
		{pm, "launch 2026-12-10", "Name the launch:"},
		{pm, "close in 48h", "Give the name first"},
		{pm, "list all", "`/premortem list` takes a number from 1 to 100, e.g. `/premortem list 20`; “all” is not one. To name one that starts with “list”, put the name in quotes."},
		{retro, "list 0", "`/retro list` takes a number from 1 to 100"},
		{retro, "list 101", "“101” is not one"},
		{pm, "close", "`/premortem close` takes one ID, e.g. `/premortem close PM-4`."},
		{retro, "close R-1 now", "`/retro close` takes one ID, e.g. `/retro close R-4`."},
		{pm, "close the gap", "put the name in quotes"},
		{pm, "close gap", `"gap" is not a pre-mortem ID; write it like PM-4 or 4.`},
		{retro, "show", "`/retro show` takes one ID, e.g. `/retro show R-4`. To name one that starts with “show”, put the name in quotes."},
		{retro, "show R-0", `"R-0" is not a retro ID`},
		{retro, "show R--4", `"R--4" is not a retro ID`},
		{retro, "show PMR-4", `"PMR-4" is not a retro ID`},
		{retro, "show +4", `"+4" is not a retro ID`},
		{retro, "show 99999999999999999999", `is not a retro ID`},
		{pm, "show " + strings.Repeat("9", 5000), `is not a pre-mortem ID`},
		{pm, "Checkout close in soon", "“soon” is not a duration: write it like 2d, 1d 12h or 4h. A pre-mortem or retro stays open from 1h to 30d."},
		{pm, "Checkout close in 30m", "A pre-mortem or retro stays open from 1h to 30d; 30m is too short."},
		{pm, "Checkout close in 60d", "A pre-mortem or retro stays open from 1h to 30d; 60d is too long."},
		{pm, "Checkout close in 30501w", "A pre-mortem or retro stays open from 1h to 30d; “30501w” is too long."},
		{pm, "Checkout launch 2026-13-01", `"2026-13-01" is not a date`},
	} {
		_, err := parseSession(tc.kind, tc.in)
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
			t.Errorf("parseSession(%s, %q): err=%v, want EINVALID mentioning %q", tc.kind, tc.in, err, tc.mention)
		}
	}
}
