package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

func newPulses(t *testing.T) (*rituals.Pulses, *time.Time, *storage.DB) {
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	if err := db.SaveChannel(context.Background(), rituals.Channel{Team: "T1", ID: "CPUB", Name: "general"}, now); err != nil {
		t.Fatal(err)
	}
	return &rituals.Pulses{Store: db, Now: fixedClock(&now)}, &now, db
}

// sentPulse creates (as UADM) and launches a pulse to members.
func sentPulse(t *testing.T, svc *rituals.Pulses, in rituals.PulseInput, members ...rituals.PulseMember) *rituals.Pulse {
	t.Helper()
	ctx := context.Background()
	p, err := svc.Create(ctx, caller("UADM", "CPUB", ""), in)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = svc.Launch(ctx, "T1", p.Number, members); err != nil {
		t.Fatal(err)
	}
	return p
}

// ticketsOf returns the ticket each prompt among items carries, by user.
func ticketsOf(t *testing.T, items []rituals.OutboxItem) map[string]rituals.PulseTicket {
	t.Helper()
	out := map[string]rituals.PulseTicket{}
	for _, it := range kinds(items, rituals.KindPulsePrompt) {
		var d rituals.PulsePromptData
		if err := json.Unmarshal(it.Data, &d); err != nil || d.Token == "" {
			t.Fatalf("prompt to %s carries no ticket: %q", it.User, it.Data)
		}
		out[it.User] = d.PulseTicket
	}
	return out
}

func people(role string, users ...string) []rituals.PulseMember {
	var out []rituals.PulseMember
	for _, u := range users {
		out = append(out, rituals.PulseMember{User: u, Role: role})
	}
	return out
}

func scaleInput() rituals.PulseInput {
	return rituals.PulseInput{Question: "How clear are our top priorities this week?", Kind: rituals.PulseScale,
		Audience: rituals.AudienceChannel, Anonymous: true, Threshold: "3"}
}

func kinds(items []rituals.OutboxItem, kind rituals.Kind) (out []rituals.OutboxItem) {
	for _, it := range items {
		if it.Kind == kind {
			out = append(out, it)
		}
	}
	return out
}

func TestPulseAnswers(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newPulses(t)
	p := sentPulse(t, svc, scaleInput(), people("", "UANN", "UBOB", "UEVE", "UDAN")...)
	if p.Status != rituals.PulseOpen || !p.ClosesAt.Equal(now.Add(48*time.Hour)) || !p.RemindAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("launched %+v", p)
	}
	sent := drain(t, db, *now)
	if got := len(kinds(sent, rituals.KindPulsePrompt)); got != 4 {
		t.Fatalf("%d prompts, want 4", got)
	}
	tickets := ticketsOf(t, sent)
	if n := countRows(t, db, `SELECT COUNT(*) FROM outbox WHERE kind = 'pulse.prompt' AND data <> ''`); n != 0 {
		t.Fatalf("%d sent prompts still hold their ticket", n)
	}

	answer := func(user string, choice int) error {
		return svc.Answer(ctx, caller(user, "D"+user, ""), p.Number, tickets[user], rituals.AnswerInput{Choice: choice})
	}
	for user, c := range map[string]int{"UANN": 3, "UBOB": 1, "UEVE": 4} {
		if err := answer(user, c); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("UpdateIsPrivateAndScrubbed", func(t *testing.T) {
		items, err := db.ClaimOutbox(ctx, "test", *now, *now, time.Minute, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Kind != rituals.KindPulsePromptUpdate || !it.Private || !it.Interactive {
				t.Fatalf("queued %+v, want private interactive DM updates", it)
			}
			if err := db.MarkSent(ctx, it, "D"+it.Channel, "1", *now); err != nil {
				t.Fatal(err)
			}
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM outbox WHERE kind = 'pulse.prompt.update' AND data <> ''`); n != 0 {
			t.Fatalf("%d sent updates still hold their token", n)
		}
	})
	t.Run("ChangeKeepsOneBallot", func(t *testing.T) {
		if err := answer("UANN", 0); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM pulse_ballot_boxes`); n != 1 {
			t.Fatalf("%d ballot boxes, want 1", n)
		}
		var raw string
		if err := db.QueryRowForTest(ctx, `SELECT ballots FROM pulse_ballot_boxes`).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var ballots map[string]json.RawMessage
		if err := json.Unmarshal([]byte(raw), &ballots); err != nil || len(ballots) != 3 {
			t.Fatalf("ballots %v (%v), want 3", ballots, err)
		}
		if v, _ := svc.MyAnswer(ctx, "T1", p.Number, "UANN", tickets["UANN"].Token); v != "1" {
			t.Fatalf("my answer %q, want 1", v)
		}
	})
	t.Run("ErrNotAsked", func(t *testing.T) {
		err := svc.Answer(ctx, caller("UZED", "D", ""), p.Number, tickets["UDAN"], rituals.AnswerInput{Choice: 2})
		if rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("err=%v, want EFORBIDDEN", err)
		}
	})
	t.Run("ErrBadChoice", func(t *testing.T) {
		if err := answer("UDAN", 5); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("err=%v, want EINVALID", err)
		}
	})

	t.Run("RemindOnceThenClose", func(t *testing.T) {
		*now = now.Add(24 * time.Hour)
		for range 2 {
			if err := svc.Due(ctx, *now); err != nil {
				t.Fatal(err)
			}
		}
		reminders := kinds(drain(t, db, *now), rituals.KindPulseReminder)
		if len(reminders) != 1 || reminders[0].User != "UDAN" || !reminders[0].Reminder {
			t.Fatalf("reminders %+v, want one to UDAN", reminders)
		}
		*now = now.Add(24 * time.Hour)
		for range 2 {
			if err := svc.Due(ctx, *now); err != nil {
				t.Fatal(err)
			}
		}
		results := kinds(drain(t, db, *now), rituals.KindPulseResults)
		if len(results) != 1 || results[0].Channel != "CPUB" {
			t.Fatalf("results %+v, want one post in CPUB", results)
		}
		if err := answer("UANN", 2); rituals.ErrorCode(err) != rituals.ECONFLICT || !strings.Contains(err.Error(), "has closed") {
			t.Fatalf("late answer: %v", err)
		}
		r, err := svc.Report(ctx, "T1", p.Number)
		if err != nil {
			t.Fatal(err)
		}
		if r.All.Asked != 4 || r.All.Answered != 3 || !r.All.Shown || r.All.Mean != (1+2+5)/3.0 {
			t.Fatalf("report %+v", r.All)
		}
	})
}

// TestPulseAnswerForgetsQueuedTicket answers from a DM whose send is not
// recorded yet (the sender may have died after Slack took it): the
// ticket must not stay in the outbox, next to the person, beside a ballot
// it would name.
func TestPulseAnswerForgetsQueuedTicket(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newPulses(t)
	p := sentPulse(t, svc, scaleInput(), people("", "UANN", "UBOB", "UEVE")...)
	items, err := db.ClaimOutbox(ctx, "test", *now, *now, time.Minute, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	tickets := ticketsOf(t, items)
	if err := svc.Answer(ctx, caller("UANN", "DUANN", ""), p.Number, tickets["UANN"], rituals.AnswerInput{Choice: 2}); err != nil {
		t.Fatal(err)
	}
	held := `SELECT COUNT(*) FROM outbox WHERE kind = 'pulse.prompt' AND data <> '' AND user_id = ?`
	if n := countRows(t, db, held, "UANN"); n != 0 {
		t.Fatal("the ticket of the DM Ann answered from is still in the outbox")
	}
	if n := countRows(t, db, held, "UBOB"); n != 1 {
		t.Fatal("Bob's DM, not answered yet, lost its ticket")
	}
}

func TestPulseThreshold(t *testing.T) {
	ctx := context.Background()
	svc, _, db := newPulses(t)

	t.Run("CanceledBelowThreshold", func(t *testing.T) {
		in := scaleInput()
		in.Threshold = "5"
		p := sentPulse(t, svc, in, people("", "UANN", "UBOB", "UEVE")...)
		if p.Status != rituals.PulseCanceled || !strings.Contains(p.Note, "fewer than its anonymity threshold of 5") {
			t.Fatalf("pulse %s %q", p.Status, p.Note)
		}
	})
	p := sentPulse(t, svc, scaleInput(), people("", "UANN", "UBOB", "UEVE")...)
	t.Run("ErrLoweredAfterSending", func(t *testing.T) {
		err := svc.SetThreshold(ctx, caller("UADM", "CPUB", ""), p.Number, "3")
		if rituals.ErrorCode(err) != rituals.ECONFLICT || !strings.Contains(err.Error(), "fixed") {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
	})
	t.Run("ErrBelowThreeEvenInSQL", func(t *testing.T) {
		err := db.InTx(ctx, func(tx rituals.Tx) error {
			return tx.CreatePulse(ctx, &rituals.Pulse{Team: "T1", Number: 99, Series: 99, Channel: "CPUB", Question: "q",
				Kind: rituals.PulseYesNo, Audience: rituals.AudienceChannel, Threshold: 2, OpenFor: time.Hour, Status: rituals.PulsePending})
		})
		if rituals.ErrorCode(err) != rituals.ECONFLICT {
			t.Fatalf("err=%v: the database took a threshold of 2", err)
		}
	})
}

func TestPulseRepeatsAndRoles(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newPulses(t)
	member := func(user string) rituals.Caller {
		c := caller(user, "CPUB", "")
		c.AdminsOnly = true // ALIGNBOT_ADMINS is set
		return c
	}
	admin := member("UADM")
	admin.Admin = true

	t.Run("ErrRolesNotAdmin", func(t *testing.T) {
		err := svc.SetRoles(ctx, member("UANN"), []rituals.PulseRole{{Group: "SENG", Role: "eng"}})
		if rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("err=%v", err)
		}
	})
	roles := []rituals.PulseRole{{Group: "SOPS", Role: "ops"}, {Group: "SENG", Role: "eng"}}
	if err := svc.SetRoles(ctx, admin, roles); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Roles(ctx, "T1", "CPUB"); len(got) != 2 || got[0].Role != "ops" {
		t.Fatalf("roles %+v, want them in the order given", got)
	}

	in := scaleInput()
	in.Repeat = rituals.RepeatWeekly
	if _, err := svc.Create(ctx, member("UANN"), in); rituals.FieldErrors(err)[rituals.FieldPulseRepeat] == "" {
		t.Fatalf("err=%v, want a repeat field error for a non-admin", err)
	}
	p, err := svc.Create(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	team := append(people("eng", "U1", "U2", "U3"), people("ops", "U4", "U5", "U6")...)
	if _, err := svc.Launch(ctx, "T1", p.Number, append(team, rituals.PulseMember{User: "U7", Role: "pm"})); err != nil {
		t.Fatal(err)
	}
	tickets := ticketsOf(t, drain(t, db, *now))
	for i, u := range []string{"U1", "U2", "U3", "U4", "U5", "U6", "U7"} {
		if err := svc.Answer(ctx, caller(u, "D", ""), p.Number, tickets[u], rituals.AnswerInput{Choice: min(i, 4)}); err != nil {
			t.Fatal(err)
		}
	}
	counts, _ := db.PulseCounts(ctx, "T1", p.Number)
	if fmt.Sprint(counts) != "[{ 1 1 1} {eng 3 3 3} {ops 3 3 3}]" {
		t.Fatalf("counts %v: the lone pm must lose their role", counts)
	}

	runner := &rituals.Runner{Store: db, Log: discardLog(), Rituals: map[string]rituals.Ritual{"pulse": svc}, Stages: []rituals.Stage{svc}}
	*now = now.Add(7 * 24 * time.Hour)
	if err := runner.Tick(ctx, *now); err != nil {
		t.Fatal(err)
	}
	second, err := db.Pulse(ctx, "T1", p.Number+1)
	if err != nil {
		t.Fatal(err)
	}
	if second.Series != p.Number || second.Run != 2 || second.Status != rituals.PulsePending {
		t.Fatalf("second run %+v", second)
	}
	if _, err := svc.Launch(ctx, "T1", second.Number, team); err != nil {
		t.Fatal(err)
	}
	tickets = ticketsOf(t, drain(t, db, *now))
	for _, u := range []string{"U1", "U2", "U3", "U4", "U5", "U6"} {
		if err := svc.Answer(ctx, caller(u, "D", ""), second.Number, tickets[u], rituals.AnswerInput{Choice: 4}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Close(ctx, admin, second.Number); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Report(ctx, "T1", second.Number)
	if err != nil {
		t.Fatal(err)
	}
	if r.Previous == nil || r.Previous.Pulse.Number != p.Number {
		t.Fatalf("previous run %+v", r.Previous)
	}
	if d, ok := r.Change(); !ok || d <= 0 {
		t.Fatalf("change %v %v, want a rise", d, ok)
	}

	t.Run("StopEndsTheSeries", func(t *testing.T) {
		if _, err := svc.Stop(ctx, admin, second.Number); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(7 * 24 * time.Hour)
		if err := runner.Tick(ctx, *now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pulse(ctx, "T1", second.Number+1); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("a third run started after stop: %v", err)
		}
	})
}

func countRows(t *testing.T, db *storage.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowForTest(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
