package rituals

import (
	"context"
	"time"
)

// PulseReader reads pulses.
type PulseReader interface {
	// Pulse returns pulse n, with its counts. Returns ENOTFOUND.
	Pulse(ctx context.Context, team string, n int64) (*Pulse, error)
	// Pulses returns the pulses that pass f, with their counts.
	Pulses(ctx context.Context, f PulseFilter) ([]*Pulse, error)
	// PulseCounts returns how many of each role pulse n asked and heard.
	PulseCounts(ctx context.Context, team string, n int64) ([]PulseCount, error)
	// NamedPulseAnswers returns the answers to pulse n, which is not
	// anonymous, by user.
	NamedPulseAnswers(ctx context.Context, team string, n int64) ([]PulseAnswer, error)
	// PulseResults returns what closed anonymous pulse n kept of its
	// answers.
	PulseResults(ctx context.Context, team string, n int64) (*PulseResults, error)
	// PulseBallot returns the ballot keyed key in the whole-audience box
	// of pulse n. Returns ENOTFOUND.
	PulseBallot(ctx context.Context, team string, n int64, key string) (string, error)
	// PulseRoles returns a channel's roles, in the order they were given.
	PulseRoles(ctx context.Context, team, channel string) ([]PulseRole, error)
	// DuePulses returns the open pulses to close or remind at now.
	DuePulses(ctx context.Context, now time.Time) ([]*Pulse, error)
}

// PulseStore is what Pulses reads, and its transactions: one for a
// pulse's life, one for an answer. storage.DB implements it.
type PulseStore interface {
	PulseReader
	// InPulseTx and InPulseAnswerTx run fn in one transaction, committed
	// if fn returns nil and rolled back otherwise. What fn enqueues is
	// sent only once the transaction commits.
	InPulseTx(ctx context.Context, fn func(PulseTx) error) error
	InPulseAnswerTx(ctx context.Context, fn func(PulseAnswerTx) error) error
}

// PulseTx is what Pulses does inside a transaction on a pulse's life:
// create, send, cancel, remind, close, stop its repeats, and set a
// channel's roles.
type PulseTx interface {
	Claimer
	Numberer
	Enqueuer
	HomeRefresher
	// Pulse returns pulse n, with its counts. Returns ENOTFOUND.
	Pulse(ctx context.Context, team string, n int64) (*Pulse, error)
	// Pulses returns the pulses that pass f, with their counts.
	Pulses(ctx context.Context, f PulseFilter) ([]*Pulse, error)
	// LatestPulseRun returns the newest run of series. Returns ENOTFOUND.
	LatestPulseRun(ctx context.Context, team string, series int64) (*Pulse, error)
	// CreatePulse inserts p, which already carries its number.
	CreatePulse(ctx context.Context, p *Pulse) error
	// UpdatePulse stores p's status, note and times, if its status is
	// still from. Returns ErrDuplicate otherwise: someone else moved it.
	UpdatePulse(ctx context.Context, p *Pulse, from PulseStatus) error
	// AddPulseMembers records pulse n's audience.
	AddPulseMembers(ctx context.Context, team string, n int64, ms []PulseMember) error
	// SavePulseKeys stores the public keys of pulse n's groups and opens
	// their ballot boxes.
	SavePulseKeys(ctx context.Context, team string, n int64, keys []PulseKey) error
	// SetPulseThreshold changes a pending pulse's threshold. Returns
	// ECONFLICT once the pulse is sent.
	SetPulseThreshold(ctx context.Context, team string, n int64, threshold int) error
	// SetPulseRoles replaces a channel's roles.
	SetPulseRoles(ctx context.Context, team, channel string, roles []PulseRole, by string, at time.Time) error
	// ClaimPulseReminder records that open pulse n's reminders were sent
	// at at. Returns ErrDuplicate if they already were.
	ClaimPulseReminder(ctx context.Context, team string, n int64, at time.Time) error
	// PulseNonResponders returns who in pulse n's audience has not answered.
	PulseNonResponders(ctx context.Context, team string, n int64) ([]string, error)
	// PulseKeys returns the public keys of pulse n's groups.
	PulseKeys(ctx context.Context, team string, n int64) ([]PulseKey, error)
	// PulseBallots returns the ballots of open pulse n, by role, and
	// holds its boxes until the transaction ends.
	PulseBallots(ctx context.Context, team string, n int64) (map[string][]string, error)
	// SavePulseResults stores what pulse n keeps of its answers and
	// empties its ballot boxes.
	SavePulseResults(ctx context.Context, team string, n int64, r PulseResults) error
	// SaveSchedule creates or replaces a channel's schedule of s.Kind: a
	// repeating pulse's series.
	SaveSchedule(ctx context.Context, s *Schedule, at time.Time) error
	// DeleteSchedule removes a channel's schedule of kind.
	DeleteSchedule(ctx context.Context, team, channel, kind string) error
}

// PulseAnswerTx is what Pulses does inside the transactions of an
// answer: marking the person answered, casting an anonymous answer's
// ballots in a transaction that names nobody, showing them their answer.
type PulseAnswerTx interface {
	Claimer
	Enqueuer
	HomeRefresher
	// Pulse returns pulse n, with its counts. Returns ENOTFOUND.
	Pulse(ctx context.Context, team string, n int64) (*Pulse, error)
	// PulseMember returns user's place in pulse n's audience. Returns
	// ENOTFOUND.
	PulseMember(ctx context.Context, team string, n int64, user string) (*PulseMember, error)
	// MarkPulseAnswered records that user answered; named is their
	// answer, for pulses that are not anonymous, and must be empty for
	// anonymous ones.
	MarkPulseAnswered(ctx context.Context, team string, n int64, user, named string) error
	// ForgetPulsePrompt erases the ticket from user's DM for pulse n if
	// it is still in the outbox: once they answer, nothing may hold it
	// next to their name.
	ForgetPulsePrompt(ctx context.Context, team string, n int64, user string) error
	// PulseKeys returns the public keys of pulse n's groups.
	PulseKeys(ctx context.Context, team string, n int64) ([]PulseKey, error)
	// PutPulseBallot stores ballot under key in a box of role's, replacing
	// the one there; every ballot in the box is rewritten, in key order.
	// Returns ECONFLICT once pulse n is no longer open.
	PutPulseBallot(ctx context.Context, team string, n int64, role, key, ballot string) error
}

// pulseCloser is what closing a pulse does: PulseTx's, and RitualTx's
// when a repeating pulse's next run closes the last.
type pulseCloser interface {
	ballotCounter
	Enqueuer
	HomeRefresher
	UpdatePulse(ctx context.Context, p *Pulse, from PulseStatus) error
	PulseNonResponders(ctx context.Context, team string, n int64) ([]string, error)
}

// ballotCounter is what counting a closing pulse's ballots does.
type ballotCounter interface {
	PulseKeys(ctx context.Context, team string, n int64) ([]PulseKey, error)
	PulseBallots(ctx context.Context, team string, n int64) (map[string][]string, error)
	SavePulseResults(ctx context.Context, team string, n int64, r PulseResults) error
}
