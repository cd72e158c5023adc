package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// Delivery hooks and their events (migration 00025). See rituals.HookStore.

type hookRow struct {
	ID             string `db:"id"`
	TeamID         string `db:"team_id"`
	ChannelID      string `db:"channel_id"`
	Source         string `db:"source"`
	Secret         string `db:"secret"`
	CreatedBy      string `db:"created_by"`
	CreatedAt      int64  `db:"created_at"`
	LastDeliveryAt int64  `db:"last_delivery_at"`
}

const hookColumns = `id, team_id, channel_id, source, secret, created_by, created_at, last_delivery_at`

func (r *hookRow) hook() *rituals.Hook {
	return &rituals.Hook{ID: r.ID, Team: r.TeamID, Channel: r.ChannelID, Source: r.Source, Secret: r.Secret,
		CreatedBy: r.CreatedBy, CreatedAt: fromMillis(r.CreatedAt), LastDelivery: fromMillis(r.LastDeliveryAt)}
}

// Hook returns the hook with public ID id. Returns ENOTFOUND.
func (db *DB) Hook(ctx context.Context, id string) (*rituals.Hook, error) {
	var r hookRow
	err := sqlxGet(ctx, db.db, &r, `SELECT `+hookColumns+` FROM delivery_hooks WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no such hook.")
	}
	if err != nil {
		return nil, fmt.Errorf("hook: %w", formatError(err))
	}
	return r.hook(), nil
}

// ChannelHooks returns channel's hooks, in source order.
func (db *DB) ChannelHooks(ctx context.Context, team, channel string) ([]*rituals.Hook, error) {
	var rows []hookRow
	err := sqlxSelect(ctx, db.db, &rows, `SELECT `+hookColumns+` FROM delivery_hooks
		WHERE team_id = ? AND channel_id = ? ORDER BY source`, team, channel)
	if err != nil {
		return nil, fmt.Errorf("channel hooks: %w", formatError(err))
	}
	out := make([]*rituals.Hook, len(rows))
	for i := range rows {
		out[i] = rows[i].hook()
	}
	return out, nil
}

// SaveHook stores h in place of the channel's hook of h.Source, which
// stops working: its ID and secret are gone.
func (db *DB) SaveHook(ctx context.Context, h *rituals.Hook) error {
	return db.InTx(ctx, func(t rituals.Tx) error {
		tx := t.(*Tx).tx
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM delivery_hooks WHERE team_id = ? AND channel_id = ? AND source = ?`),
			h.Team, h.Channel, h.Source); err != nil {
			return fmt.Errorf("replace hook: %w", formatError(err))
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO delivery_hooks (`+hookColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`),
			h.ID, h.Team, h.Channel, h.Source, h.Secret, h.CreatedBy, millis(h.CreatedAt))
		if err != nil {
			return fmt.Errorf("save hook: %w", formatError(err))
		}
		return nil
	})
}

// DeleteHook removes the channel's hook of source. Returns ENOTFOUND.
func (db *DB) DeleteHook(ctx context.Context, team, channel, source string) error {
	res, err := db.exec(ctx, `DELETE FROM delivery_hooks WHERE team_id = ? AND channel_id = ? AND source = ?`, team, channel, source)
	if err != nil {
		return fmt.Errorf("delete hook: %w", formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.Errorf(rituals.ENOTFOUND, "There is no %s hook here.", source)
	}
	return nil
}

// RecordDeliveryEvent keeps e once per hook and delivery, and notes the
// hook's last delivery. Returns ErrDuplicate for a delivery kept before.
func (db *DB) RecordDeliveryEvent(ctx context.Context, h *rituals.Hook, delivery string, e rituals.DeliveryEvent, at time.Time) error {
	return db.InTx(ctx, func(t rituals.Tx) error {
		tx := t.(*Tx).tx
		res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO delivery_events (hook_id, delivery, team_id, channel_id, source,
			kind, ref, at, started_at, ok, name, value, unit, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hook_id, delivery) DO NOTHING`),
			h.ID, delivery, h.Team, h.Channel, h.Source, string(e.Kind), e.Ref, millis(e.At), millis(e.Started), e.OK,
			e.Name, e.Value, e.Unit, millis(at))
		if err != nil {
			return fmt.Errorf("record delivery event: %w", formatError(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rituals.ErrDuplicate
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE delivery_hooks SET last_delivery_at = ? WHERE id = ?`), millis(at), h.ID); err != nil {
			return fmt.Errorf("note hook delivery: %w", formatError(err))
		}
		return nil
	})
}

type deliveryEventRow struct {
	TeamID    string  `db:"team_id"`
	ChannelID string  `db:"channel_id"`
	Source    string  `db:"source"`
	Kind      string  `db:"kind"`
	Ref       string  `db:"ref"`
	At        int64   `db:"at"`
	StartedAt int64   `db:"started_at"`
	OK        bool    `db:"ok"`
	Name      string  `db:"name"`
	Value     float64 `db:"value"`
	Unit      string  `db:"unit"`
}

// DeliveryEvents returns channel's delivery events that happened in
// [from, to), oldest first. See rituals.DigestReader.
func (r reader) DeliveryEvents(ctx context.Context, team, channel string, from, to time.Time) ([]rituals.DeliveryEvent, error) {
	var rows []deliveryEventRow
	err := sqlxSelect(ctx, r.q, &rows, `SELECT team_id, channel_id, source, kind, ref, at, started_at, ok, name, value, unit
		FROM delivery_events WHERE team_id = ? AND channel_id = ? AND at >= ? AND at < ? ORDER BY at, delivery`,
		team, channel, millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("delivery events: %w", formatError(err))
	}
	out := make([]rituals.DeliveryEvent, len(rows))
	for i, x := range rows {
		out[i] = rituals.DeliveryEvent{Team: x.TeamID, Channel: x.ChannelID, Source: x.Source, Kind: rituals.EventKind(x.Kind),
			Ref: x.Ref, At: fromMillis(x.At), Started: fromMillis(x.StartedAt), OK: x.OK, Name: x.Name, Value: x.Value, Unit: x.Unit}
	}
	return out, nil
}

// ReviewSLA returns channel's review SLA; zero when unset.
func (r reader) ReviewSLA(ctx context.Context, team, channel string) (time.Duration, error) {
	var ms int64
	err := sqlxGet(ctx, r.q, &ms, `SELECT review_sla_ms FROM delivery_slas WHERE team_id = ? AND channel_id = ?`, team, channel)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("review SLA: %w", formatError(err))
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// SetReviewSLA sets channel's review SLA; zero clears it.
func (db *DB) SetReviewSLA(ctx context.Context, team, channel string, sla time.Duration, by string, at time.Time) error {
	var err error
	if sla == 0 {
		_, err = db.exec(ctx, `DELETE FROM delivery_slas WHERE team_id = ? AND channel_id = ?`, team, channel)
	} else {
		_, err = db.exec(ctx, `INSERT INTO delivery_slas (team_id, channel_id, review_sla_ms, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (team_id, channel_id) DO UPDATE SET review_sla_ms = excluded.review_sla_ms,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			team, channel, sla.Milliseconds(), by, millis(at))
	}
	if err != nil {
		return fmt.Errorf("set review SLA: %w", formatError(err))
	}
	return nil
}

var _ rituals.HookStore = (*DB)(nil)
