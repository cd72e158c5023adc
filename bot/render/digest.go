package render

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// digestListCap is how many entries each list of the digest shows; the
// rest are behind "Show all".
const digestListCap = 5

// The digest's lists, by the name their "Show all" button carries.
const (
	listDecided  = "decided"
	listDue      = "due"
	listOpened   = "opened"
	listResolved = "resolved"
	listOpen     = "open"
	listInbound  = "inbound"
	listPulses   = "pulses"
	listActions  = "actions"
)

// digestList is one list of a digest: its heading and its lines.
type digestList struct {
	name, heading string
	lines         []string
}

// digestLists returns the digest's lists that have entries, in the order
// the digest shows them.
func digestLists(g *rituals.Digest) []digestList {
	all := []digestList{
		{listDecided, "Decisions made", mapLines(g.Decided, digestDecided)},
		{listDue, "Proposals due in the next 7 days", mapLines(g.Due, func(d *rituals.Decision) string { return digestDue(g, d) })},
		{listOpened, "Blockers opened", mapLines(g.Opened, func(b *rituals.Blocker) string { return digestBlocker(g, b) })},
		{listResolved, "Blockers resolved", mapLines(g.Resolved, digestResolved)},
		{listOpen, "Blockers still open", mapLines(g.Open, func(b *rituals.Blocker) string { return digestBlocker(g, b) })},
		{listInbound, "Blockers other teams need from you, still open", mapLines(g.Inbound.Open, func(b *rituals.Blocker) string { return InboundLine(b, g.Channel, g.To) })},
		{listPulses, "Pulses closed", mapLines(g.Pulses, digestPulse)},
		{listActions, "Open action items", mapLines(g.Actions, func(it *rituals.Item) string { return digestAction(it, it.OverdueOn(g.Today)) })},
	}
	var out []digestList
	for _, l := range all {
		if len(l.lines) > 0 {
			out = append(out, l)
		}
	}
	return out
}

func mapLines[E any](es []E, line func(E) string) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = "• " + line(e)
	}
	return out
}

func digestDecided(d *rituals.Decision) string {
	line := fmt.Sprintf("*%s* %s · %s", d.ID(), Mrkdwn(Clip(oneLine(d.Title), 150)), Person(d.Owner, d.OwnerName))
	if d.DecidedAt.After(d.CreatedAt) {
		line += " · proposed " + rituals.FormatAge(d.LeadTime()) + " before"
	}
	return line
}

func digestDue(g *rituals.Digest, d *rituals.Decision) string {
	line := fmt.Sprintf("*%s* %s · %s", d.ID(), Mrkdwn(Clip(oneLine(d.Title), 150)), Person(d.Owner, d.OwnerName))
	if !d.DecideBy.IsZero() {
		line += " · decide by " + string(d.DecideBy)
	}
	if g.Overdue(d) {
		line += overdueFlag
	}
	return line
}

func digestBlocker(g *rituals.Digest, b *rituals.Blocker) string {
	line := fmt.Sprintf("*%s* %s · reported by %s", b.ID(), Mrkdwn(Clip(oneLine(b.Text), 150)), Person(b.Reporter, b.ReporterName))
	if rituals.OpenAt(b, g.To) {
		line += " · open " + rituals.FormatAge(g.To.Sub(b.CreatedAt))
	}
	if g.Escalated(b) {
		line += " · :rotating_light: *escalated*"
	}
	if g.Climbed(b) {
		line += " to " + climbedTo(b.ClimbedTo)
	}
	return line
}

// digestBlockerCounts counts the week's blockers raised here and those
// other teams need from this one, apart; "" when none came from others.
func digestBlockerCounts(g *rituals.Digest) string {
	if !g.Inbound.Any() {
		return ""
	}
	count := func(w rituals.BlockerWeek) string {
		line := fmt.Sprintf("%d opened, %d resolved, %d still open", len(w.Opened), len(w.Resolved), len(w.Open))
		if age, ok := w.OldestAge(g.To); ok {
			line += ", the oldest for " + rituals.FormatAge(age)
		}
		return line
	}
	return fmt.Sprintf("*Blockers this week*\n• raised here: %s\n• other teams need from you: %s", count(g.Own()), count(g.Inbound))
}

func digestResolved(b *rituals.Blocker) string {
	return fmt.Sprintf("*%s* %s · resolved in %s", b.ID(), Mrkdwn(Clip(oneLine(b.Text), 150)), rituals.FormatAge(b.ResolvedAt.Sub(b.CreatedAt)))
}

// digestPulse sums up a closed pulse as its results do: the response
// rate always (a count), the answers only when the report shows them.
func digestPulse(r *rituals.PulseReport) string {
	p := r.Pulse
	line := fmt.Sprintf("*%s* %s · %d of %d answered (%s)", p.ID(), Mrkdwn(Clip(oneLine(p.Question), 120)), r.All.Answered, r.All.Asked, percent(r.All.Rate()))
	switch {
	case r.All.Answered == 0:
	case !r.All.Shown:
		line += " · :lock: answers held back: fewer than its anonymity threshold"
	case p.Kind == rituals.PulseScale:
		line += fmt.Sprintf(" · mean %.1f", r.All.Mean)
	case p.Kind == rituals.PulseYesNo:
		line += " · yes " + percent(r.All.Share(0))
	case p.Kind == rituals.PulseChoice:
		top := 0
		for i := range r.All.Counts {
			if r.All.Counts[i] > r.All.Counts[top] {
				top = i
			}
		}
		line += fmt.Sprintf(" · most picked: %s (%s)", Mrkdwn(Clip(p.ChoiceLabel(top), 75)), percent(r.All.Share(top)))
	default:
		line += fmt.Sprintf(" · free text: `/pulse results %s`", p.ID())
	}
	if d, ok := r.Change(); ok {
		format := "%.1f"
		if p.Kind == rituals.PulseYesNo {
			d, format = d*100, "%.0f pts"
		}
		line += fmt.Sprintf(" (%s since %s)", arrow(d, format), r.Previous.Pulse.ID())
	}
	return line
}

// overdueFlag ends the line of something past its due day.
const overdueFlag = " · :warning: *overdue*"

func digestAction(it *rituals.Item, overdue bool) string {
	line := fmt.Sprintf("*%s* %s", it.Ref(), Mrkdwn(Clip(oneLine(it.Text), 150)))
	if it.Owner != "" {
		line += " · " + Person(it.Owner, it.OwnerName)
	}
	if !it.Due.IsZero() {
		line += " · due " + string(it.Due)
	}
	if overdue {
		line += overdueFlag
	}
	return line
}

func digestRisk(it *rituals.Item) string {
	line := fmt.Sprintf("• *%s* %s · %s", it.Ref(), Mrkdwn(Clip(oneLine(it.Text), 150)), CountNoun(it.Votes, "vote"))
	if it.Likelihood != "" && it.Impact != "" {
		line += fmt.Sprintf(" · likelihood %s × impact %s", it.Likelihood, it.Impact)
	}
	if it.Tag != "" {
		line += " · " + it.Tag.Label()
	}
	return line
}

// digestWeekLine names the digest's week as read in its zone.
func digestWeekLine(g *rituals.Digest) string {
	loc := g.Zone.Location()
	return fmt.Sprintf("<#%s> · %s – %s (%s)", g.Channel, g.From.In(loc).Format("Mon 2 Jan 15:04"), g.To.In(loc).Format("Mon 2 Jan 15:04"), g.Zone)
}

// Digest renders a channel's weekly digest: the four metrics with
// their change, then each list capped at digestListCap lines with "Show
// all" for the rest, the last check-in with a link to its thread, and the
// top risks. A quiet week says so in one line. checkinLink may be empty.
func Digest(g *rituals.Digest, ref rituals.DigestRef, checkinLink string) []slack.Block {
	blocks := []slack.Block{
		header("Weekly digest — week to " + g.To.In(g.Zone.Location()).Format("Mon 2 Jan")),
		ContextLine(digestWeekLine(g)),
		digestMetrics(g),
	}
	if g.Quiet() {
		blocks = append(blocks, Section(":zzz: *A quiet week.* Nothing was decided, no blocker was reported or resolved, and no check-in or pulse closed."))
	}
	blocks = append(blocks, slack.NewDividerBlock())
	if counts := digestBlockerCounts(g); counts != "" {
		blocks = append(blocks, Section(counts))
	}
	for _, l := range digestLists(g) {
		blocks = append(blocks, digestListBlock(l, ref))
	}
	if line := checkinLine(g, checkinLink); line != "" {
		blocks = append(blocks, Section(line))
	}
	blocks = append(blocks, digestDelivery(g)...)
	if len(g.Risks) > 0 {
		lines := []string{fmt.Sprintf("*Top pre-mortem risks* (%d)", len(g.Risks))}
		for _, it := range g.Risks {
			lines = append(lines, digestRisk(it))
		}
		blocks = append(blocks, Section(strings.Join(lines, "\n")))
	}
	counted := "Only this channel's entries are counted."
	if g.Inbound.Any() {
		counted = "Only this channel's entries are counted, and the blockers other teams need from it."
	}
	blocks = append(blocks, ContextLine("The chart of the last 8 weeks follows. "+counted))
	return blocks
}

// digestListBlock renders a list's first lines, and "Show all" when it
// has more.
func digestListBlock(l digestList, ref rituals.DigestRef) slack.Block {
	shown := l.lines[:min(len(l.lines), digestListCap)]
	text := fmt.Sprintf("*%s* (%d)\n%s", l.heading, len(l.lines), strings.Join(shown, "\n"))
	if more := len(l.lines) - len(shown); more > 0 {
		text += fmt.Sprintf("\n_…and %d more_", more)
		more := button(ActionDigestMore, DigestMore{List: l.name, Ref: ref}.encode(), fmt.Sprintf("Show all %d", len(l.lines)))
		return slack.NewSectionBlock(MD(Clip(text, maxSectionText)), nil, slack.NewAccessory(more), slack.SectionBlockOptionBlockID("digest."+l.name))
	}
	return slack.NewSectionBlock(MD(Clip(text, maxSectionText)), nil, nil, slack.SectionBlockOptionBlockID("digest."+l.name))
}

// checkinLine reports the last check-in's participation with a link to
// its thread; nothing when there was none in the chart's weeks.
func checkinLine(g *rituals.Digest, link string) string {
	c := g.Checkin
	if c == nil {
		return ""
	}
	line := fmt.Sprintf("*Last check-in* — %s: %d of %d answered (%s)", CheckinDay(c), c.Answered, c.Members, percent(float64(c.Answered)/float64(c.Members)))
	if link != "" {
		line += fmt.Sprintf(" · <%s|its thread>", link)
	}
	if !g.CheckinThisWeek() {
		line += " · none closed this week"
	}
	return line
}

// digestMetrics renders the four metrics, each with its change from the
// week before, or "—" when there is nothing to compare.
func digestMetrics(g *rituals.Digest) slack.Block {
	fields := []*slack.TextBlockObject{
		MD(metricField("Decision lead time", "proposed → decided", durationValue(g.LeadTime), durationChange(g.LeadTime))),
		MD(metricField("Blocker time to resolve", "reported → resolved", durationValue(g.TimeToResolve), durationChange(g.TimeToResolve))),
		MD(metricField("Check-in participation", "last check-in", ratioValue(g.Participation), ratioChange(g.Participation))),
		MD(metricField("Pulse response rate", "pulses closed this week", ratioValue(g.ResponseRate), ratioChange(g.ResponseRate))),
	}
	return slack.NewSectionBlock(nil, fields, nil, slack.SectionBlockOptionBlockID("digest.metrics"))
}

func metricField(name, what, value, change string) string {
	return fmt.Sprintf("*%s* (%s)\n%s · change: %s", name, what, value, change)
}

func durationValue(m rituals.Metric[time.Duration]) string {
	if !m.Has {
		return "—"
	}
	return "median " + rituals.FormatAge(m.Value)
}

func durationChange(m rituals.Metric[time.Duration]) string {
	d, ok := m.Change()
	switch {
	case !ok:
		return "—"
	case d.Abs() < time.Minute:
		return "no change"
	case d > 0:
		return "▲ " + rituals.FormatAge(d)
	default:
		return "▼ " + rituals.FormatAge(-d)
	}
}

func ratioValue(m rituals.Metric[float64]) string {
	if !m.Has {
		return "—"
	}
	return percent(m.Value)
}

func ratioChange(m rituals.Metric[float64]) string {
	d, ok := m.Change()
	if !ok {
		return "—"
	}
	return arrow(math.Round(d*100), "%.0f pts")
}

// DigestFallback is the digest's plain text, for notifications and
// clients that show no blocks.
func DigestFallback(g *rituals.Digest) string {
	when := g.To.In(g.Zone.Location()).Format("Mon 2 Jan")
	if g.Quiet() && len(g.Open) == 0 && len(g.Due) == 0 && len(g.Inbound.Open) == 0 {
		return fmt.Sprintf("Weekly digest, week to %s: a quiet week.", when)
	}
	overdue := 0
	for _, d := range g.Due {
		if g.Overdue(d) {
			overdue++
		}
	}
	text := fmt.Sprintf("Weekly digest, week to %s: %s made; %s due (%d overdue); blockers %d opened, %d resolved, %d still open; %s closed",
		when, CountNoun(len(g.Decided), "decision"), CountNoun(len(g.Due), "proposal"), overdue,
		len(g.Opened), len(g.Resolved), len(g.Open), CountNoun(len(g.Pulses), "pulse"))
	if w := g.Inbound; w.Any() {
		text += fmt.Sprintf("; blockers other teams need from you %d opened, %d resolved, %d still open", len(w.Opened), len(w.Resolved), len(w.Open))
	}
	if c := g.Checkin; c != nil {
		text += fmt.Sprintf("; last check-in %d of %d answered", c.Answered, c.Members)
	}
	return text + "."
}

// DigestFullList renders one list of a digest in full, for the person
// who pressed "Show all": as many sections as it needs, within a
// message's blocks.
func DigestFullList(g *rituals.Digest, name string) (string, []slack.Block) {
	for _, l := range digestLists(g) {
		if l.name != name {
			continue
		}
		title := fmt.Sprintf("%s (%d) — week to %s", l.heading, len(l.lines), g.To.In(g.Zone.Location()).Format("Mon 2 Jan"))
		blocks := append([]slack.Block{Section("*" + title + "*"), ContextLine(digestWeekLine(g))}, linesSectionsWhole(l.lines)...)
		if len(blocks) > maxBlocks {
			shown := 0
			for _, b := range blocks[2 : maxBlocks-1] {
				shown += strings.Count(b.(*slack.SectionBlock).Text.Text, "\n• ") + 1
			}
			blocks = append(blocks[:maxBlocks-1], ContextLine(fmt.Sprintf("%d more not shown here; `alignbot export` has every entry.", len(l.lines)-shown)))
		}
		return title, blocks
	}
	return "Nothing to show", []slack.Block{Section("That list of the digest is empty now.")}
}

// DigestMore is the value of a digest's "Show all" button: which list,
// of which digest.
type DigestMore struct {
	List string            `json:"list"`
	Ref  rituals.DigestRef `json:"ref"`
}

func (m DigestMore) encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// DecodeDigestMore reads the value of a digest's "Show all" button.
// Returns EINVALID if v names no digest list.
func DecodeDigestMore(v string) (DigestMore, error) {
	var m DigestMore
	if err := json.Unmarshal([]byte(v), &m); err != nil || m.List == "" || m.Ref.Channel == "" {
		return m, rituals.Errorf(rituals.EINVALID, "That button does not name a digest list.")
	}
	return m, nil
}

// DigestUsage is `/digest help`.
const DigestUsage = "*`/digest` — the channel's weekly digest*\n" +
	"Each week: decisions made, proposals due in the next 7 days (overdue ones flagged), blockers opened, resolved and still open (and, counted apart, those other teams need from this channel), the last check-in's participation, the pulses closed, open action items and top pre-mortem risks, " +
	"with four metrics and their change from the week before (decision lead time, blocker time to resolve, check-in participation, pulse response rate) and a chart of the last 8 weeks.\n" +
	"• `/digest every <weekdays> <HH:MM> [zone]` schedules it here on each of those days, as `/checkin every` takes them, e.g. `/digest every fri 16:00 Europe/Berlin` or `/digest every mon,thu 09:30` (the zone defaults to yours).\n" +
	"• `/digest now` posts this week's digest here now; `/digest preview` shows it only to you.\n" +
	"• `/digest off` stops the schedule; `/digest` shows it, the next run and the connected hooks.\n" +
	"• `/digest hook github|gitlab|events` connects a repository, a project or your own CI and scripts: alignbot replies, to you only, with the URL and secret to set there. " +
	"Their pull and merge requests, reviews, deployments, pipelines, incidents and metrics add a *Delivery* section: deployment frequency, lead time for changes, change failure rate, time to restore, review time and pipeline pass rate. " +
	"`/digest hook remove github` disconnects one; `/digest sla review 1d` sets how long a request may wait for its first review (`off` clears it).\n" +
	"• `/digest rollup #team-a #team-b` (or `all`, every public channel with a digest) makes this channel's weekly digest come with a leadership roll-up: per team, decisions made and waiting, open and cross-team blockers, check-in participation, pulses and delivery, and the three teams whose figures moved most. `/digest rollup off` stops it.\n" +
	"A digest shows only this channel's entries. Scheduling it, posting it now and stopping it are open to the channel's members unless alignbot's admins are set; then only to them."
