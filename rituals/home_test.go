package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestHomeRefresh pins the refresh an App Home change queues: a person's
// own, or one that fans out to a channel's people; one lane each, so a
// burst costs one publish.
func TestHomeRefresh(t *testing.T) {
	for _, tc := range []struct {
		id          string
		interactive bool
		want        rituals.Outgoing
	}{
		{"U1", true, rituals.Outgoing{Team: team, Kind: rituals.KindHomeRefresh, Lane: "home:U1", User: "U1", Interactive: true}},
		{"W2", false, rituals.Outgoing{Team: team, Kind: rituals.KindHomeRefresh, Lane: "home:W2", User: "W2"}},
		{"C1", true, rituals.Outgoing{Team: team, Kind: rituals.KindHomeChannel, Lane: "home:C1", Channel: "C1"}},
	} {
		if diff := cmp.Diff(tc.want, rituals.HomeRefresh(team, tc.id, tc.interactive)); diff != "" {
			t.Errorf("HomeRefresh(%s) (-want +got):\n%s", tc.id, diff)
		}
	}
}

// TestHeldReminder pins how a folded reminder names its subject and
// where it lives.
func TestHeldReminder(t *testing.T) {
	for _, tc := range []struct {
		r           rituals.HeldReminder
		id, channel string
	}{
		{rituals.HeldReminder{Decision: &rituals.Decision{Number: 12, Channel: "C1"}}, "D-12", "C1"},
		{rituals.HeldReminder{Pulse: &rituals.Pulse{Number: 3, Channel: "C2"}}, "P-3", "C2"},
		{rituals.HeldReminder{Checkin: &rituals.Checkin{Channel: "C3", ScheduledFor: time.Now()}}, "check-in", "C3"},
		{rituals.HeldReminder{Session: &rituals.Session{Number: 4, Channel: "C4"}, Item: &rituals.Item{Session: 4, Number: 2}}, "R-4 #2", "C4"},
		{rituals.HeldReminder{}, "", ""},
	} {
		if id, ch := tc.r.ID(), tc.r.Channel(); id != tc.id || ch != tc.channel {
			t.Errorf("ID, Channel = %q, %q; want %q, %q", id, ch, tc.id, tc.channel)
		}
	}
}
