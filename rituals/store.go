package rituals

import (
	"context"
	"time"
)

// Store is everything storage.DB does for the domain and the edge: the
// union of the services' ports, with the readers the edge uses. Only
// package storage asserts it (var _ rituals.Store = (*DB)(nil)); no
// service takes it whole, each declares beside it the small port it
// uses (DecisionStore beside Decisions), so a service says what it
// touches and a fake of it stays small.
type Store interface {
	// InTx runs fn in one transaction, committed if fn returns nil and
	// rolled back otherwise. Everything fn enqueues is sent only once the
	// transaction commits. The ports' In…Tx methods are InTx, handing fn
	// the transaction as their service's narrow Tx.
	InTx(ctx context.Context, fn func(Tx) error) error
	DecisionStore
	DecisionReminderStore
	BlockerStore
	BlockerWatchStore
	CheckinStore
	PulseStore
	SessionStore
	HomeStore
	DigestStore
	RightsStore
	RunnerStore
	RightsReader
	ChannelStore
	CheckinReader
}

// Tx is everything one of storage's transactions does: the union of the
// services' transaction ports (DecisionTx, …), asserted only by package
// storage (var _ rituals.Tx = (*Tx)(nil)).
type Tx interface {
	DecisionTx
	DecisionReminderTx
	BlockerTx
	BlockerWatchTx
	CheckinSettingsTx
	CheckinTx
	CheckinCloseTx
	PulseTx
	PulseAnswerTx
	SessionTx
	HomeTx
	DigestTx
	RightsTx
	RitualTx
}

// Claimer claims requests, so a redelivered one changes nothing twice.
type Claimer interface {
	// Claim records requestID as handled. Returns ErrDuplicate if it was
	// already claimed, so a redelivery changes nothing.
	Claim(ctx context.Context, team, requestID string, at time.Time) error
}

// Numberer hands out the numbers of new entries.
type Numberer interface {
	// NextNumber returns the next per-workspace sequence number for kind
	// ("D", "B", ...), starting at 1.
	NextNumber(ctx context.Context, team, kind string) (int64, error)
}

// Enqueuer queues messages for the sender.
type Enqueuer interface {
	// Enqueue adds messages to the outbox. Inside a transaction, they are
	// sent only once it commits.
	Enqueue(ctx context.Context, msgs ...Outgoing) error
}

// Channel is what alignbot knows of a Slack conversation.
type Channel struct {
	Team     string
	ID       string
	Name     string
	Private  bool
	Archived bool
}

// ChannelStore remembers channels, so visibility rules work offline.
type ChannelStore interface {
	SaveChannel(ctx context.Context, ch Channel, at time.Time) error
	// SavedChannel returns what was last saved of a channel, and when.
	// Returns ENOTFOUND if nothing was.
	SavedChannel(ctx context.Context, team, id string) (Channel, time.Time, error)
}
