package rituals

import (
	"context"
	"time"
)

// Message kinds of pre-mortems and retros. Package bot renders each at send
// time from the session's current state.
const (
	// KindSessionOpen posts session Ref's parent message into Channel,
	// under its ThreadKey.
	KindSessionOpen Kind = "session.open"
	// KindSessionUpdate re-renders the parent message Target names.
	KindSessionUpdate Kind = "session.update"
	// KindSessionItem posts an item (Data: SessionItemData) as a reply in
	// the thread of the message Target names, under the item's key.
	KindSessionItem Kind = "session.item"
	// KindSessionItemUpdate re-renders the item reply Target names.
	KindSessionItemUpdate Kind = "session.item.update"
	// KindSessionSummary posts the ranked summary in the thread Target
	// names, also shown in the channel (reply_broadcast).
	KindSessionSummary Kind = "session.summary"
	// KindSessionSummaryUpdate re-renders the summary Target names.
	KindSessionSummaryUpdate Kind = "session.summary.update"
	// KindSessionFollowUp posts a pre-mortem's follow-up, a new thread
	// that asks which of its top risks happened.
	KindSessionFollowUp Kind = "session.followup"
	// KindSessionFollowUpUpdate re-renders the follow-up Target names.
	KindSessionFollowUpUpdate Kind = "session.followup.update"
	// KindSessionReminder reminds an item's owner by DM on its due day
	// (Data: SessionItemData).
	KindSessionReminder Kind = "session.reminder"
)

// SessionItemData is the payload of the messages about one item.
type SessionItemData struct {
	Item int64 `json:"item"`
	// Overdue, on a KindSessionReminder, is how many days past its due
	// day the item is: 0 for the due-day reminder.
	Overdue int `json:"overdue,omitempty"`
}

// SessionFilter selects sessions. Results come oldest first.
type SessionFilter struct {
	// Team, when set, keeps one workspace's sessions (exports take all).
	Team string
	// Channel, when set, keeps only sessions held in that channel.
	Channel string
	// ViewerChannel, when set, hides private-channel sessions held
	// anywhere but there.
	ViewerChannel string
	Kind          SessionKind
	Status        SessionStatus
	// Since keeps sessions opened at or after it.
	Since time.Time
	// ClosingBy keeps open sessions whose window has ended by then.
	ClosingBy time.Time
	// FollowUpBy keeps pre-mortems whose follow-up is due by then and
	// has not been posted.
	FollowUpBy time.Time
	// Limit caps the number returned (0: no cap).
	Limit int
}

// ItemFilter selects items across sessions, each with its session's kind,
// name and channel. Results come by session, then item number.
type ItemFilter struct {
	Team          string
	Channel       string
	ViewerChannel string
	SessionKind   SessionKind
	// Risks keeps pre-mortem risks.
	Risks bool
	// OpenActions keeps action items not done yet: retro changes, and
	// risks with a mitigation owner.
	OpenActions bool
	// RemindBy keeps owned items, not done, due on or before that day,
	// whose reminder has not gone out.
	RemindBy Date
	// OverdueFrom and OverdueBy, when OverdueBy is set, keep owned items,
	// not done, due on a day from OverdueFrom to OverdueBy, whatever
	// their reminders.
	OverdueFrom, OverdueBy Date
	// Owners, when set, keeps items owned by one of them (people or
	// channels).
	Owners []string
	// SessionsSince keeps items of sessions opened at or after it.
	SessionsSince time.Time
}

// SessionReader reads pre-mortems and retros.
type SessionReader interface {
	// Session returns session n with its items. Returns ENOTFOUND.
	Session(ctx context.Context, team string, n int64) (*Session, error)
	// Sessions returns the sessions that pass f, with their items.
	Sessions(ctx context.Context, f SessionFilter) ([]*Session, error)
	// SessionItems returns the items that pass f.
	SessionItems(ctx context.Context, f ItemFilter) ([]*Item, error)
}

// SessionStore is what Sessions reads, and its transactions.
// storage.DB implements it.
type SessionStore interface {
	SessionReader
	// InSessionTx runs fn in one transaction, committed if fn returns nil
	// and rolled back otherwise. What fn enqueues is sent only once the
	// transaction commits.
	InSessionTx(ctx context.Context, fn func(SessionTx) error) error
}

// SessionTx is what Sessions does inside a transaction: it opens,
// changes and closes pre-mortems and retros, and makes blockers of
// their risks.
type SessionTx interface {
	Claimer
	Numberer
	Enqueuer
	HomeRefresher
	// CreateBlocker inserts a blocker made from a risk: see BlockerTx.
	CreateBlocker(ctx context.Context, b *Blocker) error
	// Session returns session n with its items. Returns ENOTFOUND.
	Session(ctx context.Context, team string, n int64) (*Session, error)
	// CreateSession inserts s, which already carries its number.
	CreateSession(ctx context.Context, s *Session) error
	// AddSessionItem inserts it, which already carries its number.
	AddSessionItem(ctx context.Context, it *Item) error
	// ToggleVote adds user's vote on an item, or takes it back if they
	// had voted, and reports whether they now vote for it.
	ToggleVote(ctx context.Context, team string, n, item int64, user string, at time.Time) (bool, error)
	// CloseSession closes an open session. Returns ErrDuplicate if it was
	// closed already: whoever closes it posts its summary, once.
	CloseSession(ctx context.Context, team string, n int64, by string, at time.Time) error
	// AssignItem stores the item's owner (name and zone too), due day and
	// who assigned them, and makes its due-day reminder due again.
	AssignItem(ctx context.Context, it *Item) error
	// FinishItem marks an item done. Returns ECONFLICT if it was.
	FinishItem(ctx context.Context, team string, n, item int64, by string, at time.Time) error
	// LinkItemBlocker records the blocker made from an item. Returns
	// ECONFLICT if it already has one.
	LinkItemBlocker(ctx context.Context, team string, n, item, blocker int64) error
	// MarkHappened records that a risk happened, by whom and when; a zero
	// at takes that back.
	MarkHappened(ctx context.Context, team string, n, item int64, by string, at time.Time) error
	// ClaimItemReminder and ClaimFollowUp mark an item's due-day reminder
	// or a pre-mortem's follow-up sent at at. They return ErrDuplicate if
	// it already was: whoever claims it sends it, once.
	ClaimItemReminder(ctx context.Context, team string, n, item int64, at time.Time) error
	ClaimFollowUp(ctx context.Context, team string, n int64, at time.Time) error
	// ClaimOverdueReminder marks an open item's reminder sent at at if
	// none was since before. Returns ErrDuplicate if one was: an overdue
	// reminder goes out once.
	ClaimOverdueReminder(ctx context.Context, team string, n, item int64, before, at time.Time) error
}
