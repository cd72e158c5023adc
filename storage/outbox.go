package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/alignbot/alignbot/rituals"
)

// Outbox states.
const (
	outboxPending = "pending"
	outboxSent    = "sent"
	outboxParked  = "parked"
	outboxExpired = "expired"
)

type outboxRow struct {
	ID        string `db:"id"`
	TeamID    string `db:"team_id"`
	Lane      string `db:"lane"`
	Kind      string `db:"kind"`
	ChannelID string `db:"channel_id"`
	UserID    string `db:"user_id"`
	Ref       int64  `db:"ref"`
	MsgKey    string `db:"msg_key"`
	Target    string `db:"target"`
	Data      string `db:"data"`
	ReplyURL  string `db:"reply_url"`
	TriggerID string `db:"trigger_id"`
	Attempts  int    `db:"attempts"`
	ExpiresAt int64  `db:"expires_at"`
	CreatedAt int64  `db:"created_at"`
}

const outboxColumns = `id, team_id, lane, kind, channel_id, user_id, ref, msg_key, target, data,
	reply_url, trigger_id, attempts, expires_at, created_at`

func (r *outboxRow) item() rituals.OutboxItem {
	return rituals.OutboxItem{
		ID: r.ID,
		Outgoing: rituals.Outgoing{
			Team: r.TeamID, Kind: r.Kind, Lane: r.Lane, Channel: r.ChannelID, User: r.UserID,
			Ref: r.Ref, Key: r.MsgKey, Target: r.Target, Data: []byte(r.Data),
			ReplyURL: r.ReplyURL, Trigger: r.TriggerID, ExpiresAt: fromMillis(r.ExpiresAt),
		},
		Attempts:  r.Attempts,
		CreatedAt: fromMillis(r.CreatedAt),
	}
}

// Enqueue adds messages to the outbox, in order. See rituals.Tx.
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
			reply_url, trigger_id, state, next_at, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			id.String(), m.Team, lane, m.Kind, m.Channel, m.User, m.Ref, m.Key, m.Target, string(m.Data),
			m.ReplyURL, m.Trigger, outboxPending, millis(tx.now), millis(m.ExpiresAt), millis(tx.now))
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", m.Kind, formatError(err))
		}
		tx.enqueued++
	}
	return nil
}

// DueOutbox returns up to limit items ready to send at now: the first
// pending item of each lane, if its time has come, skipping the lanes in
// busy (those already being sent). Oldest first.
func (db *DB) DueOutbox(ctx context.Context, now time.Time, limit int, busy []string) ([]rituals.OutboxItem, error) {
	args := []any{outboxPending, millis(now), outboxPending}
	skip := ""
	if len(busy) > 0 {
		skip = " AND o.lane NOT IN (?" + strings.Repeat(", ?", len(busy)-1) + ")"
		for _, l := range busy {
			args = append(args, l)
		}
	}
	args = append(args, limit)
	var rows []outboxRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+outboxColumns+` FROM outbox o
		WHERE o.state = ? AND o.next_at <= ?
		AND o.id = (SELECT MIN(h.id) FROM outbox h WHERE h.lane = o.lane AND h.state = ?)`+skip+`
		ORDER BY o.id LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("due outbox: %w", formatError(err))
	}
	items := make([]rituals.OutboxItem, len(rows))
	for i := range rows {
		items[i] = rows[i].item()
	}
	return items, nil
}

// MarkSent records that an item reached Slack, as message ts in channel
// when it posted one, and forgets its short-lived handles. An item with a
// Key is remembered under it so later updates can find the message.
func (db *DB) MarkSent(ctx context.Context, it rituals.OutboxItem, channel, ts string, at time.Time) error {
	return db.InTx(ctx, func(t rituals.Tx) error {
		tx := t.(*Tx)
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE outbox SET state = ?, done_at = ?, result_ts = ?,
			reply_url = '', trigger_id = '', attempts = attempts + 1, last_error = ''
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
			it.Team, it.Key, channel, ts, millis(at))
		if err != nil {
			return fmt.Errorf("remember message %s: %w", it.Key, formatError(err))
		}
		return nil
	})
}

// RetryOutbox puts an item back to be tried again at next, noting why.
func (db *DB) RetryOutbox(ctx context.Context, id string, next time.Time, reason string) error {
	_, err := db.db.ExecContext(ctx, db.rebind(`UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ?
		WHERE id = ? AND state = ?`), millis(next), reason, id, outboxPending)
	if err != nil {
		return fmt.Errorf("retry outbox %s: %w", id, formatError(err))
	}
	return nil
}

// ParkOutbox gives up on an item for good, keeping the reason. Expired
// items (their moment has passed) are recorded apart from failures.
func (db *DB) ParkOutbox(ctx context.Context, id, reason string, expired bool, at time.Time) error {
	state := outboxParked
	if expired {
		state = outboxExpired
	}
	_, err := db.db.ExecContext(ctx, db.rebind(`UPDATE outbox SET state = ?, done_at = ?, last_error = ?,
		reply_url = '', trigger_id = '', attempts = attempts + 1
		WHERE id = ?`), state, millis(at), reason, id)
	if err != nil {
		return fmt.Errorf("park outbox %s: %w", id, formatError(err))
	}
	return nil
}

// SlackMessage returns where the message named key was posted. Returns
// ENOTFOUND if it never was.
func (db *DB) SlackMessage(ctx context.Context, team, key string) (channel, ts string, err error) {
	var r struct {
		Channel string `db:"channel_id"`
		TS      string `db:"ts"`
	}
	err = db.db.GetContext(ctx, &r, db.rebind(`SELECT channel_id, ts FROM slack_messages WHERE team_id = ? AND msg_key = ?`), team, key)
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
