package bot

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are alignbot's Prometheus collectors, on a registry of their own
// so several bots can live in one test process.
type Metrics struct {
	Registry    *prometheus.Registry
	Envelopes   *prometheus.CounterVec
	AckLatency  prometheus.Histogram
	APIErrors   *prometheus.CounterVec
	OutboxSent  *prometheus.CounterVec
	OutboxDepth prometheus.Gauge
	OutboxAge   prometheus.Gauge
	RitualRuns  *prometheus.CounterVec
}

// NewMetrics registers alignbot's collectors, plus the Go and process ones.
func NewMetrics() *Metrics {
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
	}
	m.Registry.MustRegister(m.Envelopes, m.AckLatency, m.APIErrors, m.OutboxSent, m.OutboxDepth, m.OutboxAge, m.RitualRuns,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
