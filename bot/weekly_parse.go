package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

var timeOfDay = regexp.MustCompile(`^([01]?\d|2[0-3]):([0-5]\d)$`)

// parseWeekly reads "<weekdays> <HH:MM> [zone]", the arguments of every
// "every" subcommand; usage says how to write it right. A missing zone is
// left empty: the caller's.
func parseWeekly(args []string, usage string) (rituals.WeeklyTime, error) {
	if len(args) < 2 || len(args) > 3 {
		return rituals.WeeklyTime{}, rituals.Errorf(rituals.EINVALID, "%s", usage)
	}
	days, err := parseWeekdays(args[0], usage)
	if err != nil {
		return rituals.WeeklyTime{}, err
	}
	m := timeOfDay.FindStringSubmatch(args[1])
	if m == nil {
		return rituals.WeeklyTime{}, rituals.Errorf(rituals.EINVALID, "%q is not a time of day. %s", render.Clip(args[1], 20), usage)
	}
	hour, _ := strconv.Atoi(m[1])
	minute, _ := strconv.Atoi(m[2])
	t := rituals.WeeklyTime{Days: days, Hour: hour, Minute: minute}
	if len(args) == 3 {
		z := args[2]
		if _, err := rituals.ParseZone(z); err != nil {
			return rituals.WeeklyTime{}, rituals.Errorf(rituals.EINVALID, "%q is not a time zone. %s", render.Clip(z, 40), usage)
		}
		t.Zone = z
	}
	return t, nil
}

// parseWeekdays reads "mon", "monday", "mon,thu", "mon-fri" or "weekdays".
func parseWeekdays(s, usage string) ([]time.Weekday, error) {
	bad := func(w string) error {
		return rituals.Errorf(rituals.EINVALID, "%q is not a weekday. %s", render.Clip(w, 20), usage)
	}
	if strings.EqualFold(s, "weekdays") {
		s = "mon-fri"
	}
	var out []time.Weekday
	for _, part := range strings.Split(strings.ToLower(s), ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := weekdayNames[from]
		if !ok {
			return nil, bad(from)
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, ok := weekdayNames[to]
		if !ok {
			return nil, bad(to)
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}
