package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// TestCallerToday pins "today": the caller's date, UTC when their zone
// is unknown.
func TestCallerToday(t *testing.T) {
	late := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		loc  *time.Location
		want rituals.Date
	}{
		{"UnknownZoneIsUTC", nil, "2026-03-02"},
		{"AheadOfUTC", time.FixedZone("UTC+1", 3600), "2026-03-03"},
		{"BehindUTC", time.FixedZone("UTC-5", -5*3600), "2026-03-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (rituals.Caller{Location: tc.loc}).Today(late); got != tc.want {
				t.Fatalf("Today=%s, want %s", got, tc.want)
			}
		})
	}
}

// TestWhoMay pins who may change what: shared settings anyone until
// admins are named; a decision its owner, author or an admin; a pulse or
// session its creator or an admin; a session's item also its author and
// owner. Nobody is anybody with an empty user.
func TestWhoMay(t *testing.T) {
	d := &rituals.Decision{Owner: "UO", Author: "UA"}
	p := &rituals.Pulse{CreatedBy: "UC"}
	s := &rituals.Session{Creator: "UC"}
	it := &rituals.Item{Author: "UA", Owner: "UO"}
	may := map[string]func(rituals.Caller) bool{
		"SetUp":        rituals.Caller.MaySetUp,
		"EditDecision": d.CanEdit,
		"ManagePulse":  p.CanManage,
		"CloseSession": s.MayClose,
		"TrackItem":    func(c rituals.Caller) bool { return it.MayTrack(c, s) },
	}
	admin := rituals.Caller{User: "UX", Admin: true, AdminsOnly: true}
	for _, tc := range []struct {
		what   string
		caller rituals.Caller
		want   bool
	}{
		{"SetUp", rituals.Caller{User: "UX"}, true},
		{"SetUp", rituals.Caller{User: "UX", AdminsOnly: true}, false},
		{"SetUp", admin, true},
		{"EditDecision", rituals.Caller{User: "UO"}, true},
		{"EditDecision", rituals.Caller{User: "UA"}, true},
		{"EditDecision", rituals.Caller{User: "UX"}, false},
		{"EditDecision", admin, true},
		{"ManagePulse", rituals.Caller{User: "UC"}, true},
		{"ManagePulse", rituals.Caller{User: "UX"}, false},
		{"ManagePulse", rituals.Caller{}, false},
		{"ManagePulse", admin, true},
		{"CloseSession", rituals.Caller{User: "UC"}, true},
		{"CloseSession", rituals.Caller{User: "UA"}, false},
		{"CloseSession", admin, true},
		{"TrackItem", rituals.Caller{User: "UC"}, true},
		{"TrackItem", rituals.Caller{User: "UA"}, true},
		{"TrackItem", rituals.Caller{User: "UO"}, true},
		{"TrackItem", rituals.Caller{User: "UX"}, false},
		{"TrackItem", admin, true},
	} {
		if got := may[tc.what](tc.caller); got != tc.want {
			t.Errorf("%s by %+v = %v, want %v", tc.what, tc.caller, got, tc.want)
		}
	}
	if (&rituals.Session{}).MayClose(rituals.Caller{}) || (&rituals.Decision{}).CanEdit(rituals.Caller{}) {
		t.Error("an empty user matched an empty creator")
	}
}

// TestVisibleIn pins privacy: an entry of a private channel is shown only
// inside it; a public one anywhere.
func TestVisibleIn(t *testing.T) {
	for _, tc := range []struct {
		private bool
		from    string
		want    bool
	}{
		{false, "C1", true}, {false, "C2", true}, {true, "C1", true}, {true, "C2", false},
	} {
		got := []bool{
			(&rituals.Decision{Channel: "C1", ChannelPrivate: tc.private}).VisibleIn(tc.from),
			(&rituals.Blocker{Channel: "C1", ChannelPrivate: tc.private}).VisibleIn(tc.from),
			(&rituals.Pulse{Channel: "C1", ChannelPrivate: tc.private}).VisibleIn(tc.from),
			(&rituals.Session{Channel: "C1", ChannelPrivate: tc.private}).VisibleIn(tc.from),
		}
		for i, v := range got {
			if v != tc.want {
				t.Errorf("entry %d private=%v from %s: VisibleIn=%v, want %v", i, tc.private, tc.from, v, tc.want)
			}
		}
	}
}
