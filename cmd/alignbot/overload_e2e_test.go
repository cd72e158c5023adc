package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/testdb"
)

// TestFailedCommandGivesBackWhatWasTyped holds the decision counter locked
// past the handler's time: /decide cannot record, and the person is told
// so, with the command they typed to try again, though the handler's own
// time has run out.
func TestFailedCommandGivesBackWhatWasTyped(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("locks a table from outside, which PostgreSQL allows")
	}
	fs := newWorld(t)
	t.Parallel()
	dsn := testdb.New(t)
	h := startWith(t, fs, dsn, clock.New(testStart), Config{}, func(m *Main) { m.HandlerTimeout = time.Second })

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE counters IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	typed := "Adopt one decisions log, linked from every RFC (café owners agree)"
	h.decide(ann, general, typed)
	got := h.waitEphemeral(ann, 1)
	tx.Rollback() // let the bot write again
	if !strings.Contains(got, "nothing was saved") || !strings.Contains(got, "/decide "+typed) {
		t.Fatalf("reply:\n%s", got)
	}
	if n := len(h.exportJSON()); n != 0 {
		t.Fatalf("%d decisions recorded, want none", n)
	}
}
