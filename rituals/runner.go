package rituals

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Ritual is a kind of scheduled ritual. Open runs inside the transaction
// that claims the occurrence, so what it enqueues is sent exactly once.
type Ritual interface {
	Open(ctx context.Context, tx Tx, s *Schedule, o *Occurrence) error
}

// RitualOf returns the ritual a schedule kind belongs to: the part before
// a "/", so one channel can hold several schedules of a ritual
// ("pulse/3", "pulse/7").
func RitualOf(kind string) string {
	ritual, _, _ := strings.Cut(kind, "/")
	return ritual
}

// Stage is further timed work a ritual does (reminders, closing), run on
// every tick; each stage claims its own work and records its completion.
type Stage interface {
	Due(ctx context.Context, now time.Time) error
}

// Runner advances every ritual whose work is due. It is safe to run
// several (replicas, or a double tick): each occurrence is claimed in the
// database before anything is posted.
type Runner struct {
	Store interface {
		Store
		ScheduleStore
	}
	Log     *slog.Logger
	Rituals map[string]Ritual
	Stages  []Stage
	// Maintain, when set, runs once per tick for housekeeping.
	Maintain func(ctx context.Context, now time.Time) error
}

// Tick advances every ritual whose work is due at now. Safe to call
// repeatedly: each stage claims its occurrence and records its own
// completion.
func (r *Runner) Tick(ctx context.Context, now time.Time) error {
	errs := []error{r.openDue(ctx, now)}
	for _, st := range r.Stages {
		errs = append(errs, st.Due(ctx, now))
	}
	if r.Maintain != nil {
		errs = append(errs, r.Maintain(ctx, now))
	}
	return errors.Join(errs...)
}

// openDue opens the latest due occurrence of every due schedule, if it is
// still inside its window, and moves each schedule to its next run.
// Earlier missed occurrences are skipped with a log line.
func (r *Runner) openDue(ctx context.Context, now time.Time) error {
	due, err := r.Store.DueSchedules(ctx, now)
	if err != nil {
		return fmt.Errorf("due schedules: %w", err)
	}
	var errs []error
	for _, s := range due {
		if err := r.open(ctx, s, now); err != nil {
			errs = append(errs, fmt.Errorf("open %s in %s: %w", s.Kind, s.Channel, err))
		}
	}
	return errors.Join(errs...)
}

func (r *Runner) open(ctx context.Context, s *Schedule, now time.Time) error {
	log := r.Log.With("team", s.Team, "channel", s.Channel, "ritual", s.Kind)
	latest, next, skipped, err := occurrencesUpTo(s, now)
	if err != nil {
		return err
	}
	for _, t := range skipped {
		log.Warn("missed run skipped: a later one is due", "occurrence", t)
	}
	ritual := r.Rituals[RitualOf(s.Kind)]
	switch {
	case ritual == nil:
		log.Error("schedule for an unknown ritual skipped")
	case now.Sub(latest) > s.Window:
		log.Warn("missed run skipped: its window had closed", "occurrence", latest, "window", s.Window.String())
	default:
		o := &Occurrence{Team: s.Team, Channel: s.Channel, Kind: s.Kind, ScheduledFor: latest,
			OpenedAt: now, ClosesAt: latest.Add(s.Window)}
		err := r.Store.InTx(ctx, func(tx Tx) error {
			if err := tx.ClaimOccurrence(ctx, o); err != nil {
				return err
			}
			return ritual.Open(ctx, tx, s, o)
		})
		switch {
		case errors.Is(err, ErrDuplicate):
			log.Debug("occurrence already claimed", "occurrence", latest)
		case err != nil:
			return err
		default:
			log.Info("ritual opened", "occurrence", latest, "late", now.Sub(latest).Round(time.Second).String())
		}
	}
	return r.Store.AdvanceSchedule(ctx, s, next, now)
}

// occurrencesUpTo returns the latest scheduled time at or before now, the
// first one after now, and the ones in between that were missed.
func occurrencesUpTo(s *Schedule, now time.Time) (latest, next time.Time, skipped []time.Time, err error) {
	latest = s.NextRunAt
	for {
		n, err := s.Next(latest)
		if err != nil {
			return time.Time{}, time.Time{}, nil, err
		}
		if n.After(now) {
			return latest, n, skipped, nil
		}
		skipped = append(skipped, latest)
		latest = n
	}
}

// Run ticks every interval until ctx ends, starting at once so runs
// missed while the bot was down happen on start. robfig/cron is only the
// heartbeat: what is due is decided by stored times, never by the timer.
func (r *Runner) Run(ctx context.Context, every time.Duration, now func() time.Time) {
	tick := func() {
		if err := r.Tick(ctx, now()); err != nil && ctx.Err() == nil {
			r.Log.Error("tick failed", "err", err)
		}
	}
	tick()
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	c.Schedule(cron.Every(every), cron.FuncJob(tick))
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
}
