package rituals

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// BlockerStatus is where a blocker stands: open until someone resolves it.
type BlockerStatus string

const (
	BlockerOpen     BlockerStatus = "open"
	BlockerResolved BlockerStatus = "resolved"
)

// Limits on what a blocker may hold, and its escalation threshold.
const (
	MaxBlockerText = 3000
	MaxBlockerNote = 3000
	// MaxParties bounds the parties one blocker names; MaxNotified bounds
	// the people it DMs, user groups counted member by member.
	MaxParties  = 20
	MaxNotified = 100
	// DefaultSLA is how long a blocker may stay open before it is
	// escalated, in a channel that has not set its own.
	DefaultSLA = 72 * time.Hour
	MinSLA     = time.Hour
	MaxSLA     = 90 * 24 * time.Hour
)

// Message kinds of blockers. Package bot renders each at send time from the
// blocker's current state.
const (
	// KindBlockerCard posts the card of blocker Ref into Channel.
	KindBlockerCard Kind = "blocker.card"
	// KindBlockerCardUpdate re-renders the card posted under Target.
	KindBlockerCardUpdate Kind = "blocker.card.update"
	// KindBlockerNotice tells one party (Channel: a user ID for a DM, or a
	// channel) about blocker Ref, with a link to its card. Data:
	// BlockerNoticeData.
	KindBlockerNotice Kind = "blocker.notice"
)

// Events a blocker notice reports.
const (
	NoticeReported  = "reported"
	NoticeEscalated = "escalated"
	NoticeResolved  = "resolved"
	// NoticeClimbed goes to a channel's escalation target when one of
	// its blockers has been open twice its SLA.
	NoticeClimbed = "climbed"
)

// BlockerNoticeData is the payload of a KindBlockerNotice message.
type BlockerNoticeData struct {
	Event string `json:"event"`
	// SLA is the threshold an escalation passed, as Duration writes it,
	// e.g. "3d".
	SLA string `json:"sla,omitempty"`
}

// PartyKind is what a party to a blocker is.
type PartyKind string

const (
	PartyUser    PartyKind = "user"
	PartyGroup   PartyKind = "group"
	PartyChannel PartyKind = "channel"
)

// Party is someone who must act on a blocker: a person, a user group or a
// channel, as named in its mention.
type Party struct {
	Kind PartyKind
	ID   string // U…, S… or C…/G…
	// Name is a group's handle or a channel's name, as the mention gave it.
	Name string
	// Members are a group's people when the blocker was reported: they are
	// the ones told, and they may act on it.
	Members []string
}

// Ack records that a party said "I'm on it".
type Ack struct {
	User string
	At   time.Time
}

// Blocker is something that blocks a team until others act: who reported
// it, where, who must act, and how long it has been waiting.
type Blocker struct {
	Team   string
	Number int64 // the N of "B-N", sequential per workspace

	Text   string
	Impact string
	// NeededBy is the day it must be unblocked by, in the reporter's time
	// zone; DueAt is the moment that day ends there.
	NeededBy Date
	DueAt    time.Time
	Source   string // permalink of the message it came from

	Reporter     string
	ReporterName string
	Channel      string
	// ChannelPrivate is true when Channel is private (or unknown); such
	// blockers are shown only inside it.
	ChannelPrivate bool

	Parties []Party
	Acks    []Ack
	Status  BlockerStatus

	CreatedAt  time.Time
	UpdatedAt  time.Time
	ResolvedAt time.Time
	ResolvedBy string
	Resolution string
	// TimeToResolve is ResolvedAt less CreatedAt, kept for the digest.
	TimeToResolve time.Duration
	EscalatedAt   time.Time
	OverdueAt     time.Time
	// ClimbedAt is when it went to its channel's escalation target, past
	// twice its SLA; ClimbedTo is that person or channel, as it was then.
	ClimbedAt time.Time
	ClimbedTo string
	// SLA is its channel's escalation threshold, as read with it.
	SLA time.Duration
}

// ID returns the blocker's user-facing ID, e.g. "B-7".
func (b *Blocker) ID() string { return FormatID("B", b.Number) }

// CardKey names the blocker's card, so updates and links find it.
func (b *Blocker) CardKey() MessageKey { return blockerCardKey(b.Number, b.Channel) }

// VisibleIn reports whether the blocker may be shown in channel: those of
// a private channel stay inside it.
func (b *Blocker) VisibleIn(channel string) bool {
	return !b.ChannelPrivate || b.Channel == channel
}

// Open reports whether the blocker still waits for someone.
func (b *Blocker) Open() bool { return b.Status == BlockerOpen }

// Age is how long the blocker has been (or was) open at now.
func (b *Blocker) Age(now time.Time) time.Duration {
	if !b.Open() && !b.ResolvedAt.IsZero() {
		return b.ResolvedAt.Sub(b.CreatedAt)
	}
	return now.Sub(b.CreatedAt)
}

// Names reports whether user is a named person or in a named user group.
// Members of a named channel are asked of Slack; see Blockers.
func (b *Blocker) Names(user string) bool {
	for _, p := range b.Parties {
		if (p.Kind == PartyUser && p.ID == user) || (p.Kind == PartyGroup && slices.Contains(p.Members, user)) {
			return true
		}
	}
	return false
}

// AckedBy reports whether user said they are on it.
func (b *Blocker) AckedBy(user string) bool {
	return slices.ContainsFunc(b.Acks, func(a Ack) bool { return a.User == user })
}

// Audience returns where to tell about the blocker, once each: the DM of
// every named person and group member (user IDs), and every named channel
// other than the blocker's own (its card is there). The reporter is left
// out unless withReporter.
func (b *Blocker) Audience(withReporter bool) []string {
	var out []string
	add := func(id string) {
		if id != "" && id != b.Channel && (withReporter || id != b.Reporter) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if withReporter {
		add(b.Reporter)
	}
	for _, p := range b.Parties {
		switch p.Kind {
		case PartyUser, PartyChannel:
			add(p.ID)
		case PartyGroup:
			for _, m := range p.Members {
				add(m)
			}
		}
	}
	return out
}

// BlockerInput is what a person gives to report a blocker.
type BlockerInput struct {
	Text     string
	Impact   string
	NeededBy Date
	Parties  []Party
	Source   string
	// ReporterName is the reporter's display name, for exports.
	ReporterName string
}

// Field names of blocker validation errors; the edge maps them to inputs.
const (
	FieldBlockerText = "blocker"
	FieldParties     = "parties"
	FieldNeededBy    = "needed_by"
	FieldNote        = "note"
)

// Check trims the input and checks it against the rules, returning an
// EINVALID *Error with a message per bad field. today is the reporter's
// date. Parties named twice are kept once.
func (in *BlockerInput) Check(today Date) error {
	in.Text = strings.TrimSpace(in.Text)
	in.Impact = strings.TrimSpace(in.Impact)
	fields := map[string]string{}
	if msg := lengthProblem("What is blocked", in.Text, MaxBlockerText, true); msg != "" {
		fields[FieldBlockerText] = msg
	}
	if msg := lengthProblem("The impact", in.Impact, MaxImpact, false); msg != "" {
		fields[FieldImpact] = msg
	}
	in.Parties = uniqueParties(in.Parties)
	switch n := notified(in.Parties); {
	case len(in.Parties) == 0:
		fields[FieldParties] = "Name who must act: a person, a user group or a channel, e.g. @platform-team."
	case len(in.Parties) > MaxParties:
		fields[FieldParties] = fmt.Sprintf("That names %d parties; name at most %d.", len(in.Parties), MaxParties)
	case n > MaxNotified:
		fields[FieldParties] = fmt.Sprintf("That would DM %d people; name at most %d, or name a channel instead.", n, MaxNotified)
	}
	if !in.NeededBy.IsZero() && in.NeededBy.Before(today) {
		fields[FieldNeededBy] = fmt.Sprintf("The needed-by date %s is in the past.", in.NeededBy)
	}
	if len(fields) == 0 {
		return nil
	}
	msg := ""
	for _, f := range []string{FieldBlockerText, FieldParties, FieldImpact, FieldNeededBy} {
		if m, ok := fields[f]; ok && msg == "" {
			msg = m
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// lengthProblem returns what is wrong with v's length, or "".
func lengthProblem(label, v string, max int, required bool) string {
	switch n := utf8.RuneCountInString(v); {
	case required && n == 0:
		return label + " is required."
	case n > max:
		return fmt.Sprintf("%s is %d characters long; the limit is %d.", label, n, max)
	}
	return ""
}

func uniqueParties(in []Party) []Party {
	var out []Party
	for _, p := range in {
		if p.ID == "" || slices.ContainsFunc(out, func(q Party) bool { return q.Kind == p.Kind && q.ID == p.ID }) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// notified counts the people a set of parties DMs, once each.
func notified(parties []Party) int {
	b := Blocker{Parties: parties}
	n := 0
	for _, id := range b.Audience(true) {
		if !strings.HasPrefix(id, "C") && !strings.HasPrefix(id, "G") {
			n++
		}
	}
	return n
}

// BlockerFilter selects blockers for lists, exports, the scheduler and
// the digest. Results come oldest first.
type BlockerFilter struct {
	// Team, when set, keeps one workspace's blockers (exports take all).
	Team string
	// Channel, when set, keeps only blockers reported in that channel.
	Channel string
	// Inbound, when set with Team, keeps blockers reported in other
	// channels that name that channel, or a user group or person it
	// claimed as its team. Private ones are kept too: the caller hides
	// their text.
	Inbound string
	// ViewerChannel, when set, hides private-channel blockers reported
	// anywhere but there.
	ViewerChannel string
	Status        BlockerStatus
	// Since keeps blockers reported at or after it.
	Since time.Time
	// ResolvedSince and ResolvedBefore keep blockers resolved in
	// [ResolvedSince, ResolvedBefore), for the digest's time to resolve.
	ResolvedSince, ResolvedBefore time.Time
	// StaleAt keeps open blockers, not yet escalated, that have been open
	// longer than their channel's SLA at that moment.
	StaleAt time.Time
	// PastDueAt keeps open blockers, not yet marked overdue, whose
	// needed-by day has ended by that moment.
	PastDueAt time.Time
	// ClimbAt keeps open blockers, not yet sent to their channel's
	// escalation target, whose channel has one and that have been open
	// twice its SLA at that moment.
	ClimbAt time.Time
	// Limit caps the number returned (0: no cap).
	Limit int
}
