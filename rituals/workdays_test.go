package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func zone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func workdays(tb testing.TB, days ...time.Weekday) rituals.Workdays {
	tb.Helper()
	return must(rituals.NewWorkdays(days))(tb)
}

// TestWorkingTimeNext pins when a reminder or an escalation may go: now,
// within working hours on a working day in the person's zone; else at
// the start of working hours on their next working day.
func TestWorkingTimeNext(t *testing.T) {
	berlin, auckland, ny, havana := zone(t, "Europe/Berlin"), zone(t, "Pacific/Auckland"), zone(t, "America/New_York"), zone(t, "America/Havana")
	sunThu := workdays(t, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday)
	utc := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	for _, tc := range []struct {
		name       string
		days       rituals.Workdays
		start, end int
		now        string
		loc        *time.Location
		want       string
	}{
		{"WeekdayInHoursGoesNow", rituals.DefaultWorkdays, 8, 19, "2026-12-04T10:00:00Z", time.UTC, "2026-12-04T10:00:00Z"},
		{"SaturdayWaitsForMonday", rituals.DefaultWorkdays, 8, 19, "2026-12-05T10:00:00Z", time.UTC, "2026-12-07T08:00:00Z"},
		{"FridayEveningWaitsForMonday", rituals.DefaultWorkdays, 8, 19, "2026-12-04T19:00:00Z", time.UTC, "2026-12-07T08:00:00Z"},
		{"MondayBeforeHoursWaitsForThem", rituals.DefaultWorkdays, 8, 19, "2026-12-07T05:00:00Z", time.UTC, "2026-12-07T08:00:00Z"},
		{"MondayInBerlinStartsAt7UTC", rituals.DefaultWorkdays, 8, 19, "2026-12-05T12:00:00Z", berlin, "2026-12-07T07:00:00Z"},
		// Saturday 20:00 UTC is Sunday 09:00 in Auckland: a Sunday-to-
		// Thursday channel's weekend is over there, but not Monday to
		// Friday's.
		{"WeekendAlreadyOverAhead", sunThu, 8, 19, "2026-12-05T20:00:00Z", auckland, "2026-12-05T20:00:00Z"},
		{"WeekendNotOverAhead", rituals.DefaultWorkdays, 8, 19, "2026-12-05T20:00:00Z", auckland, "2026-12-06T19:00:00Z"},
		// Monday 02:00 UTC is still Sunday in New York.
		{"StillSundayBehind", rituals.DefaultWorkdays, 8, 19, "2026-12-07T02:00:00Z", ny, "2026-12-07T13:00:00Z"},
		{"SunThuFridayWaitsForSunday", sunThu, 8, 19, "2026-12-04T10:00:00Z", time.UTC, "2026-12-06T08:00:00Z"},
		{"SunThuSundayGoes", sunThu, 8, 19, "2026-12-06T10:00:00Z", time.UTC, "2026-12-06T10:00:00Z"},
		{"OneDayAWeekWaitsAWeek", workdays(t, time.Wednesday), 8, 19, "2026-12-02T19:30:00Z", time.UTC, "2026-12-09T08:00:00Z"},
		// Berlin moves to summer time on Sunday 29 March 2026: Monday
		// 08:00 is 06:00 UTC, the Saturday before it 07:00.
		{"AcrossDSTStart", rituals.DefaultWorkdays, 8, 19, "2026-03-28T12:00:00Z", berlin, "2026-03-30T06:00:00Z"},
		{"AcrossDSTEnd", rituals.DefaultWorkdays, 8, 19, "2026-10-24T12:00:00Z", berlin, "2026-10-26T07:00:00Z"},
		// Havana's clocks skip midnight on Sunday 8 March 2026: a start
		// at midnight that day is read as 01:00 CDT, the end of the gap,
		// not as 23:00 on Saturday, as time.Date reads it.
		{"StartInMidnightDSTGap", workdays(t, time.Sunday), 0, 24, "2026-03-07T12:00:00Z", havana, "2026-03-08T05:00:00Z"},
		{"StartInDSTGap", workdays(t, time.Sunday), 2, 19, "2026-03-28T12:00:00Z", berlin, "2026-03-29T01:00:00Z"},
		{"InvalidDaysReadAsDefault", 0, 8, 19, "2026-12-05T10:00:00Z", time.UTC, "2026-12-07T08:00:00Z"},
		{"NoZoneIsUTC", rituals.DefaultWorkdays, 8, 19, "2026-12-05T10:00:00Z", nil, "2026-12-07T08:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := rituals.WorkingTime{Days: tc.days, Start: tc.start, End: tc.end}
			got := w.Next(utc(tc.now), tc.loc)
			if want := utc(tc.want); !got.Equal(want) {
				t.Fatalf("Next(%s) = %v, want %v", tc.now, got.UTC(), want)
			}
		})
	}
}

// TestNewWorkdays refuses a week without a working day, and reads
// duplicates once.
func TestNewWorkdays(t *testing.T) {
	t.Run("ErrNoDay", func(t *testing.T) {
		_, err := rituals.NewWorkdays(nil)
		wantCode(t, err, rituals.EINVALID)
	})
	t.Run("ErrNotAWeekday", func(t *testing.T) {
		_, err := rituals.NewWorkdays([]time.Weekday{7})
		wantCode(t, err, rituals.EINVALID)
	})
	t.Run("DuplicatesReadOnce", func(t *testing.T) {
		w := workdays(t, time.Monday, time.Monday, time.Friday)
		if got := w.Days(); len(got) != 2 || got[0] != time.Monday || got[1] != time.Friday {
			t.Fatalf("Days() = %v", got)
		}
	})
	t.Run("EveryDay", func(t *testing.T) {
		w := workdays(t, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
		if !w.Valid() || len(w.Days()) != 7 {
			t.Fatalf("every day: %v", w.Days())
		}
	})
}

// TestWorkdaySettings covers a channel's working days: the default, set,
// refused to non-admins when ALIGNBOT_ADMINS is set, and back to the
// default.
func TestWorkdaySettings(t *testing.T) {
	w := newWorld(t)
	s := &rituals.WorkdaySettings{Store: w.db, Now: w.clock.Now}
	get := func(c rituals.Caller) (rituals.Workdays, bool) { return must2(s.Get(w.ctx, c))(t) }
	if days, isDefault := get(caller("U1")); days != rituals.DefaultWorkdays || !isDefault {
		t.Fatalf("days %v default %v, want Monday to Friday", days.Days(), isDefault)
	}
	sunThu := workdays(t, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday)
	admins := caller("U1")
	admins.AdminsOnly = true
	wantCode(t, s.Set(w.ctx, admins, sunThu), rituals.EFORBIDDEN)
	wantCode(t, s.Set(w.ctx, caller("U1"), 1<<7), rituals.EINVALID)
	if _, isDefault := get(caller("U1")); !isDefault {
		t.Fatal("a refused change was written")
	}
	admins.Admin = true
	ok(t, s.Set(w.ctx, admins, sunThu))
	if days, isDefault := get(caller("U1")); days != sunThu || isDefault {
		t.Fatalf("days %v default %v, want Sunday to Thursday set", days.Days(), isDefault)
	}
	if _, isDefault := get(callerIn("U1", "C2")); !isDefault {
		t.Fatal("another channel's days changed")
	}
	ok(t, s.Set(w.ctx, caller("U1"), 0))
	if days, isDefault := get(caller("U1")); days != rituals.DefaultWorkdays || !isDefault {
		t.Fatalf("days %v default %v after reset, want the default", days.Days(), isDefault)
	}
}

// TestHeldMessagesNameTheirChannel checks what the sender holds for
// working time: a blocker's escalation DMs are held (never capped) and
// name the blocker's channel, whose working days they wait for; its
// report's notices are not held.
func TestHeldMessagesNameTheirChannel(t *testing.T) {
	w := newWorld(t)
	b := must(w.blockers.Report(w.ctx, caller("U1"), rituals.BlockerInput{Text: "Vendor API key expired",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	for _, it := range ofKind(w.sent(t), rituals.KindBlockerNotice) {
		if it.Held || it.Reminder {
			t.Fatalf("the report's notice to %s is held", it.Channel)
		}
	}
	got := ofKind(w.tickTwice(t, b.CreatedAt.Add(rituals.DefaultSLA)), rituals.KindBlockerNotice)
	if len(got) == 0 {
		t.Fatal("no escalation")
	}
	for _, it := range got {
		if !it.Held || it.Reminder || it.Origin != channel || it.User != it.Channel {
			t.Fatalf("escalation to %s: held %v, reminder %v, origin %q, user %q; want held for %s's days, not capped",
				it.Channel, it.Held, it.Reminder, it.Origin, it.User, channel)
		}
	}
}
