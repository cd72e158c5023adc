package bot

import (
	"strings"

	"github.com/alignbot/alignbot/bot/render"
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
	return digestCmd{}, rituals.Errorf(rituals.EINVALID, "I don't know `/digest %s`. `/digest help` lists what I do.", render.Clip(words[0], 30))
}
