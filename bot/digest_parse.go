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
	digestRollup
	digestRollupAll
	digestRollupOff
	digestRollupStatus
)

// digestCmd is one parsed /digest command.
type digestCmd struct {
	Op     digestOp
	Time   rituals.WeeklyTime // digestEvery; Zone empty means the caller's
	Source string             // digestHook, digestUnhook
	SLA    rituals.Duration   // digestReviewSLA; zero clears it
	// Channels are the teams a roll-up covers (digestRollup).
	Channels []string
}

const digestEveryUsage = "Write it like `/digest every fri 16:00 Europe/Berlin` or `/digest every mon,thu 09:30` (weekdays, a 24-hour time, and optionally an IANA time zone)."

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
	case "rollup", "roll-up":
		return parseRollup(args)
	case "every":
		// The weekdays, time and zone read as /checkin every reads them.
		t, err := parseWeekly(args, digestEveryUsage)
		if err != nil {
			return digestCmd{}, err
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

const reviewSLAUsage = "Write it like `/digest sla review 1d`, or `/digest sla review off` to clear it."

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

const rollupUsage = "Write it like `/digest rollup #payments #platform #search`, `/digest rollup all` (every public channel with a digest) or `/digest rollup off`."

// parseRollup reads what follows "/digest rollup": channels as Slack
// sends their mentions, "all", "off", or nothing to see the setting.
func parseRollup(args []string) (digestCmd, error) {
	switch {
	case len(args) == 0:
		return digestCmd{Op: digestRollupStatus}, nil
	case len(args) == 1 && strings.EqualFold(args[0], "all"):
		return digestCmd{Op: digestRollupAll}, nil
	case len(args) == 1 && strings.EqualFold(args[0], "off"):
		return digestCmd{Op: digestRollupOff}, nil
	}
	cmd := digestCmd{Op: digestRollup}
	for _, a := range args {
		m := channelToken.FindStringSubmatch(a)
		if m == nil {
			return digestCmd{}, rituals.Errorf(rituals.EINVALID, "“%s” is not a channel: pick channels with #, so Slack sends them as links. %s",
				render.Clip(a, 30), rollupUsage)
		}
		cmd.Channels = append(cmd.Channels, m[1])
	}
	if len(cmd.Channels) > rituals.MaxRollupChannels {
		return digestCmd{}, rituals.Errorf(rituals.EINVALID, "A roll-up covers at most %d channels; you named %d.", rituals.MaxRollupChannels, len(cmd.Channels))
	}
	return cmd, nil
}
