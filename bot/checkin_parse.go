package bot

import (
	"strings"
	"time"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

type checkinOp int

const (
	checkinStatus checkinOp = iota
	checkinHelp
	checkinEvery
	checkinWindow
	checkinNow
	checkinClose
	checkinOff
	checkinSkip
	checkinAway
	checkinAhead
)

// checkinCmd is one parsed /checkin command.
type checkinCmd struct {
	Op     checkinOp
	Time   rituals.WeeklyTime // checkinEvery; Zone empty means the caller's
	Window time.Duration      // checkinWindow
	Day    rituals.Date       // checkinSkip, checkinAway
}

const everyUsage = "Write it like `/checkin every mon,thu 09:30 Europe/Berlin` (weekdays, a 24-hour time, and optionally an IANA time zone)."

// parseCheckin reads the text after "/checkin".
func parseCheckin(text string) (checkinCmd, error) {
	words := strings.Fields(text)
	if len(words) == 0 {
		return checkinCmd{Op: checkinStatus}, nil
	}
	args := words[1:]
	one := func(usage string) (string, error) {
		if len(args) != 1 {
			return "", rituals.Errorf(rituals.EINVALID, "%s", usage)
		}
		return args[0], nil
	}
	bare := func(op checkinOp, name string) (checkinCmd, error) {
		if len(args) > 0 {
			return checkinCmd{}, rituals.Errorf(rituals.EINVALID, "`/checkin %s` takes nothing after it.", name)
		}
		return checkinCmd{Op: op}, nil
	}
	switch strings.ToLower(words[0]) {
	case "help":
		return checkinCmd{Op: checkinHelp}, nil
	case "now":
		return bare(checkinNow, "now")
	case "close":
		return bare(checkinClose, "close")
	case "off":
		return bare(checkinOff, "off")
	case "answer":
		return bare(checkinAhead, "answer")
	case "every":
		return parseEvery(args)
	case "window":
		if len(args) == 0 {
			return checkinCmd{}, rituals.Errorf(rituals.EINVALID, "Write `/checkin window <duration>`, e.g. `/checkin window 1d` or `1d 12h`.")
		}
		d, err := rituals.ParseDuration(strings.Join(args, " "), rituals.CheckinWindowBounds)
		if err != nil {
			return checkinCmd{}, err
		}
		return checkinCmd{Op: checkinWindow, Window: time.Duration(d)}, nil
	case "skip", "away":
		op, usage := checkinSkip, "Write `/checkin skip YYYY-MM-DD`: the day to skip, e.g. a holiday."
		if strings.ToLower(words[0]) == "away" {
			op, usage = checkinAway, "Write `/checkin away YYYY-MM-DD`: the last day you are away."
		}
		w, err := one(usage)
		if err != nil {
			return checkinCmd{}, err
		}
		day, err := rituals.ParseDate(w)
		if err != nil {
			return checkinCmd{}, err
		}
		return checkinCmd{Op: op, Day: day}, nil
	}
	return checkinCmd{}, rituals.Errorf(rituals.EINVALID, "I don't know `/checkin %s`. `/checkin help` lists what I do.", render.Clip(words[0], 30))
}

func parseEvery(args []string) (checkinCmd, error) {
	t, err := parseWeekly(args, everyUsage)
	if err != nil {
		return checkinCmd{}, err
	}
	return checkinCmd{Op: checkinEvery, Time: t}, nil
}
