package rituals

import (
	"fmt"
	"time"
)

// Date is a calendar day, "YYYY-MM-DD", with no time zone of its own. The
// zero value means "no date".
type Date string

const dateLayout = "2006-01-02"

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date { return Date(t.Format(dateLayout)) }

// ParseDate parses "YYYY-MM-DD". Returns EINVALID for anything else.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return "", Errorf(EINVALID, "%q is not a date; write it as YYYY-MM-DD, e.g. 2026-05-01.", s)
	}
	return DateOf(t), nil
}

// Time returns the start of the day in loc.
func (d Date) Time(loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(dateLayout, string(d), loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", string(d), err)
	}
	return t, nil
}

// Before reports whether d is an earlier day than o. Both must be set.
func (d Date) Before(o Date) bool { return d < o }

// After reports whether d is a later day than o. Both must be set.
func (d Date) After(o Date) bool { return d > o }

// AddDays returns the day n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return d
	}
	return DateOf(t.AddDate(0, 0, n))
}

// IsZero reports whether no date is set.
func (d Date) IsZero() bool { return d == "" }

func (d Date) String() string { return string(d) }

// DaysBetween returns how many days to is after from (negative if
// before), or 0 if either is not a date.
func DaysBetween(from, to Date) int {
	f, err1 := time.Parse(dateLayout, string(from))
	t, err2 := time.Parse(dateLayout, string(to))
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(f).Hours() / 24)
}
