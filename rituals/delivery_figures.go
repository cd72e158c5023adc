package rituals

import (
	"slices"
	"sort"
	"time"
)

// EventKind is what a delivery event reports: a step of a change's way
// to production, an incident, or a figure a team sends itself.
type EventKind string

const (
	// EventPROpened: a pull or merge request was opened (At), Ref its
	// number.
	EventPROpened EventKind = "pr_opened"
	// EventPRReviewed: a request got a review (At); Started is when it
	// was opened, so review time needs no earlier event.
	EventPRReviewed EventKind = "pr_reviewed"
	// EventPRMerged: a request was merged (At); Started is when it was
	// opened, the start of its change's lead time.
	EventPRMerged EventKind = "pr_merged"
	// EventDeploy: a deployment finished (At), OK when it succeeded.
	// Started, when the sender knows it, is when its oldest change began
	// (its first commit); otherwise the requests merged since the last
	// deploy give the lead time.
	EventDeploy EventKind = "deploy"
	// EventIncidentOpened and EventIncidentResolved bracket an incident,
	// matched by Ref.
	EventIncidentOpened   EventKind = "incident_opened"
	EventIncidentResolved EventKind = "incident_resolved"
	// EventPipeline: a CI pipeline finished (At), OK when it passed.
	EventPipeline EventKind = "pipeline"
	// EventMetric: a team's own figure, Name = Value Unit, as of At.
	EventMetric EventKind = "metric"
)

// EventKinds lists every kind, for parsing.
func EventKinds() []EventKind {
	return []EventKind{EventPROpened, EventPRReviewed, EventPRMerged, EventDeploy,
		EventIncidentOpened, EventIncidentResolved, EventPipeline, EventMetric}
}

// DeliveryEvent is one thing a channel's repositories, pipelines or
// scripts reported, as alignbot keeps it.
type DeliveryEvent struct {
	Team, Channel string
	// Source is the hook it came through: "github", "gitlab" or "events".
	Source string
	Kind   EventKind
	// Ref names what it is about, unique within Source and Kind: a
	// request's repository and number, a deployment's ID, an incident's.
	Ref     string
	At      time.Time
	Started time.Time // see the kinds; zero when unknown
	OK      bool
	// Name, Value and Unit are a metric's.
	Name  string
	Value float64
	Unit  string
}

// DeliveryFigures are a channel's delivery figures for one week, from
// its events (DORA's four keys, review time and the pipeline pass rate,
// and the team's own metrics). A figure with nothing to compute it from
// is marked absent (its Has… false, or a zero count), never shown as 0.
type DeliveryFigures struct {
	// Deploys counts the week's deployments, failed ones included.
	Deploys int
	// LeadTime is the median time from a change's start (its first
	// commit, or its request opened) to the deploy that shipped it.
	LeadTime    time.Duration
	HasLeadTime bool
	// Failures counts deploys that failed, or after which an incident
	// opened before the next deploy; FailureRate is Failures / Deploys.
	Failures    int
	FailureRate float64
	// TimeToRestore is the median time from an incident opened (or a
	// failed deploy) to its resolution (or the next successful deploy),
	// for those restored this week.
	TimeToRestore    time.Duration
	HasTimeToRestore bool
	// ReviewTime is the median time from a request opened to its first
	// review, for requests first reviewed this week; WithinSLA counts
	// those reviewed within the channel's review SLA (when set) out of
	// Reviewed.
	ReviewTime time.Duration
	Reviewed   int
	WithinSLA  int
	// Pipelines counts finished pipelines; Passed those that passed.
	Pipelines, Passed int
	// Metrics are the team's own figures: each name's last value of the
	// week, by name.
	Metrics []TeamMetric
}

// TeamMetric is one of a team's own figures.
type TeamMetric struct {
	Name  string
	Value float64
	Unit  string
	At    time.Time
}

// PassRate is the share of pipelines that passed, and whether any ran.
func (f DeliveryFigures) PassRate() (float64, bool) {
	if f.Pipelines == 0 {
		return 0, false
	}
	return float64(f.Passed) / float64(f.Pipelines), true
}

// Empty reports whether the week had no delivery event at all.
func (f DeliveryFigures) Empty() bool {
	return f.Deploys == 0 && !f.HasLeadTime && !f.HasTimeToRestore && f.Reviewed == 0 &&
		f.Pipelines == 0 && len(f.Metrics) == 0
}

// ComputeDelivery works out the figures of the week [from, to) from
// events, which may reach before from: a request opened last week and
// merged this week, an incident that began before, the deploy before the
// week's first. reviewSLA is the channel's review SLA, zero when unset.
func ComputeDelivery(events []DeliveryEvent, from, to time.Time, reviewSLA time.Duration) DeliveryFigures {
	evs := slices.Clone(events)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }

	var f DeliveryFigures
	var leads, restores, reviews []time.Duration

	// Requests merged and not yet shipped, oldest start first: each
	// deploy ships those merged before it.
	var merged []time.Time
	reviewed := map[string]bool{}
	opened := map[string]time.Time{} // incident Ref → opened
	var failedAt time.Time           // the failed deploy not yet restored
	// blamable is the week's last successful deploy while no incident
	// has yet counted it as a failure.
	blamable := false
	metrics := map[string]TeamMetric{}

	for _, e := range evs {
		switch e.Kind {
		case EventPRMerged:
			start := e.Started
			if start.IsZero() {
				start = e.At
			}
			merged = append(merged, start)
		case EventPRReviewed:
			if reviewed[e.Ref] || e.Started.IsZero() {
				continue
			}
			reviewed[e.Ref] = true
			if in(e.At) {
				d := e.At.Sub(e.Started)
				reviews = append(reviews, d)
				f.Reviewed++
				if reviewSLA > 0 && d <= reviewSLA {
					f.WithinSLA++
				}
			}
		case EventDeploy:
			if e.OK && !failedAt.IsZero() {
				if in(e.At) {
					restores = append(restores, e.At.Sub(failedAt))
				}
				failedAt = time.Time{}
			}
			if !e.OK && failedAt.IsZero() {
				failedAt = e.At
			}
			if in(e.At) {
				f.Deploys++
				if !e.OK {
					f.Failures++
				}
			}
			if e.OK {
				starts := merged
				if !e.Started.IsZero() {
					starts = []time.Time{e.Started}
				}
				if in(e.At) {
					for _, s := range starts {
						leads = append(leads, e.At.Sub(s))
					}
				}
				merged = nil
			}
			blamable = e.OK && in(e.At)
		case EventIncidentOpened:
			if _, ok := opened[e.Ref]; !ok {
				opened[e.Ref] = e.At
			}
			// An incident after a successful deploy, before the next,
			// makes that deploy a failure.
			if blamable {
				f.Failures++
				blamable = false
			}
		case EventIncidentResolved:
			start, ok := opened[e.Ref]
			if !ok {
				continue
			}
			delete(opened, e.Ref)
			if in(e.At) {
				restores = append(restores, e.At.Sub(start))
			}
		case EventPipeline:
			if in(e.At) {
				f.Pipelines++
				if e.OK {
					f.Passed++
				}
			}
		case EventMetric:
			if in(e.At) && e.Name != "" {
				metrics[e.Name] = TeamMetric{Name: e.Name, Value: e.Value, Unit: e.Unit, At: e.At}
			}
		}
	}
	if f.Deploys > 0 {
		f.FailureRate = float64(f.Failures) / float64(f.Deploys)
	}
	f.LeadTime, f.HasLeadTime = Median(leads)
	f.TimeToRestore, f.HasTimeToRestore = Median(restores)
	f.ReviewTime, _ = Median(reviews)
	for _, m := range metrics {
		f.Metrics = append(f.Metrics, m)
	}
	sort.Slice(f.Metrics, func(i, j int) bool { return f.Metrics[i].Name < f.Metrics[j].Name })
	return f
}
