package rituals

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Duration is a length of time as people type and read it: whole minutes,
// written in days, hours and minutes ("7d", "1d 12h", "2h 30m"). Every
// setting a person types (a blocker's SLA, how long a check-in, a pulse or
// a session stays open) is read with ParseDuration and every duration
// alignbot writes for people is written by String, so a setting reads the
// same wherever it shows. Values the domain computes with and stores stay
// time.Duration; Duration is how one crosses to and from people.
type Duration time.Duration

// MaxDuration is the longest duration any bounds allow: a year, longer
// than any setting takes, and far from where time.Duration overflows.
const MaxDuration = 365 * 24 * time.Hour

// DurationBounds are the durations one setting takes, and how a sentence
// about it starts.
type DurationBounds struct {
	// What starts the sentence that states the bounds, e.g. "A check-in
	// stays open" reads "A check-in stays open from 1h to 6d."
	What     string
	Min, Max Duration
}

// The bounds of each duration setting.
var (
	SLABounds           = DurationBounds{What: "A blocker's SLA is", Min: Duration(MinSLA), Max: Duration(MaxSLA)}
	CheckinWindowBounds = DurationBounds{What: "A check-in stays open", Min: Duration(MinCheckinWindow), Max: Duration(MaxCheckinWindow)}
	PulseOpenForBounds  = DurationBounds{What: "A pulse stays open", Min: Duration(MinPulseOpenFor), Max: Duration(MaxPulseOpenFor)}
	SessionWindowBounds = DurationBounds{What: "A pre-mortem or retro stays open", Min: Duration(MinSessionWindow), Max: Duration(MaxSessionWindow)}
	ReviewSLABounds     = DurationBounds{What: "A review SLA is", Min: Duration(MinReviewSLA), Max: Duration(MaxReviewSLA)}
)

// durationUnits are the units ParseDuration reads, by their letter.
var durationUnits = map[byte]time.Duration{'w': 7 * 24 * time.Hour, 'd': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}

// ParseDuration reads a duration people type: numbers, each with a unit of
// w, d, h or m, in any case, with or without spaces between them: "72h",
// "3d", "1d12h", "1d 12h", "90m", "2w", "3 d". Returns EINVALID, with a
// sentence naming b's bounds, for anything else or for a value outside
// them; a value too long to hold is refused as too long, never wrapped
// around.
func ParseDuration(s string, b DurationBounds) (Duration, error) {
	d, over, ok := parseDuration(s)
	switch {
	case !ok:
		return 0, Errorf(EINVALID, "“%s” is not a duration: write it like 2d, 1d 12h or 4h. %s.",
			truncate(strings.Join(strings.Fields(s), " "), 40), b.sentence())
	case over:
		return 0, Errorf(EINVALID, "%s; “%s” is too long.", b.sentence(), truncate(strings.Join(strings.Fields(s), " "), 40))
	}
	return d, b.Check(d)
}

// Check returns nil if d is within b. Returns EINVALID, with a sentence
// naming the bounds, if it is not.
func (b DurationBounds) Check(d Duration) error {
	switch {
	case d < b.Min:
		return Errorf(EINVALID, "%s; %s is too short.", b.sentence(), d)
	case d > b.Max:
		return Errorf(EINVALID, "%s; %s is too long.", b.sentence(), d)
	}
	return nil
}

func (b DurationBounds) sentence() string {
	return fmt.Sprintf("%s from %s to %s", b.What, b.Min, b.Max)
}

// parseDuration reads s as ParseDuration does. ok is false if s is not a
// duration; over is true if it is one longer than MaxDuration, which is
// then not returned.
func parseDuration(s string) (d Duration, over, ok bool) {
	t := strings.ToLower(strings.TrimFunc(s, unicode.IsSpace))
	if t == "" {
		return 0, false, false
	}
	for t != "" {
		i := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		digits := t[:i]
		t = strings.TrimLeftFunc(t[i:], unicode.IsSpace)
		if digits == "" || t == "" {
			return 0, false, false
		}
		unit, known := durationUnits[t[0]]
		if !known {
			return 0, false, false
		}
		t = strings.TrimLeftFunc(t[1:], unicode.IsSpace)
		// Digit by digit, stopping past MaxDuration: no product or sum
		// here can overflow, however many digits there are.
		var n time.Duration
		for _, c := range digits {
			if !over {
				n = n*10 + time.Duration(c-'0')
				over = n > MaxDuration/unit
			}
		}
		if !over {
			d += Duration(n * unit)
			over = d > Duration(MaxDuration)
		}
	}
	if over {
		return 0, true, true
	}
	return d, false, true
}

// String writes d in whole days, hours and minutes, largest first and
// leaving out the zeros: "7d", "1d 12h", "2h 30m", "0m". Seconds are
// dropped. ParseDuration reads every such string back as d.
func (d Duration) String() string {
	if d < 0 {
		// In whole minutes first, so the most negative value negates.
		if m := d / Duration(time.Minute); m < 0 {
			return "-" + (-m * Duration(time.Minute)).String()
		}
		return "0m"
	}
	var parts []string
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := time.Duration(d) / u.d; n > 0 {
			parts = append(parts, fmt.Sprintf("%d%s", n, u.name))
			d -= Duration(n * u.d)
		}
	}
	if len(parts) == 0 {
		return "0m"
	}
	return strings.Join(parts, " ")
}

// FormatAge writes how long something has waited, coarsely, in the form
// String writes: minutes under an hour ("45m"), hours under a day ("5h"),
// then days and hours ("3d 4h").
func FormatAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "0m"
	case d < time.Hour:
		d = d.Truncate(time.Minute)
	default:
		d = d.Truncate(time.Hour)
	}
	return Duration(d).String()
}
