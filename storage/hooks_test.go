package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

// A channel's hooks: connecting again replaces the hook (its old ID stops
// working), a delivery is kept once, and a week's events come back in
// time order with every field.
func TestDeliveryHooks(t *testing.T) {
	ctx := context.Background()
	db := openAt(t, testdb.New(t))
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

	h := &rituals.Hook{ID: "H1", Team: "T1", Channel: "C1", Source: rituals.HookGitHub, Secret: "s1", CreatedBy: "U1", CreatedAt: t0}
	if err := db.SaveHook(ctx, h); err != nil {
		t.Fatal(err)
	}
	rotated := *h
	rotated.ID, rotated.Secret = "H2", "s2"
	if err := db.SaveHook(ctx, &rotated); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Hook(ctx, "H1"); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("the replaced hook H1: %v, want ENOTFOUND", err)
	}
	got, err := db.Hook(ctx, "H2")
	if err != nil || got.Secret != "s2" || got.Channel != "C1" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("hook H2: %+v, %v", got, err)
	}

	deploy := rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "org/app/deployments/7", At: t0.Add(time.Hour), Started: t0, OK: false}
	metric := rituals.DeliveryEvent{Kind: rituals.EventMetric, Ref: "nps", Name: "nps", Value: 44.5, Unit: "points", At: t0.Add(2 * time.Hour), OK: true}
	if err := db.RecordDeliveryEvent(ctx, got, "d-2", metric, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordDeliveryEvent(ctx, got, "d-1", deploy, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordDeliveryEvent(ctx, got, "d-1", deploy, t0.Add(4*time.Hour)); !errors.Is(err, rituals.ErrDuplicate) {
		t.Fatalf("the same delivery again: %v, want ErrDuplicate", err)
	}
	hs, err := db.ChannelHooks(ctx, "T1", "C1")
	if err != nil || len(hs) != 1 || !hs[0].LastDelivery.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("channel hooks %+v, %v; want H2, last delivery at 12:00", hs, err)
	}

	evs, err := db.DeliveryEvents(ctx, "T1", "C1", t0, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	if e := evs[0]; e.Kind != rituals.EventDeploy || e.OK || !e.Started.Equal(t0) || e.Source != rituals.HookGitHub || e.Ref != deploy.Ref {
		t.Errorf("first event %+v, want the failed deploy", e)
	}
	if e := evs[1]; e.Name != "nps" || e.Value != 44.5 || e.Unit != "points" || !e.OK {
		t.Errorf("second event %+v, want the metric", e)
	}
	if evs, _ := db.DeliveryEvents(ctx, "T1", "C1", t0.Add(90*time.Minute), t0.Add(24*time.Hour)); len(evs) != 1 {
		t.Errorf("events from 10:30: %d, want 1 (the window is by when they happened)", len(evs))
	}

	if err := db.DeleteHook(ctx, "T1", "C1", rituals.HookGitHub); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteHook(ctx, "T1", "C1", rituals.HookGitHub); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("deleting it again: %v, want ENOTFOUND", err)
	}
	if evs, _ := db.DeliveryEvents(ctx, "T1", "C1", t0, t0.Add(24*time.Hour)); len(evs) != 2 {
		t.Errorf("after the hook went: %d events, want its 2 kept", len(evs))
	}
}

func TestReviewSLA(t *testing.T) {
	ctx := context.Background()
	db := openAt(t, testdb.New(t))
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if sla, err := db.ReviewSLA(ctx, "T1", "C1"); err != nil || sla != 0 {
		t.Fatalf("unset: %v, %v", sla, err)
	}
	for _, want := range []time.Duration{24 * time.Hour, 36 * time.Hour, 0} {
		if err := db.SetReviewSLA(ctx, "T1", "C1", want, "U1", at); err != nil {
			t.Fatal(err)
		}
		if got, err := db.ReviewSLA(ctx, "T1", "C1"); err != nil || got != want {
			t.Fatalf("review SLA %v, %v; want %v", got, err, want)
		}
	}
}
