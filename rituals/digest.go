package rituals

import (
	"encoding/json"
	"slices"
	"sort"
	"time"
)

// DigestKind is the schedule kind of weekly digests.
const DigestKind = "digest"

// Message kinds of digests; Data is DigestRef.
const (
	// KindDigest posts a channel's digest for the week ending at the ref.
	KindDigest Kind = "digest.post"
	// KindDigestChart uploads the chart of the eight weeks ending at the
	// ref into the channel.
	KindDigestChart Kind = "digest.chart"
)

const (
	// DigestWindow is how late a digest missed while the bot was down
	// may still be posted.
	DigestWindow = 12 * time.Hour
	// DigestWeeks is how many weeks the chart shows, this one included.
	DigestWeeks = 8
	// DigestAhead is how many days ahead the digest lists proposals due.
	DigestAhead = 7
)

// DigestRef names a digest in an outbox item's Data and in its buttons:
// the channel, the end of its week, and the zone its dates are read in.
type DigestRef struct {
	Channel string `json:"channel"`
	End     int64  `json:"end"`  // ms
	Zone    Zone   `json:"zone"` // its name, as text
}

// EndTime returns the end of the digest's week.
func (r DigestRef) EndTime() time.Time { return time.UnixMilli(r.End).UTC() }

// Key names the digest message, so the chart can follow it.
func (r DigestRef) Key() MessageKey { return occurrenceKey(DigestKind, r.Channel, r.EndTime()) }

func (r DigestRef) data() []byte {
	b, _ := json.Marshal(r)
	return b
}

// Digest is a channel's week, as the weekly digest reports it: what was
// decided, what is due, the blockers, the last check-in, the pulses, the
// open actions and top risks, four metrics with their change from the
// week before, and the eight weeks of the chart. It holds only entries
// of its own channel.
type Digest struct {
	Team, Channel string
	Zone          Zone
	// From and To bound the week: [From, To). Today is To's day in Zone.
	From, To time.Time
	Today    Date

	// Decided are the decisions that became decided this week, oldest
	// first; Due the channel's proposals due within DigestAhead days of
	// Today, soonest first (those due before Today are overdue).
	Decided []*Decision
	Due     []*Decision
	// Opened and Resolved are the blockers reported and resolved this
	// week; Open those still open at To, oldest first.
	Opened, Resolved, Open []*Blocker
	// Inbound are the blockers other channels raised against this one or
	// its team, counted apart from its own; a private channel's only as
	// SeenFrom shows them.
	Inbound BlockerWeek
	// Checkin is the last check-in closed before To in the chart's weeks;
	// nil when none.
	Checkin *Checkin
	// Pulses are the results of the pulses closed this week, as their
	// reports show them: groups under the anonymity threshold hidden.
	Pulses []*PulseReport
	// Actions are the open action items of retros and pre-mortems; Risks
	// the top pre-mortem risks of the chart's weeks.
	Actions []*Item
	Risks   []*Item

	LeadTime      Metric[time.Duration] // median proposed → decided, decisions decided this week
	TimeToResolve Metric[time.Duration] // median reported → resolved, blockers resolved this week
	Participation Metric[float64]       // answered ÷ members, last check-in
	ResponseRate  Metric[float64]       // answers ÷ audience, pulses closed this week

	// Delivery and DeliveryBefore are this week's and last week's
	// delivery figures, from what the channel's hooks brought (see
	// ComputeDelivery); ReviewSLA is the channel's, zero when unset.
	Delivery, DeliveryBefore DeliveryFigures
	ReviewSLA                time.Duration

	// Weeks are the chart's weeks, oldest first; the last is this week.
	Weeks []DigestWeek
}

// BlockerWeek is a week's blockers: reported this week, resolved this
// week, and still open at its end, oldest first.
type BlockerWeek struct {
	Opened, Resolved, Open []*Blocker
}

// Any reports whether the week had any blocker in play.
func (w BlockerWeek) Any() bool { return len(w.Opened)+len(w.Resolved)+len(w.Open) > 0 }

// OldestAge is how long the oldest of Open had been open at end, and
// false when none is.
func (w BlockerWeek) OldestAge(end time.Time) (time.Duration, bool) {
	if len(w.Open) == 0 {
		return 0, false
	}
	oldest := w.Open[0]
	for _, b := range w.Open[1:] {
		if b.CreatedAt.Before(oldest.CreatedAt) {
			oldest = b
		}
	}
	return end.Sub(oldest.CreatedAt), true
}

// Own returns the channel's own blockers of the week, as a BlockerWeek.
func (g *Digest) Own() BlockerWeek {
	return BlockerWeek{Opened: g.Opened, Resolved: g.Resolved, Open: g.Open}
}

// Climbed reports whether blocker b had gone to its channel's escalation
// target by the end of the week.
func (g *Digest) Climbed(b *Blocker) bool {
	return !b.ClimbedAt.IsZero() && b.ClimbedAt.Before(g.To)
}

// Overdue reports whether proposal d was due before the digest's day.
func (g *Digest) Overdue(d *Decision) bool { return !d.DecideBy.IsZero() && d.DecideBy.Before(g.Today) }

// Escalated reports whether blocker b had been escalated by the end of
// the week.
func (g *Digest) Escalated(b *Blocker) bool {
	return !b.EscalatedAt.IsZero() && b.EscalatedAt.Before(g.To)
}

// CheckinThisWeek reports whether the last check-in closed this week.
func (g *Digest) CheckinThisWeek() bool {
	return g.Checkin != nil && !g.Checkin.ClosedAt.Before(g.From)
}

// Quiet reports a week when nothing happened: nothing decided, no
// blocker reported or resolved, no check-in or pulse closed.
func (g *Digest) Quiet() bool {
	return len(g.Decided) == 0 && len(g.Opened) == 0 && len(g.Resolved) == 0 && !g.CheckinThisWeek() && len(g.Pulses) == 0 &&
		len(g.Inbound.Opened) == 0 && len(g.Inbound.Resolved) == 0
}

// Metric is one number of the digest this week and the week before; Has
// and HadBefore say whether there was anything to measure.
type Metric[T time.Duration | float64] struct {
	Value, Before  T
	Has, HadBefore bool
}

// Change returns this week's value less the week before's, and false
// when one of them is missing: nothing to compare.
func (m Metric[T]) Change() (T, bool) {
	if !m.Has || !m.HadBefore {
		return 0, false
	}
	return m.Value - m.Before, true
}

// DigestWeek is one week of the chart. A Has flag is false when the
// week has nothing to show for that line.
type DigestWeek struct {
	From, To time.Time
	// Decisions counts the decisions that became decided in the week.
	Decisions int
	// BlockerAge is the median age of the blockers open at To.
	BlockerAge time.Duration
	HasBlocker bool
	// Participation is the last check-in of the week's answered ÷ members.
	Participation float64
	HasCheckin    bool
	// PulseMean is the mean of the shown means of the scale pulses
	// closed in the week.
	PulseMean float64
	HasPulse  bool
	// Delivery are the week's delivery figures (see ComputeDelivery).
	Delivery DeliveryFigures
}

// Median returns the median of ds (the mean of the two middle values for
// an even count), and false when there are none.
func Median(ds []time.Duration) (time.Duration, bool) {
	if len(ds) == 0 {
		return 0, false
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid], true
	}
	return s[mid-1] + (s[mid]-s[mid-1])/2, true
}

// digestData is what a digest is computed from, as read from the store.
type digestData struct {
	// decided became decided in the chart's weeks; blockers were open at
	// some time in them; checkins closed in them; pulses closed in them,
	// with their reports (this week's with their previous run).
	decided  []*Decision
	due      []*Decision
	blockers []*Blocker
	// inbound were open at some time this week, raised elsewhere against
	// this channel or its team.
	inbound  []*Blocker
	checkins []*Checkin
	pulses   []*PulseReport
	actions  []*Item
	risks    []*Item
	// events are the delivery events of the chart's weeks.
	events    []DeliveryEvent
	reviewSLA time.Duration
}

// weekStarts returns the starts of the DigestWeeks weeks ending at end,
// oldest first, and end: calendar weeks in loc, so a week that crosses a
// daylight-saving change still runs from the same local time.
func weekStarts(end time.Time, loc *time.Location) []time.Time {
	out := make([]time.Time, DigestWeeks+1)
	local := end.In(loc)
	for i := 0; i <= DigestWeeks; i++ {
		out[i] = local.AddDate(0, 0, -7*(DigestWeeks-i)).UTC()
	}
	out[DigestWeeks] = end.UTC()
	return out
}

func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// buildDigest computes the digest of the week ending at end from what was
// read: the lists, the metrics and the chart's weeks.
func buildDigest(team, channel string, loc *time.Location, end time.Time, in digestData) *Digest {
	starts := weekStarts(end, loc)
	g := &Digest{Team: team, Channel: channel, Zone: ZoneOf(loc), From: starts[DigestWeeks-1], To: end.UTC(),
		Today: DateOf(end.In(loc)), Due: in.due, Actions: in.actions, Risks: in.risks}
	prevFrom := starts[DigestWeeks-2]
	g.ReviewSLA = in.reviewSLA
	g.Delivery = ComputeDelivery(in.events, g.From, g.To, in.reviewSLA)
	g.DeliveryBefore = ComputeDelivery(in.events, prevFrom, g.From, in.reviewSLA)

	for _, d := range in.decided {
		if within(d.DecidedAt, g.From, g.To) {
			g.Decided = append(g.Decided, d)
		}
	}
	g.LeadTime = durationMetric(in.decided, g.From, g.To, prevFrom, func(d *Decision) (time.Time, time.Duration, bool) {
		return d.DecidedAt, d.LeadTime(), d.DecidedAt.After(d.CreatedAt)
	})

	own := g.blockerWeek(in.blockers)
	g.Opened, g.Resolved, g.Open = own.Opened, own.Resolved, own.Open
	g.Inbound = g.blockerWeek(seenFrom(in.inbound, channel))
	g.TimeToResolve = durationMetric(in.blockers, g.From, g.To, prevFrom, func(b *Blocker) (time.Time, time.Duration, bool) {
		return b.ResolvedAt, resolveTime(b), !b.ResolvedAt.IsZero()
	})

	// Check-ins come newest first: the first closed before a moment is
	// the last one as of then.
	checkins := slices.Clone(in.checkins)
	sort.SliceStable(checkins, func(i, j int) bool { return checkins[i].ClosedAt.After(checkins[j].ClosedAt) })
	lastBefore := func(t time.Time) *Checkin {
		for _, c := range checkins {
			if c.ClosedAt.Before(t) && c.Members > 0 {
				return c
			}
		}
		return nil
	}
	g.Checkin = lastBefore(g.To)
	if g.Checkin != nil {
		g.Participation.Value, g.Participation.Has = participation(g.Checkin), true
	}
	if c := lastBefore(g.From); c != nil {
		g.Participation.Before, g.Participation.HadBefore = participation(c), true
	}

	for _, r := range in.pulses {
		if within(r.Pulse.ClosedAt, g.From, g.To) {
			g.Pulses = append(g.Pulses, r)
		}
	}
	g.ResponseRate.Value, g.ResponseRate.Has = responseRate(in.pulses, g.From, g.To)
	g.ResponseRate.Before, g.ResponseRate.HadBefore = responseRate(in.pulses, prevFrom, g.From)

	for i := 0; i < DigestWeeks; i++ {
		g.Weeks = append(g.Weeks, chartWeek(in, checkins, starts[i], starts[i+1]))
	}
	return g
}

// durationMetric is the median of the durations of the entries whose
// moment falls this week, and of those the week before.
func durationMetric[E any](entries []E, from, to, prevFrom time.Time, of func(E) (time.Time, time.Duration, bool)) Metric[time.Duration] {
	var now, before []time.Duration
	for _, e := range entries {
		at, d, ok := of(e)
		switch {
		case !ok:
		case within(at, from, to):
			now = append(now, d)
		case within(at, prevFrom, from):
			before = append(before, d)
		}
	}
	var m Metric[time.Duration]
	m.Value, m.Has = Median(now)
	m.Before, m.HadBefore = Median(before)
	return m
}

// blockerWeek sorts blockers into those reported, resolved and still
// open in the digest's week.
func (g *Digest) blockerWeek(bs []*Blocker) BlockerWeek {
	var w BlockerWeek
	for _, b := range bs {
		if within(b.CreatedAt, g.From, g.To) {
			w.Opened = append(w.Opened, b)
		}
		if !b.ResolvedAt.IsZero() && within(b.ResolvedAt, g.From, g.To) {
			w.Resolved = append(w.Resolved, b)
		}
		if OpenAt(b, g.To) {
			w.Open = append(w.Open, b)
		}
	}
	return w
}

// OpenAt reports whether b was open at t: reported before it, and not
// resolved by then.
func OpenAt(b *Blocker, t time.Time) bool {
	return b.CreatedAt.Before(t) && (b.ResolvedAt.IsZero() || !b.ResolvedAt.Before(t))
}

func resolveTime(b *Blocker) time.Duration {
	if b.TimeToResolve > 0 {
		return b.TimeToResolve
	}
	return b.ResolvedAt.Sub(b.CreatedAt)
}

func participation(c *Checkin) float64 { return float64(c.Answered) / float64(c.Members) }

// responseRate is answers ÷ audience over the pulses closed in [from, to).
func responseRate(reports []*PulseReport, from, to time.Time) (float64, bool) {
	asked, answered := 0, 0
	for _, r := range reports {
		if within(r.Pulse.ClosedAt, from, to) {
			asked += r.All.Asked
			answered += r.All.Answered
		}
	}
	if asked == 0 {
		return 0, false
	}
	return float64(answered) / float64(asked), true
}

// chartWeek computes one week of the chart.
func chartWeek(in digestData, checkins []*Checkin, from, to time.Time) DigestWeek {
	w := DigestWeek{From: from, To: to, Delivery: ComputeDelivery(in.events, from, to, in.reviewSLA)}
	for _, d := range in.decided {
		if within(d.DecidedAt, from, to) {
			w.Decisions++
		}
	}
	var ages []time.Duration
	for _, b := range in.blockers {
		if OpenAt(b, to) {
			ages = append(ages, to.Sub(b.CreatedAt))
		}
	}
	w.BlockerAge, w.HasBlocker = Median(ages)
	for _, c := range checkins { // newest first
		if within(c.ClosedAt, from, to) && c.Members > 0 {
			w.Participation, w.HasCheckin = participation(c), true
			break
		}
	}
	sum, n := 0.0, 0
	for _, r := range in.pulses {
		if within(r.Pulse.ClosedAt, from, to) && r.Pulse.Kind == PulseScale && r.All.Shown {
			sum += r.All.Mean
			n++
		}
	}
	if n > 0 {
		w.PulseMean, w.HasPulse = sum/float64(n), true
	}
	return w
}
