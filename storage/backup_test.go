package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/testdb"
)

func TestBackupIsPrivate(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("backup copies SQLite databases")
	}
	ctx := context.Background()
	db, err := Open(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Fatalf("backup mode %v, want 0600", got)
	}
	if err := db.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second backup to the same file: %v", err)
	}
}
