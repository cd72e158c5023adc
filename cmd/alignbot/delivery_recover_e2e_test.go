package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// scrape returns the bot's /metrics.
func (h *harness) scrape() string {
	h.t.Helper()
	resp, err := http.Get("http://" + h.main.HTTPAddr + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		h.t.Fatalf("/metrics: %d %v", resp.StatusCode, err)
	}
	return string(body)
}

// hasSeries checks that metrics hold each series with its value.
func hasSeries(t *testing.T, metrics string, series ...string) {
	t.Helper()
	for _, s := range series {
		if !strings.Contains(metrics, "\n"+s+"\n") {
			t.Errorf("/metrics lacks %s", s)
		}
	}
}

// scheduleCheckinAtItsTime schedules a weekly check-in in general and sets
// the clock to its first run.
func (h *harness) scheduleCheckinAtItsTime() {
	h.t.Helper()
	h.clock.Freeze()
	if got := h.ask(adm, general, "/checkin", "every tue 09:00 UTC"); !strings.Contains(got, "next one opens Tue 1 Dec 09:00") {
		h.t.Fatalf("check-in not scheduled:\n%s", got)
	}
	h.clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
}

// Labelled counters show from the start, at 0, so a dashboard or an alert
// sees every series before its first event; a scheduled ritual's run is
// counted by its kind.
func TestMetricsStartAtZeroAndCountRitualRuns(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	hasSeries(t, h.scrape(),
		`alignbot_envelopes_total{type="slash_commands"} 0`,
		`alignbot_envelopes_total{type="interactive"} 0`,
		`alignbot_envelopes_total{type="events_api"} 0`,
		`alignbot_outbox_done_total{kind="decision.card",outcome="sent"} 0`,
		`alignbot_outbox_done_total{kind="checkin.prompt",outcome="parked"} 0`,
		`alignbot_outbox_done_total{kind="decision.reminder",outcome="folded"} 0`,
		`alignbot_ritual_runs_total{kind="checkin"} 0`,
		`alignbot_ritual_runs_total{kind="digest"} 0`,
		`alignbot_ritual_runs_total{kind="pulse"} 0`,
		`alignbot_panics_total{where="handler"} 0`,
		`alignbot_panics_total{where="sender"} 0`,
		`alignbot_panics_total{where="scheduler"} 0`,
		`alignbot_ritual_stages_skipped_total{stage="CheckinClosing"} 0`,
		`alignbot_ritual_stages_skipped_total{stage="open"} 0`,
	)
	h.scheduleCheckinAtItsTime()
	h.tick()
	h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	h.settle()
	hasSeries(t, h.scrape(),
		`alignbot_ritual_runs_total{kind="checkin"} 1`,
		`alignbot_ritual_runs_total{kind="pulse"} 0`,
		`alignbot_outbox_done_total{kind="checkin.prompt",outcome="sent"} 1`,
	)
}

// poisonStage is a scheduler stage with a bug.
type poisonStage struct{}

func (poisonStage) Due(context.Context, time.Time) error { panic("a stage with a bug") }

// A stage that panics is skipped for the tick, logged and counted; the
// rest of the tick runs, and what it sends is delivered.
func TestAStageThatPanicsSkipsOnlyItself(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.scheduleCheckinAtItsTime()
	// The real scheduler, with a stage that panics ahead of the others.
	r := *h.main.Runner
	r.Stages = append([]rituals.Stage{poisonStage{}}, r.Stages...)
	if err := r.Tick(context.Background(), h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	h.settle()
	hasSeries(t, h.scrape(),
		`alignbot_panics_total{where="scheduler"} 1`,
		`alignbot_ritual_stages_skipped_total{stage="poisonStage"} 1`,
		`alignbot_ritual_runs_total{kind="checkin"} 1`,
	)
	if logs := h.logs.String(); !strings.Contains(logs, "stage panicked; skipped for this tick") || !strings.Contains(logs, "a stage with a bug") {
		t.Fatal("the panic is not in the log")
	}
}
