package storage

import (
	"context"
	"database/sql"
)

// QueryRowsForTest runs a read-only query, for tests that look at rows no
// method returns.
func (db *DB) QueryRowsForTest(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.db.QueryContext(ctx, db.rebind(query), args...)
}
