package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// TestPulseAnswersUpgrade stages pulses with answers as alignbot stored
// them before answers were sealed (one row per answer, its role in clear)
// and migrates: closed pulses keep only the counts of groups that reached
// their threshold, named answers move to their person, and an open pulse
// still takes, changes and counts answers given with the old tokens.
func TestPulseAnswersUpgrade(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.MigrateToForTest(ctx, 10, 2); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.ExecForTest(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	pulse := func(n int64, kind string, options string, anonymous bool, status string) {
		exec(fmt.Sprintf(`INSERT INTO pulses (team_id, number, series, channel_id, created_by, question, kind, options, audience, anonymous,
			threshold, open_for_ms, status, created_at, sent_at, closes_at)
			VALUES ('T1', %d, %d, 'CPUB', 'UADM', 'Q?', '%s', '%s', 'channel', %t, 3, %d, '%s', %d, %d, %d)`,
			n, n, kind, options, anonymous, (48 * time.Hour).Milliseconds(), status, now.UnixMilli(), now.UnixMilli(), now.Add(48*time.Hour).UnixMilli()))
	}
	rows := 0
	answer := func(n int64, user, role, key, value string) {
		named := ""
		if key == "" {
			key = rituals.AnswerKey("T1", n, "tok-"+user)
		} else {
			named = key
		}
		exec(`INSERT INTO pulse_audience (team_id, pulse, user_id, role, answered, answer_key) VALUES ('T1', ?, ?, ?, TRUE, ?)`, n, user, role, named)
		rows++
		exec(`INSERT INTO pulse_answers (id, team_id, pulse, answer_key, role, value) VALUES (?, 'T1', ?, ?, ?, ?)`,
			rows*7919%1000, n, key, role, value)
	}
	pulse(1, "scale", "", true, "closed")
	answer(1, "U1", "eng", "", "5")
	answer(1, "U2", "eng", "", "5")
	answer(1, "U3", "eng", "", "4")
	answer(1, "U4", "ops", "", "1")
	answer(1, "U55", "", "", "3")
	answer(1, "U66", "", "", "2")
	pulse(2, "text", "", true, "closed")
	answer(2, "U1", "", "", "two answers")
	answer(2, "U2", "", "", "are too few")
	pulse(3, "text", "", true, "closed")
	answer(3, "U1", "", "", "b")
	answer(3, "U2", "", "", "a")
	answer(3, "U3", "", "", "c")
	pulse(4, "yesno", "", false, "closed")
	answer(4, "U1", "", "k1", "Yes")
	pulse(5, "choice", "A\nB", true, "open")
	answer(5, "U1", "eng", "", "A")
	answer(5, "U2", "eng", "", "B")
	exec(`INSERT INTO pulse_audience (team_id, pulse, user_id, role) VALUES ('T1', 5, 'U3', 'eng'), ('T1', 5, 'U4', '')`)

	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	svc := &rituals.Pulses{Store: db, Now: func() time.Time { return now.Add(time.Hour) }}
	report := func(n int64) *rituals.PulseReport {
		t.Helper()
		r, err := svc.Report(ctx, "T1", n)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	roles := func(r *rituals.PulseReport) (out []string) {
		for _, g := range r.Roles {
			out = append(out, fmt.Sprintf("%s %v", g.Role, g.Counts))
		}
		return out
	}

	if r := report(1); !r.All.Shown || fmt.Sprint(r.All.Counts) != "[1 1 1 1 2]" || !slices.Equal(roles(r), []string{"eng [0 0 0 1 2]"}) || r.HeldBack != 1 {
		t.Errorf("P-1: all %+v, roles %v, %d held back", r.All, roles(r), r.HeldBack)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM pulse_tallies WHERE pulse = 1 AND role = 'ops'`); n != 0 {
		t.Errorf("the lone ops answer of P-1 was kept as a count of its role")
	}
	if r := report(2); r.All.Shown || len(r.Texts) != 0 || countRows(t, db, `SELECT COUNT(*) FROM pulse_texts WHERE pulse = 2`) != 0 {
		t.Errorf("P-2, two texts: %+v", r.Texts)
	}
	if r := report(3); !r.All.Shown || fmt.Sprint(r.Texts) != "[{a } {b } {c }]" {
		t.Errorf("P-3 texts %v", r.Texts)
	}
	if r := report(4); len(r.Named) != 1 || r.Named[0] != (rituals.PulseAnswer{User: "U1", Value: "Yes"}) {
		t.Errorf("P-4 named %+v", r.Named)
	}

	t.Run("OpenPulseCarriesOn", func(t *testing.T) {
		give := func(user string, choice int) {
			t.Helper()
			err := svc.Answer(ctx, caller(user, "D"+user, ""), 5, rituals.PulseTicket{Token: "tok-" + user}, rituals.AnswerInput{Choice: choice})
			if err != nil {
				t.Fatal(err)
			}
		}
		if v, err := svc.MyAnswer(ctx, "T1", 5, "U1", "tok-U1"); err != nil || v != "A" {
			t.Fatalf("U1's answer before %q %v", v, err)
		}
		give("U1", 1)
		give("U3", 0)
		if v, _ := svc.MyAnswer(ctx, "T1", 5, "U1", "tok-U1"); v != "B" {
			t.Fatalf("U1's answer after changing it: %q", v)
		}
		if _, err := svc.Close(ctx, caller("UADM", "CPUB", ""), 5); err != nil {
			t.Fatal(err)
		}
		r := report(5)
		if !r.All.Shown || fmt.Sprint(r.All.Counts) != "[1 2]" || !slices.Equal(roles(r), []string{"eng [1 2]"}) {
			t.Fatalf("P-5: all %+v, roles %v", r.All, roles(r))
		}
	})
	if n := countRows(t, db, `SELECT COUNT(*) FROM pulse_ballot_boxes WHERE ballots <> '{}'`); n != 0 {
		t.Errorf("%d ballot boxes still hold ballots once their pulses closed", n)
	}
}
