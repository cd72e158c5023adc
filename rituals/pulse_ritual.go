package rituals

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Open starts the next run of a repeating pulse: a new pulse copying the
// series' latest run, sent to its audience as it is now. It runs inside
// the transaction that claims the occurrence. A biweekly series has a
// weekly schedule, since cron cannot count weeks: every other week is
// skipped here.
func (s *Pulses) Open(ctx context.Context, tx RitualTx, sched *Schedule, o *Occurrence) error {
	_, ref, _ := strings.Cut(sched.Kind, "/")
	series, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return fmt.Errorf("pulse schedule %q names no series", sched.Kind)
	}
	last, err := tx.LatestPulseRun(ctx, sched.Team, series)
	if err != nil {
		return err
	}
	if last.Repeat == RepeatNone {
		return nil
	}
	if last.Repeat == RepeatBiweekly {
		first, err := tx.Pulse(ctx, sched.Team, series)
		if err != nil {
			return err
		}
		weeks := math.Round(o.ScheduledFor.Sub(first.CreatedAt).Hours() / (7 * 24))
		if int(weeks)%2 == 1 {
			return nil
		}
	}
	if last.Status == PulseOpen {
		if err := closeIn(ctx, tx, last, o.OpenedAt); err != nil {
			return err
		}
	}
	n, err := tx.NextNumber(ctx, sched.Team, "P")
	if err != nil {
		return err
	}
	next := *last
	next.Number, next.Run, next.Status, next.Note = n, last.Run+1, PulsePending, ""
	next.CreatedAt = o.OpenedAt
	next.SentAt, next.RemindAt, next.RemindedAt, next.ClosesAt, next.ClosedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	next.Asked, next.Answered = 0, 0
	if err := tx.CreatePulse(ctx, &next); err != nil {
		return err
	}
	return tx.Enqueue(ctx, launchOf(&next))
}

// Due reminds the non-responders of open pulses whose reminder time has
// come, and closes those whose time is up. Each step claims itself in the
// database, so it happens once whatever the number of ticks or replicas.
func (s *Pulses) Due(ctx context.Context, now time.Time) error {
	due, err := s.Store.DuePulses(ctx, now)
	if err != nil {
		return fmt.Errorf("due pulses: %w", err)
	}
	var errs []error
	for _, p := range due {
		if !p.ClosesAt.After(now) {
			err = s.Store.InPulseTx(ctx, func(tx PulseTx) error {
				current, err := tx.Pulse(ctx, p.Team, p.Number)
				if err != nil {
					return err
				}
				return closeIn(ctx, tx, current, now)
			})
			if err == nil {
				s.log().Info("pulse closed", "team", p.Team, "pulse", p.ID())
			}
		} else {
			err = s.remind(ctx, p, now)
		}
		if err != nil && !errors.Is(err, ErrDuplicate) {
			errs = append(errs, fmt.Errorf("pulse %s: %w", p.ID(), err))
		}
	}
	return errors.Join(errs...)
}

// remind queues one reminder to each person pulse p asked who has not
// answered. Returns ErrDuplicate if p was already reminded.
func (s *Pulses) remind(ctx context.Context, p *Pulse, now time.Time) error {
	n := 0
	err := s.Store.InPulseTx(ctx, func(tx PulseTx) error {
		if err := tx.ClaimPulseReminder(ctx, p.Team, p.Number, now); err != nil {
			return err
		}
		users, err := tx.PulseNonResponders(ctx, p.Team, p.Number)
		if err != nil {
			return err
		}
		n = len(users)
		msgs := make([]Outgoing, 0, len(users))
		for _, u := range users {
			// Held for working hours in a lane of its own, so it holds back
			// none of the person's other messages.
			msgs = append(msgs, heldFor(Outgoing{Team: p.Team, Kind: KindPulseReminder, Lane: "pulse-reminder:" + u, Channel: u,
				Ref: p.Number, ExpiresAt: p.ClosesAt}, u, p.Channel, true))
		}
		return tx.Enqueue(ctx, msgs...)
	})
	if err != nil {
		return err
	}
	s.log().Info("pulse reminders queued", "team", p.Team, "pulse", p.ID(), "reminders", n)
	return nil
}

// Stop ends the repeats of pulse n's series: no run starts after the
// current one. Only its creator or an admin may.
func (s *Pulses) Stop(ctx context.Context, c Caller, n int64) (*Pulse, error) {
	var out *Pulse
	err := s.manage(ctx, c, n, func(tx PulseTx, p *Pulse, _ time.Time) error {
		last, err := tx.LatestPulseRun(ctx, c.Team, p.Series)
		if err != nil {
			return err
		}
		if last.Repeat == RepeatNone {
			return Errorf(EINVALID, "%s does not repeat, so there is nothing to stop.", p.ID())
		}
		if err := tx.DeleteSchedule(ctx, c.Team, last.Channel, last.ScheduleKind()); err != nil {
			return err
		}
		runs, err := tx.Pulses(ctx, PulseFilter{Team: c.Team, Series: p.Series})
		if err != nil {
			return err
		}
		for _, run := range runs {
			run.Repeat = RepeatNone
			if err := tx.UpdatePulse(ctx, run, run.Status); err != nil {
				return err
			}
		}
		out = last
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stop pulse %d: %w", n, err)
	}
	return out, nil
}

// SetThreshold changes pulse n's anonymity threshold, which is only
// possible before it is sent: once people have answered under a promise,
// lowering it could expose a group smaller than they were told. Returns
// ECONFLICT for a sent pulse and EINVALID below MinPulseThreshold.
func (s *Pulses) SetThreshold(ctx context.Context, c Caller, n int64, raw string) error {
	threshold, msg := ParseThreshold(raw)
	if msg != "" {
		return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{FieldPulseThreshold: msg}}
	}
	err := s.manage(ctx, c, n, func(tx PulseTx, p *Pulse, _ time.Time) error {
		if p.Status != PulsePending {
			return Errorf(ECONFLICT, "%s was sent with an anonymity threshold of %d, and a sent pulse's threshold is fixed: "+
				"changing it could show the answers of a group smaller than people were promised.", p.ID(), p.Threshold)
		}
		return tx.SetPulseThreshold(ctx, c.Team, n, threshold)
	})
	if err != nil {
		return fmt.Errorf("set threshold of pulse %d: %w", n, err)
	}
	return nil
}

// Limits on a channel's roles.
const (
	MaxPulseRoles = 20
	MaxRoleName   = 30
)

var roleName = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}_.&/-]*$`)

// SetRoles replaces how the caller's channel groups pulse answers by role:
// each person named answers as their role, and the members of each user
// group as its role (the first group that holds a person wins). No roles
// clears them. Open to the channel's
// members unless ALIGNBOT_ADMINS is set; then only admins may.
func (s *Pulses) SetRoles(ctx context.Context, c Caller, roles []PulseRole) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can set this channel's pulse roles.")
	}
	if len(roles) > MaxPulseRoles {
		return Errorf(EINVALID, "That is %d roles; the limit is %d.", len(roles), MaxPulseRoles)
	}
	given := map[string]bool{}
	for _, r := range roles {
		switch {
		case utf8.RuneCountInString(r.Role) > MaxRoleName || !roleName.MatchString(r.Role):
			return Errorf(EINVALID, "“%s” is not a role name: use one word of letters and digits, at most %d characters, e.g. `engineering`.",
				truncate(r.Role, 40), MaxRoleName)
		case (r.Group == "") == (r.User == ""):
			return Errorf(EINVALID, "Give each role to a person or a user group.")
		case given[r.Who()] && r.User != "":
			return Errorf(EINVALID, "<@%s> is given a role twice.", r.User)
		case given[r.Who()]:
			return Errorf(EINVALID, "The user group <!subteam^%s> is given twice.", r.Group)
		}
		given[r.Who()] = true
	}
	now := s.Now()
	err := s.Store.InPulseTx(ctx, func(tx PulseTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return tx.SetPulseRoles(ctx, c.Team, c.Channel, roles, c.User, now)
	})
	if err != nil {
		return fmt.Errorf("set pulse roles: %w", err)
	}
	return nil
}

// Roles returns the roles of the caller's channel.
func (s *Pulses) Roles(ctx context.Context, team, channel string) ([]PulseRole, error) {
	return s.Store.PulseRoles(ctx, team, channel)
}
