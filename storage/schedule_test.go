package storage_test

import (
	"bytes"
	"context"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// noticeRitual posts a notice per occurrence, in the claiming transaction.
type noticeRitual struct{}

func (noticeRitual) Open(ctx context.Context, tx rituals.RitualTx, s *rituals.Schedule, o *rituals.Occurrence) error {
	return tx.Enqueue(ctx, rituals.Outgoing{Team: s.Team, Kind: rituals.KindNotice, Channel: s.Channel, Key: o.Key()})
}

func newRunner(db *storage.DB, logs *bytes.Buffer) *rituals.Runner {
	return &rituals.Runner{
		Store:   db,
		Log:     slog.New(slog.NewTextHandler(logs, nil)),
		Rituals: map[string]rituals.Ritual{"test": noticeRitual{}},
	}
}

func openAt(t *testing.T, path string) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func schedule(t *testing.T, db *storage.DB, spec, zone string, window time.Duration, now time.Time) {
	t.Helper()
	ctx := context.Background()
	s := &rituals.Schedule{Team: "T1", Channel: "C1", Kind: "test", Spec: spec, Zone: rituals.StoredZone(zone), Window: window}
	next, err := s.Next(now)
	if err != nil {
		t.Fatal(err)
	}
	s.NextRunAt = next
	if err := db.InTx(ctx, func(tx rituals.Tx) error { return tx.SaveSchedule(ctx, s, now) }); err != nil {
		t.Fatal(err)
	}
}

// runs returns the occurrences that posted, from the outbox: one notice
// each, keyed by the occurrence.
func runs(t *testing.T, db *storage.DB) []string {
	t.Helper()
	ctx := context.Background()
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []string
	for {
		items, err := db.ClaimOutbox(ctx, "t", far, far, time.Hour, 100000, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			out = append(out, string(it.Key))
			if err := db.MarkSent(ctx, it, "", "", far); err != nil {
				t.Fatal(err)
			}
		}
	}
	sort.Strings(out)
	return out
}

// tickEvery ticks r from start to end in steps, twice at each step (a
// double tick must change nothing).
func tickEvery(t *testing.T, r *rituals.Runner, start, end time.Time, step time.Duration) {
	t.Helper()
	for now := start; !now.After(end); now = now.Add(step) {
		for i := 0; i < 2; i++ {
			if err := r.Tick(context.Background(), now); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func keysAt(times ...string) []string {
	var out []string
	for _, s := range times {
		tm, _ := time.Parse(time.RFC3339, s)
		o := rituals.Occurrence{Kind: "test", Channel: "C1", ScheduledFor: tm}
		out = append(out, string(o.Key()))
	}
	sort.Strings(out)
	return out
}

func TestScheduleFollowsDaylightSaving(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       []string
	}{
		{"SpringForward", time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC),
			keysAt("2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z")},
		{"FallBack", time.Date(2026, 10, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 27, 12, 0, 0, 0, time.UTC),
			keysAt("2026-10-23T07:00:00Z", "2026-10-24T07:00:00Z", "2026-10-25T08:00:00Z", "2026-10-26T08:00:00Z", "2026-10-27T08:00:00Z")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			var logs bytes.Buffer
			schedule(t, db, "0 9 * * *", "Europe/Berlin", time.Hour, tc.start)
			tickEvery(t, newRunner(db, &logs), tc.start, tc.end, 23*time.Minute)
			if got := runs(t, db); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("runs:\n%v\nwant (09:00 Berlin, once a day):\n%v", got, tc.want)
			}
		})
	}
}

func TestScheduleOnceAcrossTwoProcesses(t *testing.T) {
	path := testdb.New(t)
	a, b := openAt(t, path), openAt(t, path)
	start := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	schedule(t, a, "0 9 * * *", "Europe/Berlin", time.Hour, start)
	var logsA, logsB bytes.Buffer
	ra, rb := newRunner(a, &logsA), newRunner(b, &logsB)
	var wg sync.WaitGroup
	for _, r := range []*rituals.Runner{ra, rb} {
		wg.Add(1)
		go func(r *rituals.Runner) {
			defer wg.Done()
			tickEvery(t, r, start, end, 23*time.Minute)
		}(r)
	}
	wg.Wait()
	want := keysAt("2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z")
	if got := runs(t, a); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("runs with two processes:\n%v\nwant each once:\n%v", got, want)
	}
}

func TestScheduleAcrossARestart(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	nine := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC) // 09:00 in Berlin

	t.Run("DownOverItsTimeRunsOnceOnStart", func(t *testing.T) {
		path := testdb.New(t)
		db := openAt(t, path)
		schedule(t, db, "0 9 * * *", "Europe/Berlin", time.Hour, day)
		var logs bytes.Buffer
		tickEvery(t, newRunner(db, &logs), day, nine.Add(-5*time.Minute), 10*time.Minute)
		db.Close()
		// Down from 08:55 to 09:20; a new process starts and ticks.
		db2 := openAt(t, path)
		tickEvery(t, newRunner(db2, &logs), nine.Add(20*time.Minute), nine.Add(2*time.Hour), 10*time.Minute)
		if got, want := runs(t, db2), keysAt("2026-11-24T08:00:00Z"); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("runs=%v, want %v", got, want)
		}
	})
	t.Run("DownPastItsWindowIsSkippedAndSaysSo", func(t *testing.T) {
		path := testdb.New(t)
		db := openAt(t, path)
		schedule(t, db, "0 9 * * *", "Europe/Berlin", time.Hour, day)
		var logs bytes.Buffer
		tickEvery(t, newRunner(db, &logs), day, nine.Add(-5*time.Minute), 10*time.Minute)
		db.Close()
		// Down until 10:30, past the one-hour window; the next day runs.
		db2 := openAt(t, path)
		tickEvery(t, newRunner(db2, &logs), nine.Add(90*time.Minute), nine.Add(25*time.Hour), 10*time.Minute)
		if got, want := runs(t, db2), keysAt("2026-11-25T08:00:00Z"); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("runs=%v, want %v", got, want)
		}
		if !strings.Contains(logs.String(), "missed run skipped: its window had closed") {
			t.Fatalf("no log line for the skipped run:\n%s", logs.String())
		}
	})
	t.Run("DownForDaysRunsOnlyTheLatest", func(t *testing.T) {
		db := MustOpenDB(t)
		schedule(t, db, "0 9 * * *", "Europe/Berlin", 24*time.Hour, day)
		var logs bytes.Buffer
		r := newRunner(db, &logs)
		if err := r.Tick(context.Background(), nine.Add(72*time.Hour+time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, want := runs(t, db), keysAt("2026-11-27T08:00:00Z"); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("runs=%v, want only the latest %v", got, want)
		}
		if n := strings.Count(logs.String(), "missed run skipped: a later one is due"); n != 3 {
			t.Fatalf("%d skip lines, want 3:\n%s", n, logs.String())
		}
	})
}

func TestScheduleErrors(t *testing.T) {
	for _, s := range []rituals.Schedule{
		{Spec: "0 9 * * *", Zone: rituals.StoredZone("Mars/Olympus")},
		{Spec: "0 9 * * *", Zone: rituals.StoredZone("")},
		{Spec: "61 9 * * *", Zone: rituals.StoredZone("UTC")},
		{Spec: "every day", Zone: rituals.StoredZone("UTC")},
	} {
		if _, err := s.Next(time.Now()); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Errorf("Next(%q in %q) err=%v, want EINVALID", s.Spec, s.Zone, err)
		}
	}
}

// A row whose zone no longer loads reads back with its name, so writing
// it back changes nothing, and as UTC; its schedule refuses to run rather
// than run at UTC hours.
func TestScheduleRowZoneFallback(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	s := &rituals.Schedule{Team: "T1", Channel: "C1", Kind: "test", Spec: "0 9 * * *", Zone: rituals.StoredZone("Mars/Olympus"),
		Window: time.Hour, NextRunAt: at}
	var got *rituals.Schedule
	err := db.InTx(ctx, func(tx rituals.Tx) error {
		if err := tx.SaveSchedule(ctx, s, at); err != nil {
			return err
		}
		read, err := tx.Schedule(ctx, "T1", "C1", "test")
		if err != nil {
			return err
		}
		if err := tx.SaveSchedule(ctx, read, at); err != nil {
			return err
		}
		got, err = tx.Schedule(ctx, "T1", "C1", "test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Zone.String() != "Mars/Olympus" || got.Zone.Location() != time.UTC {
		t.Fatalf("zone %q in %v, want the stored name, read as UTC", got.Zone, got.Zone.Location())
	}
	if _, err := got.Next(at); rituals.ErrorCode(err) != rituals.EINVALID {
		t.Fatalf("Next err=%v, want EINVALID", err)
	}
}

// staleStore answers DueSchedules with what it saw earlier, like a replica
// that read the schedules just before another process ran and advanced
// them.
type staleStore struct {
	*storage.DB
	due []*rituals.Schedule
}

func (s staleStore) DueSchedules(context.Context, time.Time) ([]*rituals.Schedule, error) {
	return s.due, nil
}

func TestScheduleRaceIsSettledByTheClaim(t *testing.T) {
	ctx := context.Background()
	path := testdb.New(t)
	a, b := openAt(t, path), openAt(t, path)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	nine := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	schedule(t, a, "0 9 * * *", "Europe/Berlin", time.Hour, day)

	due, err := b.DueSchedules(ctx, nine)
	if err != nil || len(due) != 1 {
		t.Fatalf("due=%v err=%v", due, err)
	}
	var logs bytes.Buffer
	if err := newRunner(a, &logs).Tick(ctx, nine); err != nil {
		t.Fatal(err)
	}
	rb := newRunner(b, &logs)
	rb.Store = staleStore{DB: b, due: due}
	if err := rb.Tick(ctx, nine.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := runs(t, a); len(got) != 1 {
		t.Fatalf("runs=%v: the second process ran the occurrence again", got)
	}
}
