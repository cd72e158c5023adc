package rituals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Due does the timed work of pre-mortems and retros at now: it closes the
// sessions whose window has ended, opens the follow-up of pre-mortems
// whose launch was FollowUpAfter days ago, and reminds owners of action
// items due today in their time zone. Each piece of work is claimed in
// the transaction that enqueues what it sends, so it happens once however
// many ticks or replicas run it.
func (s *Sessions) Due(ctx context.Context, now time.Time) error {
	var errs []error
	closing, err := s.Store.Sessions(ctx, SessionFilter{ClosingBy: now})
	if err != nil {
		errs = append(errs, fmt.Errorf("sessions to close: %w", err))
	}
	for _, ses := range closing {
		err := s.Store.InSessionTx(ctx, func(tx SessionTx) error { return closeSession(ctx, tx, ses, "", now) })
		errs = append(errs, s.outcome(ses, "close", "session closed", err))
	}
	followUps, err := s.Store.Sessions(ctx, SessionFilter{FollowUpBy: now})
	if err != nil {
		errs = append(errs, fmt.Errorf("sessions to follow up: %w", err))
	}
	for _, ses := range followUps {
		err := s.Store.InSessionTx(ctx, func(tx SessionTx) error {
			if err := tx.ClaimFollowUp(ctx, ses.Team, ses.Number, now); err != nil {
				return err
			}
			return tx.Enqueue(ctx, Outgoing{Team: ses.Team, Kind: KindSessionFollowUp, Channel: ses.Channel,
				Ref: ses.Number, Key: ses.FollowUpKey()})
		})
		errs = append(errs, s.outcome(ses, "follow up", "pre-mortem followed up", err, "launch_on", ses.LaunchOn.String()))
	}
	// Overdue first: an item whose due-day reminder never went out gets
	// only the overdue one.
	return errors.Join(append(errs, s.remindOverdue(ctx, now), s.remindOwners(ctx, now))...)
}

// OverdueReminderDays are the days past its due day on which an open
// action item's owner is reminded again, once each.
var OverdueReminderDays = []int{2, 7}

// remindOverdue DMs the owner of every open action item that is, in the
// owner's time zone, one of OverdueReminderDays past its due day today,
// once that day. A day missed in full (the bot was down) is not made up:
// the next one comes on time.
func (s *Sessions) remindOverdue(ctx context.Context, now time.Time) error {
	last := OverdueReminderDays[len(OverdueReminderDays)-1]
	today := DateOf(now.UTC()) // zones run from a day behind UTC to a day ahead
	items, err := s.Store.SessionItems(ctx, ItemFilter{OverdueFrom: today.AddDays(-last - 1), OverdueBy: today.AddDays(1 - OverdueReminderDays[0])})
	if err != nil {
		return fmt.Errorf("overdue action items to remind: %w", err)
	}
	var errs []error
	for _, it := range items {
		loc := it.OwnerZone.Location()
		days := DaysBetween(it.Due, DateOf(now.In(loc)))
		if !slices.Contains(OverdueReminderDays, days) {
			continue
		}
		dayStart, err := DateOf(now.In(loc)).Time(loc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !it.RemindedAt.Before(dayStart) {
			continue
		}
		err = s.Store.InSessionTx(ctx, func(tx SessionTx) error {
			if err := tx.ClaimOverdueReminder(ctx, it.Team, it.Session, it.Number, dayStart, now); err != nil {
				return err
			}
			return tx.Enqueue(ctx, sessionReminder(it, days))
		})
		ses := &Session{Team: it.Team, Number: it.Session, Channel: it.Channel}
		errs = append(errs, s.outcome(ses, "remind overdue", "overdue action item reminder queued", err,
			"item", it.Number, "due", it.Due.String(), "days_overdue", days))
	}
	return errors.Join(errs...)
}

// sessionReminder is the DM (or, for a channel that owns it, the post)
// that reminds an item's owner of it, days past its due day.
func sessionReminder(it *Item, days int) Outgoing {
	data, _ := json.Marshal(SessionItemData{Item: it.Number, Overdue: days})
	out := Outgoing{Team: it.Team, Kind: KindSessionReminder, Channel: it.Owner, Ref: it.Session, Data: data}
	if !IsTeamID(it.Owner) { // a channel's reminder is posted there, not held for a person
		out = heldFor(out, it.Owner, it.Channel, true)
	}
	return out
}

// remindOwners DMs the owner of every open action item whose due day has
// come in the owner's time zone, once.
func (s *Sessions) remindOwners(ctx context.Context, now time.Time) error {
	// Some zone is already a day ahead of UTC: look that far.
	items, err := s.Store.SessionItems(ctx, ItemFilter{RemindBy: DateOf(now.UTC()).AddDays(1)})
	if err != nil {
		return fmt.Errorf("action items to remind: %w", err)
	}
	var errs []error
	for _, it := range items {
		if it.Due.After(DateOf(now.In(it.OwnerZone.Location()))) {
			continue
		}
		err := s.Store.InSessionTx(ctx, func(tx SessionTx) error {
			if err := tx.ClaimItemReminder(ctx, it.Team, it.Session, it.Number, now); err != nil {
				return err
			}
			return tx.Enqueue(ctx, sessionReminder(it, 0))
		})
		ses := &Session{Team: it.Team, Number: it.Session, Channel: it.Channel}
		errs = append(errs, s.outcome(ses, "remind", "action item reminder queued", err, "item", it.Number, "due", it.Due.String()))
	}
	return errors.Join(errs...)
}

// outcome logs what a claim came to and returns the error worth
// reporting: another process having done it is not one.
func (s *Sessions) outcome(ses *Session, what, done string, err error, attrs ...any) error {
	log := s.log().With("team", ses.Team, "channel", ses.Channel, "ritual", ses.ID())
	switch {
	case errors.Is(err, ErrDuplicate):
		log.Debug("already done elsewhere", "what", what)
		return nil
	case err != nil:
		return fmt.Errorf("%s %s: %w", what, ses.ID(), err)
	}
	log.Info(done, attrs...)
	return nil
}
