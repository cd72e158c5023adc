package render

import (
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// DescribeWorkdays names working days, runs of three or more as a range
// ("Monday to Friday", "Sunday to Thursday", "Monday, Wednesday"), from
// Monday; the zero set reads as the default, Monday to Friday.
func DescribeWorkdays(w rituals.Workdays) string {
	if !w.Valid() {
		w = rituals.DefaultWorkdays
	}
	if len(w.Days()) == 7 {
		return "every day"
	}
	var parts []string
	for i := range 7 {
		d := (time.Monday + time.Weekday(i)) % 7
		if !w.Has(d) || w.Has((d+6)%7) {
			continue // not a day, or not the first of its run
		}
		end, n := d, 1
		for w.Has((end + 1) % 7) {
			end, n = (end+1)%7, n+1
		}
		switch {
		case n >= 3:
			parts = append(parts, d.String()+" to "+end.String())
		case n == 2:
			parts = append(parts, d.String(), end.String())
		default:
			parts = append(parts, d.String())
		}
	}
	return strings.Join(parts, ", ")
}

// Workdays is the reply to `/alignbot workdays`: the channel's working
// days, and what waits for them.
func Workdays(w rituals.Workdays, isDefault, changed bool) string {
	what := "Working days here: *" + DescribeWorkdays(w) + "*"
	if changed {
		what = "Working days here are now *" + DescribeWorkdays(w) + "*"
	}
	if isDefault {
		what += " (the default)"
	}
	return what + ". Reminders and escalations about this channel's decisions, blockers, check-ins, pulses and action items wait for them, and for working hours in each person's time zone.\n" +
		WorkdaysUsage
}

// WorkdaysUsage says how to set a channel's working days.
const WorkdaysUsage = "`/alignbot workdays <weekdays>` sets them, e.g. `/alignbot workdays sun-thu` or `/alignbot workdays mon,tue,wed,thu`; `/alignbot workdays default` goes back to Monday to Friday."
