package rituals_test

import (
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// TestScheduleNext pins when a schedule runs: its cron spec read in its
// zone, so 09:00 stays 09:00 when the clocks change.
func TestScheduleNext(t *testing.T) {
	berlin := rituals.Schedule{Spec: "0 9 * * 1", Zone: rituals.StoredZone("Europe/Berlin")}
	for _, tc := range []struct {
		name  string
		s     rituals.Schedule
		after time.Time
		want  time.Time
	}{
		{"WinterTimeIsUTCPlusOne", berlin, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC)},
		{"SummerTimeIsUTCPlusTwo", berlin, time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC)},
		{"StrictlyAfter", berlin, time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC)},
		{"SeveralDays", rituals.Schedule{Spec: "30 16 * * 1,4", Zone: rituals.StoredZone("UTC")}, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 16, 30, 0, 0, time.UTC)},
		{"Monthly", rituals.Schedule{Spec: "0 10 28 * *", Zone: rituals.StoredZone("Asia/Tokyo")}, time.Date(2026, 2, 28, 1, 0, 0, 0, time.UTC), time.Date(2026, 3, 28, 1, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.s.Next(tc.after)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Fatalf("Next(%v)=%v, want %v in UTC", tc.after, got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name    string
		s       rituals.Schedule
		mention string
	}{
		{"ErrNoZone", rituals.Schedule{Spec: "0 9 * * 1"}, "is not a time zone"},
		{"ErrBadZone", rituals.Schedule{Spec: "0 9 * * 1", Zone: rituals.StoredZone("Mars/Olympus")}, "is not a time zone"},
		{"ErrBadSpec", rituals.Schedule{Spec: "every monday", Zone: rituals.StoredZone("UTC")}, "is not a schedule"},
		{"ErrNever", rituals.Schedule{Spec: "0 9 30 2 *", Zone: rituals.StoredZone("UTC")}, "never happens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.Next(monday)
			if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
				t.Fatalf("Next: %v, want EINVALID saying %q", err, tc.mention)
			}
		})
	}
}

// TestRitualOf pins how a schedule's kind names its ritual: the part
// before a "/".
func TestRitualOf(t *testing.T) {
	for kind, want := range map[string]string{
		"checkin": "checkin", "digest": "digest", "pulse/3": "pulse", "pulse/": "pulse", "a/b/c": "a", "": "",
	} {
		if got := rituals.RitualOf(kind); got != want {
			t.Errorf("RitualOf(%q)=%q, want %q", kind, got, want)
		}
	}
}

// TestOccurrenceKey pins the names of a scheduled run's messages: kind,
// channel and scheduled time in milliseconds, the same as its check-in's.
func TestOccurrenceKey(t *testing.T) {
	o := rituals.Occurrence{Kind: rituals.CheckinKind, Channel: channel, ScheduledFor: monday}
	chk := rituals.Checkin{Channel: channel, ScheduledFor: monday}
	if got, want := o.Key(), rituals.MessageKey("checkin/C1/1772442000000"); got != want || chk.Key() != want {
		t.Fatalf("Key=%q, check-in's %q, want %q", got, chk.Key(), want)
	}
	if got, want := chk.AnswerKey("U1"), rituals.MessageKey("checkin/C1/1772442000000/answer/U1"); got != want {
		t.Fatalf("AnswerKey=%q, want %q", got, want)
	}
}
