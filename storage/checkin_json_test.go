package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestCheckinJSONColumns checks the JSON that checkins.agenda and
// checkin_answers.blockers hold, to the byte: rows written by earlier
// versions hold it, so it must not drift. A check-in and an answer also
// read back as they were written, empty lists and absent ones alike.
func TestCheckinJSONColumns(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)
	chk := &rituals.Checkin{Team: "T1", Channel: "C1", ScheduledFor: at, OpenedAt: at, ClosesAt: at.Add(24 * time.Hour),
		Zone: rituals.StoredZone("UTC"), NextDue: "2026-12-07", Agenda: rituals.Agenda{
			Blockers: []rituals.AgendaBlocker{
				{Number: 3, Text: "dns", Since: at.Add(-24 * time.Hour), Parties: []rituals.Party{
					{Kind: rituals.PartyGroup, ID: "S1", Name: "sre", Members: []string{"U3", "U4"}}, {Kind: rituals.PartyUser, ID: "U2"}}},
				{Number: 4, Text: "x", Since: at, Parties: []rituals.Party{}},
				{Number: 5, Text: "none", Since: at},
			},
			Decisions: []rituals.AgendaDecision{{Number: 7, Title: "Pick", Owner: "U1", OwnerName: "Ann", DecideBy: "2026-12-01", Overdue: true}},
		}}
	a := &rituals.CheckinAnswer{Team: "T1", Channel: "C1", ScheduledFor: at, User: "U1", Outcomes: "one", AnsweredAt: at,
		Blockers: []rituals.BlockerLine{{Text: "b", Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}, {Text: "plain"}}}
	if err := db.InTx(ctx, func(tx rituals.Tx) error {
		if err := tx.CreateCheckin(ctx, chk); err != nil {
			return err
		}
		_, err := tx.SaveCheckinAnswer(ctx, a)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	var agenda, blockers string
	if err := db.QueryRowForTest(ctx, `SELECT agenda FROM checkins`).Scan(&agenda); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, `SELECT blockers FROM checkin_answers`).Scan(&blockers); err != nil {
		t.Fatal(err)
	}
	wantAgenda := `{"blockers":[` +
		`{"number":3,"text":"dns","since":"2026-11-29T08:30:00Z","parties":[{"kind":"group","id":"S1","name":"sre","members":["U3","U4"]},{"kind":"user","id":"U2"}]},` +
		`{"number":4,"text":"x","since":"2026-11-30T08:30:00Z","parties":[]},` +
		`{"number":5,"text":"none","since":"2026-11-30T08:30:00Z","parties":null}],` +
		`"decisions":[{"number":7,"title":"Pick","owner":"U1","owner_name":"Ann","decide_by":"2026-12-01","overdue":true}]}`
	if agenda != wantAgenda {
		t.Errorf("agenda column:\n%s\nwant:\n%s", agenda, wantAgenda)
	}
	if want := `[{"text":"b","parties":[{"kind":"user","id":"U2"}]},{"text":"plain"}]`; blockers != want {
		t.Errorf("blockers column:\n%s\nwant:\n%s", blockers, want)
	}

	got, err := db.Checkins(ctx, rituals.CheckinFilter{Team: "T1"})
	if err != nil || len(got) != 1 {
		t.Fatalf("check-ins %v, err %v", got, err)
	}
	if diff := cmp.Diff(chk.Agenda, got[0].Agenda); diff != "" {
		t.Errorf("agenda read back (-want +got):\n%s", diff)
	}
	answers, err := db.CheckinAnswers(ctx, "T1", "C1", at)
	if err != nil || len(answers) != 1 {
		t.Fatalf("answers %v, err %v", answers, err)
	}
	if diff := cmp.Diff(a.Blockers, answers[0].Blockers); diff != "" {
		t.Errorf("answer's blockers read back (-want +got):\n%s", diff)
	}
}

// TestAgendaInboundRoundTrip checks that the blockers other channels need
// from a check-in's channel read back as written, a private one's
// without text or origin.
func TestAgendaInboundRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)
	chk := &rituals.Checkin{Team: "T1", Channel: "C1", ScheduledFor: at, OpenedAt: at, ClosesAt: at.Add(24 * time.Hour),
		Zone: rituals.StoredZone("UTC"), NextDue: "2026-12-07", Agenda: rituals.Agenda{Inbound: []rituals.AgendaBlocker{
			{Number: 8, Text: "window", Since: at.Add(-48 * time.Hour), From: "C2", SLA: 72 * time.Hour,
				EscalatedAt: at.Add(-time.Hour), ClimbedAt: at, ClimbedTo: "U9", Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "C1"}}},
			{Number: 9, Since: at, Hidden: true, SLA: time.Hour},
		}}}
	if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.CreateCheckin(ctx, chk) }); err != nil {
		t.Fatal(err)
	}
	var agenda string
	if err := db.QueryRowForTest(ctx, `SELECT agenda FROM checkins`).Scan(&agenda); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(agenda, `{"number":9,"text":"","since":"2026-11-30T08:30:00Z","parties":null,"hidden":true,"sla_ms":3600000}`) {
		t.Fatalf("agenda column %s", agenda)
	}
	got, err := db.Checkins(ctx, rituals.CheckinFilter{Team: "T1"})
	if err != nil || len(got) != 1 {
		t.Fatalf("check-ins %v, err %v", got, err)
	}
	if diff := cmp.Diff(chk.Agenda, got[0].Agenda); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
}

// An agenda's action items read back as written, an unowned change
// without owner or due day.
func TestAgendaActionsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	want := rituals.Agenda{Actions: []rituals.AgendaAction{
		{Session: 4, Item: 2, Kind: rituals.ItemChange, Text: "Write the runbook", Owner: "U1", OwnerName: "Ann", Due: "2026-11-27", Overdue: true},
		{Session: 4, Item: 3, Text: "Page support"},
	}}
	at := time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)
	if err := db.InTx(ctx, func(tx rituals.Tx) error {
		return tx.CreateCheckin(ctx, &rituals.Checkin{Team: "T1", Channel: "C1", ScheduledFor: at, OpenedAt: at, Agenda: want})
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Checkins(ctx, rituals.CheckinFilter{Team: "T1"})
	if err != nil || len(got) != 1 {
		t.Fatalf("check-ins %v, err %v", got, err)
	}
	if diff := cmp.Diff(want, got[0].Agenda); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
}
