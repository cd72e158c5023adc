package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// inboxChunk bounds the requests one INSERT names: each takes 10
// parameters, well inside both dialects' caps.
const inboxChunk = 500

// inboxRow is an inbox row as stored.
type inboxRow struct {
	ID           string `db:"id"`
	Team         string `db:"team_id"`
	Kind         string `db:"kind"`
	Lane         string `db:"lane"`
	Payload      string `db:"payload"`
	Inline       bool   `db:"inline"`
	Attempts     int    `db:"attempts"`
	ClaimedUntil int64  `db:"claimed_until"`
	Received     int64  `db:"received_at"`
}

const inboxColumns = `id, team_id, kind, lane, payload, inline, attempts, claimed_until, received_at`

func (r inboxRow) item() rituals.InboxItem {
	return rituals.InboxItem{
		ID: r.ID, Team: r.Team, Kind: r.Kind, Lane: r.Lane, Payload: []byte(r.Payload), Inline: r.Inline,
		Attempts: r.Attempts, ClaimedUntil: fromMillis(r.ClaimedUntil), Received: fromMillis(r.Received),
	}
}

// AcceptInbox writes a batch of requests in one transaction (one commit
// for all, so acknowledging costs a commit per batch, not per request)
// and reports which were new (a redelivery of a request already in the
// inbox is not) and which it claimed for owner. An item with ClaimedUntil
// set is written claimed by owner until then, for owner to handle at
// once, unless an earlier request of its lane waits unclaimed or is held
// by another process: it then waits its turn, as do the items without.
// On SQLite the write goes ahead of every other waiting writer, and is
// synced to disk before it returns.
func (db *DB) AcceptInbox(ctx context.Context, owner string, items []rituals.InboxItem) (fresh, claimed []bool, err error) {
	if len(items) == 0 {
		return nil, nil, nil
	}
	if db.writer != nil {
		if err := db.writer.lock(ctx, true); err != nil {
			return nil, nil, fmt.Errorf("accept requests: waiting to write: %w", err)
		}
		defer db.writer.unlock()
	}
	db.intake.Lock()
	defer db.intake.Unlock()
	conn, err := db.intakeConn(ctx)
	if err != nil {
		return nil, nil, err
	}
	fresh, claimed, err = db.acceptInbox(ctx, conn, owner, items)
	if err != nil {
		// The connection may be what failed: the next batch takes a new one.
		conn.Close()
		db.intake.conn = nil
	}
	return fresh, claimed, err
}

// intakeConn returns the connection the inbox's writes keep to
// themselves, so an ack never waits for a connection while every pooled
// one is busy with handlers. Callers hold db.intake.
func (db *DB) intakeConn(ctx context.Context) (*sqlx.Conn, error) {
	if db.intake.conn != nil {
		return db.intake.conn, nil
	}
	conn, err := db.db.Connx(ctx)
	if err != nil {
		return nil, fmt.Errorf("accept requests: %w", formatError(err))
	}
	if db.dialect == "sqlite" {
		// Every other transaction commits with synchronous=NORMAL, durable
		// across a crash of the process but not of the machine. A request
		// is acknowledged only once it is on disk: FULL syncs the WAL at
		// each of this connection's commits, and with it every earlier
		// commit, so a machine crash can lose only effects whose requests
		// are still in the inbox.
		if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
			conn.Close()
			return nil, fmt.Errorf("accept requests: %w", formatError(err))
		}
	}
	db.intake.conn = conn
	return conn, nil
}

func (db *DB) acceptInbox(ctx context.Context, conn *sqlx.Conn, owner string, items []rituals.InboxItem) (fresh, claimed []bool, err error) {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("accept requests: begin: %w", formatError(err))
	}
	defer tx.Rollback()
	inserted := map[string]bool{}
	for start := 0; start < len(items); start += inboxChunk {
		chunk := items[start:min(start+inboxChunk, len(items))]
		values := make([]string, len(chunk))
		args := make([]any, 0, 10*len(chunk))
		for i, it := range chunk {
			values[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			by := ""
			attempts := 0
			if !it.ClaimedUntil.IsZero() {
				by, attempts = owner, 1
			}
			args = append(args, it.ID, it.Team, it.Kind, it.Lane, string(it.Payload), it.Inline,
				by, millis(it.ClaimedUntil), attempts, millis(it.Received))
		}
		var ids []string
		err := sqlxSelect(ctx, tx, &ids, `INSERT INTO inbox (id, team_id, kind, lane, payload, inline,
			claimed_by, claimed_until, attempts, received_at) VALUES `+strings.Join(values, ", ")+`
			ON CONFLICT (id) DO NOTHING RETURNING id`, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("accept requests: %w", formatError(err))
		}
		for _, id := range ids {
			inserted[id] = true
		}
	}
	waiting, err := waitTurns(ctx, tx, owner, items, inserted)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("accept requests: commit: %w", formatError(err))
	}
	fresh, claimed = make([]bool, len(items)), make([]bool, len(items))
	for i, it := range items {
		// The same request twice in one batch: only its first is new.
		fresh[i] = inserted[it.ID]
		claimed[i] = fresh[i] && !it.ClaimedUntil.IsZero() && !waiting[it.ID]
		delete(inserted, it.ID)
	}
	return fresh, claimed, nil
}

// waitTurns gives back the claims just written on requests whose lane has
// an earlier request waiting unclaimed (to be tried again, or written
// when no process had room) or held by another process: a conversation's
// requests are handled in the order they came, across processes too.
// Returns the IDs given back.
func waitTurns(ctx context.Context, tx *sqlx.Tx, owner string, items []rituals.InboxItem, inserted map[string]bool) (map[string]bool, error) {
	var ids []string
	for _, it := range items {
		// A form answered inside its ack cannot wait: it keeps its claim.
		if inserted[it.ID] && !it.ClaimedUntil.IsZero() && !it.Inline {
			ids = append(ids, it.ID)
		}
	}
	waiting := map[string]bool{}
	for start := 0; start < len(ids); start += inboxChunk {
		var back []string
		err := sqlxSelectIn(ctx, tx, &back, `UPDATE inbox SET claimed_by = '', claimed_until = 0, attempts = 0
			WHERE id IN (?) AND EXISTS (SELECT 1 FROM inbox e WHERE e.state = 'pending' AND e.lane = inbox.lane
				AND (e.received_at < inbox.received_at OR (e.received_at = inbox.received_at AND e.id < inbox.id))
				AND e.claimed_by <> ?)
			RETURNING id`, ids[start:min(start+inboxChunk, len(ids))], owner)
		if err != nil {
			return nil, fmt.Errorf("accept requests: wait turns: %w", formatError(err))
		}
		for _, id := range back {
			waiting[id] = true
		}
	}
	return waiting, nil
}

// ClaimInbox claims up to limit waiting requests for owner, until
// now+lease: the oldest of each lane, when nobody holds it and its time
// has come. A claim whose process died lapses after the lease, and the
// request is taken up again.
func (db *DB) ClaimInbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]rituals.InboxItem, error) {
	// Each lane's head is read from the lane index, one per lane (the
	// oldest waiting time, then the least ID at that time), so a claim
	// costs the number of lanes, not the backlog times its lanes: asking
	// every waiting request whether it was its lane's oldest made draining
	// a backlog slower the longer it was (BENCHMARKS.md).
	heads := `SELECT i.id FROM (SELECT lane, MIN(received_at) AS first FROM inbox WHERE state = 'pending' GROUP BY lane) h
		JOIN inbox i ON i.lane = h.lane AND i.received_at = h.first AND i.state = 'pending'
		WHERE i.claimed_until <= ? AND i.next_at <= ?
		AND i.id = (SELECT MIN(e.id) FROM inbox e WHERE e.state = 'pending' AND e.lane = h.lane AND e.received_at = h.first)
		ORDER BY i.received_at, i.id LIMIT ?`
	if db.dialect == "postgres" {
		heads += ` FOR UPDATE OF i SKIP LOCKED` // replicas claim at once, each what no other holds
	}
	var rows []inboxRow
	err := db.selectWrite(ctx, &rows, `UPDATE inbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
		WHERE claimed_until <= ? AND id IN (`+heads+`)
		RETURNING `+inboxColumns, owner, millis(now.Add(lease)), millis(now), millis(now), millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim requests: %w", formatError(err))
	}
	return inboxItems(rows), nil
}

// ClaimInboxLane claims for owner, until now+lease, the oldest waiting
// request of lane, when nobody holds it and its time has come: what a
// process that just finished the lane's previous request takes up next.
// It reads one entry of the lane index, where ClaimInbox reads every
// lane's head. Returns no item if the lane's oldest is held or not due.
func (db *DB) ClaimInboxLane(ctx context.Context, owner, lane string, now time.Time, lease time.Duration) ([]rituals.InboxItem, error) {
	// state is checked again outside the subquery: on PostgreSQL a head
	// another replica finished meanwhile is re-read before it is updated.
	var rows []inboxRow
	err := db.selectWrite(ctx, &rows, `UPDATE inbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
		WHERE state = 'pending' AND claimed_until <= ? AND next_at <= ? AND id = (
			SELECT id FROM inbox WHERE state = 'pending' AND lane = ? ORDER BY received_at, id LIMIT 1)
		RETURNING `+inboxColumns, owner, millis(now.Add(lease)), millis(now), millis(now), lane)
	if err != nil {
		return nil, fmt.Errorf("claim the next request of %s: %w", lane, formatError(err))
	}
	return inboxItems(rows), nil
}

func inboxItems(rows []inboxRow) []rituals.InboxItem {
	out := make([]rituals.InboxItem, len(rows))
	for i, r := range rows {
		out[i] = r.item()
	}
	return out
}

// FinishInbox ends a request handled under the claim it was given: done,
// or parked (it cannot be handled; reason says why). Its payload goes: a
// pulse answer names the person and their answer. Finishing one already
// done changes nothing.
func (db *DB) FinishInbox(ctx context.Context, it rituals.InboxItem, state, reason string, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE inbox SET state = ?, payload = '', last_error = ?,
		done_at = ?, claimed_until = 0 WHERE id = ? AND state = 'pending'`, state, reason, millis(at), it.ID)
	if err != nil {
		return fmt.Errorf("finish request %s: %w", it.ID, formatError(err))
	}
	return nil
}

// RetryInbox gives back a request whose handling failed for now, to be
// taken up again at next. It does nothing once the claim it was given
// under has lapsed and been taken by another: each claim counts an
// attempt, so the attempt names the claim (its lease is renewed while it
// is held, and so is not its name).
func (db *DB) RetryInbox(ctx context.Context, it rituals.InboxItem, next time.Time, reason string) error {
	_, err := db.exec(ctx, `UPDATE inbox SET next_at = ?, last_error = ?, claimed_by = '', claimed_until = 0
		WHERE id = ? AND state = 'pending' AND attempts = ? AND claimed_until > 0`, millis(next), reason, it.ID, it.Attempts)
	if err != nil {
		return fmt.Errorf("retry request %s: %w", it.ID, formatError(err))
	}
	return nil
}

// ReleaseInbox gives back owner's claims on the requests ids, not begun:
// another process may take them up at once. Their attempt is not counted.
func (db *DB) ReleaseInbox(ctx context.Context, owner string, ids []string) error {
	for start := 0; start < len(ids); start += inboxChunk {
		q, args, err := sqlx.In(`UPDATE inbox SET claimed_by = '', claimed_until = 0, attempts = attempts - 1
			WHERE state = 'pending' AND claimed_by = ? AND id IN (?)`, owner, ids[start:min(start+inboxChunk, len(ids))])
		if err != nil {
			return fmt.Errorf("release requests: %w", err)
		}
		if _, err := db.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("release requests: %w", formatError(err))
		}
	}
	return nil
}

// RenewInbox extends owner's claims on its waiting requests to until:
// a process with a long backlog keeps what it has claimed.
func (db *DB) RenewInbox(ctx context.Context, owner string, until time.Time) error {
	_, err := db.exec(ctx, `UPDATE inbox SET claimed_until = ?
		WHERE state = 'pending' AND claimed_by = ? AND claimed_until > 0 AND claimed_until < ?`, millis(until), owner, millis(until))
	if err != nil {
		return fmt.Errorf("renew request claims: %w", formatError(err))
	}
	return nil
}

// InboxClaimOwners returns who holds claims on waiting requests at now.
func (db *DB) InboxClaimOwners(ctx context.Context, now time.Time) ([]string, error) {
	var owners []string
	err := db.db.SelectContext(ctx, &owners, db.rebind(`SELECT DISTINCT claimed_by FROM inbox
		WHERE state = 'pending' AND claimed_until > ?`), millis(now))
	if err != nil {
		return nil, fmt.Errorf("request claim owners: %w", formatError(err))
	}
	return owners, nil
}

// ReleaseInboxOwner gives back every claim of owner, whose process died:
// its requests are taken up again at once. Their effects happen once all
// the same: a request is marked done in the transaction of its effects.
func (db *DB) ReleaseInboxOwner(ctx context.Context, owner string) (int64, error) {
	res, err := db.exec(ctx, `UPDATE inbox SET claimed_by = '', claimed_until = 0
		WHERE state = 'pending' AND claimed_by = ?`, owner)
	if err != nil {
		return 0, fmt.Errorf("release requests of %s: %w", owner, formatError(err))
	}
	return res.RowsAffected()
}

// InboxStats returns how many requests wait, and when the oldest came.
func (db *DB) InboxStats(ctx context.Context) (pending int, oldest time.Time, err error) {
	var row struct {
		N      int   `db:"n"`
		Oldest int64 `db:"oldest"`
	}
	err = db.db.GetContext(ctx, &row, `SELECT COUNT(*) AS n, COALESCE(MIN(received_at), 0) AS oldest FROM inbox WHERE state = 'pending'`)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("inbox stats: %w", formatError(err))
	}
	return row.N, fromMillis(row.Oldest), nil
}

// PruneInbox forgets requests finished before before, returning how many.
func (db *DB) PruneInbox(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM inbox WHERE state <> 'pending' AND done_at < ?`, millis(before))
	if err != nil {
		return 0, fmt.Errorf("prune inbox: %w", formatError(err))
	}
	return res.RowsAffected()
}

// changes returns a count that grows whenever the transaction writes: on
// SQLite the connection's total of changed rows; PostgreSQL is asked at
// the end instead (see markRequestDone).
func (t *Tx) changes(ctx context.Context) (int64, error) {
	if t.db.dialect != "sqlite" {
		return 0, nil
	}
	var n int64
	if err := t.tx.GetContext(ctx, &n, `SELECT total_changes()`); err != nil {
		return 0, fmt.Errorf("count changes: %w", formatError(err))
	}
	return n, nil
}

// markRequestDone marks the request id done if this transaction wrote
// anything (before is what changes said at its start): its effects and
// their request's end commit together. A transaction that only read
// leaves it for the next. Returns rituals.ErrDuplicate, rolling the
// transaction back, if the request was done already: by an earlier
// delivery, or by another process that took it up at once.
func (t *Tx) markRequestDone(ctx context.Context, id string, before int64) error {
	var wrote bool
	if t.db.dialect == "sqlite" {
		after, err := t.changes(ctx)
		if err != nil {
			return err
		}
		wrote = after != before
	} else if err := t.tx.GetContext(ctx, &wrote, `SELECT txid_current_if_assigned() IS NOT NULL`); err != nil {
		return fmt.Errorf("ask whether the transaction wrote: %w", formatError(err))
	}
	if !wrote {
		return nil
	}
	res, err := t.tx.ExecContext(ctx, t.tx.Rebind(`UPDATE inbox SET state = 'done', payload = '', done_at = ?, claimed_until = 0
		WHERE id = ? AND state = 'pending'`), millis(t.db.wall()), id)
	if err != nil {
		return fmt.Errorf("mark request %s done: %w", id, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var state string
		err := t.tx.GetContext(ctx, &state, t.tx.Rebind(`SELECT state FROM inbox WHERE id = ?`), id)
		if err == nil && state != rituals.InboxPending {
			return rituals.ErrDuplicate
		}
		// Not in the inbox (pruned, or a request never written there):
		// nothing to mark.
		return nil
	}
	t.requestDone = true
	return nil
}
