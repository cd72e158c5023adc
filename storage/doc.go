// Package storage implements the domain's ports (rituals.Store is their
// union) on sqlx, for SQLite (modernc.org/sqlite, pure Go) and PostgreSQL
// (pgx). All SQL lives here.
//
// Conventions:
//   - Times are BIGINT milliseconds since the Unix epoch, UTC, in every
//     dialect: comparable, indexable, and free of driver time parsing.
//     Calendar days are TEXT 'YYYY-MM-DD'.
//   - Time zones are TEXT IANA names: read into a rituals.Zone with
//     rituals.StoredZone as the row is read (its one fallback: a name that
//     no longer loads reads as UTC), written back by name.
//   - Queries are written with '?' and passed through Rebind.
//   - Public methods open their own transaction or run on a *Tx; private
//     helpers take the querier they run on. A read both offer is written
//     once, on the reader DB and Tx embed. Driver errors are mapped to
//     rituals error codes in one place, formatError.
//   - Row IDs the database does not assign: entries are keyed by (team_id,
//     number) from the counters table, outbox rows by time-ordered UUIDs.
//   - The dialects share every statement but four, kept side by side where
//     they are used: full-text search (SQLite's FTS5, PostgreSQL's tsvector),
//     claiming outbox rows (FOR UPDATE SKIP LOCKED on PostgreSQL, where
//     replicas compete), holding a pulse's ballot boxes (FOR UPDATE on
//     PostgreSQL), and backup (SQLite's VACUUM INTO).
//   - Anonymous pulse answers are stored many to a row, rewritten whole,
//     with no time, so that no row's system columns (xmin, ctid, rowid)
//     belong to one answer (pulse_ballots.go).
//
// It may import rituals, sqlx, the SQL drivers and goose; never slack-go.
package storage
