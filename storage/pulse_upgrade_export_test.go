package storage

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"

	"github.com/alignbot/alignbot/migrations"
)

// MigrateToForTest applies the shared migrations up to shared and the
// dialect's own up to own, for tests of what a migration does to data.
func (db *DB) MigrateToForTest(ctx context.Context, shared, own int64) error {
	dialect := goose.DialectSQLite3
	if db.dialect == "postgres" {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.db.DB, migrations.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, shared); err != nil {
		return err
	}
	sub, err := fs.Sub(migrations.FS, db.dialect)
	if err != nil {
		return err
	}
	p, err = goose.NewProvider(dialect, db.db.DB, sub, goose.WithDisableGlobalRegistry(true), goose.WithTableName("goose_db_version_"+db.dialect))
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, own)
	return err
}

// ExecForTest runs a raw statement, for tests that stage old data.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.db.ExecContext(ctx, db.rebind(query), args...)
	return err
}
