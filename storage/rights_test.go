package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/alignbot/alignbot/rituals"
)

// TestRightsRoundTrip stores RACI rights with teams in every role, in two
// workspaces, and reads them back whole: one workspace's by area, and
// every workspace's for an export.
func TestRightsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	svc := &rituals.Rights{Store: db, Now: fixedClock(&now)}
	payments := rituals.Right{Area: "payments", Owner: "S1", Responsible: []string{"U2", "C2"}, Consulted: []string{"S3", "U4"},
		Informed: []string{"C5"}, Names: map[string]string{"S1": "platform-team", "C2": "payments-eng"}}
	if _, err := svc.Add(ctx, rituals.Caller{Team: "T1", User: "U1"}, payments); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(ctx, rituals.Caller{Team: "T0", User: "U1"}, rituals.Right{Area: "api", Owner: "C9"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Right(ctx, "T1", "payments")
	if err != nil {
		t.Fatal(err)
	}
	payments.Team, payments.UpdatedBy, payments.UpdatedAt = "T1", "U1", now
	if diff := cmp.Diff(&payments, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("stored right (-want +got):\n%s", diff)
	}
	all, err := db.RightsOf(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Team != "T0" || all[1].Area != "payments" {
		t.Fatalf("every workspace's rights: %+v", all)
	}
	one, err := db.RightsOf(ctx, "T1")
	if err != nil || len(one) != 1 || one[0].Owner != "S1" {
		t.Fatalf("one workspace's rights: %+v, %v", one, err)
	}
}
