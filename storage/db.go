package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/alignbot/alignbot/rituals"
)

func init() {
	// sqlx does not know modernc's driver name; it takes '?' like sqlite3.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// DB is alignbot's database. It implements rituals.Store, the union of
// the small ports each domain service declares (rituals.DecisionStore, …).
type DB struct {
	// reader reads on the pool.
	reader
	db      *sqlx.DB
	dialect string
	// where names the database for messages, its password redacted.
	where string
	// Now is the clock for times the store stamps itself (outbox rows).
	Now func() time.Time
	// Wall, when set, replaces time.Now as the real clock: the one stamp
	// compared with Slack's clock rather than the bot's (when an outbox
	// item was first tried), which Now may not be in tests.
	Wall func() time.Time
	// OnEnqueue, when set, is called after a transaction that enqueued
	// outgoing messages commits, so the sender can wake at once.
	OnEnqueue func()

	// writer admits one SQLite transaction at a time (nil on PostgreSQL).
	// SQLite has one writer anyway, but a transaction refused the lock
	// sleeps in its busy handler (1, 2, 5 … 100 ms between retries) long
	// after the lock is free, holding a pooled connection: under load the
	// handlers queued behind each other there (BENCHMARKS.md). Waiting
	// here wakes the next one as soon as the previous commits, the inbox's
	// writes first.
	writer *writeGate
	// intake is the inbox's own connection (see AcceptInbox).
	intake struct {
		sync.Mutex
		conn *sqlx.Conn
	}
}

var _ rituals.Store = (*DB)(nil)

// Open opens the database named by dsn: a postgres:// URL, or a SQLite
// file path (created if missing). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if isPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

// Redact returns dsn fit for logs and errors. A URL (postgres:// or any
// other scheme) loses the password in its user info and the value of
// every query parameter whose name holds "password" (password=,
// sslpassword=); a key=value string loses its password= values; a file
// path is kept as it is.
func Redact(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		if isPostgres(dsn) {
			return "a PostgreSQL URL that does not parse"
		}
		return "a URL that does not parse"
	}
	if q, err := url.ParseQuery(u.RawQuery); err != nil {
		u.RawQuery = "…" // a query that does not parse may hide anything
	} else if redactPasswords(q) {
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// keywordPassword finds the value of password= in a key=value
// connection string (host=db password=s3cret), quoted or not.
var keywordPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redactPasswords replaces the value of every parameter in q whose name
// holds "password", and reports whether there was one.
func redactPasswords(q url.Values) bool {
	found := false
	for k, vs := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			for i := range vs {
				vs[i] = "xxxxx"
			}
			found = true
		}
	}
	return found
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	if _, err := url.Parse(dsn); err != nil {
		return nil, errors.New("the PostgreSQL URL does not parse")
	}
	where := Redact(dsn)
	db, err := sqlx.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", where, err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", where, err)
	}
	return withReader(&DB{db: db, dialect: "postgres", where: where, Now: time.Now}), nil
}

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("database path is empty")
	}
	where := Redact(path)
	if strings.Contains(path, "://") {
		return nil, fmt.Errorf("database %s is neither a file path nor a postgres:// URL", where)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("database path %q may not contain '?' or '#'", where)
	}
	// Fail early, with the operating system's own words, when the file or
	// its folder cannot be written: SQLite would only say "unable to open".
	// The path is named redacted, so the error is the bare system one.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("database %s is not writable: %w", where, pathless(err))
	}
	f.Close()
	probe, err := os.CreateTemp(filepath.Dir(path), ".alignbot-probe-*")
	if err != nil {
		return nil, fmt.Errorf("database folder %s is not writable (SQLite needs it for its WAL): %w", filepath.Dir(where), pathless(err))
	}
	probe.Close()
	os.Remove(probe.Name())

	// secure_delete zeroes what is deleted or scrubbed (an anonymous
	// answer's token in a sent outbox row) instead of leaving it in free
	// pages of the file.
	dsn := "file:" + path +
		"?_pragma=busy_timeout(10000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_pragma=secure_delete(1)" +
		"&_txlock=immediate"
	connector, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", where, err)
	}
	db := sqlx.NewDb(sql.OpenDB(cachingConnector{connector}), "sqlite")
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", where, err)
	}
	return withReader(&DB{db: db, dialect: "sqlite", where: where, Now: time.Now, writer: &writeGate{}}), nil
}

// pathless returns the system error inside a *fs.PathError, which would
// otherwise repeat the path unredacted.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// migrationLocker makes replicas starting at once on one PostgreSQL
// database migrate one after another: an advisory lock named after the
// database and schema, so unrelated schemas do not wait on each other.
func (db *DB) migrationLocker(ctx context.Context) (lock.SessionLocker, error) {
	var where string
	if err := db.db.GetContext(ctx, &where, `SELECT current_database() || '.' || current_schema()`); err != nil {
		return nil, fmt.Errorf("name the migration lock: %w", formatError(err))
	}
	id := int64(crc32.ChecksumIEEE([]byte("alignbot migrations " + where)))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return locker, nil
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

// Close closes the database.
func (db *DB) Close() error {
	db.intake.Lock()
	if db.intake.conn != nil {
		db.intake.conn.Close()
		db.intake.conn = nil
	}
	db.intake.Unlock()
	return db.db.Close()
}

// Tx is one transaction. It implements rituals.Tx, the union of the
// transaction ports (rituals.DecisionTx, …) the ports' In…Tx hand out.
type Tx struct {
	// reader reads inside the transaction.
	reader
	tx       *sqlx.Tx
	db       *DB
	now      time.Time
	enqueued int
	// requestDone is set when this transaction marked its request done.
	requestDone bool
}

var _ rituals.Tx = (*Tx)(nil)

// InTx runs fn in a transaction. See rituals.Store.
func (db *DB) InTx(ctx context.Context, fn func(rituals.Tx) error) error {
	t, err := db.inTx(ctx, fn)
	if err != nil {
		return err
	}
	if t.enqueued > 0 && db.OnEnqueue != nil {
		db.OnEnqueue()
	}
	return nil
}

// inTx runs fn in a transaction and commits it, on SQLite once it is
// the only writer.
func (db *DB) inTx(ctx context.Context, fn func(rituals.Tx) error) (*Tx, error) {
	if db.writer != nil {
		if err := db.writer.lock(ctx, false); err != nil {
			return nil, fmt.Errorf("begin: waiting to write: %w", err)
		}
		defer db.writer.unlock()
	}
	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", formatError(err))
	}
	// Rolled back on every way out but a commit, a panic in fn included:
	// a transaction left open would hold SQLite's lock for good.
	defer tx.Rollback()
	t := &Tx{reader: reader{q: tx, db: db}, tx: tx, db: db, now: db.Now()}
	req := rituals.RequestFrom(ctx)
	if req != nil && req.Done() {
		req = nil // an earlier transaction of the request marked it done
	}
	var before int64
	if req != nil {
		if before, err = t.changes(ctx); err != nil {
			return nil, err
		}
	}
	if err := fn(t); err != nil {
		return nil, err
	}
	if req != nil {
		if err := t.markRequestDone(ctx, req.ID, before); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", formatError(err))
	}
	if req != nil && t.requestDone {
		req.MarkDone()
	}
	return t, nil
}

func (db *DB) rebind(q string) string { return db.db.Rebind(q) }

// queryer is what *sqlx.DB and *sqlx.Tx share for reads.
type queryer interface {
	sqlx.QueryerContext
	Rebind(string) string
}

// reader holds the reads DB and Tx share, each written once: DB and Tx
// embed it, a DB's running on the pool and a Tx's inside the transaction.
type reader struct {
	q  queryer
	db *DB
}

// withReader returns db, its reads set to run on its pool.
func withReader(db *DB) *DB {
	db.reader = reader{q: db.db, db: db}
	return db
}

// formatError maps driver errors to rituals codes: constraint violations
// become ECONFLICT; the rest stay as they are (internal).
func formatError(err error) error {
	var se *sqlite.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT,
		errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23"): // integrity constraint violation
		return &rituals.Error{Code: rituals.ECONFLICT, Message: "That conflicts with something already saved.", Err: err}
	}
	return err
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func sqlxGet(ctx context.Context, q queryer, dest any, query string, args ...any) error {
	return sqlx.GetContext(ctx, q, dest, q.Rebind(query), args...)
}

func sqlxSelect(ctx context.Context, q queryer, dest any, query string, args ...any) error {
	return sqlx.SelectContext(ctx, q, dest, q.Rebind(query), args...)
}

// sqlxSelectIn is sqlxSelect with each slice in args expanded for its
// IN (?).
func sqlxSelectIn(ctx context.Context, q queryer, dest any, query string, args ...any) error {
	query, args, err := sqlx.In(query, args...)
	if err != nil {
		return err
	}
	return formatError(sqlxSelect(ctx, q, dest, query, args...))
}
