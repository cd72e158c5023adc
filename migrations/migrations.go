// Package migrations holds alignbot's schema as plain, ordered .sql files,
// embedded in the binary and applied by storage with goose.
//
// The files at the top level run on every database and are written in the
// SQL that SQLite and PostgreSQL share. The few statements that cannot be
// shared (full-text search) live in sqlite/ and postgres/, applied after
// the shared ones and versioned separately.
package migrations

import "embed"

// FS holds the shared migrations and the per-dialect folders.
//
//go:embed *.sql sqlite/*.sql postgres/*.sql
var FS embed.FS
