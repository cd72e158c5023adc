package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// lockCounters holds PostgreSQL's counters table locked from outside, so
// /decide cannot number a decision until release is called.
func lockCounters(t *testing.T, dsn string) (release func()) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE counters IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	release = func() { tx.Rollback(); db.Close() }
	t.Cleanup(release)
	return release
}

// startWithCountersLocked starts the bot on PostgreSQL, with short
// handler times and retries, and locks its decision counter from outside
// until release.
func startWithCountersLocked(t *testing.T) (*fakeslack.Server, *harness, func()) {
	t.Helper()
	if !testdb.Postgres() {
		t.Skip("locks a table from outside, which PostgreSQL allows")
	}
	fs := newWorld(t)
	t.Parallel()
	dsn := testdb.New(t)
	h := startWith(t, fs, dsn, clock.New(testStart), Config{}, func(m *Main) {
		m.HandlerTimeout, m.RetryBase = 500*time.Millisecond, 50*time.Millisecond
	})
	return fs, h, lockCounters(t, dsn)
}

// TestCommandFailingForNowIsTriedAgain holds the decision counter locked
// past the handler's time for two attempts: the command stays in the
// inbox and is taken up again, so once the database can write it is
// recorded, once, and the person is never told it failed.
func TestCommandFailingForNowIsTriedAgain(t *testing.T) {
	fs, h, release := startWithCountersLocked(t)
	h.decide(ann, general, "Keep the monolith one more year")
	h.waitFor("a second attempt", func() bool { return strings.Count(h.logs.String(), "it will be tried again") >= 2 })
	release()
	h.waitFor("the decision recorded", func() bool { return len(h.exportJSON()) == 1 })
	h.waitCards(general, 1)
	if n := len(fs.Ephemerals(ann)); n != 0 {
		t.Fatalf("%d replies to a command that succeeded in the end: %s", n, messageText(fs.Ephemerals(ann)[0]))
	}
}

// TestFailedCommandGivesBackWhatWasTyped holds the decision counter locked
// through every attempt: /decide cannot record, and after the last attempt
// the person is told so, with the command they typed to try again, though
// the handler's own time has run out.
func TestFailedCommandGivesBackWhatWasTyped(t *testing.T) {
	_, h, release := startWithCountersLocked(t)
	typed := "Adopt one decisions log, linked from every RFC (café owners agree)"
	h.decide(ann, general, typed)
	got := h.waitEphemeral(ann, 1)
	release() // let the bot write again
	if !strings.Contains(got, "nothing was saved") || !strings.Contains(got, "/decide "+typed) {
		t.Fatalf("reply:\n%s", got)
	}
	if n := strings.Count(h.logs.String(), "it will be tried again"); n != 4 {
		t.Fatalf("told after %d attempts, want 5", n+1)
	}
	if n := len(h.exportJSON()); n != 0 {
		t.Fatalf("%d decisions recorded, want none", n)
	}
}
