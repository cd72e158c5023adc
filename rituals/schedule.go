package rituals

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule is when a ritual recurs in a channel: a cron spec read in an
// IANA time zone, so 09:00 stays 09:00 across daylight-saving changes.
type Schedule struct {
	Team    string
	Channel string
	Kind    string // the ritual, e.g. "checkin", or ritual/instance, e.g. "pulse/3"
	// Spec is a standard five-field cron spec (minute hour dom month dow).
	Spec string
	Zone Zone
	// Window is how long an occurrence stays open, and so how late a run
	// missed while the bot was down may still happen.
	Window    time.Duration
	NextRunAt time.Time
	CreatedBy string
}

// Occurrence is one run of a schedule.
type Occurrence struct {
	Team, Channel, Kind string
	ScheduledFor        time.Time
	OpenedAt            time.Time
	ClosesAt            time.Time
	RemindedAt          time.Time
	ClosedAt            time.Time
}

// Key names the occurrence, e.g. for the messages it posts.
func (o *Occurrence) Key() MessageKey { return occurrenceKey(o.Kind, o.Channel, o.ScheduledFor) }

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Next returns the first scheduled time after t. Returns EINVALID for a
// bad spec, and for no zone or one that did not load: a schedule does
// not fall back to UTC.
func (s *Schedule) Next(t time.Time) (time.Time, error) {
	if s.Zone.loc == nil {
		return time.Time{}, errNotZone(s.Zone.name)
	}
	sched, err := cronParser.Parse(s.Spec)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%q is not a schedule: %v", s.Spec, err)
	}
	next := sched.Next(t.In(s.Zone.loc))
	if next.IsZero() {
		return time.Time{}, Errorf(EINVALID, "%q never happens.", s.Spec)
	}
	return next.UTC(), nil
}

// WeeklyTime is when a weekly ritual runs: weekdays and a time of day in
// a zone. Check-ins and digests are scheduled with it.
type WeeklyTime struct {
	Days   []time.Weekday
	Hour   int
	Minute int
	Zone   string // as typed, or the caller's; ParseZone's rules apply
}

// spec returns the cron spec of t, or EINVALID.
func (t WeeklyTime) spec() (string, error) {
	if len(t.Days) == 0 {
		return "", Errorf(EINVALID, "Name at least one weekday, e.g. `mon` or `mon,thu`.")
	}
	if t.Hour < 0 || t.Hour > 23 || t.Minute < 0 || t.Minute > 59 {
		return "", Errorf(EINVALID, "The time must be HH:MM on a 24-hour clock, e.g. 09:30.")
	}
	if _, err := ParseZone(t.Zone); err != nil {
		return "", err
	}
	days := append([]time.Weekday(nil), t.Days...)
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	parts := make([]string, 0, len(days))
	for i, d := range days {
		if i == 0 || d != days[i-1] {
			parts = append(parts, fmt.Sprint(int(d)))
		}
	}
	return fmt.Sprintf("%d %d * * %s", t.Minute, t.Hour, strings.Join(parts, ",")), nil
}

// weeklySchedule returns the schedule of kind that runs the ritual of c's
// channel at t, with its first run after now. Returns EINVALID for a bad t.
func weeklySchedule(c Caller, kind string, t WeeklyTime, now time.Time) (*Schedule, error) {
	spec, err := t.spec()
	if err != nil {
		return nil, err
	}
	zone, err := ParseZone(t.Zone) // spec checked it: this cannot fail
	if err != nil {
		return nil, err
	}
	sch := &Schedule{Team: c.Team, Channel: c.Channel, Kind: kind, Spec: spec, Zone: zone, CreatedBy: c.User}
	if sch.NextRunAt, err = sch.Next(now); err != nil {
		return nil, err
	}
	return sch, nil
}

// scheduleReader reads a channel's schedule of a kind: what the
// transactions of the rituals with schedules do.
type scheduleReader interface {
	// Schedule returns a channel's schedule of kind. Returns ENOTFOUND.
	Schedule(ctx context.Context, team, channel, kind string) (*Schedule, error)
}

// scheduleOf returns a channel's schedule of kind, or nil when it has
// none, read in a transaction of inTx (a port's In…Tx).
func scheduleOf[T scheduleReader](ctx context.Context, inTx func(context.Context, func(T) error) error, team, channel, kind string) (*Schedule, error) {
	var sch *Schedule
	err := inTx(ctx, func(tx T) error {
		var err error
		sch, err = tx.Schedule(ctx, team, channel, kind)
		if ErrorCode(err) == ENOTFOUND {
			sch, err = nil, nil
		}
		return err
	})
	return sch, err
}

// scheduleDropper is what dropSchedule does: the settings transactions
// of check-ins and digests.
type scheduleDropper interface {
	scheduleReader
	DeleteSchedule(ctx context.Context, team, channel, kind string) error
}

// dropSchedule deletes the schedule of kind of c's channel. Returns
// ENOTFOUND, saying none, when there is none.
func dropSchedule(ctx context.Context, tx scheduleDropper, c Caller, kind, none string) error {
	if _, err := tx.Schedule(ctx, c.Team, c.Channel, kind); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Errorf(ENOTFOUND, "%s", none)
		}
		return err
	}
	return tx.DeleteSchedule(ctx, c.Team, c.Channel, kind)
}

// ScheduleStore finds the schedules due and moves them on.
type ScheduleStore interface {
	// DueSchedules returns the schedules whose next run is at or before now.
	DueSchedules(ctx context.Context, now time.Time) ([]*Schedule, error)
	// AdvanceSchedule moves s's next run from s.NextRunAt to next, unless
	// another process already moved it.
	AdvanceSchedule(ctx context.Context, s *Schedule, next time.Time, at time.Time) error
}
