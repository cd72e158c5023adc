package rituals

import (
	"context"
	"sync/atomic"
	"time"
)

// InboxItem is one request from Slack, kept in the inbox from before it
// is acknowledged until it has been handled.
type InboxItem struct {
	// ID is the request's own identity: its envelope, event or trigger
	// ID. A redelivery carries the same one and is dropped.
	ID   string
	Team string
	// Kind is how Slack sent it: "slash_commands", "interactive" or
	// "events_api".
	Kind string
	// Lane orders requests: those of one lane (a conversation) are
	// handled one at a time, in the order they came.
	Lane    string
	Payload []byte
	// Inline is set for a request answered inside its ack (a modal
	// submission): a worker takes it up only if its process died first.
	Inline   bool
	Received time.Time
	// Attempts counts the times it was taken up, this one included; it
	// names the current claim: outcomes given under a claim that has since
	// lapsed and been taken by another are ignored.
	Attempts int
	// ClaimedUntil is when its current claim lapses (the holder renews it).
	ClaimedUntil time.Time
}

// Inbox outcomes.
const (
	InboxPending = "pending"
	InboxDone    = "done"
	InboxParked  = "parked"
)

// Request is a request from the inbox being handled. A context carrying
// one (WithRequest) makes the store mark the request done in the first
// transaction that writes anything, and refuse that transaction with
// ErrDuplicate if the request was already done: the request's effects
// then happen exactly once, however often it is taken up (a redelivery, a
// replay after a crash, two replicas at once).
type Request struct {
	ID   string
	done atomic.Bool
}

// Done reports whether a transaction has marked the request done.
func (r *Request) Done() bool { return r.done.Load() }

// MarkDone records that a committed transaction marked the request done.
func (r *Request) MarkDone() { r.done.Store(true) }

type requestKey struct{}

// WithRequest returns ctx carrying r (see Request).
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request ctx carries, or nil.
func RequestFrom(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// WithoutRequest returns ctx with no request: for writes that are not
// the request's effects (a rate-limit count), which must not mark it done.
func WithoutRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestKey{}, (*Request)(nil))
}
