package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// maxHomeIDs bounds the IDs an "and N more" line names.
const maxHomeIDs = 40

// HomeView renders a person's App Home: the two buttons, then what waits
// for them (each list capped, with where to find the rest), then the
// latest decisions of their channels. Entries from a private channel the
// person is not in arrive Hidden and are named only by ID and channel.
func HomeView(h *rituals.Home) slack.HomeTabViewRequest {
	decide := button(ActionHomeDecide, "new", "Record decision")
	decide.Style = slack.StylePrimary
	blocks := []slack.Block{
		header("Your alignment board"),
		slack.NewActionBlock("home.actions", decide, button(ActionHomeBlocker, "new", "Report blocker")),
		ContextLine("As of " + when(h.At) + ". It updates itself when something here changes."),
	}
	if h.Tour {
		blocks = append(blocks, Section(homeTour))
	}
	if h.Waiting() {
		blocks = append(blocks, homeProposals(h)...)
		blocks = append(blocks, homeBlockers(h)...)
		blocks = append(blocks, homeCheckins(h)...)
		blocks = append(blocks, homePulses(h)...)
		blocks = append(blocks, homeActions(h)...)
		blocks = append(blocks, homeHeld(h)...)
	} else {
		blocks = append(blocks, slack.NewDividerBlock(), Section(":white_check_mark: *Nothing waiting for you.* "+
			"No proposals of yours to settle, no blockers you reported or must act on, no check-ins or pulses to answer."))
	}
	blocks = append(blocks, homeRecent(h)...)
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, CallbackID: callbackHome, Blocks: slack.Blocks{BlockSet: blocks}}
}

// homeTour is what the Home starts with the first time someone opens it.
const homeTour = ":wave: *Welcome to alignbot.* It keeps your team's decision log and runs its async rituals in Slack; this Home shows what waits for you.\n" +
	"• `/decide Use Postgres for billing` records a decision; `/blocker @ann the API keys` reports a blocker to whoever must act.\n" +
	"• `/checkin`, `/pulse`, `/premortem`, `/retro` and `/digest` run the team's rituals.\n" +
	"• `/alignbot` in a channel lists every command and what is set up there.\n" +
	"_This tour shows only the first time you open this Home._"

// homeSection renders one of the Home's lists: a divider, its title and
// lines, and a closing context line when there is one.
func homeSection(title string, n int, lines []string, foot string) []slack.Block {
	if len(lines) == 0 {
		return nil
	}
	blocks := []slack.Block{slack.NewDividerBlock()}
	blocks = append(blocks, linesSections(append([]string{fmt.Sprintf("*%s* (%d)", title, n)}, lines...))...)
	if foot != "" {
		blocks = append(blocks, ContextLine(foot))
	}
	return blocks
}

// notIn names where a hidden entry is, and nothing of what it says.
func notIn(channel string) string {
	return "_in <#" + channel + ">, which you are not in_"
}

// homeWhat is what an entry says and where, or, hidden, only where.
func homeWhat(text, channel string, hidden bool) string {
	if hidden {
		return notIn(channel)
	}
	return Mrkdwn(Clip(oneLine(text), 120)) + " · <#" + channel + ">"
}

func homeProposals(h *rituals.Home) []slack.Block {
	l := h.Proposed
	var lines []string
	for _, it := range l.Items {
		d := it.Entry
		lines = append(lines, "*"+d.ID()+"* · "+homeWhat(d.Title, d.Channel, it.Hidden)+dueLine(d.DecideBy, h.Today))
	}
	foot := ""
	if l.More > 0 {
		foot = fmt.Sprintf("…and %d more: %s. See one with `/decide show %s`.", l.More, homeIDs(l.MoreIDs), l.MoreIDs[0])
	}
	return homeSection("Decisions you own, still proposed", len(l.Items)+l.More, lines, foot)
}

// dueLine says when a proposal is due, and flags it once the day passed.
func dueLine(by, today rituals.Date) string {
	switch {
	case by.IsZero():
		return ""
	case by.Before(today):
		return " · decide by " + string(by) + " · :warning: *overdue*"
	case by == today:
		return " · decide by today"
	}
	return " · decide by " + string(by)
}

func homeBlockers(h *rituals.Home) []slack.Block {
	l := h.Blockers
	var lines []string
	for _, it := range l.Items {
		b := it.Entry
		line := fmt.Sprintf("*%s* · %s · open %s · %s", b.ID(), homeWhat(b.Text, b.Channel, it.Hidden),
			rituals.FormatAge(h.At.Sub(b.CreatedAt)), whyYours(b))
		if !b.NeededBy.IsZero() {
			line += " · needed by " + string(b.NeededBy)
			if !b.OverdueAt.IsZero() {
				line += " · :warning: *overdue*"
			}
		}
		if !b.EscalatedAt.IsZero() {
			line += " · :rotating_light: escalated"
		}
		switch {
		case b.ClimbedAt.IsZero():
		case b.ClimbedTo != "":
			line += " to " + climbedTo(b.ClimbedTo)
		default:
			line += " further"
		}
		lines = append(lines, line)
	}
	foot := ""
	if l.More > 0 {
		foot = fmt.Sprintf("…and %d more, in %s. `/blocker list` in a channel lists its open blockers.", l.More, channelCounts(l.MoreIn))
	}
	return homeSection("Blockers you reported or must act on", len(l.Items)+l.More, lines, foot)
}

// whyYours says why a blocker is in the person's Home.
func whyYours(b rituals.BlockerFor) string {
	switch {
	case b.Reported:
		return "you reported it"
	case b.Via.Kind == rituals.PartyGroup:
		return "needs " + PartyMention(b.Via) + " (you are in it)"
	case b.Via.Kind == rituals.PartyChannel:
		return "needs <#" + b.Via.ID + "> (you are in it)"
	}
	return "needs you"
}

// homeCheckins gives each open check-in its own Answer button, the one its
// thread carries.
func homeCheckins(h *rituals.Home) []slack.Block {
	l := h.Checkins
	if len(l.Items) == 0 {
		return nil
	}
	blocks := []slack.Block{slack.NewDividerBlock(), Section(fmt.Sprintf("*Check-ins waiting for your answer* (%d)", len(l.Items)+l.More))}
	for _, it := range l.Items {
		c := it.Entry
		answer := button(ActionCheckinAnswer, checkinRefValue(c.Channel, c.ScheduledFor), "Answer")
		blocks = append(blocks, slack.NewSectionBlock(MD(fmt.Sprintf("Weekly check-in in <#%s> · closes %s", c.Channel, when(c.ClosesAt))),
			nil, slack.NewAccessory(answer)))
	}
	if l.More > 0 {
		blocks = append(blocks, ContextLine(fmt.Sprintf("…and %d more, in %s. Each channel's check-in thread has an Answer button.",
			l.More, channelCounts(l.MoreIn))))
	}
	return blocks
}

func homePulses(h *rituals.Home) []slack.Block {
	l := h.Pulses
	var lines []string
	for _, it := range l.Items {
		p := it.Entry
		what := "“" + Mrkdwn(Clip(oneLine(p.Question), 150)) + "”"
		if it.Hidden {
			what = "asked " + notIn(p.Channel)
		}
		lines = append(lines, fmt.Sprintf("*%s* · %s · closes %s", p.ID(), what, when(p.ClosesAt)))
	}
	foot := "Answer each in its message from alignbot, under Messages above."
	if l.More > 0 {
		foot = fmt.Sprintf("…and %d more: %s. ", l.More, homeIDs(l.MoreIDs)) + foot
	}
	return homeSection("Pulses waiting for your answer", len(l.Items)+l.More, lines, foot)
}

// homeActions lists the open retro and pre-mortem action items the
// person owns, or a channel of theirs owns, flagging the overdue ones.
func homeActions(h *rituals.Home) []slack.Block {
	l := h.Actions
	var lines []string
	for _, it := range l.Items {
		a := it.Entry
		line := "*" + a.Ref() + "* · " + homeWhat(a.Text, a.Channel, it.Hidden) + " · due " + string(a.Due)
		if a.OverdueOn(h.Today) {
			line += overdueFlag
		}
		if rituals.IsChannelID(a.Owner) {
			line += " · owned by <#" + a.Owner + "> (you are in it)"
		}
		lines = append(lines, line)
	}
	foot := "Mark each *Done* in its thread; `/retro list` or `/premortem list` in a channel lists its own."
	if l.More > 0 {
		foot = fmt.Sprintf("…and %d more: %s. ", l.More, homeIDs(l.MoreIDs)) + foot
	}
	return homeSection("Action items you own", len(l.Items)+l.More, lines, foot)
}

// homeHeld lists the reminders the weekly cap held back, from what each
// is about now.
func homeHeld(h *rituals.Home) []slack.Block {
	l := h.Held
	var lines []string
	for _, it := range l.Items {
		lines = append(lines, ":bell: "+heldLine(it.Entry, it.Hidden))
	}
	foot := "At most 3 reminders a week go to one person by DM; these were held back."
	if l.More > 0 {
		foot = fmt.Sprintf("…and %d more held back. ", l.More) + foot
	}
	return homeSection("Reminders held back this week", len(l.Items)+l.More, lines, foot)
}

func heldLine(r rituals.HeldReminder, hidden bool) string {
	quoted := func(s string) string { return "“" + Mrkdwn(Clip(oneLine(s), 120)) + "”" }
	switch {
	case r.Decision != nil:
		d := r.Decision
		what := "*" + d.ID() + "* " + quoted(d.Title)
		if hidden {
			what = "*" + d.ID() + "* " + notIn(d.Channel)
		}
		if r.Reminder == rituals.ReminderRevisit {
			return what + ": time to revisit it (revisit by " + string(d.RevisitBy) + ")"
		}
		return what + ": to be decided (decide by " + string(d.DecideBy) + ")"
	case r.Pulse != nil:
		what := "*" + r.Pulse.ID() + "* " + quoted(r.Pulse.Question)
		if hidden {
			what = "*" + r.Pulse.ID() + "* " + notIn(r.Pulse.Channel)
		}
		return what + " waits for your answer (closes " + when(r.Pulse.ClosesAt) + ")"
	case r.Checkin != nil:
		return "The check-in in <#" + r.Checkin.Channel + "> waits for your answer (closes " + when(r.Checkin.ClosesAt) + ")"
	case r.Item != nil:
		what := "*" + r.Item.Ref() + "* " + quoted(r.Item.Text) + " from the " + strings.ToLower(r.Session.Title()) + " " +
			quoted(r.Session.Name)
		if hidden {
			what = "*" + r.Item.Ref() + "* " + notIn(r.Session.Channel)
		}
		return what + ": your action item, due " + string(r.Item.Due)
	}
	return ""
}

func homeRecent(h *rituals.Home) []slack.Block {
	if len(h.Recent) == 0 {
		return []slack.Block{slack.NewDividerBlock(), Section("*Latest decisions in your channels*\nNone yet. " +
			"Record one with *Record decision* above, or `/decide <text>` in a channel.")}
	}
	lines := make([]string, len(h.Recent))
	for i, d := range h.Recent {
		lines[i] = decisionLine(d, true)
	}
	return homeSection("Latest decisions in your channels", len(h.Recent), lines,
		"`/decide list` in a channel shows more of its decisions; `/decide show D-12` shows one in full.")
}

// homeIDs names entries by ID, at most maxHomeIDs of them.
func homeIDs(ids []string) string {
	if len(ids) > maxHomeIDs {
		return strings.Join(ids[:maxHomeIDs], ", ") + ", …"
	}
	return strings.Join(ids, ", ")
}

// channelCounts says where left-out entries are: "<#C1> (3), <#C2> (1)".
func channelCounts(cs []rituals.ChannelCount) string {
	parts := make([]string, 0, len(cs))
	for i, c := range cs {
		if i == maxHomeIDs {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("<#%s> (%d)", c.Channel, c.N))
	}
	return strings.Join(parts, ", ")
}
