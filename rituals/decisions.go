package rituals

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Decisions is the decision log's use cases.
type Decisions struct {
	Store Store
	Now   func() time.Time
}

// Record adds a decision to the log and posts its card in the caller's
// channel. Returns EINVALID (with per-field messages) for bad input, and
// ErrDuplicate if the caller's request was already handled.
func (s *Decisions) Record(ctx context.Context, c Caller, in DecisionInput) (*Decision, error) {
	now := s.Now()
	if in.Owner == "" {
		in.Owner = c.User
	}
	if err := in.normalize(c.Today(now)); err != nil {
		return nil, err
	}
	d := &Decision{
		Team:      c.Team,
		Date:      c.Today(now),
		Title:     in.Title,
		Text:      in.Text,
		Rationale: in.Rationale,
		Impact:    in.Impact,
		Links:     in.Links,
		Source:    in.Source,
		Owner:     in.Owner,
		OwnerName: in.OwnerName,
		Author:    c.User,
		Channel:   c.Channel,
		Status:    in.Status,
		DecideBy:  in.DecideBy,
		Version:   1,
		CreatedAt: now,
		UpdatedAt: now,
	}
	err := s.Store.InTx(ctx, func(tx Tx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		n, err := tx.NextNumber(ctx, c.Team, "D")
		if err != nil {
			return err
		}
		d.Number = n
		if err := tx.CreateDecision(ctx, d); err != nil {
			return err
		}
		return tx.Enqueue(ctx, Outgoing{
			Team: d.Team, Kind: KindDecisionCard, Channel: d.Channel,
			Ref: d.Number, Key: d.CardKey(d.Channel),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("record decision: %w", err)
	}
	return d, nil
}

// Get returns decision number n if the caller may see it from their
// channel. Returns ENOTFOUND otherwise, so private entries do not leak.
func (s *Decisions) Get(ctx context.Context, c Caller, n int64) (*Decision, error) {
	d, err := s.Store.Decision(ctx, c.Team, n)
	if err != nil {
		return nil, err
	}
	if !d.VisibleIn(c.Channel) {
		return nil, notFoundDecision(n)
	}
	return d, nil
}

// ForEdit returns decision n if the caller may see and edit it. Returns
// ENOTFOUND or EFORBIDDEN with a sentence that names who may edit.
func (s *Decisions) ForEdit(ctx context.Context, c Caller, n int64) (*Decision, error) {
	d, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, err
	}
	if !d.CanEdit(c) {
		return nil, forbiddenEdit(d)
	}
	return d, nil
}

// Edit replaces decision n's fields with in, keeping the earlier version in
// its history, and updates its card. Only the owner, the author or an admin
// may edit.
func (s *Decisions) Edit(ctx context.Context, c Caller, n int64, in DecisionInput) (*Decision, error) {
	now := s.Now()
	return s.update(ctx, c, n, now, func(d *Decision) error {
		if in.Owner == "" {
			in.Owner = d.Owner
			in.OwnerName = d.OwnerName
		}
		if err := in.normalize(c.Today(now)); err != nil {
			// A decide-by date already on the entry may lie in the past
			// by now; only a newly chosen one must be in the future.
			if fe := FieldErrors(err); len(fe) == 1 && fe[FieldDecideBy] != "" && in.DecideBy == d.DecideBy {
				err = nil
			}
			if err != nil {
				return err
			}
		}
		d.Title, d.Text, d.Rationale, d.Impact = in.Title, in.Text, in.Rationale, in.Impact
		d.Owner, d.OwnerName, d.Links = in.Owner, in.OwnerName, in.Links
		if d.Status == StatusProposed || d.Status == StatusDecided {
			d.Status = in.Status
		}
		d.DecideBy = in.DecideBy
		if d.Status != StatusProposed {
			d.DecideBy = ""
		}
		return nil
	})
}

// AddRationale sets decision n's rationale, keeping the earlier version.
func (s *Decisions) AddRationale(ctx context.Context, c Caller, n int64, rationale string) (*Decision, error) {
	rationale = strings.TrimSpace(rationale)
	switch l := utf8.RuneCountInString(rationale); {
	case l == 0:
		return nil, &Error{Code: EINVALID, Message: "The rationale is required.", Fields: map[string]string{FieldRationale: "The rationale is required."}}
	case l > MaxRationale:
		msg := fmt.Sprintf("The rationale is %d characters long; the limit is %d.", l, MaxRationale)
		return nil, &Error{Code: EINVALID, Message: msg, Fields: map[string]string{FieldRationale: msg}}
	}
	return s.update(ctx, c, n, s.Now(), func(d *Decision) error {
		d.Rationale = rationale
		return nil
	})
}

// update loads decision n in a transaction, checks the caller may edit it,
// applies change, stores the new version and refreshes its cards.
func (s *Decisions) update(ctx context.Context, c Caller, n int64, now time.Time, change func(*Decision) error) (*Decision, error) {
	var out *Decision
	err := s.Store.InTx(ctx, func(tx Tx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		d, err := tx.Decision(ctx, c.Team, n)
		if err != nil {
			return err
		}
		if !d.VisibleIn(c.Channel) {
			return notFoundDecision(n)
		}
		if !d.CanEdit(c) {
			return forbiddenEdit(d)
		}
		if err := change(d); err != nil {
			return err
		}
		d.Version++
		d.UpdatedAt = now
		if err := tx.UpdateDecision(ctx, d, c.User, now); err != nil {
			return err
		}
		out = d
		return tx.Enqueue(ctx, Outgoing{
			Team: d.Team, Kind: KindDecisionCardUpdate, Channel: d.Channel,
			Ref: d.Number, Target: d.CardKey(d.Channel),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("update decision %d: %w", n, err)
	}
	return out, nil
}

// List returns the caller's channel's latest decisions, newest first.
// Returns EINVALID unless 1 ≤ limit ≤ MaxListLimit.
func (s *Decisions) List(ctx context.Context, c Caller, limit int) ([]*Decision, error) {
	if limit < 1 || limit > MaxListLimit {
		return nil, Errorf(EINVALID, "The number of decisions to list must be between 1 and %d.", MaxListLimit)
	}
	return s.Store.Decisions(ctx, DecisionFilter{Team: c.Team, Channel: c.Channel, ViewerChannel: c.Channel, Limit: limit})
}

// Search returns decisions matching all words of query in their title,
// decision or rationale, from the caller's channel and public channels.
func (s *Decisions) Search(ctx context.Context, c Caller, query string) ([]*Decision, error) {
	query = strings.TrimSpace(query)
	switch {
	case query == "":
		return nil, Errorf(EINVALID, "Tell me what to search for: `/decide search <words>`.")
	case utf8.RuneCountInString(query) > MaxSearchQuery:
		return nil, Errorf(EINVALID, "That search is %d characters long; keep it under %d.", utf8.RuneCountInString(query), MaxSearchQuery)
	}
	return s.Store.Decisions(ctx, DecisionFilter{Team: c.Team, ViewerChannel: c.Channel, Query: query, Limit: MaxSearchResults})
}

func claim(ctx context.Context, tx Tx, c Caller, now time.Time) error {
	if c.RequestID == "" {
		return nil
	}
	return tx.Claim(ctx, c.Team, c.RequestID, now)
}

func notFoundDecision(n int64) error {
	return Errorf(ENOTFOUND, "There is no decision %s that you can see from this channel.", FormatID("D", n))
}

func forbiddenEdit(d *Decision) error {
	owner := "its owner"
	if d.OwnerName != "" {
		owner = "its owner (" + d.OwnerName + ")"
	}
	return Errorf(EFORBIDDEN, "Only %s, its author or an admin can change %s.", owner, d.ID())
}
