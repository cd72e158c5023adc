package storage

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"github.com/alignbot/alignbot/migrations"
)

// migrationSet is one ordered series of migrations and the goose table
// that records it: the shared series, or the dialect's own.
type migrationSet struct {
	name  string // "shared", or the dialect
	table string
	fsys  fs.FS
}

// migrationSets returns the series this dialect applies, in order: the
// shared migrations, then its own.
func (db *DB) migrationSets() ([]migrationSet, error) {
	own, err := fs.Sub(migrations.FS, db.dialect)
	if err != nil {
		return nil, fmt.Errorf("load %s migrations: %w", db.dialect, err)
	}
	return []migrationSet{
		{name: "shared", table: goose.DefaultTablename, fsys: migrations.FS},
		{name: db.dialect, table: goose.DefaultTablename + "_" + db.dialect, fsys: own},
	}, nil
}

func (db *DB) gooseDialect() goose.Dialect {
	if db.dialect == "postgres" {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// provider loads set's migrations for goose. It does not touch the
// database.
func (db *DB) provider(set migrationSet, opts ...goose.ProviderOption) (*goose.Provider, error) {
	opts = append([]goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithTableName(set.table)}, opts...)
	p, err := goose.NewProvider(db.gooseDialect(), db.db.DB, set.fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("load %s migrations: %w", set.name, err)
	}
	return p, nil
}

// Migrate applies every pending migration, the shared ones then the
// dialect's own, and indexes the titles of decisions written before the
// title-word index (or by an older alignbot running beside this one).
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	sets, err := db.migrationSets()
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	if db.dialect == "postgres" {
		locker, err := db.migrationLocker(ctx)
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	for _, set := range sets {
		p, err := db.provider(set, opts...)
		if err != nil {
			return err
		}
		results, err := p.Up(ctx)
		if err != nil {
			return fmt.Errorf("apply %s migrations: %w", set.name, err)
		}
		for _, r := range results {
			if log != nil {
				log.Info("migration applied", "set", set.name, "version", r.Source.Version, "file", filepath.Base(r.Source.Path))
			}
		}
	}
	// Outside goose's lock: each batch claims its decisions itself.
	n, err := db.indexOlderTitles(ctx)
	if err != nil {
		return fmt.Errorf("index decision titles: %w", err)
	}
	if log != nil && n > 0 {
		log.Info("decision titles indexed", "decisions", n)
	}
	return nil
}

// CheckSchema reports whether the database's schema is exactly the one
// this binary's migrations make, and changes nothing: the offline
// commands (export, backup) read a live database that only `alignbot
// run` and `alignbot migrate` may migrate. Returns an error in one
// sentence, naming both versions and what to do, when the database is
// older (or was never migrated) or newer.
func (db *DB) CheckSchema(ctx context.Context) error {
	sets, err := db.migrationSets()
	if err != nil {
		return err
	}
	for _, set := range sets {
		p, err := db.provider(set)
		if err != nil {
			return err
		}
		var known []int64
		for _, s := range p.ListSources() {
			known = append(known, s.Version)
		}
		applied, err := db.appliedVersions(ctx, set.table)
		if err != nil {
			return fmt.Errorf("read the schema version of %s: %w", db.where, err)
		}
		if err := schemaMismatch(db.where, set.name, known, applied); err != nil {
			return err
		}
	}
	return nil
}

// schemaMismatch compares the versions this binary knows with those the
// database recorded as applied, and says what is wrong, if anything.
func schemaMismatch(where, set string, known, applied []int64) error {
	label := "schema version"
	if set != "shared" {
		label = set + " schema version"
	}
	have, want := int64(0), slices.Max(known)
	if len(applied) > 0 {
		have = slices.Max(applied)
	}
	var pending, unknown []string
	for _, v := range known {
		if !slices.Contains(applied, v) {
			pending = append(pending, fmt.Sprint(v))
		}
	}
	for _, v := range applied {
		if !slices.Contains(known, v) {
			unknown = append(unknown, fmt.Sprint(v))
		}
	}
	switch {
	case len(unknown) > 0:
		return fmt.Errorf("the database at %s is at %s %d, newer than this alignbot's %d: a newer alignbot migrated it, so use that one", where, label, have, want)
	case len(pending) > 0 && have < want:
		return fmt.Errorf("the database at %s is at %s %d but this alignbot needs %d; run `alignbot migrate` first", where, label, have, want)
	case len(pending) > 0:
		return fmt.Errorf("the database at %s lacks %s %s that this alignbot needs; run `alignbot migrate` first", where, label, strings.Join(pending, ", "))
	}
	return nil
}

// appliedVersions reads which migrations goose recorded as applied in
// table, without creating it: none when it does not exist.
func (db *DB) appliedVersions(ctx context.Context, table string) ([]int64, error) {
	exists := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if db.dialect == "postgres" {
		exists = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?`
	}
	var n int
	if err := sqlxGet(ctx, db.db, &n, exists, table); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	store, err := database.NewStore(db.gooseDialect(), table)
	if err != nil {
		return nil, err
	}
	rows, err := store.ListMigrations(ctx, db.db)
	if err != nil {
		return nil, err
	}
	// Newest first: a version's latest row says whether it is applied.
	seen := map[int64]bool{}
	var applied []int64
	for _, r := range rows {
		if seen[r.Version] {
			continue
		}
		seen[r.Version] = true
		if r.IsApplied && r.Version > 0 {
			applied = append(applied, r.Version)
		}
	}
	return applied, nil
}
