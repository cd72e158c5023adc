package rituals

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ChannelMembers answers whether a person is in a channel. The edge asks
// Slack; it lets the people of a channel named on a blocker act on it.
type ChannelMembers interface {
	IsMember(ctx context.Context, team, channel, user string) (bool, error)
}

// Blockers is the use cases of blockers: things that block a team until
// others act.
type Blockers struct {
	Store BlockerStore
	Now   func() time.Time
	// Members, when set, tells whether someone is in a named channel; when
	// nil, a named channel's people are not parties.
	Members ChannelMembers
}

// Report records an open blocker in the caller's channel, posts its card
// there, and tells every party once: a DM to each named person and each
// member of a named user group, a post in each named channel. Groups must
// carry their Members. Returns EINVALID (with per-field messages) for bad
// input, and ErrDuplicate if the caller's request was already handled.
func (s *Blockers) Report(ctx context.Context, c Caller, in BlockerInput) (*Blocker, error) {
	now := s.Now()
	b, err := newBlocker(c, in, now)
	if err != nil {
		return nil, err
	}
	err = s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return reportBlocker(ctx, tx, b)
	})
	if err != nil {
		return nil, fmt.Errorf("report blocker: %w", err)
	}
	return b, nil
}

// newBlocker checks in and builds the blocker c reports with it.
func newBlocker(c Caller, in BlockerInput, now time.Time) (*Blocker, error) {
	if err := in.Check(c.Today(now)); err != nil {
		return nil, err
	}
	b := &Blocker{
		Team: c.Team, Text: in.Text, Impact: in.Impact, NeededBy: in.NeededBy, Source: in.Source,
		Reporter: c.User, ReporterName: in.ReporterName, Channel: c.Channel,
		Parties: in.Parties, Status: BlockerOpen, CreatedAt: now, UpdatedAt: now,
	}
	if !in.NeededBy.IsZero() {
		loc := c.Location
		if loc == nil {
			loc = time.UTC
		}
		start, err := in.NeededBy.Time(loc)
		if err != nil {
			return nil, err
		}
		b.DueAt = start.AddDate(0, 0, 1).UTC()
	}
	return b, nil
}

// reportBlocker numbers and stores b in tx, and enqueues its card and
// the notices to its parties.
func reportBlocker(ctx context.Context, tx blockerReporter, b *Blocker) error {
	n, err := tx.NextNumber(ctx, b.Team, "B")
	if err != nil {
		return err
	}
	b.Number = n
	if err := tx.CreateBlocker(ctx, b); err != nil {
		return err
	}
	msgs := []Outgoing{{Team: b.Team, Kind: KindBlockerCard, Channel: b.Channel, Ref: b.Number, Key: b.CardKey()}}
	msgs = append(msgs, notices(b, NoticeReported, "", b.Audience(false))...)
	if err := tx.Enqueue(ctx, msgs...); err != nil {
		return err
	}
	return refreshHomes(ctx, tx, b.Team, blockerPeople(b)...)
}

// notices tells each of to (user IDs for DMs, or channels) about b.
func notices(b *Blocker, event, sla string, to []string) []Outgoing {
	data, _ := json.Marshal(BlockerNoticeData{Event: event, SLA: sla})
	out := make([]Outgoing, 0, len(to))
	for _, id := range to {
		m := Outgoing{Team: b.Team, Kind: KindBlockerNotice, Channel: id, Ref: b.Number, Data: data}
		switch {
		case isUserID(id) && (event == NoticeEscalated || event == NoticeClimbed):
			// An escalation waits for the person's working time; news
			// of a report or a resolution does not.
			m = heldFor(m, id, b.Channel, false)
		case isUserID(id):
			m.User = id
		}
		out = append(out, m)
	}
	return out
}

func isUserID(id string) bool { return strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") }

// Get returns blocker number n if the caller may see it from their
// channel. Returns ENOTFOUND otherwise, so private entries do not leak.
func (s *Blockers) Get(ctx context.Context, c Caller, n int64) (*Blocker, error) {
	b, err := s.Store.Blocker(ctx, c.Team, n)
	if err != nil {
		return nil, err
	}
	if !b.VisibleIn(c.Channel) {
		return nil, notFoundBlocker(n)
	}
	return b, nil
}

// List returns the caller's channel's open blockers, oldest first.
func (s *Blockers) List(ctx context.Context, c Caller) ([]*Blocker, error) {
	return s.Store.Blockers(ctx, BlockerFilter{Team: c.Team, Channel: c.Channel, ViewerChannel: c.Channel,
		Status: BlockerOpen, Limit: MaxListLimit})
}

// IsParty reports whether user must act on b: named, in a named user
// group, or in a named channel.
func (s *Blockers) IsParty(ctx context.Context, b *Blocker, user string) (bool, error) {
	if b.Names(user) {
		return true, nil
	}
	if s.Members == nil {
		return false, nil
	}
	for _, p := range b.Parties {
		if p.Kind != PartyChannel {
			continue
		}
		in, err := s.Members.IsMember(ctx, b.Team, p.ID, user)
		if err != nil {
			return false, fmt.Errorf("is %s in %s: %w", user, p.ID, err)
		}
		if in {
			return true, nil
		}
	}
	return false, nil
}

// ForResolve returns open blocker n if the caller may resolve it: its
// reporter, a party or an admin. Returns ENOTFOUND, ECONFLICT (already
// resolved) or EFORBIDDEN with a sentence that says who may.
func (s *Blockers) ForResolve(ctx context.Context, c Caller, n int64) (*Blocker, error) {
	b, may, err := s.resolvable(ctx, c, n)
	if err != nil {
		return nil, err
	}
	return b, checkResolve(b, may)
}

// resolvable returns blocker n as the caller sees it, and whether they may
// resolve it. Asking Slack who is in a named channel happens here, before
// any transaction; the parties of a blocker never change.
func (s *Blockers) resolvable(ctx context.Context, c Caller, n int64) (*Blocker, bool, error) {
	b, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, false, err
	}
	if c.Admin || (c.User != "" && c.User == b.Reporter) {
		return b, true, nil
	}
	may, err := s.IsParty(ctx, b, c.User)
	return b, may, err
}

func checkResolve(b *Blocker, may bool) error {
	switch {
	case !b.Open():
		return alreadyResolved(b)
	case !may:
		return Errorf(EFORBIDDEN, "Only whoever reported %s, the people it names or an admin can resolve it.", b.ID())
	}
	return nil
}

// Resolve closes blocker n with an optional note, keeping its time to
// resolve, updates its card and tells the reporter when someone else
// resolved it. See ForResolve for who may.
func (s *Blockers) Resolve(ctx context.Context, c Caller, n int64, note string) (*Blocker, error) {
	note = strings.TrimSpace(note)
	if msg := lengthProblem("The note", note, MaxBlockerNote, false); msg != "" {
		return nil, &Error{Code: EINVALID, Message: msg, Fields: map[string]string{FieldNote: msg}}
	}
	_, may, err := s.resolvable(ctx, c, n)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	var out *Blocker
	err = s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		b, err := tx.Blocker(ctx, c.Team, n)
		if err != nil {
			return err
		}
		if err := checkResolve(b, may); err != nil {
			return err
		}
		b.Status, b.ResolvedAt, b.ResolvedBy, b.Resolution = BlockerResolved, now, c.User, note
		b.TimeToResolve, b.UpdatedAt = now.Sub(b.CreatedAt), now
		if err := tx.ResolveBlocker(ctx, b); err != nil {
			return err
		}
		out = b
		msgs := []Outgoing{cardUpdate(b)}
		if c.User != b.Reporter {
			msgs = append(msgs, notices(b, NoticeResolved, "", []string{b.Reporter})...)
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, b.Team, blockerPeople(b)...)
	})
	if err != nil {
		return nil, fmt.Errorf("resolve blocker %d: %w", n, err)
	}
	return out, nil
}

// Acknowledge records that the caller, a party to open blocker n, is on
// it, and shows so on its card. Returns EFORBIDDEN for anyone else, and
// ECONFLICT if they already said so or it is resolved.
func (s *Blockers) Acknowledge(ctx context.Context, c Caller, n int64) (*Blocker, error) {
	b, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, err
	}
	party, err := s.IsParty(ctx, b, c.User)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	err = s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		if b, err = tx.Blocker(ctx, c.Team, n); err != nil {
			return err
		}
		switch {
		case !b.Open():
			return alreadyResolved(b)
		case !party:
			return Errorf(EFORBIDDEN, "Only the people %s names can say they are on it.", b.ID())
		}
		added, err := tx.AckBlocker(ctx, c.Team, n, c.User, now)
		if err != nil {
			return err
		}
		if !added {
			return Errorf(ECONFLICT, "You already said you are on %s.", b.ID())
		}
		b.Acks = append(b.Acks, Ack{User: c.User, At: now})
		return tx.Enqueue(ctx, cardUpdate(b))
	})
	if err != nil {
		return nil, fmt.Errorf("acknowledge blocker %d: %w", n, err)
	}
	return b, nil
}

// SLA returns the caller's channel's escalation threshold, and whether it
// is the default.
func (s *Blockers) SLA(ctx context.Context, c Caller) (time.Duration, bool, error) {
	d, set, err := s.Store.BlockerSLA(ctx, c.Team, c.Channel)
	if err != nil || !set {
		return DefaultSLA, true, err
	}
	return d, false, nil
}

// SetSLA sets how long a blocker in the caller's channel may stay open
// before it is escalated. Open to anyone unless ALIGNBOT_ADMINS is set,
// then only to admins (EFORBIDDEN). Returns EINVALID outside SLABounds.
func (s *Blockers) SetSLA(ctx context.Context, c Caller, sla time.Duration) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change this channel's blocker SLA.")
	}
	if err := SLABounds.Check(Duration(sla)); err != nil {
		return err
	}
	now := s.Now()
	err := s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return tx.SaveBlockerSLA(ctx, c.Team, c.Channel, sla, c.User, now)
	})
	if err != nil {
		return fmt.Errorf("set blocker sla: %w", err)
	}
	return nil
}

func cardUpdate(b *Blocker) Outgoing {
	return Outgoing{Team: b.Team, Kind: KindBlockerCardUpdate, Channel: b.Channel, Ref: b.Number, Target: b.CardKey()}
}

func notFoundBlocker(n int64) error {
	return Errorf(ENOTFOUND, "There is no blocker %s that you can see from this channel.", FormatID("B", n))
}

func alreadyResolved(b *Blocker) error {
	return Errorf(ECONFLICT, "%s is already resolved.", b.ID())
}
