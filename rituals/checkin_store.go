package rituals

import (
	"context"
	"time"
)

// CheckinReader reads check-ins.
type CheckinReader interface {
	// Checkin returns one check-in. Returns ENOTFOUND.
	Checkin(ctx context.Context, team, channel string, scheduledFor time.Time) (*Checkin, error)
	// Checkins returns the check-ins that pass f, newest first.
	Checkins(ctx context.Context, f CheckinFilter) ([]*Checkin, error)
	// CheckinAnswers returns a check-in's answers, by person.
	CheckinAnswers(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinAnswer, error)
	// CheckinReplies returns a check-in's plain thread replies, oldest
	// first.
	CheckinReplies(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinReply, error)
	// CheckinWindow returns how long a channel's check-ins stay open.
	CheckinWindow(ctx context.Context, team, channel string) (time.Duration, error)
	// CheckinSkips returns the days a channel skips, from from on.
	CheckinSkips(ctx context.Context, team, channel string, from Date) ([]Date, error)
	// AwayThrough returns the people of team away on day.
	AwayThrough(ctx context.Context, team string, day Date) ([]string, error)
}

// CheckinStore is what Checkins reads, and its transactions: one for a
// channel's settings, one for the runs and their answers, and one that
// closes a run. storage.DB implements it.
type CheckinStore interface {
	// Checkins returns the check-ins that pass f, newest first.
	Checkins(ctx context.Context, f CheckinFilter) ([]*Checkin, error)
	// CheckinAnswers returns a check-in's answers, by person.
	CheckinAnswers(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinAnswer, error)
	// CheckinWindow returns how long a channel's check-ins stay open.
	CheckinWindow(ctx context.Context, team, channel string) (time.Duration, error)
	// CheckinSkips returns the days a channel skips, from from on.
	CheckinSkips(ctx context.Context, team, channel string, from Date) ([]Date, error)
	// Blockers, Decisions and SessionItems read the agenda a check-in
	// carries over.
	Blockers(ctx context.Context, f BlockerFilter) ([]*Blocker, error)
	Decisions(ctx context.Context, f DecisionFilter) ([]*Decision, error)
	SessionItems(ctx context.Context, f ItemFilter) ([]*Item, error)
	// InCheckinSettingsTx, InCheckinTx and InCheckinCloseTx run fn in one
	// transaction, committed if fn returns nil and rolled back otherwise.
	// What fn enqueues is sent only once the transaction commits.
	InCheckinSettingsTx(ctx context.Context, fn func(CheckinSettingsTx) error) error
	InCheckinTx(ctx context.Context, fn func(CheckinTx) error) error
	InCheckinCloseTx(ctx context.Context, fn func(CheckinCloseTx) error) error
}

// CheckinSettingsTx is what Checkins does inside a transaction that
// changes a channel's or a person's settings: the schedule, the window,
// the days skipped, time away, and answers given ahead.
type CheckinSettingsTx interface {
	Claimer
	// CheckinWindow returns how long a channel's check-ins stay open.
	CheckinWindow(ctx context.Context, team, channel string) (time.Duration, error)
	SaveCheckinWindow(ctx context.Context, team, channel string, window time.Duration, at time.Time) error
	// Schedule returns a channel's schedule of kind. Returns ENOTFOUND.
	Schedule(ctx context.Context, team, channel, kind string) (*Schedule, error)
	// SaveSchedule creates or replaces a channel's schedule of s.Kind.
	SaveSchedule(ctx context.Context, s *Schedule, at time.Time) error
	// DeleteSchedule removes a channel's schedule of kind.
	DeleteSchedule(ctx context.Context, team, channel, kind string) error
	AddCheckinSkip(ctx context.Context, team, channel string, day Date, by string) error
	SetAway(ctx context.Context, team, user string, until Date) error
	// SavePendingAnswer keeps a person's answer for their channel's next
	// check-in, replacing one kept before.
	SavePendingAnswer(ctx context.Context, a *CheckinAnswer) error
}

// CheckinTx is what Checkins does inside a transaction on a run: open
// one now, take answers and replies, remind who has not answered.
type CheckinTx interface {
	Claimer
	Enqueuer
	HomeRefresher
	CheckinReader
	// Schedule returns a channel's schedule of kind. Returns ENOTFOUND.
	Schedule(ctx context.Context, team, channel, kind string) (*Schedule, error)
	// ClaimOccurrence records o as begun. Returns ErrDuplicate if it
	// already was: someone else runs it.
	ClaimOccurrence(ctx context.Context, o *Occurrence) error
	// CreateCheckin inserts a check-in opened (or skipped).
	CreateCheckin(ctx context.Context, c *Checkin) error
	// TakePendingAnswers returns and forgets the answers given ahead for
	// a channel's next check-in.
	TakePendingAnswers(ctx context.Context, team, channel string) ([]CheckinAnswer, error)
	// SaveCheckinAnswer stores a person's answer, replacing an earlier
	// one, and reports whether it is their first.
	SaveCheckinAnswer(ctx context.Context, a *CheckinAnswer) (first bool, err error)
	// AddCheckinReply stores a plain thread reply; a repeat is ignored.
	AddCheckinReply(ctx context.Context, team, channel string, scheduledFor time.Time, r CheckinReply) error
	// MarkCheckinReminded records the reminder as sent. Returns
	// ErrDuplicate if it already was.
	MarkCheckinReminded(ctx context.Context, c *Checkin, at time.Time) error
}

// CheckinCloseTx is what Checkins does inside the transaction that
// closes a run: it counts who took part, records the answers' blocker
// and decision lines as entries, and posts the summary.
type CheckinCloseTx interface {
	Numberer
	Enqueuer
	HomeRefresher
	// Checkin returns one check-in. Returns ENOTFOUND.
	Checkin(ctx context.Context, team, channel string, scheduledFor time.Time) (*Checkin, error)
	CheckinAnswers(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinAnswer, error)
	CheckinReplies(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinReply, error)
	// AwayThrough returns the people of team away on day.
	AwayThrough(ctx context.Context, team string, day Date) ([]string, error)
	// CloseCheckin records c's close and results. Returns ErrDuplicate if
	// it was already closed.
	CloseCheckin(ctx context.Context, c *Checkin) error
	// CreateBlocker and CreateDecision insert the entries of the lines:
	// see BlockerTx and DecisionTx. Right reads a line's area.
	CreateBlocker(ctx context.Context, b *Blocker) error
	CreateDecision(ctx context.Context, d *Decision) error
	Right(ctx context.Context, team, area string) (*Right, error)
}

// checkinOpener is what opening a check-in does, in the transaction that
// claimed it: the Runner's (RitualTx), or CheckinTx for one opened now.
type checkinOpener interface {
	answerPoster
	CheckinSkips(ctx context.Context, team, channel string, from Date) ([]Date, error)
	CreateCheckin(ctx context.Context, c *Checkin) error
	TakePendingAnswers(ctx context.Context, team, channel string) ([]CheckinAnswer, error)
}

// answerPoster is what posting an answer does: CheckinTx's, and that of
// an opening posting the answers given ahead.
type answerPoster interface {
	Enqueuer
	HomeRefresher
	SaveCheckinAnswer(ctx context.Context, a *CheckinAnswer) (first bool, err error)
}

// attendance reads who took part in a check-in: CheckinTx's for its
// reminders, CheckinCloseTx's for its close.
type attendance interface {
	CheckinAnswers(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinAnswer, error)
	CheckinReplies(ctx context.Context, team, channel string, scheduledFor time.Time) ([]CheckinReply, error)
	AwayThrough(ctx context.Context, team string, day Date) ([]string, error)
}
