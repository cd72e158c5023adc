package rituals

import (
	"context"
	"fmt"
	"sort"
)

// PulseGroup is the results of one group of a pulse's audience: everyone
// (Role ""), or the people of one role.
type PulseGroup struct {
	Role     string
	Asked    int
	Answered int
	// Shown is false when the group's answers are held back: an anonymous
	// pulse shows no group with fewer answers than its threshold.
	Shown  bool
	Counts []int   // answers per choice, when shown; nil for free text
	Mean   float64 // the mean of a scale, when shown
}

// Share returns the part of the group's answers that picked choice i.
func (g *PulseGroup) Share(i int) float64 {
	if g.Answered == 0 || i < 0 || i >= len(g.Counts) {
		return 0
	}
	return float64(g.Counts[i]) / float64(g.Answered)
}

// Rate returns the group's response rate.
func (g *PulseGroup) Rate() float64 {
	if g.Asked == 0 {
		return 0
	}
	return float64(g.Answered) / float64(g.Asked)
}

// PulseGap is the widest difference between two roles: in a scale's mean
// or the share of yes (Choice -1), or in the share of one option.
type PulseGap struct {
	Choice    int     `json:"choice"` // -1: the mean, or the share of yes
	High      string  `json:"high_role"`
	Low       string  `json:"low_role"`
	HighValue float64 `json:"high"`
	LowValue  float64 `json:"low"`
}

// TextAnswer is one free-text answer; User is set only for pulses that are
// not anonymous.
type TextAnswer struct {
	Text string
	User string
}

// PulseReport is a closed pulse's results, as posted and exported.
type PulseReport struct {
	Pulse *Pulse
	All   PulseGroup
	// Roles are the roles shown, by name; HeldBack counts the roles whose
	// answers are not shown on their own.
	Roles    []PulseGroup
	HeldBack int
	Gap      *PulseGap
	Texts    []TextAnswer
	// Named holds who answered what, for pulses that are not anonymous.
	Named []PulseAnswer
	// Previous is the report of the series' previous closed run, if any.
	Previous *PulseReport
}

// Score returns the one number a group is compared by, and whether there
// is one: a scale's mean, or the share of yes.
func (r *PulseReport) Score(g *PulseGroup) (float64, bool) {
	if !g.Shown {
		return 0, false
	}
	switch r.Pulse.Kind {
	case PulseScale:
		return g.Mean, true
	case PulseYesNo:
		return g.Share(0), true
	}
	return 0, false
}

// Change returns how far the score moved since the previous run, when
// both runs show one.
func (r *PulseReport) Change() (float64, bool) {
	if r.Previous == nil {
		return 0, false
	}
	now, ok1 := r.Score(&r.All)
	before, ok2 := r.Previous.Score(&r.Previous.All)
	return now - before, ok1 && ok2
}

// ShareChange returns how far the share of choice i moved since the
// previous run, when both runs show their answers.
func (r *PulseReport) ShareChange(i int) (float64, bool) {
	if r.Previous == nil || !r.All.Shown || !r.Previous.All.Shown || r.Pulse.Kind == PulseText {
		return 0, false
	}
	return r.All.Share(i) - r.Previous.All.Share(i), true
}

// BuildPulseReport computes a pulse's results from its audience counts and
// its answers. For an anonymous pulse no group below the threshold is
// shown, and when roles are shown the answers left over (from roles held
// back or people with no role) are either none or at least the threshold:
// otherwise subtracting the shown roles from the whole would expose them.
func BuildPulseReport(p *Pulse, counts []PulseCount, answers []PulseAnswer, previous *PulseReport) *PulseReport {
	r := &PulseReport{Pulse: p, Previous: previous}
	threshold := 1
	if p.Anonymous {
		threshold = max(p.Threshold, MinPulseThreshold)
	}
	asked := map[string]int{}
	for _, c := range counts {
		asked[c.Role] += c.Asked
		r.All.Asked += c.Asked
	}
	byRole := map[string][]PulseAnswer{}
	for _, a := range answers {
		if a.Role != "" {
			byRole[a.Role] = append(byRole[a.Role], a)
		}
	}
	r.All = p.group("", r.All.Asked, answers, threshold)

	var names []string
	for role := range byRole {
		names = append(names, role)
	}
	sort.Strings(names)
	var shown []PulseGroup
	left := len(answers)
	for _, role := range names {
		if g := p.group(role, asked[role], byRole[role], threshold); g.Shown && r.All.Shown {
			shown = append(shown, g)
			left -= g.Answered
		}
	}
	for left > 0 && left < threshold && len(shown) > 0 {
		smallest := 0
		for i, g := range shown {
			if g.Answered < shown[smallest].Answered {
				smallest = i
			}
		}
		left += shown[smallest].Answered
		shown = append(shown[:smallest], shown[smallest+1:]...)
	}
	r.Roles, r.HeldBack = shown, len(names)-len(shown)
	r.Gap = r.widestGap()
	if !p.Anonymous {
		r.Named = answers
	}
	if p.Kind == PulseText && r.All.Shown {
		for _, a := range answers {
			r.Texts = append(r.Texts, TextAnswer{Text: a.Value, User: a.User})
		}
	}
	return r
}

// group computes one group's results.
func (p *Pulse) group(role string, asked int, answers []PulseAnswer, threshold int) PulseGroup {
	g := PulseGroup{Role: role, Asked: asked, Answered: len(answers)}
	g.Shown = g.Answered > 0 && g.Answered >= threshold
	choices := p.Choices()
	if !g.Shown || len(choices) == 0 {
		return g
	}
	index := make(map[string]int, len(choices))
	for i, c := range choices {
		index[c] = i
	}
	g.Counts = make([]int, len(choices))
	sum := 0
	for _, a := range answers {
		if i, ok := index[a.Value]; ok {
			g.Counts[i]++
			sum += i + 1
		}
	}
	if p.Kind == PulseScale {
		g.Mean = float64(sum) / float64(g.Answered)
	}
	return g
}

// widestGap finds the two shown roles that differ most.
func (r *PulseReport) widestGap() *PulseGap {
	if len(r.Roles) < 2 {
		return nil
	}
	var best *PulseGap
	consider := func(choice int, value func(g *PulseGroup) float64) {
		gap := &PulseGap{Choice: choice}
		for i := range r.Roles {
			g := &r.Roles[i]
			v := value(g)
			if gap.High == "" || v > gap.HighValue {
				gap.High, gap.HighValue = g.Role, v
			}
			if gap.Low == "" || v < gap.LowValue {
				gap.Low, gap.LowValue = g.Role, v
			}
		}
		if gap.HighValue > gap.LowValue && (best == nil || gap.HighValue-gap.LowValue > best.HighValue-best.LowValue) {
			best = gap
		}
	}
	switch r.Pulse.Kind {
	case PulseScale, PulseYesNo:
		consider(-1, func(g *PulseGroup) float64 { v, _ := r.Score(g); return v })
	case PulseChoice:
		for i := range r.Pulse.Options {
			consider(i, func(g *PulseGroup) float64 { return g.Share(i) })
		}
	}
	return best
}

// Report returns closed pulse n's results, with the previous closed run of
// its series for comparison. It checks no visibility: the caller does.
func (s *Pulses) Report(ctx context.Context, team string, n int64) (*PulseReport, error) {
	p, err := s.Store.Pulse(ctx, team, n)
	if err != nil {
		return nil, err
	}
	return s.report(ctx, p, true)
}

// ReportOf returns the results of p, as Report does.
func (s *Pulses) ReportOf(ctx context.Context, p *Pulse) (*PulseReport, error) {
	return s.report(ctx, p, true)
}

func (s *Pulses) report(ctx context.Context, p *Pulse, withPrevious bool) (*PulseReport, error) {
	counts, err := s.Store.PulseCounts(ctx, p.Team, p.Number)
	if err != nil {
		return nil, err
	}
	answers, err := s.Store.PulseAnswers(ctx, p.Team, p.Number)
	if err != nil {
		return nil, err
	}
	var previous *PulseReport
	if withPrevious && p.Run > 1 {
		runs, err := s.Store.Pulses(ctx, PulseFilter{Team: p.Team, Series: p.Series, Closed: true})
		if err != nil {
			return nil, err
		}
		var before *Pulse
		for _, q := range runs {
			if q.Number < p.Number && (before == nil || q.Number > before.Number) {
				before = q
			}
		}
		if before != nil {
			if previous, err = s.report(ctx, before, false); err != nil {
				return nil, fmt.Errorf("previous run %s: %w", before.ID(), err)
			}
		}
	}
	return BuildPulseReport(p, counts, answers, previous), nil
}
