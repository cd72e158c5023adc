package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

// cachedConn opens a SQLite file through cachingConnector and returns one
// of its connections, with the table t(n) holding 1, 2 and 3.
func cachedConn(t *testing.T) *sql.Conn {
	t.Helper()
	connector, err := sqlite.NewConnector("file:" + filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(cachingConnector{connector})
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, q := range []string{`CREATE TABLE t (n INTEGER)`, `INSERT INTO t VALUES (1), (2), (3)`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return conn
}

// cacheOf returns the statements conn keeps.
func cacheOf(t *testing.T, conn *sql.Conn) (n int) {
	t.Helper()
	if err := conn.Raw(func(dc any) error { n = len(dc.(*cachingConn).stmts); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func sum(t *testing.T, conn *sql.Conn, query string, args ...any) (total int) {
	t.Helper()
	if err := conn.QueryRowContext(context.Background(), query, args...).Scan(&total); err != nil {
		t.Fatal(err)
	}
	return total
}

func TestStatementsAreReused(t *testing.T) {
	conn := cachedConn(t)
	before := cacheOf(t, conn)
	for want := range 3 {
		if got := sum(t, conn, `SELECT COALESCE(SUM(n), 0) FROM t WHERE n > ?`, want); got != 6-want*(want+1)/2 {
			t.Fatalf("sum over %d = %d", want, got)
		}
	}
	if got := cacheOf(t, conn); got != before+1 {
		t.Fatalf("%d statements cached after one query run three times, want %d", got, before+1)
	}
}

// TestStatementRunInsideItsOwnRows runs a query again while its first
// run's rows are still read: the second run gets a statement of its own,
// and both read every row.
func TestStatementRunInsideItsOwnRows(t *testing.T) {
	conn := cachedConn(t)
	ctx := context.Background()
	const q = `SELECT n FROM t ORDER BY n`
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	outer := 0
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		outer += n
		if got := sumRows(t, conn, q); got != 6 {
			t.Fatalf("inner run read %d, want 6", got)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if outer != 6 {
		t.Fatalf("outer run read %d, want 6", outer)
	}
	if got := sumRows(t, conn, q); got != 6 {
		t.Fatalf("a run after both read %d, want 6", got)
	}
}

func sumRows(t *testing.T, conn *sql.Conn, q string) (total int) {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return total
}

// TestStatementCacheIsBounded runs more distinct statements than a
// connection keeps, with one held busy while it is evicted.
func TestStatementCacheIsBounded(t *testing.T) {
	conn := cachedConn(t)
	ctx := context.Background()
	held, err := conn.QueryContext(ctx, `SELECT n FROM t ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	for i := range stmtCacheSize + 10 {
		if got := sum(t, conn, fmt.Sprintf(`SELECT COALESCE(SUM(n), 0) + %d FROM t`, i)); got != 6+i {
			t.Fatalf("query %d read %d", i, got)
		}
	}
	if got := cacheOf(t, conn); got != stmtCacheSize {
		t.Fatalf("%d statements cached, want the bound %d", got, stmtCacheSize)
	}
	n := 0
	for held.Next() {
		n++
	}
	if err := held.Close(); err != nil || n != 3 {
		t.Fatalf("the evicted statement's rows read %d rows, closed with %v", n, err)
	}
}

// TestCachedStatementSeesSchemaChange alters a table under a cached
// statement: SQLite prepares it again, and it reads the new column.
func TestCachedStatementSeesSchemaChange(t *testing.T) {
	conn := cachedConn(t)
	ctx := context.Background()
	const q = `SELECT * FROM t LIMIT 1`
	cols := func() int {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		names, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(names)
	}
	if got := cols(); got != 1 {
		t.Fatalf("%d columns", got)
	}
	if _, err := conn.ExecContext(ctx, `ALTER TABLE t ADD COLUMN m INTEGER NOT NULL DEFAULT 7`); err != nil {
		t.Fatal(err)
	}
	if got := cols(); got != 2 {
		t.Fatalf("%d columns after the change, want 2", got)
	}
}
