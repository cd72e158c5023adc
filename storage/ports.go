package storage

import (
	"context"

	"github.com/alignbot/alignbot/rituals"
)

// The transactions of the domain's ports follow. Each is InTx, handing fn
// the transaction as the narrow interface its port declares: rituals.Tx
// holds them all, so the compiler checks each conversion.

// InDecisionTx is InTx for rituals.DecisionStore.
func (db *DB) InDecisionTx(ctx context.Context, fn func(rituals.DecisionTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InDecisionReminderTx is InTx for rituals.DecisionReminderStore.
func (db *DB) InDecisionReminderTx(ctx context.Context, fn func(rituals.DecisionReminderTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InBlockerTx is InTx for rituals.BlockerStore.
func (db *DB) InBlockerTx(ctx context.Context, fn func(rituals.BlockerTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InBlockerWatchTx is InTx for rituals.BlockerWatchStore.
func (db *DB) InBlockerWatchTx(ctx context.Context, fn func(rituals.BlockerWatchTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InCheckinSettingsTx is InTx for rituals.CheckinStore.
func (db *DB) InCheckinSettingsTx(ctx context.Context, fn func(rituals.CheckinSettingsTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InCheckinTx is InTx for rituals.CheckinStore.
func (db *DB) InCheckinTx(ctx context.Context, fn func(rituals.CheckinTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InCheckinCloseTx is InTx for rituals.CheckinStore.
func (db *DB) InCheckinCloseTx(ctx context.Context, fn func(rituals.CheckinCloseTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InPulseTx is InTx for rituals.PulseStore.
func (db *DB) InPulseTx(ctx context.Context, fn func(rituals.PulseTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InPulseAnswerTx is InTx for rituals.PulseStore.
func (db *DB) InPulseAnswerTx(ctx context.Context, fn func(rituals.PulseAnswerTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InSessionTx is InTx for rituals.SessionStore.
func (db *DB) InSessionTx(ctx context.Context, fn func(rituals.SessionTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InHomeTx is InTx for rituals.HomeStore.
func (db *DB) InHomeTx(ctx context.Context, fn func(rituals.HomeTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InDigestTx is InTx for rituals.DigestStore.
func (db *DB) InDigestTx(ctx context.Context, fn func(rituals.DigestTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InRightsTx is InTx for rituals.RightsStore.
func (db *DB) InRightsTx(ctx context.Context, fn func(rituals.RightsTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}

// InRitualTx is InTx for rituals.RunnerStore.
func (db *DB) InRitualTx(ctx context.Context, fn func(rituals.RitualTx) error) error {
	return db.InTx(ctx, func(t rituals.Tx) error { return fn(t) })
}
