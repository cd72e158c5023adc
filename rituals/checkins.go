package rituals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Message kinds of check-ins; Data is CheckinRef.
const (
	// KindCheckinPrompt posts (Key) or refreshes (Target) a check-in's
	// parent message: the agenda and who has answered.
	KindCheckinPrompt Kind = "checkin.prompt"
	// KindCheckinAnswer posts (Key) or replaces (Target) a person's
	// answer in the check-in's thread.
	KindCheckinAnswer Kind = "checkin.answer"
	// KindCheckinSummary posts the summary in the thread, broadcast.
	KindCheckinSummary Kind = "checkin.summary"
	// KindCheckinReminder DMs a person who has not answered.
	KindCheckinReminder Kind = "checkin.reminder"
)

// CheckinRef names a check-in in an outbox item's Data.
type CheckinRef struct {
	Channel      string `json:"channel"`
	ScheduledFor int64  `json:"scheduled_for"` // ms
	User         string `json:"user,omitempty"`
}

func checkinRef(c *Checkin, user string) []byte {
	b, _ := json.Marshal(CheckinRef{Channel: c.Channel, ScheduledFor: c.ScheduledFor.UnixMilli(), User: user})
	return b
}

// Checkins is the weekly check-in ritual: its settings, its runs and
// the answers to them. It is the Runner's "checkin" ritual.
type Checkins struct {
	Store  CheckinStore
	Now    func() time.Time
	People People
	Log    *slog.Logger
}

var _ Ritual = (*Checkins)(nil)

func (s *Checkins) maySetUp(c Caller) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change this channel's check-ins.")
	}
	return nil
}

// SetSchedule makes the channel's check-in open at t every week. Returns
// the schedule, with its next run.
func (s *Checkins) SetSchedule(ctx context.Context, c Caller, t WeeklyTime) (*Schedule, error) {
	if err := s.maySetUp(c); err != nil {
		return nil, err
	}
	now := s.Now()
	sch, err := weeklySchedule(c, CheckinKind, t, now)
	if err != nil {
		return nil, err
	}
	err = s.Store.InCheckinSettingsTx(ctx, func(tx CheckinSettingsTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		if sch.Window, err = tx.CheckinWindow(ctx, c.Team, c.Channel); err != nil {
			return err
		}
		return tx.SaveSchedule(ctx, sch, now)
	})
	if err != nil {
		return nil, fmt.Errorf("schedule check-in: %w", err)
	}
	return sch, nil
}

// SetWindow sets how long the channel's check-ins stay open. Returns
// EINVALID outside CheckinWindowBounds.
func (s *Checkins) SetWindow(ctx context.Context, c Caller, window time.Duration) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	if err := CheckinWindowBounds.Check(Duration(window)); err != nil {
		return err
	}
	now := s.Now()
	err := s.Store.InCheckinSettingsTx(ctx, func(tx CheckinSettingsTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		if err := tx.SaveCheckinWindow(ctx, c.Team, c.Channel, window, now); err != nil {
			return err
		}
		sch, err := tx.Schedule(ctx, c.Team, c.Channel, CheckinKind)
		if ErrorCode(err) == ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		sch.Window = window
		return tx.SaveSchedule(ctx, sch, now)
	})
	if err != nil {
		return fmt.Errorf("set check-in window: %w", err)
	}
	return nil
}

// Off stops the channel's scheduled check-ins; one that is open stays
// open until it closes.
func (s *Checkins) Off(ctx context.Context, c Caller) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	return s.Store.InCheckinSettingsTx(ctx, func(tx CheckinSettingsTx) error {
		if err := claim(ctx, tx, c, s.Now()); err != nil {
			return err
		}
		return dropSchedule(ctx, tx, c, CheckinKind, "This channel has no check-in schedule to turn off.")
	})
}

// Skip makes the channel's check-in not open on day (a holiday).
func (s *Checkins) Skip(ctx context.Context, c Caller, day Date) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	now := s.Now()
	if day.Before(c.Today(now)) {
		return Errorf(EINVALID, "%s is in the past; skip a day to come.", day)
	}
	return s.Store.InCheckinSettingsTx(ctx, func(tx CheckinSettingsTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return tx.AddCheckinSkip(ctx, c.Team, c.Channel, day, c.User)
	})
}

// Away marks the caller away until day, inclusive: no reminders, and not
// counted as missing.
func (s *Checkins) Away(ctx context.Context, c Caller, until Date) error {
	now := s.Now()
	if until.Before(c.Today(now)) {
		return Errorf(EINVALID, "%s is in the past; say the last day you are away.", until)
	}
	return s.Store.InCheckinSettingsTx(ctx, func(tx CheckinSettingsTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return tx.SetAway(ctx, c.Team, c.User, until)
	})
}

// Status returns the channel's check-in settings and runs.
func (s *Checkins) Status(ctx context.Context, c Caller) (*CheckinStatus, error) {
	st := &CheckinStatus{}
	var err error
	if st.Schedule, err = scheduleOf(ctx, s.Store.InCheckinSettingsTx, c.Team, c.Channel, CheckinKind); err != nil {
		return nil, err
	}
	if st.Window, err = s.Store.CheckinWindow(ctx, c.Team, c.Channel); err != nil {
		return nil, err
	}
	recent, err := s.Store.Checkins(ctx, CheckinFilter{Team: c.Team, Channel: c.Channel, Limit: 5})
	if err != nil {
		return nil, err
	}
	for _, chk := range recent {
		switch {
		case chk.Open() && st.Open == nil:
			st.Open = chk
		case !chk.Open() && !chk.Skipped && st.Last == nil:
			st.Last = chk
		}
	}
	st.Skips, err = s.Store.CheckinSkips(ctx, c.Team, c.Channel, c.Today(s.Now()))
	return st, err
}

// OpenNow opens a check-in in the caller's channel at once. Returns
// ECONFLICT while one is open.
func (s *Checkins) OpenNow(ctx context.Context, c Caller) (*Checkin, error) {
	if err := s.maySetUp(c); err != nil {
		return nil, err
	}
	now := s.Now().Truncate(time.Millisecond)
	var opened *Checkin
	err := s.Store.InCheckinTx(ctx, func(tx CheckinTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		if open, err := openCheckin(ctx, tx, c.Team, c.Channel); err != nil {
			return err
		} else if open != nil {
			return Errorf(ECONFLICT, "A check-in is already open here; it closes %s UTC. Close it first with `/checkin close`.",
				open.ClosesAt.UTC().Format("Mon 2 Jan 15:04"))
		}
		sch, err := tx.Schedule(ctx, c.Team, c.Channel, CheckinKind)
		if ErrorCode(err) == ENOTFOUND {
			sch = &Schedule{Team: c.Team, Channel: c.Channel, Kind: CheckinKind, Zone: ZoneOf(c.Location)}
			if sch.Window, err = tx.CheckinWindow(ctx, c.Team, c.Channel); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		o := &Occurrence{Team: c.Team, Channel: c.Channel, Kind: CheckinKind, ScheduledFor: now, OpenedAt: now, ClosesAt: now.Add(sch.Window)}
		if err := tx.ClaimOccurrence(ctx, o); err != nil {
			return err
		}
		if err := s.open(ctx, tx, sch, o); err != nil {
			return err
		}
		opened, err = tx.Checkin(ctx, c.Team, c.Channel, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open check-in now: %w", err)
	}
	return opened, nil
}

// CloseNow closes the caller's channel's open check-in at once.
func (s *Checkins) CloseNow(ctx context.Context, c Caller) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	open, err := s.Store.Checkins(ctx, CheckinFilter{Team: c.Team, Channel: c.Channel, Open: true, Limit: 1})
	if err != nil {
		return err
	}
	if len(open) == 0 {
		return Errorf(ENOTFOUND, "No check-in is open here. Open one with `/checkin now`.")
	}
	return s.close(ctx, open[0], s.Now())
}

func openCheckin(ctx context.Context, tx CheckinTx, team, channel string) (*Checkin, error) {
	open, err := tx.Checkins(ctx, CheckinFilter{Team: team, Channel: channel, Open: true, Limit: 1})
	if err != nil || len(open) == 0 {
		return nil, err
	}
	return open[0], nil
}

// ForAnswer returns an open check-in and the caller's answer so far (nil
// if none), for the answer form.
func (s *Checkins) ForAnswer(ctx context.Context, c Caller, channel string, scheduledFor time.Time) (*Checkin, *CheckinAnswer, error) {
	var chk *Checkin
	var mine *CheckinAnswer
	err := s.Store.InCheckinTx(ctx, func(tx CheckinTx) error {
		var err error
		if chk, err = answerable(ctx, tx, c.Team, channel, scheduledFor); err != nil {
			return err
		}
		answers, err := tx.CheckinAnswers(ctx, c.Team, channel, scheduledFor)
		for i := range answers {
			if answers[i].User == c.User {
				mine = &answers[i]
			}
		}
		return err
	})
	return chk, mine, err
}

func answerable(ctx context.Context, tx CheckinTx, team, channel string, scheduledFor time.Time) (*Checkin, error) {
	chk, err := tx.Checkin(ctx, team, channel, scheduledFor)
	if err != nil {
		return nil, err
	}
	if !chk.Open() {
		return nil, Errorf(ECONFLICT, "This check-in has closed, so it takes no more answers. Answer the next one ahead with `/checkin answer`.")
	}
	return chk, nil
}

// Answer records the caller's answer to a check-in and posts it in the
// thread, replacing their earlier answer. Returns EINVALID with field
// messages, or ECONFLICT once the check-in closed.
func (s *Checkins) Answer(ctx context.Context, c Caller, channel string, scheduledFor time.Time, a CheckinAnswer) error {
	if err := a.check(); err != nil {
		return err
	}
	now := s.Now()
	err := s.Store.InCheckinTx(ctx, func(tx CheckinTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		chk, err := answerable(ctx, tx, c.Team, channel, scheduledFor)
		if err != nil {
			return err
		}
		a.Team, a.Channel, a.ScheduledFor, a.User, a.AnsweredAt = c.Team, channel, chk.ScheduledFor, c.User, now
		return postAnswer(ctx, tx, chk, &a)
	})
	if err != nil {
		return fmt.Errorf("answer check-in: %w", err)
	}
	return nil
}

// postAnswer saves a and enqueues its thread reply (or its replacement)
// and the refreshed parent.
func postAnswer(ctx context.Context, tx answerPoster, chk *Checkin, a *CheckinAnswer) error {
	first, err := tx.SaveCheckinAnswer(ctx, a)
	if err != nil {
		return err
	}
	answer := Outgoing{Team: chk.Team, Kind: KindCheckinAnswer, Channel: chk.Channel, Data: checkinRef(chk, a.User)}
	if first {
		answer.Key = chk.AnswerKey(a.User)
	} else {
		answer.Target = chk.AnswerKey(a.User)
	}
	if err := tx.Enqueue(ctx, answer, Outgoing{Team: chk.Team, Kind: KindCheckinPrompt, Channel: chk.Channel,
		Target: chk.Key(), Data: checkinRef(chk, "")}); err != nil {
		return err
	}
	return refreshHomes(ctx, tx, chk.Team, a.User)
}

// AnswerAhead keeps the caller's answer for their channel's next
// check-in; it is posted when that one opens.
func (s *Checkins) AnswerAhead(ctx context.Context, c Caller, a CheckinAnswer) error {
	if err := a.check(); err != nil {
		return err
	}
	now := s.Now()
	return s.Store.InCheckinSettingsTx(ctx, func(tx CheckinSettingsTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		a.Team, a.Channel, a.User, a.AnsweredAt, a.ScheduledFor = c.Team, c.Channel, c.User, now, time.Time{}
		return tx.SavePendingAnswer(ctx, &a)
	})
}

// Reply records a plain reply typed in the thread of the check-in whose
// parent message is key: it counts as taking part. Replies to a closed
// check-in are not counted.
func (s *Checkins) Reply(ctx context.Context, c Caller, key MessageKey, r CheckinReply) error {
	channel, scheduledFor, err := parseCheckinKey(key)
	if err != nil {
		return err
	}
	r.At = s.Now()
	err = s.Store.InCheckinTx(ctx, func(tx CheckinTx) error {
		if err := claim(ctx, tx, c, r.At); err != nil {
			return err
		}
		chk, err := tx.Checkin(ctx, c.Team, channel, scheduledFor)
		if err != nil || !chk.Open() {
			return err
		}
		if err := tx.AddCheckinReply(ctx, c.Team, channel, scheduledFor, r); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, Outgoing{Team: chk.Team, Kind: KindCheckinPrompt, Channel: chk.Channel,
			Target: chk.Key(), Data: checkinRef(chk, "")}); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, chk.Team, r.User)
	})
	if errors.Is(err, ErrDuplicate) {
		return nil
	}
	return err
}
