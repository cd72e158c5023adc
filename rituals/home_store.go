package rituals

import (
	"context"
	"time"
)

// HomeRefresher queues App Home refreshes. The use cases call it, through
// refreshHomes, in the transactions that change what a Home shows.
type HomeRefresher interface {
	// RefreshHomes queues a refresh of the App Home of each person in ids
	// who has opened theirs, and, for each channel in ids, of each such
	// person in it. A refresh already waiting (not yet being sent) takes
	// in the new one.
	RefreshHomes(ctx context.Context, team string, ids []string) error
}

// HomeReader reads what App Home shows. Lists come in the order they are
// shown.
type HomeReader interface {
	// HomeChannels returns the channels that hold anything an App Home
	// could show: decisions, open blockers and the channels they name,
	// open check-ins, open pulses, and channels that own open action
	// items.
	HomeChannels(ctx context.Context, team string) ([]string, error)
	// HomeTour reports whether user's App Home, as last opened, was
	// opened for the first time: it then shows the first-run tour.
	HomeTour(ctx context.Context, team, user string) (bool, error)
	// OwnedProposals returns the proposed decisions user owns, the
	// earliest decide-by date first (those without one last).
	OwnedProposals(ctx context.Context, team, user string) ([]*Decision, error)
	// BlockersFor returns the open blockers user reported or must act on:
	// named, in a named user group, or in one of channels that is named.
	// Oldest first.
	BlockersFor(ctx context.Context, team, user string, channels []string) ([]*Blocker, error)
	// CheckinsAwaiting returns the check-ins open at now in channels that
	// user has neither answered nor replied to, closing first.
	CheckinsAwaiting(ctx context.Context, team, user string, channels []string, now time.Time) ([]*Checkin, error)
	// PulsesAwaiting returns the pulses open at now that asked user and
	// have no answer from them, closing first.
	PulsesAwaiting(ctx context.Context, team, user string, now time.Time) ([]*Pulse, error)
	// RecentDecisions returns the newest limit decisions recorded in
	// channels, newest first.
	RecentDecisions(ctx context.Context, team string, channels []string, limit int) ([]*Decision, error)
	// FoldedReminders returns the reminders to user folded by the weekly
	// cap since since, newest first, at most limit.
	FoldedReminders(ctx context.Context, team, user string, since time.Time, limit int) ([]OutboxItem, error)
}

// HomeStore is what Homes reads, and its transactions. storage.DB
// implements it.
type HomeStore interface {
	HomeReader
	// Decision returns the decision with that number. Returns ENOTFOUND.
	Decision(ctx context.Context, team string, number int64) (*Decision, error)
	// Session returns session n with its items. Returns ENOTFOUND.
	Session(ctx context.Context, team string, n int64) (*Session, error)
	// SessionItems returns the retro and pre-mortem items that pass f.
	SessionItems(ctx context.Context, f ItemFilter) ([]*Item, error)
	// InHomeTx runs fn in one transaction, committed if fn returns nil
	// and rolled back otherwise. What fn enqueues is sent only once the
	// transaction commits.
	InHomeTx(ctx context.Context, fn func(HomeTx) error) error
}

// HomeTx is what Homes does inside a transaction: it records that
// someone opened their App Home, and queues refreshes.
type HomeTx interface {
	Claimer
	HomeRefresher
	// OpenedHome records that user opened their App Home, so later
	// changes refresh it, and the first time, so it shows the tour until
	// they open it again; and queues its refresh ahead of bulk messages.
	OpenedHome(ctx context.Context, team, user string) error
}
