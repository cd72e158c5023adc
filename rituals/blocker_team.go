package rituals

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// MaxClaims bounds the user groups and people one channel claims as its
// team.
const MaxClaims = 20

// Inbound blockers. A channel receives a blocker reported in another
// channel when the blocker names it, or names a user group or a person the
// channel claimed as its own team (/blocker team). Claims are read when
// the blocker is shown, so claiming a group brings in the blockers already
// open against it.

// Team returns the user groups and people the caller's channel claims as
// its own team, in the order claimed.
func (s *Blockers) Team(ctx context.Context, c Caller) ([]Party, error) {
	return s.Store.BlockerClaims(ctx, c.Team, c.Channel)
}

// Claim makes each of parties (user groups or people, already checked by
// the edge) part of the caller's channel's team. Claiming one twice
// changes nothing. Returns EFORBIDDEN when ALIGNBOT_ADMINS is set and the
// caller is not one, and EINVALID for a channel, no party or too many.
func (s *Blockers) Claim(ctx context.Context, c Caller, parties []Party) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change this channel's team.")
	}
	parties = uniqueParties(parties)
	if len(parties) == 0 {
		return Errorf(EINVALID, "Name the user group or people that are this channel's team, e.g. `/blocker team @platform-team`.")
	}
	for _, p := range parties {
		if p.Kind == PartyChannel {
			return Errorf(EINVALID, "<#%s> is a channel: a blocker that names it shows there already. Claim a user group or people, e.g. `/blocker team @platform-team`.", p.ID)
		}
	}
	now := s.Now()
	err := s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		have, err := tx.BlockerClaims(ctx, c.Team, c.Channel)
		if err != nil {
			return err
		}
		fresh := slices.DeleteFunc(slices.Clone(parties), func(p Party) bool {
			return slices.ContainsFunc(have, func(q Party) bool { return q.ID == p.ID })
		})
		if n := len(have) + len(fresh); n > MaxClaims {
			return Errorf(EINVALID, "That would make this channel's team %d groups and people; the limit is %d. Remove some with `/blocker team remove @group`.", n, MaxClaims)
		}
		for _, p := range fresh {
			if err := tx.SaveBlockerClaim(ctx, c.Team, c.Channel, p, c.User, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("claim team: %w", err)
	}
	return nil
}

// Unclaim removes parties from the caller's channel's team, all or none.
// Returns ENOTFOUND when the channel had not claimed one, and EFORBIDDEN
// as Claim does.
func (s *Blockers) Unclaim(ctx context.Context, c Caller, parties []Party) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change this channel's team.")
	}
	now := s.Now()
	err := s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		for _, p := range parties {
			removed, err := tx.DeleteBlockerClaim(ctx, c.Team, c.Channel, p.ID)
			if err != nil {
				return err
			}
			if !removed {
				return Errorf(ENOTFOUND, "This channel has not claimed %s; `/blocker team` shows what it has.", partyRef(p))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("unclaim team: %w", err)
	}
	return nil
}

// partyRef names a party in a sentence, as Slack renders mentions.
func partyRef(p Party) string {
	switch p.Kind {
	case PartyGroup:
		return "<!subteam^" + p.ID + ">"
	case PartyChannel:
		return "<#" + p.ID + ">"
	}
	return "<@" + p.ID + ">"
}

// Inbound returns the open blockers reported in other channels that the
// caller's channel must act on, oldest first, each as the channel may see
// it (see SeenFrom).
func (s *Blockers) Inbound(ctx context.Context, c Caller) ([]*Blocker, error) {
	bs, err := s.Store.Blockers(ctx, BlockerFilter{Team: c.Team, Inbound: c.Channel, Status: BlockerOpen, Limit: MaxListLimit})
	if err != nil {
		return nil, fmt.Errorf("inbound blockers: %w", err)
	}
	return seenFrom(bs, c.Channel), nil
}

func seenFrom(bs []*Blocker, channel string) []*Blocker {
	out := make([]*Blocker, len(bs))
	for i, b := range bs {
		out[i] = b.SeenFrom(channel)
	}
	return out
}

// SeenFrom returns b as channel may see it: whole when it may (see
// VisibleIn), else only its ID, its dates, its SLA and escalation marks,
// never its text, its people or where it was reported.
func (b *Blocker) SeenFrom(channel string) *Blocker {
	if b.VisibleIn(channel) {
		return b
	}
	return &Blocker{Team: b.Team, Number: b.Number, NeededBy: b.NeededBy, DueAt: b.DueAt, Channel: b.Channel,
		ChannelPrivate: true, Status: b.Status, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, ResolvedAt: b.ResolvedAt,
		TimeToResolve: b.TimeToResolve, EscalatedAt: b.EscalatedAt, OverdueAt: b.OverdueAt, SLA: b.SLA, ClimbedAt: b.ClimbedAt}
}

// Hidden reports whether b was stripped by SeenFrom: it is from a private
// channel that is not the viewer's.
func (b *Blocker) Hidden() bool { return b.ChannelPrivate && b.Text == "" }

// Escalation levels of a blocker: open past its SLA, its parties and
// reporter were told (1); past twice its SLA, its channel's escalation
// target was told too (2).
const (
	LevelNone = iota
	LevelParties
	LevelTarget
)

// Level is how far b has escalated.
func (b *Blocker) Level() int {
	switch {
	case !b.ClimbedAt.IsZero():
		return LevelTarget
	case !b.EscalatedAt.IsZero():
		return LevelParties
	}
	return LevelNone
}

// PastSLA reports whether b has been open longer than its channel's SLA
// at now.
func (b *Blocker) PastSLA(now time.Time) bool {
	return b.Open() && b.SLA > 0 && now.Sub(b.CreatedAt) >= b.SLA
}

// EscalationTarget returns where the caller's channel's blockers go once
// open past twice its SLA, and false when it has none.
func (s *Blockers) EscalationTarget(ctx context.Context, c Caller) (Party, bool, error) {
	return s.Store.EscalationTarget(ctx, c.Team, c.Channel)
}

// SetEscalationTarget sets (or, with nil, clears) where the caller's
// channel's blockers go once open past twice its SLA: a person or a
// channel, already checked by the edge. Returns EINVALID for a user group
// and EFORBIDDEN as SetSLA does.
func (s *Blockers) SetEscalationTarget(ctx context.Context, c Caller, target *Party) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change where this channel's blockers escalate.")
	}
	if target != nil && target.Kind != PartyUser && target.Kind != PartyChannel {
		return Errorf(EINVALID, "Escalate to one person or one channel, e.g. `/blocker escalate-to @lead` or `/blocker escalate-to #eng-leads`.")
	}
	now := s.Now()
	err := s.Store.InBlockerTx(ctx, func(tx BlockerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return tx.SaveEscalationTarget(ctx, c.Team, c.Channel, target, c.User, now)
	})
	if err != nil {
		return fmt.Errorf("set escalation target: %w", err)
	}
	return nil
}
