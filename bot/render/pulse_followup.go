package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// PulseFollowUp is what the forms behind a pulse's Record a decision and
// Report a blocker buttons start with: a title naming the pulse, and a
// summary of its results with a link back to them. Both hold only what the
// results show: of a pulse held back by its anonymity threshold, only how
// many answered.
type PulseFollowUp struct {
	Title   string // at most rituals.MaxTitle characters
	Summary string // plain text, its last line the link when there is one
	link    string
}

// NewPulseFollowUp sums up report r for the follow-up forms; link is the
// results message's permalink, or "".
func NewPulseFollowUp(r *rituals.PulseReport, link string) PulseFollowUp {
	p := r.Pulse
	return PulseFollowUp{
		Title:   Clip("Follow-up to pulse "+p.ID()+": "+oneLine(p.Question), rituals.MaxTitle),
		Summary: strings.Join(followUpLines(r), "\n"),
		link:    link,
	}
}

// Decision returns the decision form's input: the title, and the summary
// as its rationale, cut to what the field holds with the link kept whole.
func (f PulseFollowUp) Decision(owner string) rituals.DecisionInput {
	return rituals.DecisionInput{Title: f.Title, Rationale: f.text("", rituals.MaxRationale), Owner: owner, Status: rituals.StatusDecided}
}

// Blocker returns the blocker form's start: the title, then the summary,
// cut to what the field holds with the link kept whole.
func (f PulseFollowUp) Blocker() BlockerForm {
	return BlockerForm{Text: f.text(f.Title+"\n\n", rituals.MaxBlockerText)}
}

// text is head and the summary, then the link, in at most limit
// characters: the summary is cut (on a character, never inside one) to
// make room for the link.
func (f PulseFollowUp) text(head string, limit int) string {
	tail := ""
	if f.link != "" {
		tail = "\nResults: " + f.link
	}
	room := limit - utf8.RuneCountInString(tail)
	if room <= 0 {
		return Clip(head+f.Summary, limit)
	}
	return Clip(head+f.Summary, room) + tail
}

// followUpLines sums up r in plain text, line by line, as the results
// show it.
func followUpLines(r *rituals.PulseReport) []string {
	p := r.Pulse
	head := "Pulse " + p.ID()
	if !p.ClosedAt.IsZero() {
		head += ", closed " + p.ClosedAt.UTC().Format("2006-01-02")
	}
	lines := []string{head + ": “" + oneLine(p.Question) + "”"}
	rate := fmt.Sprintf("%d of %d answered (%s)", r.All.Answered, r.All.Asked, percent(r.All.Rate()))
	if p.Anonymous {
		rate += ", anonymous"
	}
	lines = append(lines, rate+".")
	switch {
	case r.All.Answered == 0:
		return append(lines, "Nobody answered.")
	case !r.All.Shown && r.All.Counted < r.All.Answered:
		return append(lines, fmt.Sprintf("The answers are not shown: %s answered besides whoever sent it, fewer than its anonymity threshold of %d.",
			peopleCount(r.All.Counted), p.Threshold))
	case !r.All.Shown:
		return append(lines, fmt.Sprintf("The answers are not shown: %s answered, fewer than its anonymity threshold of %d.",
			peopleCount(r.All.Answered), p.Threshold))
	case p.Kind == rituals.PulseText:
		if len(r.Themes) == 0 {
			return append(lines, fmt.Sprintf("%s, with no word recurring among them.", CountNoun(len(r.Texts), "free-text answer")))
		}
		var themes []string
		for _, t := range r.Themes {
			themes = append(themes, fmt.Sprintf("%s (%s)", t.Word, CountNoun(t.Answers, "answer")))
		}
		return append(lines, "Top themes: "+strings.Join(themes, ", ")+".")
	}
	if score := scoreLine(r, ""); score != "" {
		lines = append(lines, score+".")
	}
	for i := range p.Choices() {
		lines = append(lines, fmt.Sprintf("- %s: %d (%s)", p.ChoiceLabel(i), r.All.Counts[i], percent(r.All.Share(i))))
	}
	if len(r.Roles) > 0 {
		var roles []string
		for i := range r.Roles {
			g := &r.Roles[i]
			roles = append(roles, fmt.Sprintf("%s %s", g.Role, roleScore(r, g, func(s string) string { return s })))
		}
		line := "By role: " + strings.Join(roles, "; ")
		if r.HeldBack > 0 {
			line += fmt.Sprintf(" (%s not shown on its own)", CountNoun(r.HeldBack, "role"))
		}
		lines = append(lines, line+".")
	}
	if g := r.Gap; g != nil {
		lines = append(lines, fmt.Sprintf("Widest gap between roles: %s vs %s.", gapSide(r, g.High, g.HighValue), gapSide(r, g.Low, g.LowValue)))
	}
	return lines
}

// gapSide is one side of the widest gap in plain text.
func gapSide(r *rituals.PulseReport, role string, v float64) string {
	switch {
	case r.Gap.Choice >= 0:
		return fmt.Sprintf("%s %s on “%s”", role, percent(v), r.Pulse.ChoiceLabel(r.Gap.Choice))
	case r.Pulse.Kind == rituals.PulseYesNo:
		return fmt.Sprintf("%s %s yes", role, percent(v))
	}
	return fmt.Sprintf("%s %.1f", role, v)
}
