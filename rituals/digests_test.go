package rituals_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestDigestStage drives the weekly digest through the runner: at its
// scheduled time it queues the digest and its chart, once, and the digest
// built from them reports the channel's week.
func TestDigestStage(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	sch := must(w.digests.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Friday}, Hour: 16, Zone: "Europe/Berlin"}))(t)
	at := time.Date(2026, 2, 27, 15, 0, 0, 0, time.UTC) // 16:00 in Berlin, the same Friday
	if !sch.NextRunAt.Equal(at) || sch.Window != rituals.DigestWindow {
		t.Fatalf("next run %v window %v, want %v and %v", sch.NextRunAt, sch.Window, at, rituals.DigestWindow)
	}
	// The week: a proposal decided, two blockers (one resolved), a
	// check-in and a pulse closed, a retro's action and a pre-mortem's risk.
	d := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "Pick a queue",
		Status: rituals.StatusProposed, DecideBy: "2026-03-05"}))(t)
	for _, text := range []string{"Need prod DB access", "Flaky CI"} {
		must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: text, Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	}
	p := must(w.pulses.Create(ctx, caller("U1"), rituals.PulseInput{Question: "Ready?", Kind: rituals.PulseYesNo,
		Audience: rituals.AudienceChannel, OpenFor: "1h"}))(t)
	_, tickets := w.launch(t, p.Number, w.everyone()...)
	ok(t, w.pulses.Answer(ctx, caller("U2"), p.Number, tickets["U2"], rituals.AnswerInput{Choice: 0}))
	ok(t, w.checkins.SetWindow(ctx, caller("U1"), 2*time.Hour))
	chk := must(w.checkins.OpenNow(ctx, caller("U1")))(t)
	ok(t, w.checkins.Answer(ctx, caller("U3"), channel, chk.ScheduledFor, rituals.CheckinAnswer{Outcomes: "Shipped it"}))
	retro := must(w.sessions.Open(ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionRetro, Name: "Sprint 9"}))(t)
	must2(w.sessions.AddItem(ctx, caller("U1"), retro.Number, rituals.ItemInput{Kind: rituals.ItemChange, Text: "Split the epic",
		Owner: "U3", Due: "2026-03-20"}))(t)
	pm := must(w.sessions.Open(ctx, caller("U1"), rituals.SessionInput{Kind: rituals.SessionPremortem, Name: "Billing v2"}))(t)
	must2(w.sessions.AddItem(ctx, caller("U2"), pm.Number, rituals.ItemInput{Kind: rituals.ItemFailure, Text: "Webhooks drop events"}))(t)
	w.at(friday.Add(30 * time.Minute))
	must(w.decisions.MarkDecided(ctx, caller("U1"), d.Number, "Pick SQS"))(t)
	must(w.blockers.Resolve(ctx, caller("U2"), 2, ""))(t)
	ok(t, w.checkins.CloseNow(ctx, caller("U1")))
	w.tick(t, friday.Add(time.Hour)) // closes the pulse
	w.sent(t)

	if got := w.tick(t, at.Add(-time.Minute)); len(got) > 0 {
		t.Fatalf("enqueued %q before the digest's time", kinds(got))
	}
	got := w.tickTwice(t, at)
	if diff := cmp.Diff(strs(rituals.KindDigest, rituals.KindDigestChart), kinds(got)); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
	var ref rituals.DigestRef
	decode(t, got[0], &ref)
	if want := (rituals.DigestRef{Channel: channel, End: at.UnixMilli(), Zone: rituals.StoredZone("Europe/Berlin")}); ref != want || got[0].Key != want.Key() {
		t.Fatalf("ref %+v key %q, want %+v", ref, got[0].Key, want)
	}
	g := must(w.digests.ForViewer(ctx, caller("U2"), ref))(t)
	if len(g.Decided) != 1 || g.Decided[0].Number != d.Number || !g.LeadTime.Has || g.LeadTime.Value != 30*time.Minute {
		t.Fatalf("decided %v lead time %+v, want %s after 30m", g.Decided, g.LeadTime, d.ID())
	}
	if len(g.Opened) != 2 || len(g.Resolved) != 1 || len(g.Open) != 1 {
		t.Fatalf("blockers opened %d resolved %d open %d, want 2, 1, 1", len(g.Opened), len(g.Resolved), len(g.Open))
	}
	if !g.CheckinThisWeek() || g.Checkin.Members != 3 || g.Checkin.Answered != 1 {
		t.Fatalf("check-in %+v, want this week's with 1 of 3", g.Checkin)
	}
	if len(g.Pulses) != 1 || g.Pulses[0].Pulse.Number != p.Number || !g.ResponseRate.Has {
		t.Fatalf("pulses %d response rate %+v, want %s", len(g.Pulses), g.ResponseRate, p.ID())
	}
	if len(g.Actions) != 1 || len(g.Risks) != 1 || g.Quiet() || g.Today != "2026-02-27" {
		t.Fatalf("actions %d risks %d quiet %v today %s", len(g.Actions), len(g.Risks), g.Quiet(), g.Today)
	}
	if _, err := w.digests.ForViewer(ctx, callerIn("U2", "C2"), ref); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("ForViewer from another channel: %v, want ENOTFOUND", err)
	}
}

// TestDigestSettings covers a channel's digest by hand: scheduled, posted
// now in the schedule's zone, previewed, turned off.
func TestDigestSettings(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	_, err := w.digests.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Hour: 9, Zone: "UTC"})
	wantCode(t, err, rituals.EINVALID)
	admins := caller("U1")
	admins.AdminsOnly = true
	_, err = w.digests.SetSchedule(ctx, admins, rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "UTC"})
	wantCode(t, err, rituals.EFORBIDDEN)
	must(w.digests.SetSchedule(ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Zone: "Asia/Tokyo"}))(t)

	ref := must(w.digests.PostNow(ctx, caller("U1")))(t)
	if ref.Zone.String() != "Asia/Tokyo" || ref.End != friday.UnixMilli() {
		t.Fatalf("ref %+v, want the week ending now, in the schedule's zone", ref)
	}
	if diff := cmp.Diff(strs(rituals.KindDigest, rituals.KindDigestChart), kinds(w.sent(t))); diff != "" {
		t.Fatalf("enqueued (-want +got):\n%s", diff)
	}
	g := must(w.digests.Preview(ctx, caller("U1")))(t)
	if !g.Quiet() || g.Zone.String() != "Asia/Tokyo" || len(g.Weeks) != rituals.DigestWeeks {
		t.Fatalf("preview %+v, want a quiet week in Tokyo with %d weeks", g, rituals.DigestWeeks)
	}
	ok(t, w.digests.Off(ctx, caller("U1")))
	wantCode(t, w.digests.Off(ctx, caller("U1")), rituals.ENOTFOUND)
	if sch := must(w.digests.Schedule(ctx, caller("U1")))(t); sch != nil {
		t.Fatalf("schedule %+v after Off", sch)
	}
	if got := w.tickTwice(t, monday); len(got) > 0 {
		t.Fatalf("enqueued %q after Off", kinds(got))
	}
}

// TestDigestOnSeveralWeekdays schedules the digest on Monday and Thursday:
// over two weeks ticked every three hours, each of those days gets one
// digest, of the week ending then, and no other day gets any.
func TestDigestOnSeveralWeekdays(t *testing.T) {
	w := newWorld(t)
	sch := must(w.digests.SetSchedule(w.ctx, caller("U1"), rituals.WeeklyTime{Days: []time.Weekday{time.Thursday, time.Monday}, Hour: 16, Zone: "UTC"}))(t)
	if want := time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC); !sch.NextRunAt.Equal(want) {
		t.Fatalf("next run %v, want %v", sch.NextRunAt, want)
	}
	var got []string
	for at := friday; at.Before(friday.AddDate(0, 0, 15)); at = at.Add(3 * time.Hour) {
		for _, it := range w.tickTwice(t, at) {
			if it.Kind == rituals.KindDigest {
				var ref rituals.DigestRef
				if err := json.Unmarshal(it.Data, &ref); err != nil {
					t.Fatal(err)
				}
				got = append(got, at.Format("Mon 2 Jan")+" of the week to "+ref.EndTime().UTC().Format("Mon 2 Jan 15:04"))
			}
		}
	}
	want := []string{"Mon 2 Mar of the week to Mon 2 Mar 16:00", "Thu 5 Mar of the week to Thu 5 Mar 16:00",
		"Mon 9 Mar of the week to Mon 9 Mar 16:00", "Thu 12 Mar of the week to Thu 12 Mar 16:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("digests (-want +got):\n%s", diff)
	}
}
