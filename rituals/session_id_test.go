package rituals_test

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseSessionID(t *testing.T) {
	pm, retro := rituals.SessionPremortem, rituals.SessionRetro
	for _, tc := range []struct {
		in   string
		want rituals.SessionID
	}{
		{"PM-3", rituals.SessionID{Number: 3, Kind: pm}},
		{"pm3", rituals.SessionID{Number: 3, Kind: pm}},
		{" Pm-12 ", rituals.SessionID{Number: 12, Kind: pm}},
		{"R-4", rituals.SessionID{Number: 4}}, // either kind: pre-mortems were R-n
		{"r4", rituals.SessionID{Number: 4}},
		{"4", rituals.SessionID{Number: 4}},
	} {
		got, err := rituals.ParseSessionID(retro, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSessionID(%q)=%+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "PM", "R", "PM-", "R-0", "-4", "+4", "R-+4", "PM--3", "RPM-3", "P-3", "D-3", "4a", "R 4",
		"99999999999999999999", strings.Repeat("R", 10000)} {
		_, err := rituals.ParseSessionID(pm, in)
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), "is not a pre-mortem ID; write it like PM-4 or 4.") {
			t.Errorf("ParseSessionID(%q): %v, want EINVALID", in, err)
		}
		if len(rituals.ErrorMessage(err)) > 200 {
			t.Errorf("ParseSessionID(%q): a message of %d bytes", in[:20], len(rituals.ErrorMessage(err)))
		}
	}
}

func TestSessionIDsHaveTheirKindsPrefix(t *testing.T) {
	pm := &rituals.Session{Number: 3, Kind: rituals.SessionPremortem}
	retro := &rituals.Session{Number: 4, Kind: rituals.SessionRetro}
	for _, tc := range []struct{ got, want string }{
		{pm.ID(), "PM-3"},
		{retro.ID(), "R-4"},
		{(&rituals.Item{Session: 3, Number: 2, Kind: rituals.ItemFailure}).Ref(), "PM-3 #2"},
		{(&rituals.Item{Session: 3, Number: 2, Kind: rituals.ItemAssumption}).Ref(), "PM-3 #2"},
		{(&rituals.Item{Session: 4, Number: 1, Kind: rituals.ItemChange}).Ref(), "R-4 #1"},
		{rituals.AgendaAction{Session: 3, Item: 2, Kind: rituals.ItemFailure}.Ref(), "PM-3 #2"},
		{rituals.AgendaAction{Session: 4, Item: 1}.Ref(), "R-4 #1"}, // an agenda kept before kinds were
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestSessionIDMatches(t *testing.T) {
	pm := &rituals.Session{Number: 3, Kind: rituals.SessionPremortem}
	retro := &rituals.Session{Number: 4, Kind: rituals.SessionRetro}
	for _, tc := range []struct {
		id      rituals.SessionID
		ses     *rituals.Session
		kind    rituals.SessionKind
		code    string
		message string
	}{
		{rituals.SessionID{Number: 3, Kind: rituals.SessionPremortem}, pm, rituals.SessionPremortem, "", ""},
		{rituals.SessionID{Number: 3}, pm, rituals.SessionPremortem, "", ""}, // R-3, as it was shown before
		{rituals.SessionID{Number: 4}, retro, rituals.SessionRetro, "", ""},
		{rituals.SessionID{Number: 3, Kind: rituals.SessionPremortem}, pm, rituals.SessionRetro, rituals.EINVALID,
			"PM-3 is a pre-mortem; close it with `/premortem close PM-3`."},
		{rituals.SessionID{Number: 3}, pm, rituals.SessionRetro, rituals.EINVALID,
			"PM-3 is a pre-mortem; close it with `/premortem close PM-3`."},
		{rituals.SessionID{Number: 4}, retro, rituals.SessionPremortem, rituals.EINVALID,
			"R-4 is a retro; close it with `/retro close R-4`."},
		{rituals.SessionID{Number: 4, Kind: rituals.SessionPremortem}, retro, rituals.SessionRetro, rituals.ENOTFOUND,
			"There is no pre-mortem PM-4 that you can see from this channel; R-4 is a retro."},
	} {
		err := tc.id.Matches(tc.ses, tc.kind, "close")
		if rituals.ErrorCode(err) != tc.code || rituals.ErrorMessage(err) != tc.message && tc.code != "" {
			t.Errorf("%v.Matches(%s, %s)=%v, want %s %q", tc.id, tc.ses.ID(), tc.kind, err, tc.code, tc.message)
		}
	}
}
