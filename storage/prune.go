package storage

import (
	"context"
	"errors"
	"time"
)

// How long bookkeeping is kept.
const (
	keepRequests = 24 * time.Hour     // redeliveries come within minutes
	keepOutbox   = 7 * 24 * time.Hour // finished sends, for the record
)

// Prune forgets handled request IDs and inbox rows older than a day and
// finished outbox items older than a week. It returns how many rows went.
// The inbox keeps real time (see migrations/00013_inbox.sql), so its age
// is measured by the real clock, not now.
func (db *DB) Prune(ctx context.Context, now time.Time) (int64, error) {
	a, err1 := db.PruneRequests(ctx, now.Add(-keepRequests))
	b, err2 := db.PruneOutbox(ctx, now.Add(-keepOutbox))
	c, err3 := db.PruneInbox(ctx, db.wall().Add(-keepRequests))
	return a + b + c, errors.Join(err1, err2, err3)
}
