package rituals

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// SessionKind is which ritual a session runs. Pre-mortems and retros share
// one shape (a thread of items, votes, a ranked close, owned actions) and
// one sequence of numbers; their IDs differ in prefix: "PM-3", "R-4".
type SessionKind string

const (
	// SessionPremortem looks ahead: imagine the launch failed; what went
	// wrong?
	SessionPremortem SessionKind = "premortem"
	// SessionRetro looks back, blamelessly: what went well, what didn't,
	// what we will change.
	SessionRetro SessionKind = "retro"
)

// SessionStatus is where a session stands: open for items and votes until
// it closes.
type SessionStatus string

const (
	SessionOpen   SessionStatus = "open"
	SessionClosed SessionStatus = "closed"
)

// ItemKind is what an item of a session says.
type ItemKind string

const (
	ItemFailure    ItemKind = "failure"    // a pre-mortem's failure mode
	ItemAssumption ItemKind = "assumption" // a pre-mortem's assumption that may not hold
	ItemWell       ItemKind = "well"       // a retro's "what went well"
	ItemDidnt      ItemKind = "didnt"      // a retro's "what didn't"
	ItemChange     ItemKind = "change"     // a retro's "what we will change": an action item
)

// RiskLevel rates a risk's likelihood or impact. The zero value means not
// rated: a plain reply captured from the thread has no rating.
type RiskLevel string

const (
	LevelLow    RiskLevel = "low"
	LevelMedium RiskLevel = "medium"
	LevelHigh   RiskLevel = "high"
)

// weight is the level's factor in a risk's score: 1 to 3, 0 unrated.
func (l RiskLevel) weight() int {
	switch l {
	case LevelLow:
		return 1
	case LevelMedium:
		return 2
	case LevelHigh:
		return 3
	}
	return 0
}

// RiskTag sorts a risk by how real the team thinks it is.
type RiskTag string

const (
	TagTiger      RiskTag = "tiger"       // a real threat
	TagPaperTiger RiskTag = "paper_tiger" // an unfounded worry
	TagElephant   RiskTag = "elephant"    // what nobody says
)

// Limits and defaults of sessions.
const (
	MaxSessionName = 150
	MaxItemText    = 3000
	// DefaultSessionWindow is how long a session takes items and votes
	// unless told otherwise ("close in 72h").
	DefaultSessionWindow = 48 * time.Hour
	MinSessionWindow     = time.Hour
	MaxSessionWindow     = 30 * 24 * time.Hour
	// FollowUpAfter is how long after the launch day a pre-mortem's
	// follow-up asks which of its risks happened; FollowUpHour is the
	// hour of that day, in its creator's time zone, when it does.
	FollowUpAfter = 14
	FollowUpHour  = 10
	// TopRisks is how many risks the follow-up and the digest show.
	TopRisks = 5
)

// Session is one pre-mortem or retro: a thread in a channel where people
// add items and vote on them until it closes.
type Session struct {
	Team   string
	Number int64 // the N of "R-N", shared by pre-mortems and retros
	Kind   SessionKind
	Name   string // the launch, or what the retro looks back on

	Channel string
	// ChannelPrivate is true when Channel is private (or unknown): the
	// session is shown only inside it.
	ChannelPrivate bool
	Creator        string
	CreatorName    string

	Status SessionStatus
	// LaunchOn is a pre-mortem's launch day; FollowUpAt is when its
	// follow-up thread opens (zero without a launch day).
	LaunchOn     Date
	CreatedAt    time.Time
	ClosesAt     time.Time
	ClosedAt     time.Time
	ClosedBy     string // empty when its window ended
	FollowUpAt   time.Time
	FollowedUpAt time.Time

	Items []*Item
}

// ID returns the session's user-facing ID, e.g. "PM-3" or "R-4".
func (s *Session) ID() string { return FormatID(s.Kind.Prefix(), s.Number) }

// Title names the ritual: "Pre-mortem" or "Retro".
func (s *Session) Title() string { return s.Kind.Title() }

// Title names the ritual: "Pre-mortem" or "Retro".
func (k SessionKind) Title() string {
	if k == SessionRetro {
		return "Retro"
	}
	return "Pre-mortem"
}

// ThreadKey names the session's parent message. Its first part routes the
// thread's replies: "premortem" or "retro".
func (s *Session) ThreadKey() MessageKey { return sessionThreadKey(s.Kind, s.Number) }

// ItemKey names the thread reply that shows item n.
func (s *Session) ItemKey(n int64) MessageKey { return sessionItemKey(s.Kind, s.Number, n) }

// SummaryKey names the ranked summary posted at close.
func (s *Session) SummaryKey() MessageKey { return sessionSummaryKey(s.Kind, s.Number) }

// FollowUpKey names the follow-up thread's parent.
func (s *Session) FollowUpKey() MessageKey { return sessionFollowUpKey(s.Kind, s.Number) }

// Open reports whether the session still takes items and votes.
func (s *Session) Open() bool { return s.Status == SessionOpen }

// VisibleIn reports whether the session may be shown in channel: those of
// a private channel stay inside it.
func (s *Session) VisibleIn(channel string) bool { return !s.ChannelPrivate || s.Channel == channel }

// MayClose reports whether c may close the session early: its creator or
// an admin.
func (s *Session) MayClose(c Caller) bool { return c.Admin || (c.User != "" && c.User == s.Creator) }

// Item returns item n, or nil.
func (s *Session) Item(n int64) *Item {
	for _, it := range s.Items {
		if it.Number == n {
			return it
		}
	}
	return nil
}

// Kinds returns the item kinds the session takes, in the order its
// prompts come.
func (k SessionKind) Kinds() []ItemKind {
	if k == SessionRetro {
		return []ItemKind{ItemWell, ItemDidnt, ItemChange}
	}
	return []ItemKind{ItemFailure, ItemAssumption}
}

// Ranked returns the session's items ranked: for a pre-mortem, every risk
// by votes, then likelihood × impact, then age; for a retro, each prompt's
// items in prompt order, each by votes, then age.
func (s *Session) Ranked() []*Item {
	out := slices.Clone(s.Items)
	order := s.Kind.Kinds()
	slices.SortStableFunc(out, func(a, b *Item) int {
		if s.Kind == SessionRetro {
			if c := cmp.Compare(slices.Index(order, a.Kind), slices.Index(order, b.Kind)); c != 0 {
				return c
			}
		}
		return compareRisks(a, b)
	})
	return out
}

// compareRisks orders a before b, of one session, when it has more
// votes, then a higher score, then came first.
func compareRisks(a, b *Item) int {
	return cmp.Or(compareWeight(a, b), cmp.Compare(a.Number, b.Number))
}

// compareWeight orders a before b when it has more votes, then a higher
// likelihood × impact.
func compareWeight(a, b *Item) int {
	return cmp.Or(cmp.Compare(b.Votes, a.Votes), cmp.Compare(b.Score(), a.Score()))
}

// RankRisks returns risks ranked by votes, then likelihood × impact, then
// age, across sessions: the older session's first, then by number.
func RankRisks(items []*Item) []*Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b *Item) int {
		return cmp.Or(compareWeight(a, b), cmp.Compare(a.Session, b.Session), cmp.Compare(a.Number, b.Number))
	})
	return out
}

// Item is one contribution to a session: a failure mode or an assumption of
// a pre-mortem, or a retro's went-well, didn't or change. Risks and change
// items may get an owner and a due date; they are then tracked until done.
type Item struct {
	Team    string
	Session int64 // the N of its session's R-N
	Number  int64
	Kind    ItemKind
	Text    string
	// Author is who added it; empty for an elephant added anonymously,
	// which keeps no trace of who did.
	Author    string
	Anonymous bool
	// SourceTS is the ts of the plain thread reply it was captured from.
	SourceTS string

	Likelihood RiskLevel
	Impact     RiskLevel
	Tag        RiskTag
	Votes      int

	Owner      string
	OwnerName  string
	OwnerZone  Zone
	Due        Date
	AssignedBy string
	AssignedAt time.Time
	RemindedAt time.Time
	DoneAt     time.Time
	DoneBy     string
	Blocker    int64 // the N of the B-N made from it
	HappenedAt time.Time
	HappenedBy string
	CreatedAt  time.Time

	// Where it was said, filled by queries across sessions.
	SessionKind    SessionKind
	SessionName    string
	Channel        string
	ChannelPrivate bool
}

// Ref names the item for people: "R-4 #3", or "PM-3 #2" for a risk.
func (it *Item) Ref() string { return itemRef(it.Kind, it.Session, it.Number) }

// itemRef names item n of session s, whose kind the item's says: only a
// pre-mortem has risks.
func itemRef(kind ItemKind, s, n int64) string {
	prefix := SessionRetro.Prefix()
	if kind == ItemFailure || kind == ItemAssumption {
		prefix = SessionPremortem.Prefix()
	}
	return FormatID(prefix, s) + fmt.Sprintf(" #%d", n)
}

// Score is likelihood × impact: 1 to 9, 0 when not rated.
func (it *Item) Score() int { return it.Likelihood.weight() * it.Impact.weight() }

// Risk reports whether the item is a pre-mortem's risk.
func (it *Item) Risk() bool { return it.Kind == ItemFailure || it.Kind == ItemAssumption }

// Action reports whether the item is something to do: a retro's change,
// or a risk with a mitigation owner.
func (it *Item) Action() bool { return it.Kind == ItemChange || (it.Risk() && it.Owner != "") }

// Done reports whether its action is done.
func (it *Item) Done() bool { return !it.DoneAt.IsZero() }

// OverdueOn reports whether the item is an action not done whose due day
// is before today.
func (it *Item) OverdueOn(today Date) bool {
	return it.Action() && !it.Done() && !it.Due.IsZero() && it.Due.Before(today)
}

// OverdueAt reports whether the item is overdue at now in its owner's
// time zone: its due day has passed there.
func (it *Item) OverdueAt(now time.Time) bool {
	return it.OverdueOn(DateOf(now.In(it.OwnerZone.Location())))
}

// MayTrack reports whether c may assign the item's owner or mark it done:
// the session's creator, the item's author, its owner, or an admin.
func (it *Item) MayTrack(c Caller, s *Session) bool {
	return c.Admin || (c.User != "" && (c.User == s.Creator || c.User == it.Author || c.User == it.Owner))
}

// Label names an item kind for people, e.g. "Failure mode".
func (k ItemKind) Label() string {
	switch k {
	case ItemFailure:
		return "Failure mode"
	case ItemAssumption:
		return "Assumption"
	case ItemWell:
		return "What went well"
	case ItemDidnt:
		return "What didn't"
	case ItemChange:
		return "What we will change"
	}
	return string(k)
}

// Label names a tag for people, e.g. "paper tiger".
func (t RiskTag) Label() string {
	switch t {
	case TagTiger:
		return "tiger"
	case TagPaperTiger:
		return "paper tiger"
	case TagElephant:
		return "elephant"
	}
	return ""
}
