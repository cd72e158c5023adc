package rituals

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Build gathers user's App Home at this moment; loc is their time zone.
// Channel membership comes from Members: the latest decisions are those of
// the person's channels, blockers reach them through a channel they are
// in, and an entry from a private channel shows in full only to its
// members (SPEC §5).
func (s *Homes) Build(ctx context.Context, team, user string, loc *time.Location) (*Home, error) {
	now := s.Now()
	if loc == nil {
		loc = time.UTC
	}
	h := &Home{Team: team, User: user, At: now, Today: DateOf(now.In(loc))}
	tour, err := s.Store.HomeTour(ctx, team, user)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	h.Tour = tour
	proposed, err := s.Store.OwnedProposals(ctx, team, user)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	pulses, err := s.Store.PulsesAwaiting(ctx, team, user, now)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	held, err := s.heldReminders(ctx, team, user, now, proposed)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	actions, err := s.Store.SessionItems(ctx, ItemFilter{Team: team, Owners: []string{user}, OpenActions: true})
	if err != nil {
		return nil, fmt.Errorf("app home of %s: action items: %w", user, err)
	}

	channels, err := s.Store.HomeChannels(ctx, team)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	for _, d := range proposed {
		channels = append(channels, d.Channel)
	}
	for _, p := range pulses {
		channels = append(channels, p.Channel)
	}
	for _, r := range held {
		channels = append(channels, r.Channel())
	}
	for _, it := range actions {
		channels = append(channels, it.Channel)
	}
	slices.Sort(channels)
	channels = slices.DeleteFunc(slices.Compact(channels), func(ch string) bool { return ch == "" })
	member, err := s.Members.MemberOf(ctx, team, user, channels)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: channels: %w", user, err)
	}
	var mine []string
	for _, ch := range channels {
		if member[ch] {
			mine = append(mine, ch)
		}
	}

	blockers, err := s.Store.BlockersFor(ctx, team, user, mine)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	checkins, err := s.Store.CheckinsAwaiting(ctx, team, user, mine, now)
	if err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	if h.Recent, err = s.Store.RecentDecisions(ctx, team, mine, HomeRecent); err != nil {
		return nil, fmt.Errorf("app home of %s: %w", user, err)
	}
	held = stillWaiting(held, pulses, checkins)
	if len(mine) > 0 {
		theirs, err := s.Store.SessionItems(ctx, ItemFilter{Team: team, Owners: mine, OpenActions: true})
		if err != nil {
			return nil, fmt.Errorf("app home of %s: channels' action items: %w", user, err)
		}
		actions = append(actions, theirs...)
	}
	slices.SortStableFunc(actions, func(a, b *Item) int { return cmp.Compare(a.Due, b.Due) })

	hidden := func(private bool, channel string) bool { return private && !member[channel] }
	h.Proposed = homeList(proposed, func(d *Decision) bool { return hidden(d.ChannelPrivate, d.Channel) },
		hideDecision, (*Decision).ID, func(d *Decision) string { return d.Channel })
	h.Blockers = homeList(blockersFor(blockers, user, member), func(b BlockerFor) bool { return hidden(b.ChannelPrivate, b.Channel) },
		hideBlocker, BlockerFor.ID, func(b BlockerFor) string { return b.Channel })
	h.Checkins = homeList(checkins, func(*Checkin) bool { return false },
		func(c *Checkin) *Checkin { return c }, func(c *Checkin) string { return "" }, func(c *Checkin) string { return c.Channel })
	h.Pulses = homeList(pulses, func(p *Pulse) bool { return hidden(p.ChannelPrivate, p.Channel) },
		hidePulse, (*Pulse).ID, func(p *Pulse) string { return p.Channel })
	h.Actions = homeList(actions, func(it *Item) bool { return hidden(it.ChannelPrivate, it.Channel) },
		hideItem, (*Item).Ref, func(it *Item) string { return it.Channel })
	h.Held = homeList(held, func(r HeldReminder) bool { return hidden(r.private(), r.Channel()) },
		hideHeld, HeldReminder.ID, HeldReminder.Channel)
	return h, nil
}

// homeList caps entries at HomeListCap, hiding the content of those from
// private channels the person is not in, and says what was left out.
func homeList[T any](entries []T, hidden func(T) bool, hide func(T) T, id, channel func(T) string) HomeList[T] {
	var l HomeList[T]
	counts := map[string]int{}
	for i, e := range entries {
		if i < HomeListCap {
			it := HomeItem[T]{Entry: e, Hidden: hidden(e)}
			if it.Hidden {
				it.Entry = hide(e)
			}
			l.Items = append(l.Items, it)
			continue
		}
		l.More++
		if v := id(e); v != "" {
			l.MoreIDs = append(l.MoreIDs, v)
		}
		if ch := channel(e); ch != "" {
			if counts[ch] == 0 {
				l.MoreIn = append(l.MoreIn, ChannelCount{Channel: ch})
			}
			counts[ch]++
		}
	}
	for i := range l.MoreIn {
		l.MoreIn[i].N = counts[l.MoreIn[i].Channel]
	}
	slices.SortStableFunc(l.MoreIn, func(a, b ChannelCount) int { return cmp.Compare(b.N, a.N) })
	return l
}

// The hide functions keep what names an entry from a private channel: its
// ID, channel, people and dates; never its text.

func hideDecision(d *Decision) *Decision {
	return &Decision{Team: d.Team, Number: d.Number, Date: d.Date, Owner: d.Owner, Author: d.Author,
		Channel: d.Channel, ChannelPrivate: true, Status: d.Status, DecideBy: d.DecideBy, RevisitBy: d.RevisitBy,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func hideBlocker(f BlockerFor) BlockerFor {
	b := f.Blocker
	f.Blocker = &Blocker{Team: b.Team, Number: b.Number, NeededBy: b.NeededBy, DueAt: b.DueAt, Reporter: b.Reporter,
		Channel: b.Channel, ChannelPrivate: true, Parties: b.Parties, Status: b.Status, CreatedAt: b.CreatedAt,
		UpdatedAt: b.UpdatedAt, EscalatedAt: b.EscalatedAt, OverdueAt: b.OverdueAt, ClimbedAt: b.ClimbedAt}
	return f
}

// blockersFor says why each blocker is user's: they reported it, or the
// first party that names them (in member, the channels they are in).
func blockersFor(bs []*Blocker, user string, member map[string]bool) []BlockerFor {
	out := make([]BlockerFor, len(bs))
	for i, b := range bs {
		out[i] = BlockerFor{Blocker: b, Reported: b.Reporter == user}
		for _, p := range b.Parties {
			if (p.Kind == PartyUser && p.ID == user) || (p.Kind == PartyGroup && slices.Contains(p.Members, user)) ||
				(p.Kind == PartyChannel && member[p.ID]) {
				out[i].Via = p
				break
			}
		}
	}
	return out
}

func hidePulse(p *Pulse) *Pulse {
	return &Pulse{Team: p.Team, Number: p.Number, Series: p.Series, Run: p.Run, Channel: p.Channel,
		ChannelPrivate: true, CreatedBy: p.CreatedBy, Status: p.Status, SentAt: p.SentAt, ClosesAt: p.ClosesAt}
}

func hideHeld(r HeldReminder) HeldReminder {
	out := HeldReminder{At: r.At, Reminder: r.Reminder, Checkin: r.Checkin}
	if r.Decision != nil {
		out.Decision = hideDecision(r.Decision)
	}
	if r.Pulse != nil {
		out.Pulse = hidePulse(r.Pulse)
	}
	if r.Session != nil {
		out.Session = &Session{Team: r.Session.Team, Number: r.Session.Number, Kind: r.Session.Kind,
			Channel: r.Session.Channel, ChannelPrivate: true}
		out.Item = hideItem(r.Item)
	}
	return out
}

// hideItem keeps what names an action item and when it is due.
func hideItem(it *Item) *Item {
	return &Item{Team: it.Team, Session: it.Session, Number: it.Number, Kind: it.Kind, Owner: it.Owner, Due: it.Due,
		SessionKind: it.SessionKind, Channel: it.Channel, ChannelPrivate: true}
}

// private reports whether the reminder's subject is from a private
// channel. A check-in reminder goes to the channel's members only.
func (r HeldReminder) private() bool {
	switch {
	case r.Decision != nil:
		return r.Decision.ChannelPrivate
	case r.Pulse != nil:
		return r.Pulse.ChannelPrivate
	case r.Session != nil:
		return r.Session.ChannelPrivate
	}
	return false
}

// heldReminders reads the reminders folded for user in the cap's window
// and loads what each is about, newest first, one per subject, keeping
// those whose subject may still wait for them. Pulses and check-ins are
// settled later, against what waits (stillWaiting). Most are about the
// person's own proposals, already read: those are not read again.
func (s *Homes) heldReminders(ctx context.Context, team, user string, now time.Time, proposed []*Decision) ([]HeldReminder, error) {
	items, err := s.Store.FoldedReminders(ctx, team, user, now.Add(-HomeHeldFor), maxHeldReminders)
	if err != nil {
		return nil, err
	}
	known := make(map[int64]*Decision, len(proposed))
	for _, d := range proposed {
		known[d.Number] = d
	}
	var out []HeldReminder
	seen := map[string]bool{}
	for _, it := range items {
		r, key, err := s.heldReminder(ctx, it, known)
		if err != nil {
			return nil, err
		}
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		switch {
		case r.Decision != nil:
			want := StatusProposed
			if r.Reminder == ReminderRevisit {
				want = StatusDecided
			}
			if r.Decision.Status != want || r.Decision.Owner != user {
				continue
			}
		case r.Item != nil:
			if r.Item.Done() || r.Item.Owner != user {
				continue
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// heldReminder loads the subject of one folded reminder (a decision from
// known when there), and a key that names it; an empty key means there is
// nothing left to show (the subject is gone, or the reminder's kind is not
// one App Home knows).
func (s *Homes) heldReminder(ctx context.Context, it OutboxItem, known map[int64]*Decision) (HeldReminder, string, error) {
	r := HeldReminder{At: it.CreatedAt}
	switch it.Kind {
	case KindDecisionReminder:
		var data ReminderData
		json.Unmarshal(it.Data, &data)
		d, err := known[it.Ref], error(nil)
		if d == nil {
			d, err = s.Store.Decision(ctx, it.Team, it.Ref)
		}
		if ErrorCode(err) == ENOTFOUND {
			return r, "", nil
		} else if err != nil {
			return r, "", err
		}
		r.Decision, r.Reminder = d, data.Kind
		return r, fmt.Sprintf("D/%d/%t", d.Number, data.Kind == ReminderRevisit), nil
	case KindPulseReminder:
		r.Pulse = &Pulse{Team: it.Team, Number: it.Ref}
		return r, fmt.Sprintf("P/%d", it.Ref), nil
	case KindCheckinReminder:
		var ref CheckinRef
		if json.Unmarshal(it.Data, &ref) != nil {
			return r, "", nil
		}
		r.Checkin = &Checkin{Team: it.Team, Channel: ref.Channel, ScheduledFor: time.UnixMilli(ref.ScheduledFor).UTC()}
		return r, fmt.Sprintf("C/%s/%d", ref.Channel, ref.ScheduledFor), nil
	case KindSessionReminder:
		var data SessionItemData
		if json.Unmarshal(it.Data, &data) != nil {
			return r, "", nil
		}
		sess, err := s.Store.Session(ctx, it.Team, it.Ref)
		if ErrorCode(err) == ENOTFOUND {
			return r, "", nil
		} else if err != nil {
			return r, "", err
		}
		if r.Session, r.Item = sess, sess.Item(data.Item); r.Item == nil {
			return r, "", nil
		}
		return r, r.Item.Ref(), nil
	}
	return r, "", nil
}

// stillWaiting keeps the held reminders whose subject still waits: their
// pulse and check-in reminders only while the pulse or check-in is among
// those waiting for the person, filled in from there.
func stillWaiting(held []HeldReminder, pulses []*Pulse, checkins []*Checkin) []HeldReminder {
	out := held[:0]
	for _, r := range held {
		switch {
		case r.Pulse != nil:
			i := slices.IndexFunc(pulses, func(p *Pulse) bool { return p.Number == r.Pulse.Number })
			if i < 0 {
				continue
			}
			r.Pulse = pulses[i]
		case r.Checkin != nil:
			i := slices.IndexFunc(checkins, func(c *Checkin) bool {
				return c.Channel == r.Checkin.Channel && c.ScheduledFor.Equal(r.Checkin.ScheduledFor)
			})
			if i < 0 {
				continue
			}
			r.Checkin = checkins[i]
		}
		out = append(out, r)
	}
	return out
}
