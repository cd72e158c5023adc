package rituals

import (
	"context"
	"fmt"
	"time"
)

// Outbox kinds of App Home. Package bot renders a person's Home when its
// refresh is sent, from the data of that moment, so a refresh that waits
// while more changes happen still shows all of them.
const (
	// KindHomeRefresh publishes User's App Home. At most one waits per
	// person: a burst of changes costs one publish.
	KindHomeRefresh Kind = "home.refresh"
	// KindHomeChannel refreshes the App Home of each person in Channel who
	// has opened theirs; the edge asks Slack who is in it when it is sent.
	KindHomeChannel Kind = "home.channel"
)

// Sizes of App Home's lists. A Home view holds at most 100 blocks; these
// keep the busiest person's well inside that.
const (
	// HomeListCap is how many entries a list shows before "and N more".
	HomeListCap = 10
	// HomeRecent is how many of the latest decisions in the person's
	// channels it shows.
	HomeRecent = 10
	// HomeHeldFor is how far back folded reminders show: the reminder
	// cap's own window.
	HomeHeldFor = 7 * 24 * time.Hour
	// maxHeldReminders bounds the folded reminders read for one Home.
	maxHeldReminders = 50
)

// HomeRefresh returns the outbox item that refreshes the App Home of id: a
// person's (a user ID), or that of each person in a channel. Interactive
// ones (the person just opened it) go ahead of bulk messages.
func HomeRefresh(team, id string, interactive bool) Outgoing {
	if isUserID(id) {
		return Outgoing{Team: team, Kind: KindHomeRefresh, Lane: "home:" + id, User: id, Interactive: interactive}
	}
	return Outgoing{Team: team, Kind: KindHomeChannel, Lane: "home:" + id, Channel: id}
}

// Memberships tells which channels a person is in. The edge asks Slack.
type Memberships interface {
	// MemberOf returns, for each of channels, whether user is in it. A
	// channel the bot cannot see has nobody in it.
	MemberOf(ctx context.Context, team, user string, channels []string) (map[string]bool, error)
}

// Home is one person's App Home: what waits for them, and what their
// channels decided lately. An entry from a private channel the person is
// not in is Hidden: it carries what names it (its ID, channel and dates),
// never its text.
type Home struct {
	Team, User string
	At         time.Time
	// Today is the day at At in the person's time zone: a proposal due
	// before it is overdue.
	Today    Date
	Proposed HomeList[*Decision]
	Blockers HomeList[BlockerFor]
	Checkins HomeList[*Checkin]
	Pulses   HomeList[*Pulse]
	// Actions are the open retro and pre-mortem action items the person
	// owns, or a channel they are in owns, the earliest due first.
	Actions HomeList[*Item]
	Held    HomeList[HeldReminder]
	// Recent are the latest decisions of the channels the person is in.
	Recent []*Decision
	// Tour is set while the person's last opening of their Home was the
	// first: it then starts with a short tour of alignbot.
	Tour bool
}

// Waiting reports whether anything waits for the person.
func (h *Home) Waiting() bool {
	return len(h.Proposed.Items)+len(h.Blockers.Items)+len(h.Checkins.Items)+len(h.Pulses.Items)+
		len(h.Actions.Items)+len(h.Held.Items) > 0
}

// HomeList is one of App Home's lists: its first HomeListCap entries, and
// how many more there are and where.
type HomeList[T any] struct {
	Items []HomeItem[T]
	// More counts the entries left out; MoreIDs names them and MoreIn
	// counts them by channel, the most first.
	More    int
	MoreIDs []string
	MoreIn  []ChannelCount
}

// HomeItem is one entry of a HomeList.
type HomeItem[T any] struct {
	Entry T
	// Hidden is set for an entry from a private channel the person is
	// not in: Entry then holds only what names it.
	Hidden bool
}

// ChannelCount is how many entries of a list are in one channel.
type ChannelCount struct {
	Channel string
	N       int
}

// BlockerFor is a blocker in someone's App Home, with why it is theirs.
type BlockerFor struct {
	*Blocker
	// Reported is set when they reported it. Otherwise Via is the party
	// that names them: themselves, a user group or a channel they are in.
	Reported bool
	Via      Party
}

// HeldReminder is a reminder the weekly cap folded, whose subject still
// waits for the person: one of Decision (with Reminder saying which),
// Pulse, Checkin, or Session and Item.
type HeldReminder struct {
	At       time.Time // when the reminder was queued
	Reminder ReminderKind
	Decision *Decision
	Pulse    *Pulse
	Checkin  *Checkin
	Session  *Session
	Item     *Item
}

// ID names the reminder's subject, e.g. "D-12" or "R-4 #3".
func (r HeldReminder) ID() string {
	switch {
	case r.Decision != nil:
		return r.Decision.ID()
	case r.Pulse != nil:
		return r.Pulse.ID()
	case r.Checkin != nil:
		return "check-in"
	case r.Item != nil:
		return r.Item.Ref()
	}
	return ""
}

// Channel is where the reminder's subject lives.
func (r HeldReminder) Channel() string {
	switch {
	case r.Decision != nil:
		return r.Decision.Channel
	case r.Pulse != nil:
		return r.Pulse.Channel
	case r.Checkin != nil:
		return r.Checkin.Channel
	case r.Session != nil:
		return r.Session.Channel
	}
	return ""
}

// Homes is App Home's use cases: opening it, refreshing it when what it
// shows changes, and gathering what it shows.
type Homes struct {
	Store   HomeStore
	Now     func() time.Time
	Members Memberships
}

// Opened records that the caller opened their App Home and queues its
// publishing. A redelivered event changes nothing twice.
func (s *Homes) Opened(ctx context.Context, c Caller) error {
	err := s.Store.InHomeTx(ctx, func(tx HomeTx) error {
		if err := claim(ctx, tx, c, s.Now()); err != nil {
			return err
		}
		return tx.OpenedHome(ctx, c.Team, c.User)
	})
	if err != nil {
		return fmt.Errorf("open app home of %s: %w", c.User, err)
	}
	return nil
}

// Refresh queues a refresh of the App Home of the people and the members
// of the channels in ids, for those who have opened theirs.
func (s *Homes) Refresh(ctx context.Context, team string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.Store.InHomeTx(ctx, func(tx HomeTx) error { return refreshHomes(ctx, tx, team, ids...) })
	if err != nil {
		return fmt.Errorf("refresh app homes: %w", err)
	}
	return nil
}

// refreshHomes is the hook the use cases call, in their transaction, when
// they change what someone's App Home shows: ids are the people (user
// IDs) and channels (for each person in them) whose Homes change.
// A user group owning something is left out: whose Homes it reaches is
// not known here.
func refreshHomes(ctx context.Context, tx HomeRefresher, team string, ids ...string) error {
	kept := ids[:0:0]
	for _, id := range ids {
		if !IsGroupID(id) {
			kept = append(kept, id)
		}
	}
	return tx.RefreshHomes(ctx, team, kept)
}

// blockerPeople are whose App Home shows b: its reporter, and every
// party (a channel's people through the channel).
func blockerPeople(b *Blocker) []string {
	out := []string{b.Reporter}
	for _, p := range b.Parties {
		switch p.Kind {
		case PartyGroup:
			out = append(out, p.Members...)
		default:
			out = append(out, p.ID)
		}
	}
	return out
}
