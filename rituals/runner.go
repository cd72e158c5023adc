package rituals

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Ritual is a kind of scheduled ritual. Open runs inside the transaction
// that claims the occurrence, so what it enqueues is sent exactly once.
type Ritual interface {
	Open(ctx context.Context, tx RitualTx, s *Schedule, o *Occurrence) error
}

// RitualTx is the transaction in which the Runner claims an occurrence
// and its ritual opens it: the claim, and what the rituals' Open methods
// do (a check-in's, a pulse's, a digest's). A new ritual may add to it.
type RitualTx interface {
	Enqueuer
	Numberer
	HomeRefresher
	// ClaimOccurrence records o as begun. Returns ErrDuplicate if it
	// already was: someone else runs it.
	ClaimOccurrence(ctx context.Context, o *Occurrence) error
	// A check-in's opening: see CheckinTx.
	CheckinSkips(ctx context.Context, team, channel string, from Date) ([]Date, error)
	CreateCheckin(ctx context.Context, c *Checkin) error
	TakePendingAnswers(ctx context.Context, team, channel string) ([]CheckinAnswer, error)
	SaveCheckinAnswer(ctx context.Context, a *CheckinAnswer) (first bool, err error)
	// A repeating pulse's next run, closing the last: see PulseTx.
	Pulse(ctx context.Context, team string, n int64) (*Pulse, error)
	LatestPulseRun(ctx context.Context, team string, series int64) (*Pulse, error)
	CreatePulse(ctx context.Context, p *Pulse) error
	UpdatePulse(ctx context.Context, p *Pulse, from PulseStatus) error
	PulseNonResponders(ctx context.Context, team string, n int64) ([]string, error)
	PulseKeys(ctx context.Context, team string, n int64) ([]PulseKey, error)
	PulseBallots(ctx context.Context, team string, n int64) (map[string][]string, error)
	SavePulseResults(ctx context.Context, team string, n int64, r PulseResults) error
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
// database before anything is posted. NewRunner builds alignbot's.
type Runner struct {
	Store   RunnerStore
	Log     *slog.Logger
	Rituals map[string]Ritual
	Stages  []Stage
	// Maintain, when set, runs once per tick for housekeeping.
	Maintain func(ctx context.Context, now time.Time) error
	// Observe, when set, hears how the pieces of a tick went: each
	// ritual's occurrence opened or failing to (kind its ritual, stage
	// StageOpen), and each stage that failed (kind empty, stage its
	// name). err is nil for an occurrence opened, and a *Panic for a
	// piece skipped because it panicked.
	Observe func(kind, stage string, err error)
}

// RunnerStore is what the Runner reads and writes: the schedules due,
// and the transactions that claim and open their occurrences.
// storage.DB implements it.
type RunnerStore interface {
	ScheduleStore
	// InRitualTx runs fn in one transaction, committed if fn returns nil
	// and rolled back otherwise. What fn enqueues is sent only once the
	// transaction commits.
	InRitualTx(ctx context.Context, fn func(RitualTx) error) error
}

// SchedulerStore is what NewRunner wires: the Runner's store and the
// stores of the stages it makes itself. storage.DB implements it.
type SchedulerStore interface {
	RunnerStore
	DecisionReminderStore
	BlockerWatchStore
}

// NewRunner returns alignbot's scheduler: every ritual and every stage,
// in the order a tick runs them. What happens at 09:00 on Monday is what
// is due then, in this order, each piece claimed in the database so a
// second tick (or replica) at the same instant does nothing again:
//
//  1. open: each schedule due (its next run at or before now) claims its
//     latest occurrence and opens it, if still inside its window:
//     "checkin"  posts the agenda (open blockers, those other teams
//     need, proposals due) and the answers given ahead; a skipped day
//     posts nothing;
//     "pulse/N"  closes the series' open run and starts the next
//     (biweekly series skip every other week);
//     "digest"   posts the week's digest and its chart.
//  2. DecisionReminders: DMs owners of proposals due today or overdue,
//     and of decisions whose revisit-by day has come, in their zone;
//     escalates proposals two days overdue to their area's Accountable
//     owner; two days before a proposal's decide-by date, DMs the people
//     consulted on its area who have not commented in its thread.
//  3. BlockerWatch: escalates blockers open longer than their channel's
//     SLA to their parties, and those open twice it to the channel's
//     escalation target; marks those past their needed-by day overdue.
//  4. Pulses: reminds non-responders a day before a pulse closes;
//     closes pulses whose time is up and posts their results.
//  5. CheckinReminders: two hours before a check-in closes, DMs the
//     members who have not answered.
//  6. CheckinClosing: closes check-ins whose window ended: counts who
//     took part, records blocker and decision lines, posts the summary.
//  7. Sessions: closes pre-mortems and retros whose window ended, opens
//     pre-mortem follow-ups, reminds owners of action items due.
//  8. maintain, when not nil: housekeeping.
//
// log is the base logger; each piece logs under its own component.
// groups lists the members of user groups consulted on an area.
func NewRunner(store SchedulerStore, log *slog.Logger, groups GroupMembers, checkins *Checkins, pulses *Pulses, sessions *Sessions, digests *Digests,
	maintain func(ctx context.Context, now time.Time) error) *Runner {
	return &Runner{
		Store: store,
		Log:   log.With("component", "scheduler"),
		Rituals: map[string]Ritual{
			CheckinKind: checkins,
			"pulse":     pulses,
			DigestKind:  digests,
		},
		Stages: []Stage{
			&DecisionReminders{Store: store, Log: log.With("component", "reminders"), Groups: groups},
			&BlockerWatch{Store: store, Log: log.With("component", "blockers")},
			pulses,
			CheckinReminders{Checkins: checkins},
			CheckinClosing{Checkins: checkins},
			sessions,
		},
		Maintain: maintain,
	}
}

// Stage names the Runner gives its own work, besides its Stages' names.
const (
	StageOpen     = "open"     // opening due occurrences
	StageMaintain = "maintain" // Maintain
)

// Panic is a panic recovered in a piece of a tick, which was skipped.
type Panic struct {
	Value any
	Stack []byte
}

func (p *Panic) Error() string { return fmt.Sprintf("panicked: %v", p.Value) }

// Tick advances every ritual whose work is due at now. Safe to call
// repeatedly: each stage claims its occurrence and records its own
// completion. A stage that panics is skipped for this tick, logged and
// observed, and the others go on: left to crash the process, it would
// crash it again on every tick of every replica.
func (r *Runner) Tick(ctx context.Context, now time.Time) error {
	errs := []error{r.guard(StageOpen, func() error { return r.openDue(ctx, now) })}
	for _, st := range r.Stages {
		errs = append(errs, r.guard(StageName(st), func() error { return st.Due(ctx, now) }))
	}
	if r.Maintain != nil {
		errs = append(errs, r.guard(StageMaintain, func() error { return r.Maintain(ctx, now) }))
	}
	return errors.Join(errs...)
}

// guard runs one stage of a tick. A panic in it is logged and observed
// here, and not returned: the tick goes on without it.
func (r *Runner) guard(stage string, fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			p := &Panic{Value: v, Stack: debug.Stack()}
			r.Log.Error("stage panicked; skipped for this tick", "stage", stage, "panic", fmt.Sprint(v), "stack", string(p.Stack))
			r.observe("", stage, p)
			err = nil
		}
	}()
	err = fn()
	if err != nil {
		r.observe("", stage, err)
	}
	return err
}

func (r *Runner) observe(kind, stage string, err error) {
	if r.Observe != nil {
		r.Observe(kind, stage, err)
	}
}

// StageName names a stage in logs and metrics: its Name() if it has one,
// else its type's name ("CheckinClosing").
func StageName(st Stage) string {
	if n, ok := st.(interface{ Name() string }); ok {
		return n.Name()
	}
	name := strings.TrimPrefix(fmt.Sprintf("%T", st), "*")
	if _, typ, ok := strings.Cut(name, "."); ok {
		return typ
	}
	return name
}

// Names returns the kinds of the rituals the runner opens and the names of
// the stages of its ticks, sorted: the labels its observations carry.
func (r *Runner) Names() (kinds, stages []string) {
	kinds = slices.Sorted(maps.Keys(r.Rituals))
	stages = []string{StageOpen}
	for _, st := range r.Stages {
		stages = append(stages, StageName(st))
	}
	if r.Maintain != nil {
		stages = append(stages, StageMaintain)
	}
	slices.Sort(stages)
	return kinds, slices.Compact(stages)
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
		if err := r.openOne(ctx, s, now); err != nil {
			errs = append(errs, fmt.Errorf("open %s in %s: %w", s.Kind, s.Channel, err))
		}
	}
	return errors.Join(errs...)
}

// openOne opens one due schedule. An occurrence whose opening panics is
// skipped (its transaction rolled back) and the schedule moves on to its
// next run: opened again on the next tick, it would panic on every tick.
func (r *Runner) openOne(ctx context.Context, s *Schedule, now time.Time) (err error) {
	kind := RitualOf(s.Kind)
	defer func() {
		if v := recover(); v != nil {
			p := &Panic{Value: v, Stack: debug.Stack()}
			r.Log.Error("ritual panicked opening; occurrence skipped", "team", s.Team, "channel", s.Channel, "ritual", s.Kind,
				"panic", fmt.Sprint(v), "stack", string(p.Stack))
			r.observe(kind, StageOpen, p)
			err = r.skipToNext(ctx, s, now)
		}
	}()
	opened, err := r.open(ctx, s, now)
	switch {
	case opened:
		r.observe(kind, StageOpen, nil)
	case err != nil:
		r.observe(kind, StageOpen, err)
	}
	return err
}

// skipToNext moves s to its first run after now.
func (r *Runner) skipToNext(ctx context.Context, s *Schedule, now time.Time) error {
	_, next, _, err := occurrencesUpTo(s, now)
	if err != nil {
		return err
	}
	return r.Store.AdvanceSchedule(ctx, s, next, now)
}

// open opens the latest due occurrence of s, unless it was missed or
// another runner opened it, and advances s. opened reports that this call
// opened it.
func (r *Runner) open(ctx context.Context, s *Schedule, now time.Time) (opened bool, err error) {
	log := r.Log.With("team", s.Team, "channel", s.Channel, "ritual", s.Kind)
	latest, next, skipped, err := occurrencesUpTo(s, now)
	if err != nil {
		return false, err
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
		err := r.Store.InRitualTx(ctx, func(tx RitualTx) error {
			if err := tx.ClaimOccurrence(ctx, o); err != nil {
				return err
			}
			return ritual.Open(ctx, tx, s, o)
		})
		switch {
		case errors.Is(err, ErrDuplicate):
			log.Debug("occurrence already claimed", "occurrence", latest)
		case err != nil:
			return false, err
		default:
			log.Info("ritual opened", "occurrence", latest, "late", now.Sub(latest).Round(time.Second).String())
			opened = true
		}
	}
	return opened, r.Store.AdvanceSchedule(ctx, s, next, now)
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
