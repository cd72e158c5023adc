// Package testdb gives tests a fresh database of the dialect under test,
// so the whole suite runs against SQLite and then against PostgreSQL.
//
// Main runs a package's tests twice: on SQLite, then, when PostgreSQL
// answers at ALIGNBOT_TEST_POSTGRES_URL (default the local server,
// database test), on PostgreSQL. With ALIGNBOT_TEST_REQUIRE_POSTGRES=1 (as
// in CI) a missing server fails the run instead of skipping the pass.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// DefaultPostgresURL is the machine's PostgreSQL: trust auth, database test.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

const dialectEnv = "ALIGNBOT_TEST_DB"

// Dialect is the database under test: "sqlite" or "postgres".
func Dialect() string {
	if os.Getenv(dialectEnv) == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Postgres reports whether the tests run against PostgreSQL.
func Postgres() bool { return Dialect() == "postgres" }

func postgresURL() string {
	if u := os.Getenv("ALIGNBOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// New returns the DSN of a fresh, empty database of the dialect under
// test: a file in a temp dir, or a schema of its own on PostgreSQL,
// dropped when tb ends.
func New(tb testing.TB) string {
	tb.Helper()
	if !Postgres() {
		return filepath.Join(tb.TempDir(), "alignbot.db")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", postgresURL())
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create test schema: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", postgresURL())
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(postgresURL())
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	// A commit need not wait for its WAL to reach the disk: the tests kill
	// alignbot, never PostgreSQL, so nothing they check depends on it,
	// and waiting for the disk made the PostgreSQL pass several times
	// slower than SQLite's on a busy machine.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// Main runs the package's tests on SQLite, then on PostgreSQL when it
// answers, and returns the exit code.
func Main(m *testing.M) int {
	os.Setenv(dialectEnv, "sqlite")
	if code := m.Run(); code != 0 {
		return code
	}
	if err := ping(); err != nil {
		if os.Getenv("ALIGNBOT_TEST_REQUIRE_POSTGRES") == "1" {
			fmt.Fprintf(os.Stderr, "testdb: PostgreSQL is required but does not answer: %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "testdb: PostgreSQL does not answer (%v); the PostgreSQL pass is skipped\n", err)
		return 0
	}
	fmt.Fprintln(os.Stderr, "testdb: running the tests again on PostgreSQL")
	os.Setenv(dialectEnv, "postgres")
	defer os.Setenv(dialectEnv, "sqlite")
	return m.Run()
}

func ping() error {
	db, err := sql.Open("pgx", postgresURL())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}
