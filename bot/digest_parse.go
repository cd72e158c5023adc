package bot

import (
	"strings"

	"github.com/alignbot/alignbot/rituals"
)

type digestOp int

const (
	digestStatus digestOp = iota
	digestHelp
	digestEvery
	digestNow
	digestPreview
	digestOff
)

// digestCmd is one parsed /digest command.
type digestCmd struct {
	Op   digestOp
	Time rituals.WeeklyTime // digestEvery; Zone empty means the caller's
}

const digestEveryUsage = "Write it like `/digest every fri 16:00 Europe/Berlin` (one weekday, a 24-hour time, and optionally an IANA time zone)."

// parseDigest reads the text after "/digest".
func parseDigest(text string) (digestCmd, error) {
	words := strings.Fields(text)
	if len(words) == 0 {
		return digestCmd{Op: digestStatus}, nil
	}
	args := words[1:]
	bare := func(op digestOp, name string) (digestCmd, error) {
		if len(args) > 0 {
			return digestCmd{}, rituals.Errorf(rituals.EINVALID, "`/digest %s` takes nothing after it.", name)
		}
		return digestCmd{Op: op}, nil
	}
	switch strings.ToLower(words[0]) {
	case "help":
		return digestCmd{Op: digestHelp}, nil
	case "now":
		return bare(digestNow, "now")
	case "preview":
		return bare(digestPreview, "preview")
	case "off":
		return bare(digestOff, "off")
	case "every":
		t, err := parseWeekly(args, digestEveryUsage)
		if err != nil {
			return digestCmd{}, err
		}
		if len(t.Days) != 1 {
			return digestCmd{}, rituals.Errorf(rituals.EINVALID, "A digest comes out once a week: name one weekday. %s", digestEveryUsage)
		}
		return digestCmd{Op: digestEvery, Time: t}, nil
	}
	return digestCmd{}, rituals.Errorf(rituals.EINVALID, "I don't know `/digest %s`. `/digest help` lists what I do.", clip(words[0], 30))
}

const digestUsage = "*`/digest` — the channel's weekly digest*\n" +
	"Each week: decisions made, proposals due in the next 7 days (overdue ones flagged), blockers opened, resolved and still open, the last check-in's participation, the pulses closed, open action items and top pre-mortem risks, " +
	"with four metrics and their change from the week before (decision lead time, blocker time to resolve, check-in participation, pulse response rate) and a chart of the last 8 weeks.\n" +
	"• `/digest every <weekday> <HH:MM> [zone]` schedules it here, e.g. `/digest every fri 16:00 Europe/Berlin` (the zone defaults to yours).\n" +
	"• `/digest now` posts this week's digest here now; `/digest preview` shows it only to you.\n" +
	"• `/digest off` stops the schedule; `/digest` shows it and the next run.\n" +
	"A digest shows only this channel's entries. Scheduling it, posting it now and stopping it are open to the channel's members unless alignbot's admins are set; then only to them."
