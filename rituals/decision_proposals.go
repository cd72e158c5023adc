package rituals

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// DefaultDecideWithin is how long an area's Accountable owner has to
// accept or send back a proposal that came without a decide-by date.
const DefaultDecideWithin = 7 // days

// proposeToAccountable applies decision rights to d, which c (in teams m)
// is recording: in an area whose Accountable owner c does not act for, d
// becomes a proposal owned by that owner, waiting for them to accept it
// or send it back, rather than a decision in c's name. Returns EINVALID
// for an unknown area.
func proposeToAccountable(ctx context.Context, tx DecisionTx, c Caller, d *Decision, m memberships) error {
	if d.Area == "" {
		return nil
	}
	right, err := tx.Right(ctx, c.Team, d.Area)
	if ErrorCode(err) == ENOTFOUND {
		return errNoArea(d.Area)
	}
	if err != nil {
		return err
	}
	if m.actsFor(c, right.Owner) {
		return nil
	}
	if d.Owner != right.Owner {
		d.Owner, d.OwnerName, d.OwnerZone = right.Owner, right.Names[right.Owner], Zone{}
	}
	d.Status, d.ProposedBy, d.DecidedAt = StatusProposed, c.User, time.Time{}
	if d.DecideBy.IsZero() {
		d.DecideBy = d.Date.AddDays(DefaultDecideWithin)
	}
	return nil
}

// askAccountable is the message that asks a proposal's Accountable owner
// to accept it or send it back: a DM to a person, a post in a channel
// that owns the area, and for a user group a post in the proposal's
// channel that mentions the group.
func askAccountable(d *Decision) Outgoing {
	data, _ := json.Marshal(ReminderData{Kind: ReminderAccept})
	return Outgoing{Team: d.Team, Kind: KindDecisionReminder, Channel: ownerChannel(d, d.Owner),
		Ref: d.Number, Data: data}
}

// ownerChannel is where a message for owner about d goes: the DM of a
// person, a channel itself, and d's channel for a user group.
func ownerChannel(d *Decision, owner string) string {
	if IsGroupID(owner) {
		return d.Channel
	}
	return owner
}

// MayDecide checks that c may settle d, a proposal: anyone who may edit
// it, except that a proposal waiting for its area's Accountable owner is
// settled only by that owner (or a member of that team) or an admin, not
// by whoever proposed it. Returns EFORBIDDEN.
func (s *Decisions) MayDecide(ctx context.Context, c Caller, d *Decision) error {
	m, err := teamsOf(ctx, s.Members, c, d.Owner)
	if err != nil {
		return err
	}
	return mayDecide(c, d, m)
}

// mayDecide is MayDecide with c's teams known.
func mayDecide(c Caller, d *Decision, m memberships) error {
	if !d.AwaitsOwner() || c.Admin || m.actsFor(c, d.Owner) {
		return nil
	}
	return Errorf(EFORBIDDEN, "%s waits for %s, accountable for the `%s` area, to accept it or send it back.",
		d.ID(), ownerLabel(d), d.Area)
}

func ownerLabel(d *Decision) string {
	if d.Owner == "" {
		return d.OwnerName
	}
	return Mention(d.Owner)
}

// Accept settles proposal n, waiting for its area's Accountable owner, as
// decided with its text, and tells whoever proposed it. Returns ECONFLICT
// if it does not wait for acceptance (any more), EFORBIDDEN unless the
// caller acts for the owner or is an admin.
func (s *Decisions) Accept(ctx context.Context, c Caller, n int64) (*Decision, error) {
	now := s.Now()
	return s.settle(ctx, c, n, now, func(d *Decision) string {
		d.Status, d.DecidedAt, d.DecideBy = StatusDecided, now, ""
		return fmt.Sprintf("%s accepted your proposal %s “%s”: it is decided.", Mention(c.User), d.ID(), truncate(d.Title, 120))
	})
}

// SendBack drops proposal n, waiting for its area's Accountable owner,
// with the reason, and tells whoever proposed it why. Returns EINVALID
// for an empty or oversized reason, and Accept's refusals.
func (s *Decisions) SendBack(ctx context.Context, c Caller, n int64, reason string) (*Decision, error) {
	reason, err := requiredText(FieldReason, "The reason", "Say why you send it back, so the proposer can revise it.", reason, MaxRationale)
	if err != nil {
		return nil, err
	}
	return s.settle(ctx, c, n, s.Now(), func(d *Decision) string {
		d.Status, d.SentBack, d.DecideBy = StatusDropped, reason, ""
		return fmt.Sprintf("%s sent back your proposal %s “%s”: %s\nRevise it and propose it again with `/decide [%s] <text>`.",
			Mention(c.User), d.ID(), truncate(d.Title, 120), reason, d.Area)
	})
}

// reachable reports whether c, in teams m, may reach d to answer it:
// from where d may be shown, or, for a proposal waiting for them, as its
// Accountable owner from anywhere: they may not be in its private
// channel, and are shown its ID there, never its text.
func reachable(c Caller, d *Decision, m memberships) bool {
	return d.VisibleIn(c.Channel) || (d.AwaitsOwner() && m.actsFor(c, d.Owner))
}

// ForAnswer returns proposal n if the caller may accept it or send it
// back now. Returns ENOTFOUND, ECONFLICT (not waiting) or EFORBIDDEN.
func (s *Decisions) ForAnswer(ctx context.Context, c Caller, n int64) (*Decision, error) {
	d, err := s.Store.Decision(ctx, c.Team, n)
	if err != nil {
		return nil, err
	}
	m, err := teamsOf(ctx, s.Members, c, d.Owner)
	switch {
	case err != nil:
		return nil, err
	case !reachable(c, d, m):
		return nil, notFoundDecision(n)
	case !d.AwaitsOwner():
		return nil, Errorf(ECONFLICT, "%s is not waiting for acceptance: it is %s.", d.ID(), d.Status)
	}
	return d, mayDecide(c, d, m)
}

// FieldReason is the send-back form's reason.
const FieldReason = "reason"

// settle applies the Accountable owner's answer to proposal n and tells
// its proposer (by DM) what change returns, in one transaction.
func (s *Decisions) settle(ctx context.Context, c Caller, n int64, now time.Time, change func(*Decision) string) (*Decision, error) {
	m, err := s.teamsFor(ctx, c, n)
	if err != nil {
		return nil, fmt.Errorf("settle proposal %d: %w", n, err)
	}
	var out *Decision
	err = s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		d, err := tx.Decision(ctx, c.Team, n)
		if err != nil {
			return err
		}
		if !reachable(c, d, m) {
			return notFoundDecision(n)
		}
		if !d.AwaitsOwner() {
			return Errorf(ECONFLICT, "%s is not waiting for acceptance: it is %s.", d.ID(), d.Status)
		}
		if err := mayDecide(c, d, m); err != nil {
			return err
		}
		text := change(d)
		out = d
		if err := s.save(ctx, tx, c, d, now); err != nil {
			return err
		}
		data, _ := json.Marshal(NoticeData{Text: text})
		if err := tx.Enqueue(ctx, Outgoing{Team: d.Team, Kind: KindNotice, Channel: d.ProposedBy, Data: data}); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, d.Team, d.Owner, d.ProposedBy)
	})
	if err != nil {
		return nil, fmt.Errorf("settle proposal %d: %w", n, err)
	}
	return out, nil
}
