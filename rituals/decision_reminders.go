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
// day, each in the owner's time zone and once. A proposal still open
// after that climbs proposalEscalations, each level once. It is a Stage
// of the Runner; the sender holds reminders until the owner's working
// hours. Two days before a proposal's decide-by date, the people
// consulted on its area who have not commented in its thread are
// reminded once (see remindConsulted).
type DecisionReminders struct {
	Store DecisionReminderStore
	Log   *slog.Logger
	// Groups, when set, lists the members of the user groups consulted
	// on an area, to remind them of a proposal's comment period; when
	// nil, only the people consulted by name are.
	Groups GroupMembers
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
		if d.Status == StatusProposed && !d.DecideBy.IsZero() {
			for _, level := range proposalEscalations {
				if !d.DecideBy.AddDays(level.days).After(today) {
					errs = append(errs, r.escalate(ctx, d, level))
				}
			}
		}
		if d.Status == StatusDecided && !d.RevisitBy.IsZero() && !d.RevisitBy.After(today) {
			errs = append(errs, r.remind(ctx, d, now, d.RevisitBy, ReminderRevisit))
		}
	}
	errs = append(errs, r.remindConsulted(ctx, now))
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
		out := Outgoing{Team: d.Team, Kind: KindDecisionReminder, Channel: ownerChannel(d, d.Owner),
			Ref: d.Number, Data: data}
		if isUserID(d.Owner) {
			out = heldFor(out, d.Owner, d.Channel, true)
		}
		return tx.Enqueue(ctx, out)
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

// escalationLevel is one step a proposal past its decide-by date climbs:
// days after that date, it goes once to whom target names (nobody, when
// target returns "" or the proposal's owner). kind records that it went, per decide-by date, so
// a new date starts the climb again.
type escalationLevel struct {
	kind   ReminderKind
	days   int
	target func(ctx context.Context, store DecisionReminderStore, d *Decision) (string, error)
}

// proposalEscalations are the levels, lowest first: two days after its
// decide-by date (the day after the owner's second reminder), a proposal
// goes to its area's Accountable owner; two days later, still undecided,
// to its channel's escalation target, as a blocker does past twice its
// SLA. A further level is one more entry, with a ReminderKind and a
// stored column of its own.
var proposalEscalations = []escalationLevel{
	{kind: ReminderEscalate, days: 2, target: accountableOf},
	{kind: ReminderClimb, days: 4, target: channelTargetOf},
}

// accountableOf returns the Accountable owner of d's area, as it is now;
// "" when d has no area or its area is gone.
func accountableOf(ctx context.Context, store DecisionReminderStore, d *Decision) (string, error) {
	if d.Area == "" {
		return "", nil
	}
	right, err := store.Right(ctx, d.Team, d.Area)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return "", nil
	case err != nil:
		return "", err
	}
	return right.Owner, nil
}

// channelTargetOf returns the escalation target of d's channel (a person
// or a channel), as it is now; "" when the channel has none.
func channelTargetOf(ctx context.Context, store DecisionReminderStore, d *Decision) (string, error) {
	target, ok, err := store.EscalationTarget(ctx, d.Team, d.Channel)
	if err != nil || !ok {
		return "", err
	}
	return target.ID, nil
}

// escalate claims level for d's decide-by date and, when the level has
// someone to tell, enqueues the message, in one transaction: it goes
// once, even from two replicas. It is not a nudge the weekly cap may
// fold: an escalation that never arrives escalates nothing.
func (r *DecisionReminders) escalate(ctx context.Context, d *Decision, level escalationLevel) error {
	to, err := level.target(ctx, r.Store, d)
	if err != nil {
		return fmt.Errorf("escalate %s: %w", d.ID(), err)
	}
	err = r.Store.InDecisionReminderTx(ctx, func(tx DecisionReminderTx) error {
		if err := tx.MarkDecisionReminded(ctx, d.Team, d.Number, level.kind, d.DecideBy); err != nil {
			return err
		}
		if to == "" || to == d.Owner {
			// Nobody at this level, or the owner, whom the reminders
			// already told: the level is passed, saying nothing.
			return nil
		}
		data, _ := json.Marshal(ReminderData{Kind: level.kind, To: to})
		out := Outgoing{Team: d.Team, Kind: KindDecisionReminder, Channel: ownerChannel(d, to), Ref: d.Number, Data: data}
		if isUserID(to) {
			out = heldFor(out, to, d.Channel, false) // a person's working time, never the cap
		}
		return tx.Enqueue(ctx, out)
	})
	switch {
	case errors.Is(err, ErrDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("escalate %s: %w", d.ID(), err)
	}
	r.Log.Info("proposal escalated", "team", d.Team, "decision", d.ID(), "kind", string(level.kind), "to", to)
	return nil
}
