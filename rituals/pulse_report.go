package rituals

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// PulseGroup is the results of one group of a pulse's audience: everyone
// (Role ""), or the people of one role.
type PulseGroup struct {
	Role     string
	Asked    int
	Answered int
	// Counted is how many answers count towards the threshold: the
	// creator's does not, in an anonymous pulse.
	Counted int
	// Shown is false when the group's answers are held back: an anonymous
	// pulse shows no group with fewer answers than its threshold.
	Shown  bool
	Counts []int   // answers per choice, when shown; nil for free text
	Mean   float64 // the mean of a scale, when shown
}

// Share returns the part of the group's counted answers that picked
// choice i.
func (g *PulseGroup) Share(i int) float64 {
	total := 0
	for _, n := range g.Counts {
		total += n
	}
	if total == 0 || i < 0 || i >= len(g.Counts) {
		return 0
	}
	return float64(g.Counts[i]) / float64(total)
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
	Choice    int // -1: the mean, or the share of yes
	High      string
	Low       string
	HighValue float64
	LowValue  float64
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
	// Themes are the words that recur in Texts, most mentioned first:
	// only ever worked out from answers the results show.
	Themes []PulseTheme
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
// what it kept of its answers: res for an anonymous pulse, named for one
// that is not. For an anonymous pulse no group is shown below the
// threshold, the creator's own answer not counted towards it (they know
// it); and when roles are shown, the answers left over (from roles held
// back or people with no role) are either none or at least the threshold
// without the creator's: otherwise subtracting the shown roles from the
// whole would expose them.
func BuildPulseReport(p *Pulse, counts []PulseCount, res *PulseResults, named []PulseAnswer, previous *PulseReport) *PulseReport {
	r := &PulseReport{Pulse: p, Previous: previous}
	threshold := 1
	if p.Anonymous {
		threshold = max(p.Threshold, MinPulseThreshold)
	} else {
		res = resultsOf(named)
	}
	if res == nil {
		res = &PulseResults{}
	}
	counts = slices.SortedFunc(slices.Values(counts), func(a, b PulseCount) int { return strings.Compare(a.Role, b.Role) })
	var all PulseCount
	for _, c := range counts {
		all.Asked, all.Answered, all.Others = all.Asked+c.Asked, all.Answered+c.Answered, all.Others+c.Others
	}
	r.All = p.group(all, res, threshold)
	var shown []PulseGroup
	leftAll, leftOthers, roles := all.Answered, all.Others, 0
	for _, c := range counts {
		if c.Role == "" || c.Answered == 0 {
			continue
		}
		roles++
		if g := p.group(c, res, threshold); g.Shown && r.All.Shown {
			shown = append(shown, g)
			leftAll, leftOthers = leftAll-c.Answered, leftOthers-c.Others
		}
	}
	for leftAll > 0 && leftOthers < threshold && len(shown) > 0 {
		smallest := 0
		for i, g := range shown {
			if g.Answered < shown[smallest].Answered {
				smallest = i
			}
		}
		for _, c := range counts {
			if c.Role == shown[smallest].Role {
				leftAll, leftOthers = leftAll+c.Answered, leftOthers+c.Others
			}
		}
		shown = append(shown[:smallest], shown[smallest+1:]...)
	}
	r.Roles, r.HeldBack = shown, roles-len(shown)
	r.Gap = r.widestGap()
	if !p.Anonymous {
		r.Named = named
	}
	if p.Kind == PulseText && r.All.Shown {
		if p.Anonymous {
			for _, text := range res.Texts {
				r.Texts = append(r.Texts, TextAnswer{Text: text})
			}
		} else {
			for _, a := range named {
				r.Texts = append(r.Texts, TextAnswer{Text: a.Value, User: a.User})
			}
		}
		texts := make([]string, len(r.Texts))
		for i, t := range r.Texts {
			texts[i] = t.Text
		}
		r.Themes = PulseThemes(p.Question, texts, MaxPulseThemes)
	}
	return r
}

// resultsOf counts the answers of a pulse that is not anonymous.
func resultsOf(named []PulseAnswer) *PulseResults {
	res := &PulseResults{Tallies: map[string]map[string]int{}}
	add := func(role, value string) {
		if res.Tallies[role] == nil {
			res.Tallies[role] = map[string]int{}
		}
		res.Tallies[role][value]++
	}
	for _, a := range named {
		add("", a.Value)
		if a.Role != "" {
			add(a.Role, a.Value)
		}
	}
	return res
}

// kept reports whether res holds role's answers.
func (res *PulseResults) kept(role string) bool {
	_, ok := res.Tallies[role]
	return ok || (role == "" && len(res.Texts) > 0)
}

// group computes one group's results from its counts and what res kept
// of its answers: shown when they were kept and enough people besides the
// creator answered.
func (p *Pulse) group(c PulseCount, res *PulseResults, threshold int) PulseGroup {
	g := PulseGroup{Role: c.Role, Asked: c.Asked, Answered: c.Answered, Counted: c.Answered}
	if p.Anonymous {
		g.Counted = c.Others
	}
	g.Shown = g.Answered > 0 && g.Counted >= threshold && res.kept(c.Role)
	tally := res.Tallies[c.Role]
	choices := p.Choices()
	if !g.Shown || len(choices) == 0 {
		return g
	}
	g.Counts = make([]int, len(choices))
	sum, total := 0, 0
	for i, choice := range choices {
		g.Counts[i] = tally[choice]
		sum += (i + 1) * g.Counts[i]
		total += g.Counts[i]
	}
	if p.Kind == PulseScale && total > 0 {
		g.Mean = float64(sum) / float64(total)
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

// FollowUp returns closed pulse n's results, as the caller's channel may
// see them, for a decision or blocker that follows up on them. Returns
// ENOTFOUND for a pulse of a private channel asked about from elsewhere,
// and EINVALID for a pulse with no results yet (open) or ever (canceled).
func (s *Pulses) FollowUp(ctx context.Context, c Caller, n int64) (*PulseReport, error) {
	p, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case PulseClosed:
		return s.report(ctx, p, true)
	case PulseCanceled:
		return nil, Errorf(EINVALID, "%s was canceled before it was sent, so it has no results to follow up on.", p.ID())
	}
	return nil, Errorf(EINVALID, "%s is still open: its results, and what to do about them, come when it closes.", p.ID())
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
	var res *PulseResults
	var named []PulseAnswer
	switch {
	case !p.Anonymous:
		named, err = s.Store.NamedPulseAnswers(ctx, p.Team, p.Number)
	case p.Status == PulseClosed:
		res, err = s.Store.PulseResults(ctx, p.Team, p.Number)
	}
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
	return BuildPulseReport(p, counts, res, named, previous), nil
}
