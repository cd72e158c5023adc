package rituals

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ForTrack returns session n and its item if the caller may give the item
// an owner or mark it done: before a form opens. Returns ENOTFOUND,
// EINVALID (an item that is not a risk or a change), ECONFLICT (done) or
// EFORBIDDEN with a sentence that says who may.
func (s *Sessions) ForTrack(ctx context.Context, c Caller, n, item int64) (*Session, *Item, error) {
	ses, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.itemTeams(ctx, c, n, item)
	if err != nil {
		return nil, nil, err
	}
	it, err := trackable(c, ses, item, m)
	return ses, it, err
}

// trackable returns item n of ses if c may give it an owner or mark it
// done now: Item.MayTrack's people, or (by m) a member of the channel
// that owns it. See ForTrack.
func trackable(c Caller, ses *Session, n int64, m memberships) (*Item, error) {
	it, err := ses.find(n)
	switch {
	case err != nil:
		return nil, err
	case !it.Risk() && it.Kind != ItemChange:
		return nil, Errorf(EINVALID, "%s is not a risk or a change, so it has no owner to track.", it.Ref())
	case it.Done():
		return nil, Errorf(ECONFLICT, "%s is already done.", it.Ref())
	case !it.MayTrack(c, ses) && !m.actsFor(c, it.Owner):
		return nil, Errorf(EFORBIDDEN, "Only %s, who opened %s, whoever added or owns %s, or an admin can change who owns it or mark it done; when a channel owns it, any member of that channel can too.",
			sessionPerson(ses.Creator, ses.CreatorName), ses.ID(), it.Ref())
	}
	return it, nil
}

// itemTeams asks, before a transaction, whether c is in the channel (if
// one) that owns item of session n.
func (s *Sessions) itemTeams(ctx context.Context, c Caller, n, item int64) (memberships, error) {
	ses, err := s.Store.Session(ctx, c.Team, n)
	if err != nil {
		return memberships{}, nil // the transaction says what is wrong
	}
	it, err := ses.find(item)
	if err != nil {
		return memberships{}, nil
	}
	return teamsOf(ctx, s.Members, c, it.Owner)
}

// AssignOwner makes a risk or a change an action item: in.Owner owns it,
// due on in.Due, and is reminded by DM on that day in their time zone.
// Reassigning makes the reminder due again. Returns EINVALID (per field)
// and the refusals of ForTrack.
func (s *Sessions) AssignOwner(ctx context.Context, c Caller, n, item int64, in OwnerInput) (*Item, error) {
	now := s.Now()
	if err := in.Check(c.Today(now)); err != nil {
		return nil, err
	}
	var it *Item
	m, err := s.itemTeams(ctx, c, n, item)
	if err != nil {
		return nil, err
	}
	err = s.change(ctx, c, n, now, func(tx SessionTx, ses *Session) (err error) {
		if it, err = trackable(c, ses, item, m); err != nil {
			return err
		}
		was := it.Owner
		it.Owner, it.OwnerName, it.OwnerZone, it.Due = in.Owner, in.OwnerName, in.OwnerZone, in.Due
		it.AssignedBy, it.AssignedAt, it.RemindedAt = c.User, now, time.Time{}
		if err := tx.AssignItem(ctx, it); err != nil {
			return err
		}
		msgs := append(tracked(ses, it), ownerNotice(ses, it, c.User)...)
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, ses.Team, was, it.Owner) // the item moves between their Homes
	})
	if err != nil {
		return nil, fmt.Errorf("assign owner of session %d #%d: %w", n, item, err)
	}
	return it, nil
}

// Finish marks an action item done, on its reply and its session's
// summary. See ForTrack for who may.
func (s *Sessions) Finish(ctx context.Context, c Caller, n, item int64) (*Item, error) {
	now := s.Now()
	var it *Item
	m, err := s.itemTeams(ctx, c, n, item)
	if err != nil {
		return nil, err
	}
	err = s.change(ctx, c, n, now, func(tx SessionTx, ses *Session) (err error) {
		if it, err = trackable(c, ses, item, m); err != nil {
			return err
		}
		if !it.Action() {
			return Errorf(EINVALID, "%s has no owner yet: assign one first, then mark it done.", it.Ref())
		}
		if err := tx.FinishItem(ctx, c.Team, n, item, c.User, now); err != nil {
			return err
		}
		it.DoneAt, it.DoneBy = now, c.User
		if err := tx.Enqueue(ctx, tracked(ses, it)...); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, ses.Team, it.Owner) // it leaves its owner's Home
	})
	if err != nil {
		return nil, fmt.Errorf("finish session %d #%d: %w", n, item, err)
	}
	return it, nil
}

// tracked re-renders what shows an item's owner, blocker or state: its
// reply, and its session's summary once there is one.
func tracked(ses *Session, it *Item) []Outgoing {
	out := []Outgoing{sessionItemUpdate(ses, it)}
	if !ses.Open() {
		out = append(out, Outgoing{Team: ses.Team, Kind: KindSessionSummaryUpdate, Channel: ses.Channel,
			Ref: ses.Number, Target: ses.SummaryKey()})
	}
	return out
}

// ownerNotice tells an item's new owner, by DM, unless they chose
// themselves. From a private channel it names the item without its text:
// the owner reads it there.
func ownerNotice(ses *Session, it *Item, by string) []Outgoing {
	if it.Owner == "" || it.Owner == by {
		return nil
	}
	what := fmt.Sprintf("%s of %s %s", it.Ref(), lowerTitle(ses), ses.Name)
	if ses.ChannelPrivate {
		what = it.Ref()
	} else {
		what += ": “" + truncate(it.Text, 200) + "”"
	}
	if IsTeamID(it.Owner) {
		data, _ := json.Marshal(NoticeData{Text: fmt.Sprintf("<@%s> made this channel the owner of %s in <#%s>, due %s. Any member may mark it done; the reminder comes here that day.",
			by, what, ses.Channel, it.Due)})
		return []Outgoing{{Team: ses.Team, Kind: KindNotice, Channel: it.Owner, Ref: ses.Number, Data: data}}
	}
	data, _ := json.Marshal(NoticeData{Text: fmt.Sprintf("<@%s> made you the owner of %s in <#%s>, due %s. You get a reminder that day.",
		by, what, ses.Channel, it.Due)})
	return []Outgoing{{Team: ses.Team, Kind: KindNotice, Channel: it.Owner, User: it.Owner, Ref: ses.Number, Data: data}}
}

func lowerTitle(ses *Session) string {
	if ses.Kind == SessionRetro {
		return "retro"
	}
	return "pre-mortem"
}
