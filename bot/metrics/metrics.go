// Package metrics holds alignbot's Prometheus collectors, shared by the
// edge (intake), delivery (the outbox) and the scheduler.
package metrics

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/alignbot/alignbot/rituals"
)

// Where a panic was recovered, as alignbot_panics_total labels it.
const (
	PanicHandler   = "handler"   // a request's handler: the request is parked
	PanicSender    = "sender"    // an outbox item's send: the item is parked
	PanicScheduler = "scheduler" // a scheduler stage: skipped for that tick
)

// Metrics are alignbot's Prometheus collectors, on a registry of their own
// so several bots can live in one test process. Labelled counters start at
// 0 for the labels known up front, so a scrape shows every series from the
// start and a rate over the first increment is not lost.
type Metrics struct {
	Registry    *prometheus.Registry
	Envelopes   *prometheus.CounterVec
	AckLatency  prometheus.Histogram
	APIErrors   *prometheus.CounterVec
	OutboxSent  *prometheus.CounterVec
	OutboxDepth prometheus.Gauge
	OutboxAge   prometheus.Gauge
	RitualRuns  *prometheus.CounterVec
	// Panics counts panics recovered, by where (PanicHandler, …);
	// StagesSkipped counts scheduler stages skipped for a tick by one.
	Panics        *prometheus.CounterVec
	StagesSkipped *prometheus.CounterVec
	// The inbox: requests waiting and the oldest one's age, how many
	// each commit wrote, and how requests ended (done, retried, parked).
	InboxDepth    prometheus.Gauge
	InboxAge      prometheus.Gauge
	InboxWritten  prometheus.Histogram
	InboxOutcomes *prometheus.CounterVec
}

// New registers alignbot's collectors, plus the Go and process ones.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_envelopes_total",
			Help: "Socket Mode envelopes received, by type.",
		}, []string{"type"}),
		AckLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "alignbot_ack_latency_seconds",
			Help:    "Time from an envelope's arrival to its ack being handed to the socket.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		APIErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_slack_api_errors_total",
			Help: "Slack Web API calls that failed, by method and error.",
		}, []string{"method", "error"}),
		OutboxSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_outbox_done_total",
			Help: "Outbox items finished, by kind and outcome (sent, parked, expired).",
		}, []string{"kind", "outcome"}),
		OutboxDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "alignbot_outbox_depth",
			Help: "Outbox items waiting to be sent.",
		}),
		OutboxAge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "alignbot_outbox_oldest_age_seconds",
			Help: "Age of the oldest outbox item waiting to be sent.",
		}),
		RitualRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_ritual_runs_total",
			Help: "Scheduled ritual runs, by kind.",
		}, []string{"kind"}),
		Panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_panics_total",
			Help: "Panics recovered, by where: handler (request parked), sender (outbox item parked), scheduler (stage skipped for a tick).",
		}, []string{"where"}),
		StagesSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_ritual_stages_skipped_total",
			Help: "Scheduler stages skipped for a tick because they panicked, by stage.",
		}, []string{"stage"}),
		InboxDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "alignbot_inbox_depth",
			Help: "Requests from Slack in the inbox, acknowledged and not yet handled.",
		}),
		InboxAge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "alignbot_inbox_oldest_age_seconds",
			Help: "Age of the oldest request waiting in the inbox.",
		}),
		InboxWritten: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "alignbot_inbox_commit_requests",
			Help:    "Requests written to the inbox by one commit (acknowledged together).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
		}),
		InboxOutcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alignbot_inbox_requests_total",
			Help: "Requests from the inbox handled, by outcome: done, retried (an internal failure, taken up again), parked (unreadable, or its handler panicked).",
		}, []string{"outcome"}),
	}
	m.Registry.MustRegister(m.Envelopes, m.AckLatency, m.APIErrors, m.OutboxSent, m.OutboxDepth, m.OutboxAge, m.RitualRuns,
		m.Panics, m.StagesSkipped, m.InboxDepth, m.InboxAge, m.InboxWritten, m.InboxOutcomes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, typ := range []string{"slash_commands", "interactive", "events_api"} {
		m.Envelopes.WithLabelValues(typ)
	}
	for _, where := range []string{PanicHandler, PanicSender, PanicScheduler} {
		m.Panics.WithLabelValues(where)
	}
	for _, o := range []string{rituals.InboxDone, "retried", rituals.InboxParked} {
		m.InboxOutcomes.WithLabelValues(o)
	}
	return m
}

// outboxOutcomes are the ways an outbox item ends.
var outboxOutcomes = []string{"sent", rituals.OutcomeParked, rituals.OutcomeExpired, rituals.OutcomeFolded}

// KnowOutboxKinds starts the outbox counters of kinds at 0.
func (m *Metrics) KnowOutboxKinds(kinds []rituals.Kind) {
	for _, k := range kinds {
		for _, o := range outboxOutcomes {
			m.OutboxSent.WithLabelValues(string(k), o)
		}
	}
}

// KnowRituals starts the counters of the scheduler's ritual kinds and
// stages at 0 (see rituals.Runner.Names).
func (m *Metrics) KnowRituals(kinds, stages []string) {
	for _, k := range kinds {
		m.RitualRuns.WithLabelValues(k)
	}
	for _, st := range stages {
		m.StagesSkipped.WithLabelValues(st)
	}
}

// ObserveRitual counts what the scheduler reports (rituals.Runner.Observe):
// a ritual's run opened, or a stage skipped by a panic.
func (m *Metrics) ObserveRitual(kind, stage string, err error) {
	var p *rituals.Panic
	switch {
	case errors.As(err, &p):
		m.Panics.WithLabelValues(PanicScheduler).Inc()
		m.StagesSkipped.WithLabelValues(stage).Inc()
	case err == nil && stage == rituals.StageOpen:
		m.RitualRuns.WithLabelValues(kind).Inc()
	}
}
