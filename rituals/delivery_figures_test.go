package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// A week worked by hand. The week is Mon 30 Nov to Mon 7 Dec 2026 (UTC).
//
//	PR 1 opened Fri 27 Nov 10:00, first review Mon 30 Nov 10:00 (72 h), merged Tue 1 Dec 09:00
//	PR 2 opened Tue 1 Dec 08:00, first review 12:00 (4 h), merged 15:00; reviewed again Wed
//	deploy D1 ok Tue 1 Dec 18:00: ships PR 1 (104 h) and PR 2 (10 h)
//	incident I1 Wed 2 Dec 09:00 → 11:30 (2 h 30): D1 counts as failed
//	PR 3 opened Wed 2 Dec 10:00, first review Thu 3 Dec 16:00 (30 h), merged 17:00
//	deploy D2 failed Thu 3 Dec 18:00; D3 ok 19:00 restores it (1 h) and ships PR 3 (33 h)
//	deploy D4 ok Fri 4 Dec 12:00, its first commit 09:00 (3 h)
//	pipelines: 3 passed and 1 failed this week, 1 passed last week
//	metrics: nps 41 then 44 this week; p95 230 ms
//
// Deploys 4, failures 2 (D1 by the incident, D2), rate 0.5. Lead times
// 3, 10, 33, 104 h: median 21 h 30. Restores 1 h and 2 h 30: median
// 1 h 45. Reviews this week 72, 4, 30 h: median 30 h, 2 within a 48 h
// SLA. Pass rate 3/4.
func TestComputeDeliveryByHand(t *testing.T) {
	at := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, time.UTC) }
	dec := func(day, hour, min int) time.Time { return time.Date(2026, 12, day, hour, min, 0, 0, time.UTC) }
	ev := func(k rituals.EventKind, ref string, when, started time.Time, ok bool) rituals.DeliveryEvent {
		return rituals.DeliveryEvent{Kind: k, Ref: ref, At: when, Started: started, OK: ok}
	}
	events := []rituals.DeliveryEvent{
		// Out of order on purpose: ComputeDelivery sorts by time.
		ev(rituals.EventDeploy, "D4", dec(4, 12, 0), dec(4, 9, 0), true),
		ev(rituals.EventPROpened, "r#1", at(27, 10, 0), time.Time{}, false),
		ev(rituals.EventDeploy, "D0", at(28, 12, 0), time.Time{}, true),
		ev(rituals.EventPipeline, "P0", at(29, 12, 0), time.Time{}, true),
		ev(rituals.EventPRReviewed, "r#1", at(30, 10, 0), at(27, 10, 0), false),
		ev(rituals.EventPRMerged, "r#1", dec(1, 9, 0), at(27, 10, 0), false),
		ev(rituals.EventPRReviewed, "r#2", dec(1, 12, 0), dec(1, 8, 0), false),
		ev(rituals.EventPRMerged, "r#2", dec(1, 15, 0), dec(1, 8, 0), false),
		ev(rituals.EventDeploy, "D1", dec(1, 18, 0), time.Time{}, true),
		ev(rituals.EventIncidentOpened, "I1", dec(2, 9, 0), time.Time{}, false),
		ev(rituals.EventPRReviewed, "r#2", dec(2, 10, 0), dec(1, 8, 0), false),
		ev(rituals.EventIncidentResolved, "I1", dec(2, 11, 30), time.Time{}, false),
		ev(rituals.EventPRReviewed, "r#3", dec(3, 16, 0), dec(2, 10, 0), false),
		ev(rituals.EventPRMerged, "r#3", dec(3, 17, 0), dec(2, 10, 0), false),
		ev(rituals.EventDeploy, "D2", dec(3, 18, 0), time.Time{}, false),
		ev(rituals.EventDeploy, "D3", dec(3, 19, 0), time.Time{}, true),
		ev(rituals.EventPipeline, "P1", dec(1, 10, 0), time.Time{}, true),
		ev(rituals.EventPipeline, "P2", dec(2, 10, 0), time.Time{}, false),
		ev(rituals.EventPipeline, "P3", dec(3, 10, 0), time.Time{}, true),
		ev(rituals.EventPipeline, "P4", dec(4, 10, 0), time.Time{}, true),
		{Kind: rituals.EventMetric, Name: "nps", Value: 41, Unit: "points", At: dec(2, 8, 0)},
		{Kind: rituals.EventMetric, Name: "nps", Value: 44, Unit: "points", At: dec(4, 8, 0)},
		{Kind: rituals.EventMetric, Name: "p95", Value: 230, Unit: "ms", At: dec(3, 8, 0)},
	}
	f := rituals.ComputeDelivery(events, at(30, 0, 0), dec(7, 0, 0), 48*time.Hour)

	if f.Deploys != 4 || f.Failures != 2 || f.FailureRate != 0.5 {
		t.Errorf("deploys %d, failures %d, rate %v; want 4, 2, 0.5", f.Deploys, f.Failures, f.FailureRate)
	}
	if want := 21*time.Hour + 30*time.Minute; !f.HasLeadTime || f.LeadTime != want {
		t.Errorf("lead time %v (has %v), want %v", f.LeadTime, f.HasLeadTime, want)
	}
	if want := time.Hour + 45*time.Minute; !f.HasTimeToRestore || f.TimeToRestore != want {
		t.Errorf("time to restore %v (has %v), want %v", f.TimeToRestore, f.HasTimeToRestore, want)
	}
	if f.Reviewed != 3 || f.ReviewTime != 30*time.Hour || f.WithinSLA != 2 {
		t.Errorf("reviews %d, median %v, within SLA %d; want 3, 30h, 2", f.Reviewed, f.ReviewTime, f.WithinSLA)
	}
	if rate, ok := f.PassRate(); !ok || f.Pipelines != 4 || rate != 0.75 {
		t.Errorf("pipelines %d, pass rate %v (%v); want 4, 0.75", f.Pipelines, rate, ok)
	}
	if len(f.Metrics) != 2 || f.Metrics[0].Name != "nps" || f.Metrics[0].Value != 44 || f.Metrics[1].Name != "p95" || f.Metrics[1].Unit != "ms" {
		t.Errorf("metrics %+v, want nps 44 then p95 230 ms", f.Metrics)
	}
	if f.Empty() {
		t.Error("a busy week reads as empty")
	}
}

// A week with no events has no figures: none of them reads as zero.
func TestComputeDeliveryOfAnEmptyWeek(t *testing.T) {
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	f := rituals.ComputeDelivery(nil, from, from.AddDate(0, 0, 7), 0)
	if !f.Empty() || f.HasLeadTime || f.HasTimeToRestore {
		t.Fatalf("figures of an empty week: %+v", f)
	}
	if _, ok := f.PassRate(); ok {
		t.Fatal("a pass rate with no pipeline run")
	}
}

// An incident counts the deploy before it as failed once, however many
// incidents follow; a deploy of last week is not this week's failure.
func TestIncidentsBlameTheLastDeployOnce(t *testing.T) {
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return from.Add(time.Duration(n) * time.Hour) }
	events := []rituals.DeliveryEvent{
		{Kind: rituals.EventDeploy, Ref: "D0", At: h(-5), OK: true},
		{Kind: rituals.EventIncidentOpened, Ref: "I0", At: h(1)},
		{Kind: rituals.EventDeploy, Ref: "D1", At: h(10), OK: true},
		{Kind: rituals.EventIncidentOpened, Ref: "I1", At: h(11)},
		{Kind: rituals.EventIncidentOpened, Ref: "I2", At: h(12)},
	}
	f := rituals.ComputeDelivery(events, from, from.AddDate(0, 0, 7), 0)
	if f.Deploys != 1 || f.Failures != 1 {
		t.Fatalf("deploys %d, failures %d; want 1 and 1", f.Deploys, f.Failures)
	}
	if f.HasTimeToRestore {
		t.Fatalf("a time to restore with no incident resolved: %v", f.TimeToRestore)
	}
}
