package rituals

import (
	"context"
	"time"
)

// DecisionReader reads decisions.
type DecisionReader interface {
	// Decision returns the decision with that number. Returns ENOTFOUND.
	Decision(ctx context.Context, team string, number int64) (*Decision, error)
	// Decisions returns the decisions that pass f.
	Decisions(ctx context.Context, f DecisionFilter) ([]*Decision, error)
}

// DecisionStore is what Decisions reads, and its transactions.
// storage.DB implements it.
type DecisionStore interface {
	DecisionReader
	DecisionTitles
	// DecisionVersions returns a decision's earlier versions, oldest first.
	DecisionVersions(ctx context.Context, team string, number int64) ([]DecisionVersion, error)
	DecisionCommentReader
	// Right returns an area's right. Returns ENOTFOUND.
	Right(ctx context.Context, team, area string) (*Right, error)
	// InDecisionTx runs fn in one transaction, committed if fn returns
	// nil and rolled back otherwise. What fn enqueues is sent only once
	// the transaction commits.
	InDecisionTx(ctx context.Context, fn func(DecisionTx) error) error
}

// DecisionTx is what Decisions does inside a transaction: it records,
// imports and changes decisions, posting their cards.
type DecisionTx interface {
	Claimer
	Numberer
	Enqueuer
	HomeRefresher
	DecisionReader
	// Right returns an area's right. Returns ENOTFOUND.
	Right(ctx context.Context, team, area string) (*Right, error)
	// CreateDecision inserts d, which already carries its number.
	CreateDecision(ctx context.Context, d *Decision) error
	// UpdateDecision stores d as its new current version and keeps the
	// previous one in its history, with who changed it and when.
	UpdateDecision(ctx context.Context, d *Decision, editor string, at time.Time) error
	// AddDecisionComment records a comment. Returns ErrDuplicate if its
	// reply (channel and ts) already was.
	AddDecisionComment(ctx context.Context, c *Comment) error
	// EditDecisionComment replaces the text of user's comment that was
	// the reply at ts in channel. Returns ENOTFOUND if there is none.
	EditDecisionComment(ctx context.Context, team, channel, ts, user, text string, clipped bool) error
	// DeleteDecisionComment removes the comment that was the reply at ts
	// in channel. Returns ENOTFOUND if there is none.
	DeleteDecisionComment(ctx context.Context, team, channel, ts string) error
}

// DecisionCommentReader reads a decision's comments.
type DecisionCommentReader interface {
	// DecisionComments returns decision n's comments, oldest first.
	DecisionComments(ctx context.Context, team string, n int64) ([]Comment, error)
}

// decisionPublisher is what publishing a decision does: DecisionTx's,
// and CheckinCloseTx's for a check-in's decision lines.
type decisionPublisher interface {
	Numberer
	Enqueuer
	HomeRefresher
	Right(ctx context.Context, team, area string) (*Right, error)
	CreateDecision(ctx context.Context, d *Decision) error
}

// DecisionReminderStore is what DecisionReminders reads, and its
// transactions. storage.DB implements it.
type DecisionReminderStore interface {
	// DecisionsToRemind returns the proposals due by today and the
	// decisions to revisit by today whose reminders have not all gone
	// out, in every workspace.
	DecisionsToRemind(ctx context.Context, today Date) ([]*Decision, error)
	// Right returns an area's right, whose owner a proposal escalates to.
	// Returns ENOTFOUND.
	Right(ctx context.Context, team, area string) (*Right, error)
	// EscalationTarget returns channel's escalation target, whom a
	// proposal climbs to after its area's owner; ok is false when it has
	// none.
	EscalationTarget(ctx context.Context, team, channel string) (target Party, ok bool, err error)
	// ProposalsToComment returns the proposals in an area, in every
	// workspace, whose decide-by date lies from from to to and whose
	// consulted people were not yet reminded for it.
	ProposalsToComment(ctx context.Context, from, to Date) ([]*Decision, error)
	// InDecisionReminderTx runs fn in one transaction, as
	// DecisionStore.InDecisionTx does.
	InDecisionReminderTx(ctx context.Context, fn func(DecisionReminderTx) error) error
}

// DecisionReminderTx is what DecisionReminders does inside a
// transaction: it claims a reminder and queues it.
type DecisionReminderTx interface {
	Enqueuer
	DecisionCommentReader
	// MarkDecisionReminded records that decision n's reminder of kind
	// (due, after, revisit, escalate, climb, comment) went out for date. Returns ErrDuplicate if it
	// already had.
	MarkDecisionReminded(ctx context.Context, team string, n int64, kind ReminderKind, date Date) error
}
