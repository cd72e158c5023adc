package rituals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Sessions is the use cases of pre-mortems and retros: threads where a
// team names risks or lessons, votes on them, and leaves with owned
// actions. It is also the scheduler stage that closes them, follows
// pre-mortems up and reminds owners (see Due).
type Sessions struct {
	Store SessionStore
	Now   func() time.Time
	Log   *slog.Logger
	// Members, when set, tells who is in a channel that owns an action
	// item; when nil, only people own items.
	Members TeamMembers
}

var _ Stage = (*Sessions)(nil)

func (s *Sessions) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Open starts a pre-mortem or a retro in the caller's channel and posts
// its parent message. A pre-mortem with a launch day is followed up
// FollowUpAfter days after it. Returns EINVALID for bad input, and
// ErrDuplicate if the caller's request was already handled.
func (s *Sessions) Open(ctx context.Context, c Caller, in SessionInput) (*Session, error) {
	now := s.Now()
	if err := in.Check(c.Today(now)); err != nil {
		return nil, err
	}
	window := in.CloseIn
	if window == 0 {
		window = DefaultSessionWindow
	}
	ses := &Session{
		Team: c.Team, Kind: in.Kind, Name: in.Name, Channel: c.Channel, ChannelPrivate: c.ChannelPrivate,
		Creator: c.User, CreatorName: in.CreatorName, Status: SessionOpen, LaunchOn: in.LaunchOn,
		CreatedAt: now, ClosesAt: now.Add(window),
	}
	if !in.LaunchOn.IsZero() {
		loc := c.Location
		if loc == nil {
			loc = time.UTC
		}
		day, err := in.LaunchOn.AddDays(FollowUpAfter).Time(loc)
		if err != nil {
			return nil, err
		}
		ses.FollowUpAt = time.Date(day.Year(), day.Month(), day.Day(), FollowUpHour, 0, 0, 0, loc).UTC()
	}
	err := s.Store.InSessionTx(ctx, func(tx SessionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		n, err := tx.NextNumber(ctx, c.Team, "R")
		if err != nil {
			return err
		}
		ses.Number = n
		if err := tx.CreateSession(ctx, ses); err != nil {
			return err
		}
		return tx.Enqueue(ctx, Outgoing{Team: ses.Team, Kind: KindSessionOpen, Channel: ses.Channel, Ref: ses.Number, Key: ses.ThreadKey()})
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", in.Kind, err)
	}
	return ses, nil
}

// Get returns session n if the caller may see it from their channel.
// Returns ENOTFOUND otherwise, so private sessions do not leak.
func (s *Sessions) Get(ctx context.Context, c Caller, n int64) (*Session, error) {
	ses, err := s.Store.Session(ctx, c.Team, n)
	if err != nil {
		return nil, err
	}
	if !ses.VisibleIn(c.Channel) {
		return nil, notFoundSession(n)
	}
	return ses, nil
}

// Show returns the session id names, for the /premortem or /retro (kind)
// command shown, if the caller may see it from their channel. Returns
// ENOTFOUND otherwise, so private sessions do not leak, and EINVALID
// naming the right command for a session of the other kind.
func (s *Sessions) Show(ctx context.Context, c Caller, kind SessionKind, id SessionID) (*Session, error) {
	ses, err := s.Get(ctx, c, id.Number)
	if ErrorCode(err) == ENOTFOUND {
		return nil, id.notFound(kind)
	}
	if err != nil {
		return nil, err
	}
	if err := id.Matches(ses, kind, "show"); err != nil {
		return nil, err
	}
	return ses, nil
}

// List returns the caller's channel's open sessions of kind, oldest
// first, and the open action items of its sessions of kind.
func (s *Sessions) List(ctx context.Context, c Caller, kind SessionKind) ([]*Session, []*Item, error) {
	open, err := s.Store.Sessions(ctx, SessionFilter{Team: c.Team, Channel: c.Channel, ViewerChannel: c.Channel,
		Kind: kind, Status: SessionOpen, Limit: MaxListLimit})
	if err != nil {
		return nil, nil, err
	}
	actions, err := s.Store.SessionItems(ctx, ItemFilter{Team: c.Team, Channel: c.Channel, ViewerChannel: c.Channel,
		SessionKind: kind, OpenActions: true})
	return open, actions, err
}

// OpenActions returns the open action items of a channel's pre-mortems
// and retros, oldest first: what the digest lists until they are done.
func (s *Sessions) OpenActions(ctx context.Context, team, channel string) ([]*Item, error) {
	return s.Store.SessionItems(ctx, ItemFilter{Team: team, Channel: channel, ViewerChannel: channel, OpenActions: true})
}

// TopRisks returns the n highest-ranked risks of the pre-mortems held in
// a channel since then, for the digest.
func (s *Sessions) TopRisks(ctx context.Context, team, channel string, since time.Time, n int) ([]*Item, error) {
	risks, err := s.Store.SessionItems(ctx, ItemFilter{Team: team, Channel: channel, ViewerChannel: channel,
		Risks: true, SessionsSince: since})
	if err != nil {
		return nil, err
	}
	risks = RankRisks(risks)
	return risks[:min(n, len(risks))], nil
}

// ForAdd returns session n if the caller may add an item of kind to it
// now: before a form opens. Returns ENOTFOUND, EINVALID (a kind it does
// not take) or ECONFLICT (closed).
func (s *Sessions) ForAdd(ctx context.Context, c Caller, n int64, kind ItemKind) (*Session, error) {
	ses, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, err
	}
	if err := takesItems(ses); err != nil {
		return nil, err
	}
	if err := ses.takes(kind); err != nil {
		return nil, err
	}
	return ses, nil
}

// AddItem adds an item to open session n and posts it in its thread, with
// a +1 button. An input with no Kind is a plain reply typed in the thread:
// a failure mode in a pre-mortem, and in a retro whatever its first word
// says (see ReplyKind). An anonymous item keeps no author. Returns
// EINVALID (per field), ECONFLICT once the session is closed, and
// ErrDuplicate if the caller's request was already handled.
func (s *Sessions) AddItem(ctx context.Context, c Caller, n int64, in ItemInput) (*Session, *Item, error) {
	now := s.Now()
	var ses *Session
	var it *Item
	err := s.change(ctx, c, n, now, func(tx SessionTx, got *Session) error {
		ses = got
		if err := takesItems(ses); err != nil {
			return err
		}
		if in.Kind == "" {
			in.Kind, in.Text = ses.Kind.ReplyKind(in.Text)
		}
		if err := in.check(ses, c.Today(now)); err != nil {
			return err
		}
		num, err := tx.NextNumber(ctx, c.Team, ses.ID()+"/item")
		if err != nil {
			return err
		}
		it = &Item{
			Team: ses.Team, Session: ses.Number, Number: num, Kind: in.Kind, Text: in.Text, Author: c.User,
			Anonymous: in.Anonymous, SourceTS: in.SourceTS, Likelihood: in.Likelihood, Impact: in.Impact,
			Tag: in.Tag, CreatedAt: now,
		}
		if in.Anonymous {
			it.Author = ""
		}
		if err := tx.AddSessionItem(ctx, it); err != nil {
			return err
		}
		msgs := []Outgoing{sessionItemPost(ses, it)}
		if in.Owner != "" {
			it.Owner, it.OwnerName, it.OwnerZone, it.Due = in.Owner, in.OwnerName, in.OwnerZone, in.Due
			it.AssignedBy, it.AssignedAt = c.User, now
			if err := tx.AssignItem(ctx, it); err != nil {
				return err
			}
			msgs = append(msgs, ownerNotice(ses, it, c.User)...)
			if err := refreshHomes(ctx, tx, ses.Team, it.Owner); err != nil { // it shows in their Home
				return err
			}
		}
		ses.Items = append(ses.Items, it)
		return tx.Enqueue(ctx, msgs...)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("add item to session %d: %w", n, err)
	}
	return ses, it, nil
}

// Vote adds the caller's +1 to an item of open session n, or takes it
// back if they had given it, and shows the new count. Returns ECONFLICT,
// politely, once the session is closed.
func (s *Sessions) Vote(ctx context.Context, c Caller, n, item int64) (bool, *Item, error) {
	now := s.Now()
	var voted bool
	var it *Item
	err := s.change(ctx, c, n, now, func(tx SessionTx, ses *Session) (err error) {
		if it, err = ses.find(item); err != nil {
			return err
		}
		if !ses.Open() {
			return Errorf(ECONFLICT, "%s is closed, so it takes no more votes. Its ranked summary is in the thread.", ses.ID())
		}
		if voted, err = tx.ToggleVote(ctx, c.Team, n, item, c.User, now); err != nil {
			return err
		}
		if voted {
			it.Votes++
		} else {
			it.Votes--
		}
		return tx.Enqueue(ctx, sessionItemUpdate(ses, it))
	})
	if err != nil {
		return false, nil, fmt.Errorf("vote on session %d #%d: %w", n, item, err)
	}
	return voted, it, nil
}

// Close ends the open session id names early and posts its ranked
// summary; kind is the command's (/premortem or /retro). Only its creator
// or an admin may (EFORBIDDEN); ECONFLICT if it is closed; EINVALID for a
// session of the other kind, and ENOTFOUND as Show.
func (s *Sessions) Close(ctx context.Context, c Caller, kind SessionKind, id SessionID) (*Session, error) {
	now := s.Now()
	n := id.Number
	var out *Session
	err := s.changeAs(ctx, c, n, now, id.notFound(kind), func(tx SessionTx, ses *Session) error {
		out = ses
		if err := id.Matches(ses, kind, "close"); err != nil {
			return err
		}
		switch {
		case !ses.Open():
			return Errorf(ECONFLICT, "%s is already closed; its summary is in its thread.", ses.ID())
		case !ses.MayClose(c):
			return Errorf(EFORBIDDEN, "Only %s, who opened %s, or an admin can close it early; otherwise it closes by itself.",
				sessionPerson(ses.Creator, ses.CreatorName), ses.ID())
		}
		err := closeSession(ctx, tx, ses, c.User, now)
		if errors.Is(err, ErrDuplicate) {
			return Errorf(ECONFLICT, "%s is already closed; its summary is in its thread.", ses.ID())
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("close session %d: %w", n, err)
	}
	return out, nil
}

// closeSession closes ses, once, updates its parent and posts its ranked
// summary in the thread and the channel. Returns ErrDuplicate if it was
// closed already.
func closeSession(ctx context.Context, tx SessionTx, ses *Session, by string, now time.Time) error {
	if err := tx.CloseSession(ctx, ses.Team, ses.Number, by, now); err != nil {
		return err
	}
	ses.Status, ses.ClosedAt, ses.ClosedBy = SessionClosed, now, by
	return tx.Enqueue(ctx,
		Outgoing{Team: ses.Team, Kind: KindSessionUpdate, Channel: ses.Channel, Ref: ses.Number, Target: ses.ThreadKey()},
		Outgoing{Team: ses.Team, Kind: KindSessionSummary, Channel: ses.Channel, Ref: ses.Number,
			Key: ses.SummaryKey(), Target: ses.ThreadKey()})
}

// change runs fn in one transaction on session n as the caller sees it,
// after claiming the caller's request.
func (s *Sessions) change(ctx context.Context, c Caller, n int64, now time.Time, fn func(tx SessionTx, ses *Session) error) error {
	return s.changeAs(ctx, c, n, now, notFoundSession(n), fn)
}

// changeAs is change, returning notFound when session n does not exist or
// the caller may not see it.
func (s *Sessions) changeAs(ctx context.Context, c Caller, n int64, now time.Time, notFound error, fn func(tx SessionTx, ses *Session) error) error {
	return s.Store.InSessionTx(ctx, func(tx SessionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		ses, err := tx.Session(ctx, c.Team, n)
		if ErrorCode(err) == ENOTFOUND {
			return notFound
		}
		if err != nil {
			return err
		}
		if !ses.VisibleIn(c.Channel) {
			return notFound
		}
		return fn(tx, ses)
	})
}

func takesItems(ses *Session) error {
	if ses.Open() {
		return nil
	}
	return Errorf(ECONFLICT, "%s is closed, so it takes no more items. Its summary is in its thread.", ses.ID())
}

func sessionItemData(it *Item) []byte {
	data, _ := json.Marshal(SessionItemData{Item: it.Number})
	return data
}

// sessionItemPost posts it in its session's thread.
func sessionItemPost(ses *Session, it *Item) Outgoing {
	return Outgoing{Team: ses.Team, Kind: KindSessionItem, Channel: ses.Channel, Ref: ses.Number,
		Key: ses.ItemKey(it.Number), Target: ses.ThreadKey(), Data: sessionItemData(it)}
}

// sessionItemUpdate re-renders its reply in the thread.
func sessionItemUpdate(ses *Session, it *Item) Outgoing {
	return Outgoing{Team: ses.Team, Kind: KindSessionItemUpdate, Channel: ses.Channel, Ref: ses.Number,
		Target: ses.ItemKey(it.Number), Data: sessionItemData(it)}
}

// sessionPerson names someone in a sentence: their display name, or a mention.
func sessionPerson(id, name string) string {
	if name != "" {
		return name
	}
	return "<@" + id + ">"
}

func notFoundSession(n int64) error {
	return Errorf(ENOTFOUND, "There is no pre-mortem or retro numbered %d that you can see from this channel.", n)
}

// find returns item n of ses. Returns ENOTFOUND.
func (s *Session) find(n int64) (*Item, error) {
	if it := s.Item(n); it != nil {
		return it, nil
	}
	return nil, Errorf(ENOTFOUND, "%s has no item #%d.", s.ID(), n)
}
