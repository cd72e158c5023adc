package rituals

import (
	"context"
	"time"
)

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
	// InboundBlockersInPlay is BlockersInPlay for the blockers reported
	// in other channels that name channel, or a group or person it
	// claimed (see BlockerFilter.Inbound).
	InboundBlockersInPlay(ctx context.Context, team, channel string, from, to time.Time) ([]*Blocker, error)
	// CheckinsClosed returns channel's check-ins closed in [from, to),
	// newest first; skipped days left out.
	CheckinsClosed(ctx context.Context, team, channel string, from, to time.Time) ([]*Checkin, error)
	// PulsesClosed returns channel's pulses closed in [from, to), with
	// their counts, oldest first.
	PulsesClosed(ctx context.Context, team, channel string, from, to time.Time) ([]*Pulse, error)
	// DeliveryEvents returns the events channel's hooks brought that
	// happened in [from, to), oldest first.
	DeliveryEvents(ctx context.Context, team, channel string, from, to time.Time) ([]DeliveryEvent, error)
	// ReviewSLA returns channel's review SLA; zero when unset.
	ReviewSLA(ctx context.Context, team, channel string) (time.Duration, error)
}

// DigestStore is what Digests reads, and its transactions. storage.DB
// implements it.
type DigestStore interface {
	DigestReader
	// InDigestTx runs fn in one transaction, committed if fn returns nil
	// and rolled back otherwise. What fn enqueues is sent only once the
	// transaction commits.
	InDigestTx(ctx context.Context, fn func(DigestTx) error) error
}

// DigestTx is what Digests does inside a transaction: it sets and drops
// a channel's digest schedule, and queues a digest.
type DigestTx interface {
	Claimer
	Enqueuer
	// SaveSchedule creates or replaces a channel's schedule of s.Kind.
	SaveSchedule(ctx context.Context, s *Schedule, at time.Time) error
	// Schedule returns a channel's schedule of kind. Returns ENOTFOUND.
	Schedule(ctx context.Context, team, channel, kind string) (*Schedule, error)
	// DeleteSchedule removes a channel's schedule of kind.
	DeleteSchedule(ctx context.Context, team, channel, kind string) error
}
