package rituals

import (
	"context"
	"fmt"
	"time"
)

// Workdays is a set of weekdays, the working days of a channel's people:
// bit d is set when time.Weekday d is one. Reminders and escalations
// about the channel's items wait for them (see WorkingTime).
type Workdays uint8

// DefaultWorkdays are Monday to Friday: a channel's working days until it
// sets others, and those of reminders that belong to no channel.
const DefaultWorkdays Workdays = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday

// everyDay is the set of all seven days.
const everyDay Workdays = 1<<7 - 1

// NewWorkdays returns the set of days, duplicates read once. Returns
// EINVALID when days is empty or names no weekday: a week without a
// working day would hold every reminder for ever.
func NewWorkdays(days []time.Weekday) (Workdays, error) {
	var w Workdays
	for _, d := range days {
		if d < time.Sunday || d > time.Saturday {
			return 0, Errorf(EINVALID, "%d is not a weekday.", int(d))
		}
		w |= 1 << d
	}
	if w == 0 {
		return 0, Errorf(EINVALID, "Name at least one working day: reminders wait for one.")
	}
	return w, nil
}

// Has reports whether d is a working day.
func (w Workdays) Has(d time.Weekday) bool { return w&(1<<d) != 0 }

// Valid reports whether w holds at least one day and nothing else.
func (w Workdays) Valid() bool { return w != 0 && w&^everyDay == 0 }

// Days lists w's days, from Sunday.
func (w Workdays) Days() []time.Weekday {
	var out []time.Weekday
	for d := time.Sunday; d <= time.Saturday; d++ {
		if w.Has(d) {
			out = append(out, d)
		}
	}
	return out
}

// WorkingTime is when a person is reminded: on Days, from Start o'clock
// until End o'clock (24 for midnight), in their own time zone.
type WorkingTime struct {
	Days       Workdays
	Start, End int
}

// Next returns now when it falls within working time as read in loc, and
// otherwise the first moment of the next: Start o'clock on the next
// working day (today, when today is one and Start has not come yet).
// Days are read in loc: for a person whose zone is ahead, the channel's
// weekend may already be over. A Start that a DST change skips is read
// as the first moment after the gap. Days that are not Valid are read as
// DefaultWorkdays.
func (w WorkingTime) Next(now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	days := w.Days
	if !days.Valid() {
		days = DefaultWorkdays
	}
	y, m, d := now.In(loc).Date()
	// Eight days reach the same weekday next week, whose Start is
	// surely ahead.
	for i := 0; i <= 7; i++ {
		if !days.Has(time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC).Weekday()) {
			continue
		}
		if start := wallClock(y, m, d+i, w.Start, loc); now.Before(start) {
			return start
		}
		if now.Before(wallClock(y, m, d+i, w.End, loc)) {
			return now
		}
	}
	return now // unreachable with Start < End; never holds for ever
}

// wallClock is hour o'clock of that day in loc; an hour that a DST change
// skips is read as the first moment after the gap. (time.Date may read
// it an hour early, on the day before when the gap is at midnight, as in
// America/Havana.)
func wallClock(y int, m time.Month, d, hour int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, hour, 0, 0, 0, loc)
	ty, tm, td := t.Date()
	got := time.Date(ty, tm, td, t.Hour(), t.Minute(), 0, 0, time.UTC)
	want := time.Date(y, m, d, hour, 0, 0, 0, time.UTC)
	switch from, to := t.ZoneBounds(); {
	case got.Before(want) && !to.IsZero():
		return to // read before the gap: its end is the change
	case got.After(want) && !from.IsZero():
		return from // read after it: its start is the change
	}
	return t
}

// WorkdaysStore is what WorkdaySettings reads and writes. storage.DB
// implements it.
type WorkdaysStore interface {
	// ChannelWorkdays returns a channel's working days, and false if it
	// has not set any.
	ChannelWorkdays(ctx context.Context, team, channel string) (Workdays, bool, error)
	// SaveChannelWorkdays sets a channel's working days; zero days
	// clears them, back to DefaultWorkdays.
	SaveChannelWorkdays(ctx context.Context, team, channel string, days Workdays, by string, at time.Time) error
}

// WorkdaySettings are the working days channels set
// (`/alignbot workdays`).
type WorkdaySettings struct {
	Store WorkdaysStore
	Now   func() time.Time
}

// Get returns the caller's channel's working days, and whether they are
// the default.
func (s *WorkdaySettings) Get(ctx context.Context, c Caller) (Workdays, bool, error) {
	w, set, err := s.Store.ChannelWorkdays(ctx, c.Team, c.Channel)
	if err != nil {
		return DefaultWorkdays, true, fmt.Errorf("working days of %s: %w", c.Channel, err)
	}
	if !set || !w.Valid() {
		return DefaultWorkdays, true, nil
	}
	return w, false, nil
}

// Set sets the caller's channel's working days; zero days goes back to
// the default. Open to anyone unless ALIGNBOT_ADMINS is set, then only
// to admins (EFORBIDDEN), as the channel's other settings. Returns
// EINVALID for days that are not a set of weekdays.
func (s *WorkdaySettings) Set(ctx context.Context, c Caller, days Workdays) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change this channel's working days.")
	}
	if days != 0 && !days.Valid() {
		return Errorf(EINVALID, "Those are not working days.")
	}
	if days == DefaultWorkdays {
		days = 0 // the default, stored as none: it follows the default
	}
	if err := s.Store.SaveChannelWorkdays(ctx, c.Team, c.Channel, days, c.User, s.Now()); err != nil {
		return fmt.Errorf("set working days of %s: %w", c.Channel, err)
	}
	return nil
}
