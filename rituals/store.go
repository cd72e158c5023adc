package rituals

import (
	"context"
	"time"
)

// Store is the persistence the domain needs. storage.DB implements it.
type Store interface {
	// InTx runs fn in one transaction, committed if fn returns nil and
	// rolled back otherwise. Everything fn enqueues is sent only once the
	// transaction commits.
	InTx(ctx context.Context, fn func(Tx) error) error
	DecisionReader
	DecisionHistory
	DecisionTitles
	RightsReader
	ChannelStore
	BlockerReader
	CheckinReader
	PulseReader
	SessionReader
	HomeReader
	DigestReader
}

// Tx is what a use case may do inside one transaction.
type Tx interface {
	// Claim records requestID as handled. Returns ErrDuplicate if it was
	// already claimed, so a redelivery changes nothing.
	Claim(ctx context.Context, team, requestID string, at time.Time) error
	// NextNumber returns the next per-workspace sequence number for kind
	// ("D", "B", ...), starting at 1.
	NextNumber(ctx context.Context, team, kind string) (int64, error)
	// Enqueue adds messages to the outbox.
	Enqueue(ctx context.Context, msgs ...Outgoing) error
	DecisionTx
	ScheduleTx
	CheckinTx
	BlockerTx
	PulseTx
	SessionTx
	HomeTx
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

// DigestReader reads what a channel's weekly digest reports, each by
// time window from indexed columns.
type DigestReader interface {
	// DecisionsDecided returns the decisions recorded in channel that
	// became decided in [from, to), oldest first.
	DecisionsDecided(ctx context.Context, team, channel string, from, to time.Time) ([]*Decision, error)
	// ProposalsDue returns channel's proposed decisions due on or before
	// by, soonest first.
	ProposalsDue(ctx context.Context, team, channel string, by Date) ([]*Decision, error)
	// BlockersInPlay returns channel's blockers that were open at some
	// time in [from, to): reported before to, and open still or resolved
	// at or after from. Oldest first, without parties or acknowledgements.
	BlockersInPlay(ctx context.Context, team, channel string, from, to time.Time) ([]*Blocker, error)
	// CheckinsClosed returns channel's check-ins closed in [from, to),
	// newest first; skipped days left out.
	CheckinsClosed(ctx context.Context, team, channel string, from, to time.Time) ([]*Checkin, error)
	// PulsesClosed returns channel's pulses closed in [from, to), with
	// their counts, oldest first.
	PulsesClosed(ctx context.Context, team, channel string, from, to time.Time) ([]*Pulse, error)
}
