package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// The settings /alignbot's checklist offers to set up, as its buttons'
// values.
const (
	SetupCheckin = "checkin"
	SetupDigest  = "digest"
	SetupSLA     = "sla"
	SetupAreas   = "areas"
)

// ChannelSetup is what is set up in one channel, for /alignbot's checklist.
type ChannelSetup struct {
	Channel string
	Checkin *rituals.Schedule // nil: no weekly check-in
	Digest  *rituals.Schedule // nil: no weekly digest
	// SLA is how long a blocker may stay open before it is escalated;
	// SLADefault says nobody set it here.
	SLA        time.Duration
	SLADefault bool
	Areas      []string // the team's decision areas
	// Workdays are the channel's working days (zero: the default), which
	// reminders and escalations wait for.
	Workdays rituals.Workdays
	// Absent says alignbot is not in the channel (a private one it was
	// not added to): nothing can run there until it is.
	Absent bool
}

// alignbotAbout says in one paragraph what alignbot does.
const alignbotAbout = "*alignbot* keeps your team's decision log in Slack and runs its async alignment rituals: a weekly check-in, pulse surveys, blockers that reach who must act, pre-mortems, retros and a weekly digest. Your App Home shows what waits for you."

// alignbotCommands is every command, one line each.
var alignbotCommands = []string{
	"• `/alignbot` — this overview and what is set up in the channel",
	"• `/decide` — record a decision, or list, search and show the decision log",
	"• `/blocker` — report a blocker that needs someone else to act",
	"• `/checkin` — the weekly alignment check-in: schedule it, answer it",
	"• `/pulse` — a short survey by DM, anonymous by default",
	"• `/premortem` — imagine the launch failed: risks, votes, mitigations",
	"• `/retro` — a blameless retro with owned action items",
	"• `/digest` — the channel's weekly digest",
	"Each takes `help`, e.g. `/decide help`.",
}

// SetupCommand is the command that sets up what a checklist button names,
// with an example, for the person who pressed it; ok is false for an
// unknown setting.
func SetupCommand(setting string) (text string, ok bool) {
	switch setting {
	case SetupCheckin:
		return "To schedule the weekly check-in here, run `/checkin every <weekdays> <HH:MM> [zone]`, e.g. `/checkin every mon 09:30` (the zone defaults to yours). `/checkin help` tells more.", true
	case SetupDigest:
		return "To get a weekly digest here, run `/digest every <weekdays> <HH:MM> [zone]`, e.g. `/digest every fri 16:00`; `/digest preview` shows this week's first.", true
	case SetupSLA:
		return "To choose how long a blocker here may stay open before it is escalated, run `/blocker sla <duration>`, e.g. `/blocker sla 2d`.", true
	case SetupAreas:
		return "To name a decision area and who decides in it, run " + RightsUsage + ", e.g. `/decide rights api accountable @ann`.", true
	}
	return "", false
}

// Alignbot renders /alignbot: what alignbot does, every command, and the
// channel's "get started" checklist.
func Alignbot(s ChannelSetup) (string, []slack.Block) {
	blocks := []slack.Block{
		Section(alignbotAbout),
		Section("*Commands*\n" + strings.Join(alignbotCommands, "\n")),
	}
	blocks = append(blocks, Checklist(s)...)
	return "What alignbot does, its commands, and what is set up in this channel", blocks
}

// Checklist renders what is set up in s.Channel, one line each, with a
// button to set up each missing one (or change the blocker SLA).
func Checklist(s ChannelSetup) []slack.Block {
	item := func(done bool, text, setting, label string) slack.Block {
		mark := ":white_circle:"
		if done {
			mark = ":white_check_mark:"
		}
		var acc *slack.Accessory
		if !done || setting == SetupSLA {
			acc = slack.NewAccessory(button(ActionSetup, setting, label))
		}
		return slack.NewSectionBlock(MD(mark+" "+text), nil, acc, slack.SectionBlockOptionBlockID(BlockSetup+setting))
	}
	checkin := "*Check-in:* none yet."
	if s.Checkin != nil {
		checkin = "*Check-in:* the next one opens " + LocalTime(s.Checkin.NextRunAt, s.Checkin.Zone) + "."
	}
	digest := "*Digest:* none yet."
	if s.Digest != nil {
		digest = "*Digest:* the next one comes out " + LocalTime(s.Digest.NextRunAt, s.Digest.Zone) + "."
	}
	sla := fmt.Sprintf("*Blocker SLA:* escalated after %s open", rituals.Duration(s.SLA))
	if s.SLADefault {
		sla += " (the default)"
	}
	sla += "."
	areas := "*Decision areas:* none yet."
	if len(s.Areas) > 0 {
		names := make([]string, 0, len(s.Areas))
		for i, a := range s.Areas {
			if i == 10 {
				names = append(names, fmt.Sprintf("and %d more", len(s.Areas)-10))
				break
			}
			names = append(names, "`"+Mrkdwn(Clip(a, 40))+"`")
		}
		areas = fmt.Sprintf("*Decision areas:* %s: %s.", CountNoun(len(s.Areas), "area"), strings.Join(names, ", "))
	}
	where := "this channel"
	if s.Channel != "" {
		where = "<#" + s.Channel + ">"
	}
	blocks := []slack.Block{Section("*Get started in " + where + "*")}
	if s.Absent {
		blocks = append(blocks, Section(":warning: I'm not in this channel yet, so nothing here can run. Add me first with `/invite @alignbot`."))
	}
	return append(blocks,
		item(s.Checkin != nil, checkin, SetupCheckin, "Schedule check-in"),
		item(s.Digest != nil, digest, SetupDigest, "Schedule digest"),
		item(true, sla, SetupSLA, "Change SLA"),
		item(len(s.Areas) > 0, areas, SetupAreas, "Add an area"),
		item(true, workdaysLine(s.Workdays), "workdays", ""),
	)
}

// workdaysLine is the checklist's line of working days: always set, the
// default or not, so no button; the command that changes them is shown.
func workdaysLine(w rituals.Workdays) string {
	line := "*Working days:* " + DescribeWorkdays(w)
	if w == 0 || w == rituals.DefaultWorkdays {
		line += " (the default)"
	}
	return line + "; reminders wait for them. `/alignbot workdays` changes them."
}

// Welcome renders the message alignbot posts in a channel it was just added
// to: what it can do there, and the channel's checklist.
func Welcome(s ChannelSetup) (string, []slack.Block) {
	intro := ":wave: Hi! I'm *alignbot*. Here I can keep the decision log (`/decide`), get blockers to whoever must act (`/blocker`), run a weekly check-in (`/checkin`), send pulse surveys (`/pulse`), hold pre-mortems and retros (`/premortem`, `/retro`) and post a weekly digest (`/digest`). Run `/alignbot` any time for every command and this checklist."
	blocks := append([]slack.Block{Section(intro)}, Checklist(s)...)
	return "alignbot is here: what it can do in this channel, and how to get started", blocks
}
