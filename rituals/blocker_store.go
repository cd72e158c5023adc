package rituals

import (
	"context"
	"time"
)

// BlockerReader reads blockers.
type BlockerReader interface {
	// Blocker returns the blocker with that number. Returns ENOTFOUND.
	Blocker(ctx context.Context, team string, number int64) (*Blocker, error)
	// Blockers returns the blockers that pass f, oldest first.
	Blockers(ctx context.Context, f BlockerFilter) ([]*Blocker, error)
	// BlockerSLA returns a channel's escalation threshold, and false if
	// it has not set one.
	BlockerSLA(ctx context.Context, team, channel string) (time.Duration, bool, error)
	// BlockerClaims returns the user groups and people a channel claimed
	// as its team, in the order claimed.
	BlockerClaims(ctx context.Context, team, channel string) ([]Party, error)
	// EscalationTarget returns where a channel's blockers go past twice
	// its SLA, and false if it has set nowhere.
	EscalationTarget(ctx context.Context, team, channel string) (Party, bool, error)
}

// BlockerStore is what Blockers reads, and its transactions.
// storage.DB implements it.
type BlockerStore interface {
	BlockerReader
	// InBlockerTx runs fn in one transaction, committed if fn returns nil
	// and rolled back otherwise. What fn enqueues is sent only once the
	// transaction commits.
	InBlockerTx(ctx context.Context, fn func(BlockerTx) error) error
}

// BlockerTx is what Blockers does inside a transaction: it reports,
// resolves and acknowledges blockers and sets a channel's SLA.
type BlockerTx interface {
	Claimer
	Numberer
	Enqueuer
	HomeRefresher
	// Blocker returns the blocker with that number. Returns ENOTFOUND.
	Blocker(ctx context.Context, team string, number int64) (*Blocker, error)
	// CreateBlocker inserts b, which already carries its number.
	CreateBlocker(ctx context.Context, b *Blocker) error
	// UpdateBlocker saves an open blocker's text, impact, needed-by date,
	// due and overdue marks and parties (replacing them) from b. Returns
	// ECONFLICT if it is not open any more.
	UpdateBlocker(ctx context.Context, b *Blocker) error
	// ResolveBlocker closes an open blocker with b's resolution fields.
	// Returns ECONFLICT if it is not open any more.
	ResolveBlocker(ctx context.Context, b *Blocker) error
	// AckBlocker records that user is on it, and reports whether that is
	// news.
	AckBlocker(ctx context.Context, team string, number int64, user string, at time.Time) (bool, error)
	// SaveBlockerSLA sets a channel's escalation threshold.
	SaveBlockerSLA(ctx context.Context, team, channel string, sla time.Duration, by string, at time.Time) error
	// BlockerClaims is BlockerReader's, inside the transaction.
	BlockerClaims(ctx context.Context, team, channel string) ([]Party, error)
	// SaveBlockerClaim adds p to a channel's team.
	SaveBlockerClaim(ctx context.Context, team, channel string, p Party, by string, at time.Time) error
	// DeleteBlockerClaim removes party from a channel's team, and reports
	// whether it was there.
	DeleteBlockerClaim(ctx context.Context, team, channel, party string) (bool, error)
	// SaveEscalationTarget sets a channel's escalation target, or clears
	// it when target is nil.
	SaveEscalationTarget(ctx context.Context, team, channel string, target *Party, by string, at time.Time) error
}

// blockerReporter is what reporting a blocker does: BlockerTx's, and
// that of the check-ins and pre-mortems that report blockers.
type blockerReporter interface {
	Numberer
	Enqueuer
	HomeRefresher
	CreateBlocker(ctx context.Context, b *Blocker) error
}

// BlockerWatchStore is what BlockerWatch reads, and its transactions.
// storage.DB implements it.
type BlockerWatchStore interface {
	// Blockers returns the blockers that pass f, oldest first.
	Blockers(ctx context.Context, f BlockerFilter) ([]*Blocker, error)
	// BlockerSLA returns a channel's escalation threshold, and false if
	// it has not set one.
	BlockerSLA(ctx context.Context, team, channel string) (time.Duration, bool, error)
	// EscalationTarget returns where a channel's blockers go past twice
	// its SLA, and false if it has set nowhere.
	EscalationTarget(ctx context.Context, team, channel string) (Party, bool, error)
	// InBlockerWatchTx runs fn in one transaction, as
	// BlockerStore.InBlockerTx does.
	InBlockerWatchTx(ctx context.Context, fn func(BlockerWatchTx) error) error
}

// BlockerWatchTx is what BlockerWatch does inside a transaction: it
// claims an escalation or an overdue mark and queues what it sends.
type BlockerWatchTx interface {
	Enqueuer
	HomeRefresher
	// ClaimEscalation and ClaimOverdue mark an open blocker escalated or
	// overdue at at. They return ErrDuplicate if it already was, or is
	// resolved: whoever claims it does the work, once.
	ClaimEscalation(ctx context.Context, team string, number int64, at time.Time) error
	ClaimOverdue(ctx context.Context, team string, number int64, at time.Time) error
	// ClaimClimb marks an open blocker sent to its channel's escalation
	// target to at at, once, as ClaimEscalation does.
	ClaimClimb(ctx context.Context, team string, number int64, to string, at time.Time) error
}
