package rituals

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ForEdit returns open blocker n if the caller may edit it: its reporter,
// or an admin. Returns ENOTFOUND, ECONFLICT (it is resolved) or EFORBIDDEN
// with a sentence that says who may.
func (s *Blockers) ForEdit(ctx context.Context, c Caller, n int64) (*Blocker, error) {
	b, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, err
	}
	return b, checkEdit(b, c)
}

func checkEdit(b *Blocker, c Caller) error {
	switch {
	case !b.Open():
		return Errorf(ECONFLICT, "%s is resolved, so it can no longer be edited. Report a new blocker with `/blocker`.", b.ID())
	case c.User == "" || (c.User != b.Reporter && !c.Admin):
		return Errorf(EFORBIDDEN, "Only whoever reported %s (<@%s>) or an admin can edit it.", b.ID(), b.Reporter)
	}
	return nil
}

// CheckEdit checks in, an edit of b, as of today (see BlockerInput.Check),
// except that a needed-by date already past may stay as it was.
func (b *Blocker) CheckEdit(in *BlockerInput, today Date) error {
	if in.NeededBy == b.NeededBy && !b.NeededBy.IsZero() && b.NeededBy.Before(today) {
		today = b.NeededBy
	}
	return in.Check(today)
}

// Edit replaces open blocker n's text, impact, needed-by date and parties
// (user groups carrying their Members) with in's, updates its card, and
// tells each party it names that was not told before, as a report tells
// them; parties dropped are not told. It returns the blocker as saved and
// who was newly told. See ForEdit for who may; returns EINVALID (with
// per-field messages) for bad input, nothing saved, and ErrDuplicate if
// the caller's request was already handled.
func (s *Blockers) Edit(ctx context.Context, c Caller, n int64, in BlockerInput) (*Blocker, []string, error) {
	old, err := s.ForEdit(ctx, c, n)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	if err := old.CheckEdit(&in, c.Today(now)); err != nil {
		return nil, nil, err
	}
	dueAt := old.DueAt
	if in.NeededBy != old.NeededBy {
		dueAt = time.Time{}
		if !in.NeededBy.IsZero() {
			loc := c.Location
			if loc == nil {
				loc = time.UTC
			}
			start, err := in.NeededBy.Time(loc)
			if err != nil {
				return nil, nil, err
			}
			dueAt = start.AddDate(0, 0, 1).UTC()
		}
	}
	var out *Blocker
	var told []string
	err = s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		b, err := tx.Blocker(ctx, c.Team, n)
		if err != nil {
			return err
		}
		if err := checkEdit(b, c); err != nil {
			return err
		}
		before, people := b.Audience(false), blockerPeople(b)
		if !dueAt.Equal(b.DueAt) {
			b.OverdueAt = time.Time{} // judged again against the new date
		}
		b.Text, b.Impact, b.NeededBy, b.DueAt, b.Parties, b.UpdatedAt = in.Text, in.Impact, in.NeededBy, dueAt, in.Parties, now
		if err := tx.UpdateBlocker(ctx, b); err != nil {
			return err
		}
		for _, id := range b.Audience(false) {
			if !slices.Contains(before, id) {
				told = append(told, id)
			}
		}
		msgs := append([]Outgoing{cardUpdate(b)}, notices(b, NoticeReported, "", told)...)
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		out = b
		return refreshHomes(ctx, tx, b.Team, append(people, blockerPeople(b)...)...)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("edit blocker %d: %w", n, err)
	}
	return out, told, nil
}
