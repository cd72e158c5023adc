package rituals

import (
	"context"
	"fmt"
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
	Zone string
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
func (o *Occurrence) Key() string {
	return fmt.Sprintf("%s/%s/%d", o.Kind, o.Channel, o.ScheduledFor.UnixMilli())
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Next returns the first scheduled time after t. Returns EINVALID for a
// bad spec or zone.
func (s *Schedule) Next(t time.Time) (time.Time, error) {
	loc, err := time.LoadLocation(s.Zone)
	if err != nil || s.Zone == "" {
		return time.Time{}, Errorf(EINVALID, "%q is not a time zone; use an IANA name such as Europe/Berlin.", s.Zone)
	}
	sched, err := cronParser.Parse(s.Spec)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%q is not a schedule: %v", s.Spec, err)
	}
	next := sched.Next(t.In(loc))
	if next.IsZero() {
		return time.Time{}, Errorf(EINVALID, "%q never happens.", s.Spec)
	}
	return next.UTC(), nil
}

// ScheduleStore keeps schedules and claims their occurrences.
type ScheduleStore interface {
	// DueSchedules returns the schedules whose next run is at or before now.
	DueSchedules(ctx context.Context, now time.Time) ([]*Schedule, error)
	// AdvanceSchedule moves s's next run from s.NextRunAt to next, unless
	// another process already moved it.
	AdvanceSchedule(ctx context.Context, s *Schedule, next time.Time, at time.Time) error
}

// ScheduleTx claims occurrences inside a transaction.
type ScheduleTx interface {
	// ClaimOccurrence records o as begun. Returns ErrDuplicate if it
	// already was: someone else runs it.
	ClaimOccurrence(ctx context.Context, o *Occurrence) error
	SaveSchedule(ctx context.Context, s *Schedule, at time.Time) error
	Schedule(ctx context.Context, team, channel, kind string) (*Schedule, error)
	DeleteSchedule(ctx context.Context, team, channel, kind string) error
}
