package storage_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// panicRitual panics opening, as a ritual with a bug would.
type panicRitual struct{}

func (panicRitual) Open(context.Context, rituals.RitualTx, *rituals.Schedule, *rituals.Occurrence) error {
	panic("ritual bug")
}

// panicStage panics on every tick.
type panicStage struct{}

func (panicStage) Due(context.Context, time.Time) error { panic("stage bug") }

// countStage counts the ticks it ran in.
type countStage struct{ n *int }

func (s countStage) Due(context.Context, time.Time) error { *s.n++; return nil }

// A ritual or a stage that panics is skipped, logged and observed, and the
// rest of every tick goes on: the good ritual opens, the other stage runs,
// and the bad ritual's occurrence is skipped once, not retried each tick.
func TestRunnerSkipsWhatPanics(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	schedule(t, db, "0 9 * * *", "UTC", time.Hour, day)
	bad := &rituals.Schedule{Team: "T1", Channel: "C2", Kind: "bad", Spec: "0 9 * * *", Zone: rituals.StoredZone("UTC"), Window: time.Hour,
		NextRunAt: day.Add(9 * time.Hour)}
	if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.SaveSchedule(ctx, bad, day) }); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	r := newRunner(db, &logs)
	r.Rituals["bad"] = panicRitual{}
	ticks := 0
	r.Stages = []rituals.Stage{panicStage{}, countStage{&ticks}}
	seen := map[string]int{}
	r.Observe = func(kind, stage string, err error) {
		var p *rituals.Panic
		switch {
		case errors.As(err, &p):
			seen[kind+"/"+stage+" panicked"]++
		case err == nil:
			seen[kind+"/"+stage]++
		}
	}
	tickEvery(t, r, day, day.Add(11*time.Hour), 30*time.Minute)

	if got, want := runs(t, db), keysAt("2026-11-24T09:00:00Z"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("runs %v, want the good ritual's %v", got, want)
	}
	if ticks != 2*23 {
		t.Fatalf("the stage after the panicking one ran in %d ticks, want all 46", ticks)
	}
	want := map[string]int{"test/open": 1, "bad/open panicked": 1, "/panicStage panicked": 2 * 23}
	for k, n := range want {
		if seen[k] != n {
			t.Errorf("observed %q %d times, want %d (all: %v)", k, seen[k], n, seen)
		}
	}
	for _, line := range []string{"ritual panicked opening; occurrence skipped", "stage panicked; skipped for this tick", "stage bug"} {
		if !strings.Contains(logs.String(), line) {
			t.Errorf("logs lack %q", line)
		}
	}
	if kinds, stages := r.Names(); strings.Join(kinds, ",") != "bad,test" || strings.Join(stages, ",") != "countStage,open,panicStage" {
		t.Errorf("names %v %v", kinds, stages)
	}
}
