package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/migrations"
	"github.com/alignbot/alignbot/storage"
)

// offlineCommands are the commands that read a database the bot may be
// serving from: they must never migrate it.
var offlineCommands = [][]string{
	{"export", "decisions"}, {"export", "blockers"}, {"export", "checkins"},
	{"export", "pulses"}, {"export", "rituals"}, {"backup", "copy.db"},
}

// TestOfflineCommandsNeverMigrate runs export and backup on a database
// one migration behind and on one never migrated: each refuses in one
// sentence and leaves the database as it was; once `alignbot migrate`
// has run, they work.
func TestOfflineCommandsNeverMigrate(t *testing.T) {
	t.Parallel()
	prev, last := lastSharedVersions(t)
	for _, tc := range []struct {
		name string
		at   int64
	}{
		{"OneMigrationBehind", prev},
		{"NeverMigrated", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dsn := databaseAt(t, tc.at)
			before := snapshot(t, dsn)
			want := fmt.Sprintf("the database at %s is at schema version %d but this alignbot needs %d; run `alignbot migrate` first", storage.Redact(dsn), tc.at, last)
			for _, args := range offlineCommands {
				args = offline(args, dsn, dir)
				var out, errOut bytes.Buffer
				code := run(context.Background(), args, noEnv, &out, &errOut)
				if got := strings.TrimSpace(errOut.String()); code == 0 || got != "alignbot: "+want {
					t.Errorf("%s %s: exit %d\nstderr %q\nwant   %q", args[0], args[1], code, got, "alignbot: "+want)
				}
				if after := snapshot(t, dsn); after != before {
					t.Fatalf("%s %s changed the database:\nbefore %s\nafter  %s", args[0], args[1], before, after)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "copy.db")); !os.IsNotExist(err) {
				t.Errorf("a refused backup left a file: %v", err)
			}

			var out, errOut bytes.Buffer
			if code := run(context.Background(), []string{"migrate", "--db", dsn}, noEnv, &out, &errOut); code != 0 {
				t.Fatalf("migrate: %s", errOut.String())
			}
			for _, args := range offlineCommands {
				if args[0] == "backup" && testdb.Postgres() {
					continue // PostgreSQL is backed up with pg_dump
				}
				args = offline(args, dsn, dir)
				out.Reset()
				errOut.Reset()
				if code := run(context.Background(), args, noEnv, &out, &errOut); code != 0 {
					t.Errorf("%s %s after migrate: exit %d: %s", args[0], args[1], code, errOut.String())
				}
			}
			if !testdb.Postgres() {
				fi, err := os.Stat(filepath.Join(dir, "copy.db"))
				if err != nil {
					t.Fatal(err)
				}
				if got := fi.Mode().Perm(); got != 0o600 {
					t.Errorf("backup mode %v, want 0600", got)
				}
			}
		})
	}
}

// offline is an offline command's command line on dsn: --db after the
// command's name, a backup's file in dir.
func offline(args []string, dsn, dir string) []string {
	if args[0] == "backup" {
		return []string{"backup", "--db", dsn, filepath.Join(dir, args[1])}
	}
	return append(slices.Clone(args), "--db", dsn)
}

// lastSharedVersions are the versions of the two newest shared
// migrations, which need not be consecutive: numbers taken by branches
// merged in another order leave gaps.
func lastSharedVersions(t *testing.T) (prev, last int64) {
	t.Helper()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var versions []int64
	for _, n := range names {
		v, err := goose.NumericComponent(n)
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	slices.Sort(versions)
	return versions[len(versions)-2], versions[len(versions)-1]
}

// databaseAt makes a database of the dialect under test whose shared
// schema is at version v (0: never migrated), as an older alignbot left
// it: a SQLite file is in WAL mode and closed cleanly.
func databaseAt(t *testing.T, v int64) string {
	t.Helper()
	ctx := context.Background()
	dsn := testdb.New(t)
	db, err := storage.Open(ctx, dsn) // creates the SQLite file, in WAL mode
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if v == 0 {
		return dsn
	}
	sqldb, dialect := openRaw(t, dsn)
	defer sqldb.Close()
	p, err := goose.NewProvider(dialect, sqldb, migrations.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, v); err != nil {
		t.Fatal(err)
	}
	return dsn
}

func openRaw(t *testing.T, dsn string) (*sql.DB, goose.Dialect) {
	t.Helper()
	driver, name, dialect := "sqlite", "file:"+dsn, goose.DialectSQLite3
	if testdb.Postgres() {
		driver, name, dialect = "pgx", dsn, goose.DialectPostgres
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	return db, dialect
}

// snapshot describes the database as it is on disk: a SQLite file's
// bytes (and whether a WAL is beside it), or PostgreSQL's tables and
// goose's version rows.
func snapshot(t *testing.T, dsn string) string {
	t.Helper()
	if !testdb.Postgres() {
		b, err := os.ReadFile(dsn)
		if err != nil {
			t.Fatal(err)
		}
		_, walErr := os.Stat(dsn + "-wal")
		return fmt.Sprintf("%d bytes, sum %x, wal present %v", len(b), sha256.Sum256(b), walErr == nil)
	}
	db, _ := openRaw(t, dsn)
	defer db.Close()
	var s strings.Builder
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	fmt.Fprintf(&s, "tables %v", tables)
	if slices.Contains(tables, "goose_db_version") {
		rows, err := db.Query(`SELECT version_id, is_applied FROM goose_db_version ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v int64
			var applied bool
			rows.Scan(&v, &applied)
			fmt.Fprintf(&s, " %d:%v", v, applied)
		}
		rows.Close()
	}
	return s.String()
}
