package storage

import (
	"context"
	"database/sql"
)

// QueryRowForTest runs a raw query, for tests that check what is stored.
func (db *DB) QueryRowForTest(ctx context.Context, query string, args ...any) *sql.Row {
	return db.db.QueryRowContext(ctx, db.rebind(query), args...)
}
