package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// FuzzParseCheckin checks that whatever follows /checkin is one valid
// command or a refusal in a plain sentence.
func FuzzParseCheckin(f *testing.F) {
	for _, s := range []string{"", "help", "every mon,thu 09:30 Europe/Berlin", "every weekdays 9:05", "every fri-mon 23:59 UTC", "every mon 24:00",
		"every mon 09:30 Local", "window 24h", "window 30501w", "window", "now", "now please", "close", "off", "answer",
		"skip 2026-12-25", "away 2026-13-01", "tomorrow"} {
		f.Add(s)
	}
	fuzzParser(f, parseCheckin, func(cmd checkinCmd) string {
		switch cmd.Op {
		case checkinStatus, checkinHelp, checkinNow, checkinClose, checkinOff, checkinAhead:
		case checkinEvery:
			return weeklyProblem(cmd.Time)
		case checkinWindow:
			return check(cmd.Window < rituals.MinCheckinWindow || cmd.Window > rituals.MaxCheckinWindow, "window out of range")
		case checkinSkip, checkinAway:
			_, err := rituals.ParseDate(string(cmd.Day))
			return check(err != nil, "not a day")
		default:
			return "unknown op"
		}
		return ""
	})
}

// FuzzParseWeekly checks the "<weekdays> <HH:MM> [zone]" that /checkin
// every and /digest every take.
func FuzzParseWeekly(f *testing.F) {
	for _, s := range []string{"mon 09:30", "mon,thu 9:30 Europe/Berlin", "weekdays 00:00 UTC", "sat-tue 23:59 America/New_York",
		"mon 09:30 Local", "mon 09:30 EST", "funday 10:00", "mon 7pm", "mon-", "mon 09:30 x y"} {
		f.Add(s)
	}
	fuzzParser(f, func(text string) (rituals.WeeklyTime, error) { return parseWeekly(strings.Fields(text), everyUsage) }, weeklyProblem)
}

// weeklyProblem says what is wrong with a parsed weekly time, or "".
func weeklyProblem(wt rituals.WeeklyTime) string {
	if len(wt.Days) == 0 || len(wt.Days) > 7*7 {
		return "no weekdays, or too many"
	}
	for _, d := range wt.Days {
		if d < time.Sunday || d > time.Saturday {
			return "not a weekday"
		}
	}
	if wt.Hour < 0 || wt.Hour > 23 || wt.Minute < 0 || wt.Minute > 59 {
		return "not a time of day"
	}
	if wt.Zone != "" {
		if _, err := time.LoadLocation(wt.Zone); err != nil || wt.Zone == "Local" {
			return "not a time zone"
		}
	}
	return ""
}

// FuzzParseDigest checks that whatever follows /digest is one valid
// command or a refusal in a plain sentence.
func FuzzParseDigest(f *testing.F) {
	for _, s := range []string{"", "help", "every fri 16:00 Europe/Berlin", "every mon,fri 16:00", "now", "preview", "off", "off now", "weekly"} {
		f.Add(s)
	}
	fuzzParser(f, parseDigest, func(cmd digestCmd) string {
		switch cmd.Op {
		case digestStatus, digestHelp, digestNow, digestPreview, digestOff:
		case digestEvery:
			return weeklyProblem(cmd.Time)
		default:
			return "unknown op"
		}
		return ""
	})
}
