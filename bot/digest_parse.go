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
	digestHook
	digestUnhook
	digestReviewSLA
)

// digestCmd is one parsed /digest command.
type digestCmd struct {
	Op     digestOp
	Time   rituals.WeeklyTime // digestEvery; Zone empty means the caller's
	Source string             // digestHook, digestUnhook
	SLA    rituals.Duration   // digestReviewSLA; zero clears it
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
	case "hook":
		return parseHook(args)
	case "sla":
		return parseReviewSLA(args)
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

const hookUsage = "Write it like `/digest hook github`, `/digest hook gitlab` or `/digest hook events` (your own CI or scripts); `/digest hook remove github` disconnects one."

// parseHook reads what follows "/digest hook": a source to connect, or
// "remove" and the source to disconnect.
func parseHook(args []string) (digestCmd, error) {
	op := digestHook
	if len(args) > 0 && strings.EqualFold(args[0], "remove") {
		op, args = digestUnhook, args[1:]
	}
	if len(args) != 1 {
		return digestCmd{}, rituals.Errorf(rituals.EINVALID, "Name one source. %s", hookUsage)
	}
	source := strings.ToLower(args[0])
	for _, s := range rituals.HookSources() {
		if source == s {
			return digestCmd{Op: op, Source: source}, nil
		}
	}
	return digestCmd{}, rituals.Errorf(rituals.EINVALID, "alignbot takes hooks from github, gitlab and events, not “%s”. %s", render.Clip(args[0], 30), hookUsage)
}

const reviewSLAUsage = "Write it like `/digest sla review 24h`, or `/digest sla review off` to clear it."

// parseReviewSLA reads what follows "/digest sla": "review" and a
// duration, or "off".
func parseReviewSLA(args []string) (digestCmd, error) {
	if len(args) < 2 || !strings.EqualFold(args[0], "review") {
		return digestCmd{}, rituals.Errorf(rituals.EINVALID, "The digest has one SLA, for reviews. %s", reviewSLAUsage)
	}
	rest := strings.Join(args[1:], " ")
	if strings.EqualFold(rest, "off") {
		return digestCmd{Op: digestReviewSLA}, nil
	}
	sla, err := rituals.ParseDuration(rest, rituals.ReviewSLABounds)
	if err != nil {
		return digestCmd{}, err
	}
	return digestCmd{Op: digestReviewSLA, SLA: sla}, nil
}
