package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// CheckinDay writes when a check-in opened, in its channel's zone.
func CheckinDay(chk *rituals.Checkin) string {
	return chk.ScheduledFor.In(chk.Zone.Location()).Format("Mon 2 Jan 2006")
}

// maxAgendaActions is how many action items part 3 lists before "and N
// more".
const maxAgendaActions = 15

// CheckinPrompt renders a check-in's parent message: the three-part
// agenda with last week carried over, who has taken part so far, and
// Answer while it is open.
func CheckinPrompt(chk *rituals.Checkin, taking []string, now time.Time) []slack.Block {
	var b strings.Builder
	b.WriteString("*1. Last week's outcomes* — what shipped, what moved, what you learned.\n\n")
	b.WriteString("*2. Blockers requiring cross-team action*\n")
	if len(chk.Agenda.Blockers) == 0 {
		b.WriteString("_No open blockers in this channel._\n")
	}
	for _, bl := range chk.Agenda.Blockers {
		fmt.Fprintf(&b, "• *%s* %s · who must act: %s · open %s\n", rituals.FormatID("B", bl.Number), Mrkdwn(Clip(bl.Text, 200)),
			partiesLine(bl.Parties, partyName), rituals.FormatAge(chk.OpenedAt.Sub(bl.Since)))
	}
	if len(chk.Agenda.Inbound) > 0 {
		b.WriteString("_Blockers other teams need from you_\n")
		for _, bl := range chk.Agenda.Inbound {
			b.WriteString("• " + InboundLine(bl.Blocker(), chk.Channel, chk.OpenedAt) + "\n")
		}
	}
	b.WriteString("\n*3. Decisions to be made, with owners and timebox*\n")
	if len(chk.Agenda.Decisions) == 0 {
		b.WriteString("_No proposals due before the next check-in._\n")
	}
	for _, d := range chk.Agenda.Decisions {
		line := fmt.Sprintf("• *%s* %s · %s", rituals.FormatID("D", d.Number), Mrkdwn(Clip(d.Title, 150)), Person(d.Owner, d.OwnerName))
		if !d.DecideBy.IsZero() {
			line += " · decide by " + string(d.DecideBy)
		}
		if d.Overdue {
			line += overdueFlag
		}
		b.WriteString(line + "\n")
	}
	if len(chk.Agenda.Actions) > 0 {
		b.WriteString("_Action items from retros and pre-mortems_\n")
	}
	for i, a := range chk.Agenda.Actions {
		if i == maxAgendaActions {
			fmt.Fprintf(&b, "…and %d more: `/retro list` and `/premortem list` show them all.\n", len(chk.Agenda.Actions)-i)
			break
		}
		line := fmt.Sprintf("• *%s* %s · ", a.Ref(), Mrkdwn(Clip(oneLine(a.Text), 150)))
		if a.Owner == "" {
			line += "no owner yet"
		} else {
			line += Person(a.Owner, a.OwnerName) + " · due " + string(a.Due)
		}
		if a.Overdue {
			line += overdueFlag
		}
		b.WriteString(line + "\n")
	}
	blocks := []slack.Block{header("Weekly alignment check-in — " + CheckinDay(chk))}
	blocks = append(blocks, sections("", strings.TrimRight(b.String(), "\n"))...)
	if chk.Open() {
		blocks = append(blocks, ContextLine(fmt.Sprintf("Open until %s · %d answered so far · reply in the thread, or press Answer",
			LocalTime(chk.ClosesAt, chk.Zone), len(taking))))
		answer := button(ActionCheckinAnswer, checkinRefValue(chk.Channel, chk.ScheduledFor), "Answer")
		answer.Style = slack.StylePrimary
		blocks = append(blocks, slack.NewActionBlock("checkin.actions", answer))
	} else {
		blocks = append(blocks, ContextLine(fmt.Sprintf("Closed · %d of %d answered · the summary is in the thread", chk.Answered, chk.Members)))
	}
	return blocks
}

// CheckinAnswer renders a person's answer as a thread reply.
func CheckinAnswer(a rituals.CheckinAnswer) []slack.Block {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s answered*\n*1. Outcomes*\n%s", Person(a.User, ""), Mrkdwn(a.Outcomes))
	if len(a.Blockers) > 0 {
		b.WriteString("\n*2. Blockers*")
		for _, l := range a.Blockers {
			fmt.Fprintf(&b, "\n• %s", Mrkdwn(l.Text))
			if len(l.Parties) > 0 {
				b.WriteString(" — " + partiesLine(l.Parties, partyName))
			}
		}
	}
	if len(a.Decisions) > 0 {
		b.WriteString("\n*3. Decisions to be made*")
		for _, d := range a.Decisions {
			fmt.Fprintf(&b, "\n• %s", Mrkdwn(d))
		}
	}
	return sections("", b.String())
}

// CheckinSummary renders the close: participation, outcomes by person
// (answers, then plain replies), and the entries the close created.
func CheckinSummary(chk *rituals.Checkin, answers []rituals.CheckinAnswer, replies []rituals.CheckinReply) []slack.Block {
	if len(answers) == 0 && len(replies) == 0 {
		return []slack.Block{Section(fmt.Sprintf(":white_check_mark: *Check-in closed* — nobody answered (0 of %d).", chk.Members))}
	}
	lines := []string{fmt.Sprintf(":white_check_mark: *Check-in closed* — %d of %d answered.", chk.Answered, chk.Members), "*Outcomes*"}
	for _, a := range answers {
		lines = append(lines, fmt.Sprintf("• %s: %s", Person(a.User, ""), Mrkdwn(a.Outcomes)))
	}
	byUser := map[string][]string{}
	var order []string
	for _, r := range replies {
		if _, ok := byUser[r.User]; !ok {
			order = append(order, r.User)
		}
		byUser[r.User] = append(byUser[r.User], r.Text)
	}
	for _, u := range order {
		lines = append(lines, fmt.Sprintf("• %s, in the thread: %s", Person(u, ""), Mrkdwn(strings.Join(byUser[u], " / "))))
	}
	if len(chk.Blockers) > 0 {
		lines = append(lines, "*Blockers recorded*: "+idList("B", chk.Blockers)+" — each follows the blocker rules: its parties were told, and it escalates if it goes stale.")
	}
	if len(chk.Decisions) > 0 {
		lines = append(lines, "*Decisions to be made*: "+idList("D", chk.Decisions)+fmt.Sprintf(" — proposed, owned by whoever listed them, due %s.", chk.NextDue))
	}
	blocks := linesSectionsWhole(lines)
	if len(blocks) > maxBlocks {
		blocks = append(blocks[:maxBlocks-1], ContextLine("The summary is longer than a message holds; `alignbot export checkins` has all of it."))
	}
	return blocks
}

// linesSectionsWhole packs lines into sections like linesSections, but
// splits a line too long for one section instead of clipping it.
func linesSectionsWhole(lines []string) []slack.Block {
	var pieces []string
	for _, l := range lines {
		pieces = append(pieces, splitText(l, maxSectionText-1)...)
	}
	return linesSections(pieces)
}

func idList(prefix string, ns []int64) string {
	sorted := append([]int64(nil), ns...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	out := make([]string, len(sorted))
	for i, n := range sorted {
		out[i] = "*" + rituals.FormatID(prefix, n) + "*"
	}
	return strings.Join(out, ", ")
}

// CheckinReminder renders the DM to someone who has not answered.
func CheckinReminder(chk *rituals.Checkin) []slack.Block {
	answer := button(ActionCheckinAnswer, checkinRefValue(chk.Channel, chk.ScheduledFor), "Answer")
	answer.Style = slack.StylePrimary
	return []slack.Block{
		Section(fmt.Sprintf(":wave: The check-in in <#%s> closes %s, and you haven't answered yet. Three short parts: last week's outcomes, blockers, decisions to make.",
			chk.Channel, LocalTime(chk.ClosesAt, chk.Zone))),
		slack.NewActionBlock("checkin.reminder", answer),
	}
}

// CheckinStatus renders `/checkin` with no argument.
func CheckinStatus(st *rituals.CheckinStatus, now time.Time) []slack.Block {
	var lines []string
	if st.Schedule == nil {
		lines = append(lines, "*No check-in is scheduled here.* Schedule one: `/checkin every mon 09:30 Europe/Berlin`.")
	} else {
		lines = append(lines, fmt.Sprintf("*Check-ins here:* %s, open %s. Next: %s.",
			DescribeSchedule(st.Schedule), rituals.Duration(st.Window), LocalTime(st.Schedule.NextRunAt, st.Schedule.Zone)))
	}
	if st.Open != nil {
		lines = append(lines, fmt.Sprintf("One is open now, until %s.", LocalTime(st.Open.ClosesAt, st.Open.Zone)))
	}
	if st.Last != nil {
		lines = append(lines, fmt.Sprintf("Last: %s, %d of %d answered.", CheckinDay(st.Last), st.Last.Answered, st.Last.Members))
	}
	if len(st.Skips) > 0 {
		days := make([]string, len(st.Skips))
		for i, d := range st.Skips {
			days[i] = string(d)
		}
		lines = append(lines, "Skipping: "+strings.Join(days, ", ")+".")
	}
	return linesSections(lines)
}

// DescribeSchedule writes a weekly schedule's cron spec in words, e.g.
// "Monday, Thursday at 09:30 (Europe/Berlin)".
func DescribeSchedule(s *rituals.Schedule) string {
	var minute, hour int
	var dow string
	if _, err := fmt.Sscanf(s.Spec, "%d %d * * %s", &minute, &hour, &dow); err != nil {
		return s.Spec + " (" + s.Zone.String() + ")"
	}
	var days []time.Weekday
	for _, d := range strings.Split(dow, ",") {
		var n int
		fmt.Sscanf(d, "%d", &n)
		days = append(days, time.Weekday(n))
	}
	return fmt.Sprintf("every %s at %02d:%02d (%s)", DescribeDays(days), hour, minute, s.Zone)
}

// DescribeDays names weekdays, e.g. "Monday, Thursday".
func DescribeDays(days []time.Weekday) string {
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = d.String()
	}
	return strings.Join(names, ", ")
}

// LocalTime writes t as read in zone, e.g. "Mon 30 Nov 09:30 (Europe/Berlin)",
// or in UTC, saying so, for a zone that did not load.
func LocalTime(t time.Time, zone rituals.Zone) string {
	loc := zone.Location()
	return t.In(loc).Format("Mon 2 Jan 15:04") + " (" + loc.String() + ")"
}

// checkinRefValue encodes the check-in a button is about.
func checkinRefValue(channel string, scheduledFor time.Time) string {
	return channel + "|" + strconv.FormatInt(scheduledFor.UnixMilli(), 10)
}

// ParseCheckinRef reads the value of a check-in's Answer button: the
// channel and when the check-in was scheduled for. Returns EINVALID if v
// names no check-in.
func ParseCheckinRef(v string) (string, time.Time, error) {
	channel, ms, ok := strings.Cut(v, "|")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || channel == "" {
		return "", time.Time{}, rituals.Errorf(rituals.EINVALID, "That button does not name a check-in.")
	}
	return channel, time.UnixMilli(n).UTC(), nil
}

// CheckinUsage is `/checkin help`.
const CheckinUsage = "*`/checkin` — the weekly alignment check-in*\n" +
	"A thread with a fixed agenda: 1) last week's outcomes, 2) blockers requiring cross-team action, 3) decisions to be made, with owners and timebox.\n" +
	"• `/checkin every <weekdays> <HH:MM> [zone]` schedules it here, e.g. `/checkin every mon 09:30 Europe/Berlin` (the zone defaults to yours).\n" +
	"• `/checkin window <duration>` sets how long it stays open (default 1d).\n" +
	"• `/checkin now` opens one now; `/checkin close` closes the open one; `/checkin off` stops the schedule.\n" +
	"• `/checkin skip YYYY-MM-DD` skips a day (a holiday); `/checkin away YYYY-MM-DD` marks you away until then: no reminders, not counted as missing.\n" +
	"• `/checkin answer` answers the next one ahead; it is posted when it opens.\n" +
	"• `/checkin` shows the schedule, the next run and the last participation.\n" +
	"Part 2 of the agenda lists this channel's open blockers, then those other teams need from it (see `/blocker team`). " +
	"Part 3 lists the proposals, then the retro and pre-mortem action items, due before the next check-in.\n" +
	"At close, each blocker you list becomes a `B-` blocker reported by you, sent to whoever its line mentions (`@person`, `@group`, `#channel`), else to the people you chose, else to this channel; and each decision a proposed `D-` decision you own, due at the next check-in."
