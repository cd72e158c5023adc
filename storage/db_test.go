package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// MustOpenDB opens and migrates a fresh database of the dialect under
// test: a SQLite file in a temp dir, or a PostgreSQL schema of its own.
func MustOpenDB(tb testing.TB) *storage.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, testdb.New(tb))
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Migrate(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// fixedClock returns a clock that reads *t, for tests that move time.
func fixedClock(t *time.Time) func() time.Time { return func() time.Time { return *t } }

func TestOpen(t *testing.T) {
	ctx := context.Background()
	if testdb.Postgres() {
		t.Run("ErrPostgresUnreachable", func(t *testing.T) {
			_, err := storage.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
			if err == nil || strings.Contains(err.Error(), "secret") {
				t.Fatalf("err=%v, want an error that does not show the password", err)
			}
		})
		return
	}
	t.Run("ErrFolderMissing", func(t *testing.T) {
		_, err := storage.Open(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "a.db"))
		if err == nil {
			t.Fatal("want an error for a missing folder")
		}
	})
	t.Run("MigrateTwiceIsNoop", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a.db")
		for i := 0; i < 2; i++ {
			db, err := storage.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx, nil); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
	})
}

// Replicas started together on an empty PostgreSQL database migrate it
// one after another: each applies nothing twice and none fails.
func TestMigrateReplicasAtOnce(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("one process owns a SQLite file")
	}
	migrateAtOnce(t, testdb.New(t), 3)
}

// migrateAtOnce opens n stores on dsn and migrates them at once, as
// replicas starting together do, and fails if any fails.
func migrateAtOnce(t *testing.T, dsn string, n int) {
	t.Helper()
	ctx := context.Background()
	errs := make(chan error, n)
	for range n {
		go func() {
			db, err := storage.Open(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			errs <- db.Migrate(ctx, nil)
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// A constraint the database enforces comes back as ECONFLICT for people,
// with the driver's own error kept underneath for logs and errors.As.
func TestConflictKeepsTheDriversError(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	d := &rituals.Decision{Team: "T1", Number: 1, Title: "Ship it", Channel: "C1", Author: "U1", Owner: "U1",
		Status: rituals.StatusDecided, Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	err := db.InTx(ctx, func(tx rituals.Tx) error {
		if err := tx.CreateDecision(ctx, d); err != nil {
			return err
		}
		return tx.CreateDecision(ctx, d)
	})
	if rituals.ErrorCode(err) != rituals.ECONFLICT {
		t.Fatalf("err = %v, want ECONFLICT", err)
	}
	var se *sqlite.Error
	var pe *pgconn.PgError
	if !errors.As(err, &se) && !errors.As(err, &pe) {
		t.Fatalf("%v: the driver's error is lost", err)
	}
}
