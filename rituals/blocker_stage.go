package rituals

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// BlockerWatch is the scheduler stage that escalates stale blockers and
// marks overdue ones. Each blocker is escalated once to its parties, once
// more to its channel's escalation target, and marked overdue once: each
// mark is claimed in the same transaction that enqueues what it sends, so
// replicas and repeated ticks do it exactly once.
type BlockerWatch struct {
	Store BlockerWatchStore
	Log   *slog.Logger
}

var _ Stage = (*BlockerWatch)(nil)

// Due escalates every open blocker older than its channel's SLA at now,
// sends on to the channel's escalation target every one older than twice
// its SLA, and marks every open blocker whose needed-by day has ended.
func (w *BlockerWatch) Due(ctx context.Context, now time.Time) error {
	stale, err := w.Store.Blockers(ctx, BlockerFilter{StaleAt: now})
	if err != nil {
		return fmt.Errorf("stale blockers: %w", err)
	}
	var errs []error
	for _, b := range stale {
		errs = append(errs, w.escalate(ctx, b, now))
	}
	climbing, err := w.Store.Blockers(ctx, BlockerFilter{ClimbAt: now})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("blockers past twice their sla: %w", err))...)
	}
	for _, b := range climbing {
		errs = append(errs, w.climb(ctx, b, now))
	}
	due, err := w.Store.Blockers(ctx, BlockerFilter{PastDueAt: now})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("overdue blockers: %w", err))...)
	}
	for _, b := range due {
		errs = append(errs, w.markOverdue(ctx, b, now))
	}
	return errors.Join(errs...)
}

// escalate DMs the reporter and the parties of b, posts in its named
// channels, and marks its card.
func (w *BlockerWatch) escalate(ctx context.Context, b *Blocker, now time.Time) error {
	sla, set, err := w.Store.BlockerSLA(ctx, b.Team, b.Channel)
	if err != nil {
		return fmt.Errorf("escalate %s: %w", b.ID(), err)
	}
	if !set {
		sla = DefaultSLA
	}
	err = w.Store.InBlockerWatchTx(ctx, func(tx BlockerWatchTx) error {
		if err := tx.ClaimEscalation(ctx, b.Team, b.Number, now); err != nil {
			return err
		}
		msgs := append([]Outgoing{cardUpdate(b)}, notices(b, NoticeEscalated, Duration(sla).String(), b.Audience(true))...)
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, b.Team, blockerPeople(b)...) // their Homes flag it escalated
	})
	return w.outcome(b, "escalate", "blocker escalated", err, "sla", Duration(sla).String(), "age", FormatAge(b.Age(now)))
}

// climb tells b's channel's escalation target about it (a DM to a
// person, a post in a channel) and marks its card with the second level.
func (w *BlockerWatch) climb(ctx context.Context, b *Blocker, now time.Time) error {
	target, ok, err := w.Store.EscalationTarget(ctx, b.Team, b.Channel)
	if err != nil || !ok {
		// Cleared since the blocker was read: nobody to climb to.
		return err
	}
	err = w.Store.InBlockerWatchTx(ctx, func(tx BlockerWatchTx) error {
		if err := tx.ClaimClimb(ctx, b.Team, b.Number, target.ID, now); err != nil {
			return err
		}
		b.ClimbedAt, b.ClimbedTo = now, target.ID
		msgs := append([]Outgoing{cardUpdate(b)}, notices(b, NoticeClimbed, Duration(b.SLA).String(), []string{target.ID})...)
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, b.Team, blockerPeople(b)...) // their Homes flag it escalated to the target
	})
	return w.outcome(b, "climb", "blocker escalated to target", err, "sla", Duration(b.SLA).String(), "target", target.ID)
}

// markOverdue updates b's card to show it is past its needed-by date.
func (w *BlockerWatch) markOverdue(ctx context.Context, b *Blocker, now time.Time) error {
	err := w.Store.InBlockerWatchTx(ctx, func(tx BlockerWatchTx) error {
		if err := tx.ClaimOverdue(ctx, b.Team, b.Number, now); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, cardUpdate(b)); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, b.Team, blockerPeople(b)...) // their Homes flag it overdue
	})
	return w.outcome(b, "mark overdue", "blocker marked overdue", err, "needed_by", b.NeededBy.String())
}

// outcome logs what a claim came to and returns the error worth
// reporting: another process having done it is not one.
func (w *BlockerWatch) outcome(b *Blocker, what, done string, err error, attrs ...any) error {
	log := w.Log
	if log == nil {
		log = slog.Default()
	}
	log = log.With("team", b.Team, "channel", b.Channel, "blocker", b.ID())
	switch {
	case errors.Is(err, ErrDuplicate):
		log.Debug("blocker already handled", "what", what)
		return nil
	case err != nil:
		return fmt.Errorf("%s %s: %w", what, b.ID(), err)
	}
	log.Info(done, attrs...)
	return nil
}
