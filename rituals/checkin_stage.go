package rituals

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Open opens a check-in occurrence, inside the transaction that claimed
// it: it posts the agenda (the channel's open blockers, and the proposals
// due before the next check-in), and the answers given ahead. On a day
// the channel skips, it records the run as skipped and posts nothing.
func (s *Checkins) Open(ctx context.Context, tx RitualTx, sch *Schedule, o *Occurrence) error {
	return s.open(ctx, tx, sch, o)
}

// open is Open, in the Runner's transaction or in OpenNow's.
func (s *Checkins) open(ctx context.Context, tx checkinOpener, sch *Schedule, o *Occurrence) error {
	loc := sch.Zone.Location()
	day := DateOf(o.ScheduledFor.In(loc))
	chk := &Checkin{Team: o.Team, Channel: o.Channel, ScheduledFor: o.ScheduledFor, OpenedAt: o.OpenedAt,
		ClosesAt: o.ClosesAt, Zone: ZoneOf(loc), NextDue: day.AddDays(7)}
	if sch.Spec != "" {
		if next, err := sch.Next(o.ScheduledFor); err == nil {
			chk.NextDue = DateOf(next.In(loc))
		}
	}
	skips, err := tx.CheckinSkips(ctx, o.Team, o.Channel, day)
	if err != nil {
		return err
	}
	if slices.Contains(skips, day) {
		chk.Skipped, chk.ClosedAt = true, o.OpenedAt
		s.Log.Info("check-in skipped: a holiday", "team", o.Team, "channel", o.Channel, "day", string(day))
		return tx.CreateCheckin(ctx, chk)
	}
	if chk.Agenda, err = s.agenda(ctx, o.Team, o.Channel, day, chk.NextDue); err != nil {
		return err
	}
	if err := tx.CreateCheckin(ctx, chk); err != nil {
		return err
	}
	if err := tx.Enqueue(ctx, Outgoing{Team: chk.Team, Kind: KindCheckinPrompt, Channel: chk.Channel,
		Key: chk.Key(), Data: checkinRef(chk, "")}); err != nil {
		return err
	}
	ahead, err := tx.TakePendingAnswers(ctx, o.Team, o.Channel)
	if err != nil {
		return err
	}
	for i := range ahead {
		ahead[i].ScheduledFor = chk.ScheduledFor
		if err := postAnswer(ctx, tx, chk, &ahead[i]); err != nil {
			return err
		}
	}
	return refreshHomes(ctx, tx, chk.Team, chk.Channel)
}

// agenda carries last week over: open blockers, oldest first, then those
// other channels need from this one, and the proposals and action items
// due before the next check-in (and changes nobody owns yet), overdue
// ones flagged.
func (s *Checkins) agenda(ctx context.Context, team, channel string, day, next Date) (Agenda, error) {
	var a Agenda
	blockers, err := s.Store.Blockers(ctx, BlockerFilter{Team: team, Channel: channel, Status: BlockerOpen})
	if err != nil {
		return a, err
	}
	for _, b := range blockers {
		a.Blockers = append(a.Blockers, agendaBlocker(b))
	}
	inbound, err := s.Store.Blockers(ctx, BlockerFilter{Team: team, Inbound: channel, Status: BlockerOpen, Limit: MaxListLimit})
	if err != nil {
		return a, err
	}
	for _, b := range inbound {
		a.Inbound = append(a.Inbound, inboundAgendaBlocker(b, channel))
	}
	proposals, err := s.Store.Decisions(ctx, DecisionFilter{Team: team, Channel: channel, Status: StatusProposed, Oldest: true})
	if err != nil {
		return a, err
	}
	for _, d := range proposals {
		if d.DecideBy.IsZero() || d.DecideBy.Before(next) {
			a.Decisions = append(a.Decisions, AgendaDecision{Number: d.Number, Title: d.Title, Owner: d.Owner,
				OwnerName: d.OwnerName, DecideBy: d.DecideBy, Overdue: !d.DecideBy.IsZero() && d.DecideBy.Before(day)})
		}
	}
	actions, err := s.Store.SessionItems(ctx, ItemFilter{Team: team, Channel: channel, OpenActions: true})
	if err != nil {
		return a, err
	}
	for _, it := range actions {
		if it.Due.IsZero() || it.Due.Before(next) {
			a.Actions = append(a.Actions, AgendaAction{Session: it.Session, Item: it.Number, Kind: it.Kind, Text: it.Text, Owner: it.Owner,
				OwnerName: it.OwnerName, Due: it.Due, Overdue: it.OverdueOn(day)})
		}
	}
	return a, nil
}

// CheckinReminders reminds, two hours before a check-in closes, the
// channel members who have not answered (nor replied, nor are away):
// once per check-in. A Stage of the Runner.
type CheckinReminders struct{ *Checkins }

// Due sends the reminders whose time has come at now.
func (s CheckinReminders) Due(ctx context.Context, now time.Time) error {
	open, err := s.Store.Checkins(ctx, CheckinFilter{Open: true})
	if err != nil {
		return fmt.Errorf("open check-ins: %w", err)
	}
	var errs []error
	for _, chk := range open {
		if !chk.RemindedAt.IsZero() || now.Before(chk.ClosesAt.Add(-CheckinReminderLead)) || !now.Before(chk.ClosesAt) {
			continue
		}
		members, err := s.People.Members(ctx, chk.Team, chk.Channel)
		if err != nil {
			errs = append(errs, fmt.Errorf("members of %s: %w", chk.Channel, err))
			continue
		}
		errs = append(errs, s.remind(ctx, chk, members, now))
	}
	return errors.Join(errs...)
}

func (s CheckinReminders) remind(ctx context.Context, chk *Checkin, members []string, now time.Time) error {
	sent := 0
	err := s.Store.InCheckinTx(ctx, func(tx CheckinTx) error {
		if err := tx.MarkCheckinReminded(ctx, chk, now); err != nil {
			return err
		}
		done, err := takingPart(ctx, tx, chk, DateOf(now.UTC()))
		if err != nil {
			return err
		}
		var out []Outgoing
		for _, m := range members {
			if !done[m] {
				out = append(out, heldFor(Outgoing{Team: chk.Team, Kind: KindCheckinReminder, Channel: m,
					ExpiresAt: chk.ClosesAt, Data: checkinRef(chk, m)}, m, chk.Channel, true))
			}
		}
		sent = len(out)
		return tx.Enqueue(ctx, out...)
	})
	switch {
	case errors.Is(err, ErrDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("remind check-in %s: %w", chk.Key(), err)
	}
	s.Log.Info("check-in reminders queued", "team", chk.Team, "channel", chk.Channel, "people", sent)
	return nil
}

// takingPart returns who need no reminder and are not missing: those who
// answered or replied, and those away on day.
func takingPart(ctx context.Context, tx attendance, chk *Checkin, day Date) (map[string]bool, error) {
	done := map[string]bool{}
	answers, err := tx.CheckinAnswers(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
	if err != nil {
		return nil, err
	}
	for _, a := range answers {
		done[a.User] = true
	}
	replies, err := tx.CheckinReplies(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
	if err != nil {
		return nil, err
	}
	for _, r := range replies {
		done[r.User] = true
	}
	away, err := tx.AwayThrough(ctx, chk.Team, day)
	for _, u := range away {
		done[u] = true
	}
	return done, err
}

// CheckinClosing closes check-ins whose window has ended. A Stage of the
// Runner; a close claims itself, so it happens once.
type CheckinClosing struct{ *Checkins }

// Due closes the check-ins due at now.
func (s CheckinClosing) Due(ctx context.Context, now time.Time) error {
	open, err := s.Store.Checkins(ctx, CheckinFilter{Open: true})
	if err != nil {
		return fmt.Errorf("open check-ins: %w", err)
	}
	var errs []error
	for _, chk := range open {
		if !now.Before(chk.ClosesAt) {
			errs = append(errs, s.close(ctx, chk, now))
		}
	}
	return errors.Join(errs...)
}

// close ends a check-in: participation counted, each blocker line
// recorded as a B- blocker reported by its author, each decision line as a
// proposal owned by its author and due at the next check-in, and the
// summary posted in the thread and broadcast: all in one transaction.
func (s *Checkins) close(ctx context.Context, chk *Checkin, now time.Time) error {
	members, err := s.People.Members(ctx, chk.Team, chk.Channel)
	if err != nil {
		return fmt.Errorf("members of %s: %w", chk.Channel, err)
	}
	answers, err := s.Store.CheckinAnswers(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
	if err != nil {
		return err
	}
	owners := map[string]lineOwner{} // each decision line's author
	for _, a := range answers {
		if len(a.Decisions) > 0 {
			if name, loc, err := s.People.Person(ctx, chk.Team, a.User); err == nil {
				owners[a.User] = lineOwner{name, ZoneOf(loc)}
			}
		}
	}
	err = s.Store.InCheckinCloseTx(ctx, func(tx CheckinCloseTx) error {
		cur, err := tx.Checkin(ctx, chk.Team, chk.Channel, chk.ScheduledFor)
		if err != nil {
			return err
		}
		if !cur.Open() {
			return ErrDuplicate
		}
		done, err := takingPart(ctx, tx, cur, DateOf(now.UTC()))
		if err != nil {
			return err
		}
		away, err := tx.AwayThrough(ctx, cur.Team, DateOf(now.UTC()))
		if err != nil {
			return err
		}
		cur.Members, cur.Answered = 0, 0
		for _, m := range members {
			if slices.Contains(away, m) && !answered(answers, m) {
				continue
			}
			cur.Members++
			if done[m] {
				cur.Answered++
			}
		}
		if answers, err = tx.CheckinAnswers(ctx, cur.Team, cur.Channel, cur.ScheduledFor); err != nil {
			return err
		}
		sort.Slice(answers, func(i, j int) bool { return answers[i].AnsweredAt.Before(answers[j].AnsweredAt) })
		for _, a := range answers {
			if err := s.enter(ctx, tx, cur, a, owners[a.User], now); err != nil {
				return err
			}
		}
		cur.ClosedAt = now
		if err := tx.CloseCheckin(ctx, cur); err != nil {
			return err
		}
		ref := checkinRef(cur, "")
		if err := tx.Enqueue(ctx,
			Outgoing{Team: cur.Team, Kind: KindCheckinSummary, Channel: cur.Channel, Data: ref},
			Outgoing{Team: cur.Team, Kind: KindCheckinPrompt, Channel: cur.Channel, Target: cur.Key(), Data: ref}); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, cur.Team, cur.Channel)
	})
	switch {
	case errors.Is(err, ErrDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("close check-in %s: %w", chk.Key(), err)
	}
	s.Log.Info("check-in closed", "team", chk.Team, "channel", chk.Channel, "occurrence", chk.ScheduledFor)
	return nil
}

// lineOwner is who a check-in's decision line is owned by, as Slack says.
type lineOwner struct {
	name string
	zone Zone
}

func answered(answers []CheckinAnswer, user string) bool {
	return slices.ContainsFunc(answers, func(a CheckinAnswer) bool { return a.User == user })
}

// enter records an answer's blocker and decision lines as entries, as
// reported and owned by its author. A line the rules refuse is skipped
// with a log line; the summary still shows it in the answer.
func (s *Checkins) enter(ctx context.Context, tx CheckinCloseTx, chk *Checkin, a CheckinAnswer, by lineOwner, now time.Time) error {
	author := Caller{Team: chk.Team, User: a.User, Channel: chk.Channel, Location: by.zone.Location()}
	for _, line := range a.Blockers {
		parties := line.Parties
		if len(parties) == 0 {
			// Nobody named: the channel itself must act.
			parties = []Party{{Kind: PartyChannel, ID: chk.Channel}}
		}
		b, err := newBlocker(author, BlockerInput{Text: line.Text, Parties: parties, Source: "check-in " + string(chk.Key())}, now)
		if err != nil {
			s.Log.Warn("check-in blocker line not recorded", "team", chk.Team, "channel", chk.Channel, "reason", ErrorMessage(err))
			continue
		}
		if err := reportBlocker(ctx, tx, b); err != nil {
			return err
		}
		chk.Blockers = append(chk.Blockers, b.Number)
	}
	for _, line := range a.Decisions {
		in := QuickDecision(line)
		in.Status, in.DecideBy, in.Owner, in.OwnerName, in.OwnerZone = StatusProposed, chk.NextDue, a.User, by.name, by.zone
		if err := in.normalize(author.Today(now)); err != nil {
			s.Log.Warn("check-in decision line not recorded", "team", chk.Team, "channel", chk.Channel, "reason", ErrorMessage(err))
			continue
		}
		d := newDecision(author, in, now)
		if err := (&Decisions{}).publish(ctx, tx, author, d); err != nil {
			return err
		}
		chk.Decisions = append(chk.Decisions, d.Number)
	}
	return nil
}
