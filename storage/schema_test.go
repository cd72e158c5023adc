package storage

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/testdb"
)

func TestSchemaMismatch(t *testing.T) {
	known := []int64{1, 2, 3}
	for _, tc := range []struct {
		name    string
		set     string
		applied []int64
		want    string
	}{
		{"UpToDate", "shared", []int64{1, 2, 3}, ""},
		{"ErrNeverMigrated", "shared", nil, "the database at X is at schema version 0 but this alignbot needs 3; run `alignbot migrate` first"},
		{"ErrOlder", "shared", []int64{1, 2}, "the database at X is at schema version 2 but this alignbot needs 3; run `alignbot migrate` first"},
		{"ErrOlderDialect", "sqlite", []int64{1}, "the database at X is at sqlite schema version 1 but this alignbot needs 3; run `alignbot migrate` first"},
		{"ErrGap", "shared", []int64{1, 3}, "the database at X lacks schema version 2 that this alignbot needs; run `alignbot migrate` first"},
		{"ErrNewer", "shared", []int64{1, 2, 3, 4}, "the database at X is at schema version 4, newer than this alignbot's 3: a newer alignbot migrated it, so use that one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := schemaMismatch("X", tc.set, known, tc.applied); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestCheckSchemaChangesNothing checks an unmigrated, an older and an
// up-to-date database, and that checking creates no version table.
func TestCheckSchemaChangesNothing(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sets, err := db.migrationSets()
	if err != nil {
		t.Fatal(err)
	}

	err = db.CheckSchema(ctx)
	if err == nil || !strings.Contains(err.Error(), "is at schema version 0 but this alignbot needs") {
		t.Fatalf("unmigrated: %v", err)
	}
	for _, set := range sets {
		if v, err := db.appliedVersions(ctx, set.table); err != nil || v != nil {
			t.Fatalf("%s after the check: versions %v, err %v; want no table", set.table, v, err)
		}
		if n := tableCount(t, db, set.table); n != 0 {
			t.Fatalf("the check created %s", set.table)
		}
	}

	// One migration short of the shared series.
	shared, err := db.provider(sets[0])
	if err != nil {
		t.Fatal(err)
	}
	var versions []int64
	for _, s := range shared.ListSources() {
		versions = append(versions, s.Version)
	}
	// The one before the last, which need not be last-1: numbers taken by
	// branches merged in another order leave gaps.
	slices.Sort(versions)
	prev, last := versions[len(versions)-2], versions[len(versions)-1]
	if _, err := shared.UpTo(ctx, prev); err != nil {
		t.Fatal(err)
	}
	err = db.CheckSchema(ctx)
	if want := "is at schema version " + itoa(prev) + " but this alignbot needs " + itoa(last); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("older: %v, want %q", err, want)
	}

	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("up to date: %v", err)
	}
}

func tableCount(t *testing.T, db *DB, table string) int {
	t.Helper()
	q := `SELECT count(*) FROM sqlite_master WHERE name = ?`
	if db.dialect == "postgres" {
		q = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?`
	}
	var n int
	if err := sqlxGet(context.Background(), db.db, &n, q, table); err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
