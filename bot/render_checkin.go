package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// checkinDay writes when a check-in opened, in its channel's zone.
func checkinDay(chk *rituals.Checkin) string {
	return chk.ScheduledFor.In(chk.Zone.Location()).Format("Mon 2 Jan 2006")
}

// checkinPrompt renders a check-in's parent message: the three-part
// agenda with last week carried over, who has taken part so far, and
// Answer while it is open.
func checkinPrompt(chk *rituals.Checkin, taking []string, now time.Time) []slack.Block {
	var b strings.Builder
	b.WriteString("*1. Last week's outcomes* — what shipped, what moved, what you learned.\n\n")
	b.WriteString("*2. Blockers requiring cross-team action*\n")
	if len(chk.Agenda.Blockers) == 0 {
		b.WriteString("_No open blockers in this channel._\n")
	}
	for _, bl := range chk.Agenda.Blockers {
		fmt.Fprintf(&b, "• *%s* %s · who must act: %s · open %s\n", rituals.FormatID("B", bl.Number), mrkdwn(clip(bl.Text, 200)),
			partiesLine(bl.Parties, partyName), rituals.FormatAge(chk.OpenedAt.Sub(bl.Since)))
	}
	b.WriteString("\n*3. Decisions to be made, with owners and timebox*\n")
	if len(chk.Agenda.Decisions) == 0 {
		b.WriteString("_No proposals due before the next check-in._\n")
	}
	for _, d := range chk.Agenda.Decisions {
		line := fmt.Sprintf("• *%s* %s · %s", rituals.FormatID("D", d.Number), mrkdwn(clip(d.Title, 150)), person(d.Owner, d.OwnerName))
		if !d.DecideBy.IsZero() {
			line += " · decide by " + string(d.DecideBy)
		}
		if d.Overdue {
			line += " · :warning: *overdue*"
		}
		b.WriteString(line + "\n")
	}
	blocks := []slack.Block{header("Weekly alignment check-in — " + checkinDay(chk))}
	blocks = append(blocks, sections("", strings.TrimRight(b.String(), "\n"))...)
	if chk.Open() {
		blocks = append(blocks, contextLine(fmt.Sprintf("Open until %s · %d answered so far · reply in the thread, or press Answer",
			localTime(chk.ClosesAt, chk.Zone), len(taking))))
		answer := button(actionCheckinAnswer, checkinRefValue(chk.Channel, chk.ScheduledFor), "Answer")
		answer.Style = slack.StylePrimary
		blocks = append(blocks, slack.NewActionBlock("checkin.actions", answer))
	} else {
		blocks = append(blocks, contextLine(fmt.Sprintf("Closed · %d of %d answered · the summary is in the thread", chk.Answered, chk.Members)))
	}
	return blocks
}

// checkinAnswerBlocks renders a person's answer as a thread reply.
func checkinAnswerBlocks(a rituals.CheckinAnswer) []slack.Block {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s answered*\n*1. Outcomes*\n%s", person(a.User, ""), mrkdwn(a.Outcomes))
	if len(a.Blockers) > 0 {
		b.WriteString("\n*2. Blockers*")
		for _, l := range a.Blockers {
			fmt.Fprintf(&b, "\n• %s", mrkdwn(l.Text))
			if len(l.Parties) > 0 {
				b.WriteString(" — " + partiesLine(l.Parties, partyName))
			}
		}
	}
	if len(a.Decisions) > 0 {
		b.WriteString("\n*3. Decisions to be made*")
		for _, d := range a.Decisions {
			fmt.Fprintf(&b, "\n• %s", mrkdwn(d))
		}
	}
	return sections("", b.String())
}

// checkinSummary renders the close: participation, outcomes by person
// (answers, then plain replies), and the entries the close created.
func checkinSummary(chk *rituals.Checkin, answers []rituals.CheckinAnswer, replies []rituals.CheckinReply) []slack.Block {
	if len(answers) == 0 && len(replies) == 0 {
		return []slack.Block{section(fmt.Sprintf(":white_check_mark: *Check-in closed* — nobody answered (0 of %d).", chk.Members))}
	}
	lines := []string{fmt.Sprintf(":white_check_mark: *Check-in closed* — %d of %d answered.", chk.Answered, chk.Members), "*Outcomes*"}
	for _, a := range answers {
		lines = append(lines, fmt.Sprintf("• %s: %s", person(a.User, ""), mrkdwn(a.Outcomes)))
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
		lines = append(lines, fmt.Sprintf("• %s, in the thread: %s", person(u, ""), mrkdwn(strings.Join(byUser[u], " / "))))
	}
	if len(chk.Blockers) > 0 {
		lines = append(lines, "*Blockers recorded*: "+idList("B", chk.Blockers)+" — each follows the blocker rules: its parties were told, and it escalates if it goes stale.")
	}
	if len(chk.Decisions) > 0 {
		lines = append(lines, "*Decisions to be made*: "+idList("D", chk.Decisions)+fmt.Sprintf(" — proposed, owned by whoever listed them, due %s.", chk.NextDue))
	}
	blocks := linesSectionsWhole(lines)
	if len(blocks) > maxBlocks {
		blocks = append(blocks[:maxBlocks-1], contextLine("The summary is longer than a message holds; `alignbot export checkins` has all of it."))
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

// checkinReminder renders the DM to someone who has not answered.
func checkinReminder(chk *rituals.Checkin) []slack.Block {
	answer := button(actionCheckinAnswer, checkinRefValue(chk.Channel, chk.ScheduledFor), "Answer")
	answer.Style = slack.StylePrimary
	return []slack.Block{
		section(fmt.Sprintf(":wave: The check-in in <#%s> closes %s, and you haven't answered yet. Three short parts: last week's outcomes, blockers, decisions to make.",
			chk.Channel, localTime(chk.ClosesAt, chk.Zone))),
		slack.NewActionBlock("checkin.reminder", answer),
	}
}

// checkinStatusBlocks renders `/checkin` with no argument.
func checkinStatusBlocks(st *rituals.CheckinStatus, now time.Time) []slack.Block {
	var lines []string
	if st.Schedule == nil {
		lines = append(lines, "*No check-in is scheduled here.* Schedule one: `/checkin every mon 09:30 Europe/Berlin`.")
	} else {
		lines = append(lines, fmt.Sprintf("*Check-ins here:* %s, open %s. Next: %s.",
			describeSpec(st.Schedule), rituals.Duration(st.Window), localTime(st.Schedule.NextRunAt, st.Schedule.Zone)))
	}
	if st.Open != nil {
		lines = append(lines, fmt.Sprintf("One is open now, until %s.", localTime(st.Open.ClosesAt, st.Open.Zone)))
	}
	if st.Last != nil {
		lines = append(lines, fmt.Sprintf("Last: %s, %d of %d answered.", checkinDay(st.Last), st.Last.Answered, st.Last.Members))
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

// describeSpec writes a check-in schedule's cron spec in words, e.g.
// "Monday, Thursday at 09:30 (Europe/Berlin)".
func describeSpec(s *rituals.Schedule) string {
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
	return fmt.Sprintf("every %s at %02d:%02d (%s)", describeDays(days), hour, minute, s.Zone)
}
