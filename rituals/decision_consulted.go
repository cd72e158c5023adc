package rituals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CommentReminderDays is how many days before a proposal's decide-by
// date the people consulted on its area who have not commented in its
// thread are reminded, once.
const CommentReminderDays = 2

// GroupMembers lists the people in a user group (S…): those a group
// consulted on an area stands for.
type GroupMembers interface {
	GroupMembers(ctx context.Context, team, group string) ([]string, error)
}

// remindConsulted sends, two days before each proposal's decide-by date
// (in its owner's zone, as its other reminders), one reminder to each
// person consulted on its area who has not commented in its thread.
func (r *DecisionReminders) remindConsulted(ctx context.Context, now time.Time) error {
	// Some zone is already a day ahead of UTC, another a day behind it.
	today := DateOf(now.UTC())
	ds, err := r.Store.ProposalsToComment(ctx, today.AddDays(-1), today.AddDays(1+CommentReminderDays))
	if err != nil {
		return fmt.Errorf("proposals to comment on: %w", err)
	}
	var errs []error
	for _, d := range ds {
		local := DateOf(now.In(d.OwnerZone.Location()))
		day := d.DecideBy.AddDays(-CommentReminderDays)
		if day.After(local) || !local.Before(d.DecideBy) {
			// Not yet, or too late: on its decide-by day the owner is
			// reminded to settle it, no longer to gather views.
			continue
		}
		errs = append(errs, r.askConsulted(ctx, d, day))
	}
	return errors.Join(errs...)
}

// askConsulted claims d's comment reminder for its decide-by date and
// enqueues one DM to each consulted person who has not commented, in one
// transaction: a second tick, or replica, finds it claimed. Nobody is
// reminded when d was proposed on or after its reminder day (they were
// asked in its thread just now), nor the people who wrote it or own it.
func (r *DecisionReminders) askConsulted(ctx context.Context, d *Decision, day Date) error {
	var people []string
	if DateOf(d.CreatedAt.In(d.OwnerZone.Location())).Before(day) {
		var err error
		if people, err = r.consulted(ctx, d); err != nil {
			return fmt.Errorf("consulted on %s: %w", d.ID(), err)
		}
	}
	var sent int
	err := r.Store.InDecisionReminderTx(ctx, func(tx DecisionReminderTx) error {
		if err := tx.MarkDecisionReminded(ctx, d.Team, d.Number, ReminderComment, d.DecideBy); err != nil {
			return err
		}
		cs, err := tx.DecisionComments(ctx, d.Team, d.Number)
		if err != nil {
			return err
		}
		commented := Commenters(cs)
		var out []Outgoing
		for _, p := range people {
			if commented[p] || p == d.Owner || p == d.ProposedBy || p == d.Author {
				continue
			}
			data, _ := json.Marshal(ReminderData{Kind: ReminderComment, To: p})
			out = append(out, Outgoing{Team: d.Team, Kind: KindDecisionReminder, Channel: p, User: p,
				Reminder: true, Ref: d.Number, Data: data})
		}
		sent = len(out)
		return tx.Enqueue(ctx, out...)
	})
	switch {
	case errors.Is(err, ErrDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("remind consulted on %s: %w", d.ID(), err)
	}
	r.Log.Info("consulted reminded", "team", d.Team, "decision", d.ID(), "people", sent)
	return nil
}

// consulted returns the people consulted on d's area as it is now: its
// people, and the members of its user groups (none when Groups is nil).
// None when d's area is gone.
func (r *DecisionReminders) consulted(ctx context.Context, d *Decision) ([]string, error) {
	right, err := r.Store.Right(ctx, d.Team, d.Area)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if isUserID(id) && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range right.Consulted {
		if !IsGroupID(id) {
			add(id)
			continue
		}
		if r.Groups == nil {
			continue
		}
		members, err := r.Groups.GroupMembers(ctx, d.Team, id)
		if err != nil {
			return nil, fmt.Errorf("members of %s: %w", id, err)
		}
		for _, m := range members {
			add(m)
		}
	}
	return out, nil
}
