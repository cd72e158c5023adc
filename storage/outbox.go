package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/alignbot/alignbot/rituals"
)

// Outbox states. Pending items wait or are being sent; the others are
// done: sent, parked (failed for good), expired (their moment passed) or
// folded (a reminder over the person's weekly cap).
const (
	outboxPending = "pending"
	outboxSent    = "sent"
	outboxParked  = rituals.OutcomeParked
	outboxExpired = rituals.OutcomeExpired
	outboxFolded  = rituals.OutcomeFolded
)

type outboxRow struct {
	ID          string `db:"id"`
	TeamID      string `db:"team_id"`
	Lane        string `db:"lane"`
	Kind        string `db:"kind"`
	ChannelID   string `db:"channel_id"`
	UserID      string `db:"user_id"`
	Ref         int64  `db:"ref"`
	MsgKey      string `db:"msg_key"`
	Target      string `db:"target"`
	Data        string `db:"data"`
	ReplyURL    string `db:"reply_url"`
	Interactive bool   `db:"interactive"`
	Reminder    bool   `db:"reminder"`
	Held        bool   `db:"held"`
	Origin      string `db:"origin"`
	Private     bool   `db:"private"`
	Attempts    int    `db:"attempts"`
	Doubt       bool   `db:"doubt"`
	ExpiresAt   int64  `db:"expires_at"`
	CreatedAt   int64  `db:"created_at"`
	FirstTried  int64  `db:"first_tried_at"`
	Claimed     int64  `db:"claimed_until"`
}

const outboxColumns = `id, team_id, lane, kind, channel_id, user_id, ref, msg_key, target, data,
	reply_url, interactive, reminder, held, origin, private, attempts, doubt, expires_at, created_at,
	first_tried_at, claimed_until`

func (r *outboxRow) item() rituals.OutboxItem {
	return rituals.OutboxItem{
		ID: r.ID,
		Outgoing: rituals.Outgoing{
			Team: r.TeamID, Kind: rituals.Kind(r.Kind), Lane: r.Lane, Channel: r.ChannelID, User: r.UserID,
			Ref: r.Ref, Key: rituals.MessageKey(r.MsgKey), Target: rituals.MessageKey(r.Target), Data: []byte(r.Data),
			ReplyURL: r.ReplyURL, ExpiresAt: fromMillis(r.ExpiresAt),
			Interactive: r.Interactive, Reminder: r.Reminder, Held: r.Held, Origin: r.Origin, Private: r.Private,
		},
		Attempts:     r.Attempts,
		Doubt:        r.Doubt,
		CreatedAt:    fromMillis(r.CreatedAt),
		FirstTry:     fromMillis(r.FirstTried),
		ClaimedUntil: fromMillis(r.Claimed),
	}
}

// Enqueue adds messages to the outbox, in order. See rituals.Enqueuer.
func (tx *Tx) Enqueue(ctx context.Context, msgs ...rituals.Outgoing) error {
	for _, m := range msgs {
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", m.Kind, err)
		}
		lane := m.Lane
		if lane == "" {
			lane = m.Channel
		}
		_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO outbox (
			id, team_id, lane, kind, channel_id, user_id, ref, msg_key, target, data,
			reply_url, interactive, reminder, held, origin, private, state, next_at, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			id.String(), m.Team, lane, string(m.Kind), m.Channel, m.User, m.Ref, string(m.Key), string(m.Target), string(m.Data),
			m.ReplyURL, m.Interactive, m.Reminder, m.Held, m.Origin, m.Private, outboxPending, millis(tx.now), millis(m.ExpiresAt), millis(tx.now))
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", m.Kind, formatError(err))
		}
		tx.enqueued++
	}
	return nil
}

// ClaimOutbox claims up to limit items ready to send at now, for owner,
// until wall+lease: the first pending item of each lane whose time has
// come and that nobody holds. Claims are measured on wall, the real
// clock, and an item's time on now, the bot's (a fake clock in tests).
// Interactive items come first, then the oldest. With interactiveOnly,
// bulk items are left alone. A claim that is never
// resolved (its process died) lapses after the lease, and the item comes
// back marked in doubt. The first claim of an item stamps it with the real
// time (see DB.Wall), as its FirstTry.
func (db *DB) ClaimOutbox(ctx context.Context, owner string, now, wall time.Time, lease time.Duration, limit int, interactiveOnly bool) ([]rituals.OutboxItem, error) {
	only := ""
	if interactiveOnly {
		only = " AND o.interactive"
	}
	// Only the head of each lane (its oldest pending item) may go. The
	// claim walks the pending items in the order they go (the index
	// outbox_pending), asks each whether an older item waits in its lane
	// (one probe of the lane index), and stops at limit: its cost follows
	// the items it passes over, not the backlog. Reading every lane's
	// head first cost a pass over the whole backlog each claim: 35 ms on
	// PostgreSQL with 10,000 posts waiting for Slack's limits, 10 ms on
	// SQLite with 10,000 DMs waiting (BENCHMARKS.md). On PostgreSQL,
	// replicas claim at once: each takes rows no other holds.
	lock := ""
	if db.dialect == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	heads := `SELECT o.id FROM outbox o
			WHERE o.state = ? AND o.next_at <= ? AND o.claimed_until <= ?` + only + `
			AND NOT EXISTS (SELECT 1 FROM outbox h WHERE h.lane = o.lane AND h.state = ? AND h.id < o.id)
			ORDER BY o.interactive DESC, o.id
			LIMIT ?` + lock
	claim := []any{owner, millis(wall.Add(lease)), millis(db.wall())}
	args := append(claim, millis(wall), outboxPending, millis(now), millis(wall), outboxPending, limit)
	var rows []outboxRow
	err := db.selectWrite(ctx, &rows, `UPDATE outbox SET
		claimed_by = ?, claimed_until = ?, attempts = attempts + 1,
		first_tried_at = CASE WHEN first_tried_at = 0 THEN ? ELSE first_tried_at END,
		doubt = CASE WHEN claimed_until > 0 THEN TRUE ELSE doubt END
		WHERE claimed_until <= ? AND id IN (`+heads+`)
		RETURNING `+outboxColumns, args...)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", formatError(err))
	}
	items := make([]rituals.OutboxItem, len(rows))
	for i := range rows {
		items[i] = rows[i].item()
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].Interactive != items[j].Interactive {
			return items[i].Interactive
		}
		return items[i].ID < items[j].ID
	})
	return items, nil
}

// MarkSent records that an item reached Slack, as message ts in channel
// when it posted one, and forgets its short-lived handles. An item with a
// Key is remembered under it so later updates can find the message.
func (db *DB) MarkSent(ctx context.Context, it rituals.OutboxItem, channel, ts string, at time.Time) error {
	return db.InTx(ctx, func(t rituals.Tx) error {
		tx := t.(*Tx)
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE outbox SET state = ?, done_at = ?, result_ts = ?,
			reply_url = '', claimed_until = 0, doubt = FALSE, last_error = '',
			data = CASE WHEN private THEN '' ELSE data END
			WHERE id = ?`), outboxSent, millis(at), ts, it.ID)
		if err != nil {
			return fmt.Errorf("mark %s sent: %w", it.ID, formatError(err))
		}
		if it.Key == "" || ts == "" {
			return nil
		}
		_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO slack_messages (team_id, msg_key, channel_id, ts, created_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (team_id, msg_key) DO UPDATE SET channel_id = excluded.channel_id, ts = excluded.ts`),
			it.Team, string(it.Key), channel, ts, millis(at))
		if err != nil {
			return fmt.Errorf("remember message %s: %w", it.Key, formatError(err))
		}
		return nil
	})
}

// RetryOutbox puts a claimed item back to be tried at next, noting why,
// and whether the failed attempt may have reached Slack. It does nothing
// once the claim it was given under has lapsed and been taken by another:
// the item is theirs now.
func (db *DB) RetryOutbox(ctx context.Context, it rituals.OutboxItem, next time.Time, reason string, doubt bool) error {
	_, err := db.exec(ctx, `UPDATE outbox SET next_at = ?, last_error = ?, doubt = ?, claimed_until = 0
		WHERE id = ? AND state = ? AND claimed_until = ?`, millis(next), reason, doubt, it.ID, outboxPending, millis(it.ClaimedUntil))
	if err != nil {
		return fmt.Errorf("retry outbox %s: %w", it.ID, formatError(err))
	}
	return nil
}

// DeferOutbox holds a claimed item until until without counting an
// attempt: it was not tried (a reminder outside its person's working
// hours), so its first try is still to come. Like RetryOutbox, it does
// nothing once the claim has been taken by another.
func (db *DB) DeferOutbox(ctx context.Context, it rituals.OutboxItem, until time.Time) error {
	_, err := db.exec(ctx, `UPDATE outbox SET next_at = ?, attempts = attempts - 1, claimed_until = 0,
		first_tried_at = CASE WHEN attempts <= 1 THEN 0 ELSE first_tried_at END
		WHERE id = ? AND state = ? AND claimed_until = ?`, millis(until), it.ID, outboxPending, millis(it.ClaimedUntil))
	if err != nil {
		return fmt.Errorf("defer outbox %s: %w", it.ID, formatError(err))
	}
	return nil
}

// wall reads the real clock (see DB.Wall).
func (db *DB) wall() time.Time {
	if db.Wall != nil {
		return db.Wall()
	}
	return time.Now()
}

// FinishOutbox ends an item unsent, with one of the rituals.Outcome…
// outcomes and the reason.
func (db *DB) FinishOutbox(ctx context.Context, id, outcome, reason string, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE outbox SET state = ?, done_at = ?, last_error = ?,
		reply_url = '', claimed_until = 0,
		data = CASE WHEN private THEN '' ELSE data END
		WHERE id = ?`, outcome, millis(at), reason, id)
	if err != nil {
		return fmt.Errorf("finish outbox %s: %w", id, formatError(err))
	}
	return nil
}

// RemindersSent counts the reminders sent to user since since.
func (db *DB) RemindersSent(ctx context.Context, team, user string, since time.Time) (int, error) {
	var n int
	err := db.db.GetContext(ctx, &n, db.rebind(`SELECT COUNT(*) FROM outbox
		WHERE reminder AND state = ? AND team_id = ? AND user_id = ? AND done_at >= ?`),
		outboxSent, team, user, millis(since))
	if err != nil {
		return 0, fmt.Errorf("count reminders: %w", formatError(err))
	}
	return n, nil
}

// PruneOutbox deletes finished items older than before; the ones that
// failed are kept, for the record, as long as the rest.
func (db *DB) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM outbox WHERE state <> ? AND done_at < ?`, outboxPending, millis(before))
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", formatError(err))
	}
	return res.RowsAffected()
}

// SlackMessage returns where the message named key was posted. Returns
// ENOTFOUND if it never was.
func (db *DB) SlackMessage(ctx context.Context, team string, key rituals.MessageKey) (channel, ts string, err error) {
	var r struct {
		Channel string `db:"channel_id"`
		TS      string `db:"ts"`
	}
	err = db.db.GetContext(ctx, &r, db.rebind(`SELECT channel_id, ts FROM slack_messages WHERE team_id = ? AND msg_key = ?`), team, string(key))
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", rituals.Errorf(rituals.ENOTFOUND, "message %s was never posted", key)
	}
	if err != nil {
		return "", "", fmt.Errorf("find message %s: %w", key, formatError(err))
	}
	return r.Channel, r.TS, nil
}

// OutboxStats returns how many items wait and when the oldest was queued.
func (db *DB) OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error) {
	var r struct {
		N      int           `db:"n"`
		Oldest sql.NullInt64 `db:"oldest"`
	}
	err = db.db.GetContext(ctx, &r, db.rebind(`SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state = ?`), outboxPending)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox stats: %w", formatError(err))
	}
	return r.N, fromMillis(r.Oldest.Int64), nil
}

// OutboxClaimOwners returns who holds claims on pending items at now, on
// the real clock.
func (db *DB) OutboxClaimOwners(ctx context.Context, now time.Time) ([]string, error) {
	var owners []string
	err := db.db.SelectContext(ctx, &owners, db.rebind(`SELECT DISTINCT claimed_by FROM outbox
		WHERE state = ? AND claimed_until > ?`), outboxPending, millis(now))
	if err != nil {
		return nil, fmt.Errorf("outbox claim owners: %w", formatError(err))
	}
	return owners, nil
}

// ReleaseOutboxClaims shortens the claims owner holds (its process died)
// to lapse at until at the latest: the items come back then, in doubt.
// Returns how many claims it shortened.
func (db *DB) ReleaseOutboxClaims(ctx context.Context, owner string, until time.Time) (int64, error) {
	res, err := db.exec(ctx, `UPDATE outbox SET claimed_until = ?
		WHERE state = ? AND claimed_by = ? AND claimed_until > ?`, millis(until), outboxPending, owner, millis(until))
	if err != nil {
		return 0, fmt.Errorf("release claims of %s: %w", owner, formatError(err))
	}
	return res.RowsAffected()
}

// MessageKeyAt returns the key of the bot's message posted in channel at
// ts. Returns ENOTFOUND when the bot posted nothing there.
func (db *DB) MessageKeyAt(ctx context.Context, team, channel, ts string) (rituals.MessageKey, error) {
	var key string
	err := db.db.GetContext(ctx, &key, db.rebind(`SELECT msg_key FROM slack_messages
		WHERE team_id = ? AND channel_id = ? AND ts = ? ORDER BY msg_key LIMIT 1`), team, channel, ts)
	if errors.Is(err, sql.ErrNoRows) {
		return "", rituals.Errorf(rituals.ENOTFOUND, "no message of the bot at %s in %s", ts, channel)
	}
	if err != nil {
		return "", fmt.Errorf("find message at %s: %w", ts, formatError(err))
	}
	return rituals.MessageKey(key), nil
}
