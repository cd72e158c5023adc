package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/alignbot/alignbot/storage"
)

// MustOpenDB opens and migrates a fresh SQLite database in a temp dir.
func MustOpenDB(tb testing.TB) *storage.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(tb.TempDir(), "alignbot.db"))
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
	t.Run("ErrFolderMissing", func(t *testing.T) {
		_, err := storage.Open(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "a.db"))
		if err == nil {
			t.Fatal("want an error for a missing folder")
		}
	})
	t.Run("ErrPostgresNotYet", func(t *testing.T) {
		if _, err := storage.Open(ctx, "postgres://x@127.0.0.1/test"); err == nil {
			t.Fatal("want an error")
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
