package render

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// barWidth is how many cells a distribution bar has.
const barWidth = 10

// maxTextAnswer is how much of one free-text answer the results show.
const maxTextAnswer = 500

// PulseResults renders a closed pulse's results, as posted in its channel:
// response rate, the distribution as bars, the mean of a scale, the change
// since the previous run, per role with the widest gap called out, and a
// free-text pulse's top themes above its answers; then the buttons that
// record a decision or report a blocker from them. A group below an
// anonymous pulse's threshold is never shown.
func PulseResults(r *rituals.PulseReport) []slack.Block {
	p := r.Pulse
	blocks := []slack.Block{
		header("Pulse results: " + p.ID()),
		Section("*" + Mrkdwn(p.Question) + "*"),
		ContextLine(pulseResultsMeta(r)),
	}
	buttons := slack.NewActionBlock("pulse.follow_up",
		button(ActionPulseDecide, p.ID(), "Record a decision"), button(ActionPulseBlocker, p.ID(), "Report a blocker"))
	switch {
	case r.All.Answered == 0:
		blocks = append(blocks, Section("Nobody answered."))
	case !r.All.Shown && r.All.Counted < r.All.Answered:
		blocks = append(blocks, Section(fmt.Sprintf(":lock: The answers are not shown: %s answered besides whoever sent this pulse (who knows their own answer), "+
			"fewer than its anonymity threshold of %d.", peopleCount(r.All.Counted), p.Threshold)))
	case !r.All.Shown:
		blocks = append(blocks, Section(fmt.Sprintf(":lock: The answers are not shown: %s answered, fewer than this pulse's anonymity threshold of %d.",
			peopleCount(r.All.Answered), p.Threshold)))
	case p.Kind == rituals.PulseText:
		if len(r.Themes) > 0 {
			blocks = append(blocks, Section(themeLines(r.Themes)))
		}
		blocks = append(blocks, textAnswers(r, maxBlocks-len(blocks)-1)...)
	default:
		blocks = append(blocks, Section(distribution(r)))
		if roles := roleLines(r); roles != "" {
			blocks = append(blocks, Section(roles))
		}
		if r.Gap != nil {
			blocks = append(blocks, Section(gapLine(r)))
		}
	}
	return append(blocks, buttons)
}

// themeLines renders a free-text pulse's top themes, each with how many
// answers mention it and its shortest answer.
func themeLines(themes []rituals.PulseTheme) string {
	lines := []string{"*Top themes*, by how many answers mention them:"}
	for _, t := range themes {
		line := fmt.Sprintf("• *%s* · %s", Mrkdwn(t.Word), CountNoun(t.Answers, "answer"))
		if t.Example != "" {
			line += " · e.g. “" + Mrkdwn(t.Example) + "”"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// PulseResultsFallback is the results message's plain text.
func PulseResultsFallback(r *rituals.PulseReport) string {
	return fmt.Sprintf("Pulse %s results: %d of %d answered", r.Pulse.ID(), r.All.Answered, r.All.Asked)
}

// pulseResultsMeta is the line under the question: response rate, the
// promise kept, when it closed, and the previous run's rate.
func pulseResultsMeta(r *rituals.PulseReport) string {
	p := r.Pulse
	meta := fmt.Sprintf("*%d of %d answered (%s)*", r.All.Answered, r.All.Asked, percent(r.All.Rate()))
	if p.Anonymous {
		meta += fmt.Sprintf(" · anonymous, groups of %d or more shown", p.Threshold)
	} else {
		meta += " · not anonymous"
	}
	if !p.ClosedAt.IsZero() {
		meta += " · closed " + p.ClosedAt.UTC().Format("2006-01-02")
	}
	if prev := r.Previous; prev != nil {
		meta += fmt.Sprintf(" · previous run %s: %d of %d (%s)", prev.Pulse.ID(), prev.All.Answered, prev.All.Asked, percent(prev.All.Rate()))
	}
	return meta
}

// distribution renders a bar per choice, then the mean or share of yes.
func distribution(r *rituals.PulseReport) string {
	p := r.Pulse
	var lines []string
	for i := range p.Choices() {
		share := r.All.Share(i)
		line := fmt.Sprintf("%s %s", bar(share), percent(share))
		if d, ok := r.ShareChange(i); ok && p.Kind == rituals.PulseChoice {
			line += " (" + arrow(d*100, "%.0f pts") + ")"
		}
		lines = append(lines, fmt.Sprintf("%s · %s (%d)", line, Mrkdwn(p.ChoiceLabel(i)), r.All.Counts[i]))
	}
	if score := scoreLine(r, "*"); score != "" {
		lines = append(lines, score)
	}
	return strings.Join(lines, "\n")
}

// scoreLine is the mean of a scale or the share of yes, with the change
// since the previous run; "" for other kinds. mark wraps the number: "*"
// makes it bold in mrkdwn, "" leaves plain text.
func scoreLine(r *rituals.PulseReport, mark string) string {
	since := ""
	if r.Previous != nil {
		since = " since " + r.Previous.Pulse.ID()
	}
	var line string
	switch r.Pulse.Kind {
	case rituals.PulseScale:
		line = fmt.Sprintf("%sMean %.1f%s out of 5", mark, r.All.Mean, mark)
		if d, ok := r.Change(); ok {
			line += " (" + arrow(d, "%.1f") + since + ")"
		}
	case rituals.PulseYesNo:
		line = mark + percent(r.All.Share(0)) + " yes" + mark
		if d, ok := r.Change(); ok {
			line += " (" + arrow(d*100, "%.0f pts") + since + ")"
		}
	}
	return line
}

// roleLines renders one line per role shown, and says how many are not.
func roleLines(r *rituals.PulseReport) string {
	if len(r.Roles) == 0 && r.HeldBack == 0 {
		return ""
	}
	lines := []string{"*By role*"}
	for i := range r.Roles {
		g := &r.Roles[i]
		lines = append(lines, fmt.Sprintf("• *%s*: %s · %d of %d answered", Mrkdwn(g.Role), roleScore(r, g, Mrkdwn), g.Answered, g.Asked))
	}
	switch {
	case r.HeldBack == 1:
		lines = append(lines, "_1 role is not shown on its own: too few answers to keep them anonymous._")
	case r.HeldBack > 1:
		lines = append(lines, fmt.Sprintf("_%d roles are not shown on their own: too few answers to keep them anonymous._", r.HeldBack))
	}
	return strings.Join(lines, "\n")
}

// roleScore sums up one role's answers; esc renders the option a choice
// pulse's role picked most (Mrkdwn, or as it is for plain text).
func roleScore(r *rituals.PulseReport, g *rituals.PulseGroup, esc func(string) string) string {
	switch r.Pulse.Kind {
	case rituals.PulseScale:
		return fmt.Sprintf("mean %.1f", g.Mean)
	case rituals.PulseYesNo:
		return percent(g.Share(0)) + " yes"
	}
	top := 0
	for i := range g.Counts {
		if g.Counts[i] > g.Counts[top] {
			top = i
		}
	}
	return fmt.Sprintf("most picked “%s” (%s)", esc(r.Pulse.ChoiceLabel(top)), percent(g.Share(top)))
}

// gapLine calls out the two roles that differ most.
func gapLine(r *rituals.PulseReport) string {
	g := r.Gap
	high, low := "*"+Mrkdwn(g.High)+"*", "*"+Mrkdwn(g.Low)+"*"
	var what string
	switch {
	case g.Choice >= 0:
		what = fmt.Sprintf("on “%s”, %s %s vs %s %s, %.0f points apart", Mrkdwn(r.Pulse.ChoiceLabel(g.Choice)),
			high, percent(g.HighValue), low, percent(g.LowValue), (g.HighValue-g.LowValue)*100)
	case r.Pulse.Kind == rituals.PulseYesNo:
		what = fmt.Sprintf("%s %s yes vs %s %s yes, %.0f points apart", high, percent(g.HighValue), low, percent(g.LowValue), (g.HighValue-g.LowValue)*100)
	default:
		what = fmt.Sprintf("%s %.1f vs %s %.1f, %.1f points apart", high, g.HighValue, low, g.LowValue, g.HighValue-g.LowValue)
	}
	return ":warning: *Widest gap between roles:* " + what + ". Are they answering the same question?"
}

// textAnswers lists free-text answers, in the random order of their keys,
// without names for an anonymous pulse, in at most room blocks.
func textAnswers(r *rituals.PulseReport, room int) []slack.Block {
	head := "*Answers*, in random order and without names:"
	if !r.Pulse.Anonymous {
		head = "*Answers*:"
	}
	budget := (room - 2) * maxSectionText * 9 / 10
	var lines []string
	for _, t := range r.Texts {
		line := quote(Clip(t.Text, maxTextAnswer))
		if t.User != "" {
			line += "\n— <@" + t.User + ">"
		}
		line += "\n" // a blank line keeps answers apart
		if budget -= utf8.RuneCountInString(line) + 1; budget < 0 {
			break
		}
		lines = append(lines, line)
	}
	blocks := append([]slack.Block{Section(head)}, linesSections(lines)...)
	if left := len(r.Texts) - len(lines); left > 0 {
		blocks = append(blocks, ContextLine(fmt.Sprintf("…and %d more, too many for one message.", left)))
	}
	return blocks
}

// bar draws share as a bar of barWidth cells.
func bar(share float64) string {
	n := int(math.Round(share * barWidth))
	return "`" + strings.Repeat("█", n) + strings.Repeat("░", barWidth-n) + "`"
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// arrow renders a change: ▲ up, ▼ down, or "no change".
func arrow(d float64, format string) string {
	switch v := fmt.Sprintf(format, math.Abs(d)); {
	case v == fmt.Sprintf(format, 0.0):
		return "no change"
	case d > 0:
		return "▲ " + v
	default:
		return "▼ " + v
	}
}

func peopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}
