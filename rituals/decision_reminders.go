package rituals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// DecisionReminders reminds owners by DM: on a proposal's decide-by day,
// on the day after it if it is still open, and on a decision's revisit-by
// day, each in the owner's time zone and once. It is a Stage of the
// Runner; the sender holds reminders until the owner's working hours.
type DecisionReminders struct {
	Store DecisionReminderStore
	Log   *slog.Logger
}

// Due sends the reminders whose day has come at now.
func (r *DecisionReminders) Due(ctx context.Context, now time.Time) error {
	// Some zone is already a day ahead of UTC: look that far.
	ds, err := r.Store.DecisionsToRemind(ctx, DateOf(now.UTC()).AddDays(1))
	if err != nil {
		return fmt.Errorf("decisions to remind: %w", err)
	}
	var errs []error
	for _, d := range ds {
		if d.Owner == "" {
			continue
		}
		today := DateOf(now.In(d.OwnerZone.Location()))
		if d.Status == StatusProposed && !d.DecideBy.IsZero() {
			switch {
			case !d.DecideBy.AddDays(1).After(today):
				// The day after (or later, if the bot was down): the due
				// reminder would come too late to be useful alone.
				errs = append(errs, r.remind(ctx, d, now, d.DecideBy, ReminderAfter, ReminderDue))
			case !d.DecideBy.After(today):
				errs = append(errs, r.remind(ctx, d, now, d.DecideBy, ReminderDue))
			}
		}
		if d.Status == StatusDecided && !d.RevisitBy.IsZero() && !d.RevisitBy.After(today) {
			errs = append(errs, r.remind(ctx, d, now, d.RevisitBy, ReminderRevisit))
		}
	}
	return errors.Join(errs...)
}

// remind claims the reminder of kinds[0] for date (and marks the others
// sent with it) and enqueues the DM, in one transaction.
func (r *DecisionReminders) remind(ctx context.Context, d *Decision, now time.Time, date Date, kinds ...ReminderKind) error {
	err := r.Store.InDecisionReminderTx(ctx, func(tx DecisionReminderTx) error {
		if err := tx.MarkDecisionReminded(ctx, d.Team, d.Number, kinds[0], date); err != nil {
			return err
		}
		for _, k := range kinds[1:] {
			if err := tx.MarkDecisionReminded(ctx, d.Team, d.Number, k, date); err != nil && !errors.Is(err, ErrDuplicate) {
				return err
			}
		}
		data, _ := json.Marshal(ReminderData{Kind: kinds[0]})
		return tx.Enqueue(ctx, Outgoing{Team: d.Team, Kind: KindDecisionReminder, Channel: d.Owner,
			User: d.Owner, Ref: d.Number, Data: data, Reminder: true})
	})
	switch {
	case errors.Is(err, ErrDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("remind %s: %w", d.ID(), err)
	}
	r.Log.Info("decision reminder queued", "team", d.Team, "decision", d.ID(), "kind", string(kinds[0]))
	return nil
}
