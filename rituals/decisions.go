package rituals

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode/utf8"
)

// Decisions is the decision log's use cases.
type Decisions struct {
	Store DecisionStore
	Now   func() time.Time
	// Members, when set, tells who belongs to a team that owns a decision
	// or an area; when nil, only people own anything.
	Members TeamMembers
}

// Record adds a decision to the log and posts its card in the caller's
// channel, and, for an area with decision rights, in its informed
// channels (never from a private channel), pinging the consulted people
// in the card's thread. Returns EINVALID (with per-field messages) for bad
// input, and ErrDuplicate if the caller's request was already handled.
func (s *Decisions) Record(ctx context.Context, c Caller, in DecisionInput) (*Decision, error) {
	now := s.Now()
	if in.Owner == "" {
		in.Owner = c.User
	}
	if err := in.normalize(c.Today(now)); err != nil {
		return nil, err
	}
	d := newDecision(c, in, now)
	m, err := s.areaTeams(ctx, c, d.Area)
	if err != nil {
		return nil, fmt.Errorf("record decision: %w", err)
	}
	err = s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		if err := proposeToAccountable(ctx, tx, c, d, m); err != nil {
			return err
		}
		return s.publish(ctx, tx, c, d)
	})
	if err != nil {
		return nil, fmt.Errorf("record decision: %w", err)
	}
	return d, nil
}

func newDecision(c Caller, in DecisionInput, now time.Time) *Decision {
	d := &Decision{
		Team: c.Team, Date: c.Today(now), Title: in.Title, Text: in.Text, Rationale: in.Rationale,
		Impact: in.Impact, Links: in.Links, Source: in.Source, Owner: in.Owner, OwnerName: in.OwnerName,
		OwnerZone: in.OwnerZone, Author: c.User, Channel: c.Channel, ChannelPrivate: c.ChannelPrivate,
		Status: in.Status, DecideBy: in.DecideBy, RevisitBy: in.RevisitBy, Area: in.Area,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if d.Status == StatusDecided {
		d.DecidedAt = now
	}
	return d
}

// ApplyArea applies the area-owner rule to in: a decision tagged with a
// decision area is owned by the area's owner. An untagged in is left as
// it is. Returns EINVALID if the team has no such area.
func (s *Decisions) ApplyArea(ctx context.Context, team string, in *DecisionInput) error {
	if in.Area == "" {
		return nil
	}
	right, err := s.Store.Right(ctx, team, in.Area)
	if ErrorCode(err) == ENOTFOUND {
		return errNoArea(in.Area)
	}
	if err != nil {
		return fmt.Errorf("area %s: %w", in.Area, err)
	}
	in.Owner, in.OwnerName = right.Owner, right.Names[right.Owner]
	return nil
}

// Tagged reads a decision typed as "[tag] rest" (whole, as typed): the
// tag is its area when the team has a decision area of that name, and the
// area's owner owns it (see ApplyArea); otherwise the tag is not an area
// but part of the decision, brackets and all ("[WIP] Use semver"). rest
// may be empty: the form opens with the area, or with the tag as title.
func (s *Decisions) Tagged(ctx context.Context, team, tag, rest, whole string) (DecisionInput, error) {
	right, err := s.Store.Right(ctx, team, strings.ToLower(strings.TrimSpace(tag)))
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return QuickDecision(whole), nil
	case err != nil:
		return DecisionInput{}, fmt.Errorf("area %s: %w", tag, err)
	}
	in := QuickDecision(rest)
	in.Area, in.Owner, in.OwnerName = right.Area, right.Owner, right.Names[right.Owner]
	return in, nil
}

// errNoArea refuses a decision tagged with an area that has no decision
// rights, next to the form's area field.
func errNoArea(area string) error {
	msg := fmt.Sprintf("There is no decision area %q; `/decide rights` lists them.", area)
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{FieldArea: msg}}
}

// publish numbers d, stores it and enqueues its cards and pings.
func (s *Decisions) publish(ctx context.Context, tx decisionPublisher, c Caller, d *Decision) error {
	var right *Right
	if d.Area != "" {
		var err error
		if right, err = tx.Right(ctx, c.Team, d.Area); ErrorCode(err) == ENOTFOUND {
			return errNoArea(d.Area)
		} else if err != nil {
			return err
		}
		if !c.ChannelPrivate {
			for _, ch := range right.Informed {
				if ch != d.Channel {
					d.PostedTo = append(d.PostedTo, ch)
				}
			}
		}
	}
	n, err := tx.NextNumber(ctx, c.Team, "D")
	if err != nil {
		return err
	}
	d.Number = n
	if err := tx.CreateDecision(ctx, d); err != nil {
		return err
	}
	var out []Outgoing
	for _, ch := range d.CardChannels() {
		out = append(out, Outgoing{Team: d.Team, Kind: KindDecisionCard, Channel: ch, Ref: d.Number, Key: d.CardKey(ch)})
	}
	if right != nil && len(right.Consulted) > 0 {
		data, _ := json.Marshal(NoticeData{
			Mention: right.Consulted,
			Text:    fmt.Sprintf("you are consulted on %s, in the %s area. Reply here with your view.", d.ID(), d.Area),
		})
		out = append(out, Outgoing{Team: d.Team, Kind: KindNotice, Channel: d.Channel,
			Target: d.CardKey(d.Channel), Data: data})
	}
	if d.AwaitsOwner() {
		out = append(out, askAccountable(d))
	}
	if err := tx.Enqueue(ctx, out...); err != nil {
		return err
	}
	return refreshHomes(ctx, tx, d.Team, d.Owner)
}

// Supersede records in as a new decision that replaces decision n, which
// becomes superseded; both cards link each other. Only n's owner, author
// or an admin may. Returns ECONFLICT if n was already superseded.
func (s *Decisions) Supersede(ctx context.Context, c Caller, n int64, in DecisionInput) (*Decision, error) {
	now := s.Now()
	if in.Owner == "" {
		in.Owner = c.User
	}
	if err := in.normalize(c.Today(now)); err != nil {
		return nil, err
	}
	d := newDecision(c, in, now)
	d.Supersedes = n
	m, err := s.teamsFor(ctx, c, n)
	if err == nil && in.Area != "" {
		var area memberships
		area, err = s.areaTeams(ctx, c, in.Area)
		maps.Copy(m, area)
	}
	if err != nil {
		return nil, fmt.Errorf("supersede decision %d: %w", n, err)
	}
	err = s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		old, err := editable(ctx, tx, c, n, m)
		if err != nil {
			return err
		}
		switch old.Status {
		case StatusDecided, StatusDeprecated:
		case StatusSuperseded:
			return Errorf(ECONFLICT, "%s was already superseded by %s; supersede that one instead.", old.ID(), FormatID("D", old.SupersededBy))
		default:
			return Errorf(EINVALID, "%s is %s, not decided: settle a proposal with Mark decided on its card.", old.ID(), old.Status)
		}
		if d.Area == "" {
			d.Area = old.Area
		}
		if err := mayReplaceIn(ctx, tx, c, d.Area, m); err != nil {
			return err
		}
		if err := s.publish(ctx, tx, c, d); err != nil {
			return err
		}
		old.Status, old.SupersededBy = StatusSuperseded, d.Number
		return s.save(ctx, tx, c, old, now)
	})
	if err != nil {
		return nil, fmt.Errorf("supersede decision %d: %w", n, err)
	}
	return d, nil
}

// MarkDecided settles proposal n with its final text; the time since it
// was proposed is its lead time.
func (s *Decisions) MarkDecided(ctx context.Context, c Caller, n int64, text string) (*Decision, error) {
	text, err := requiredText(FieldText, "The decision", "The final decision is required.", text, MaxDecisionText)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	return s.update(ctx, c, n, now, func(d *Decision, m memberships) error {
		if d.Status != StatusProposed {
			return Errorf(ECONFLICT, "%s is already %s.", d.ID(), d.Status)
		}
		if err := mayDecide(c, d, m); err != nil {
			return err
		}
		d.Text, d.Status, d.DecidedAt = text, StatusDecided, now
		return nil
	})
}

// Drop abandons proposal n: it will not be decided.
func (s *Decisions) Drop(ctx context.Context, c Caller, n int64) (*Decision, error) {
	return s.transition(ctx, c, n, StatusProposed, StatusDropped, "Only a proposed decision can be dropped")
}

// Deprecate marks decided decision n as no longer followed, without a
// replacement (use Supersede for one).
func (s *Decisions) Deprecate(ctx context.Context, c Caller, n int64) (*Decision, error) {
	return s.transition(ctx, c, n, StatusDecided, StatusDeprecated, "Only a decided decision can be deprecated")
}

// transition moves decision n from one status to another, refusing with
// ECONFLICT and refusal when it is in any other status.
func (s *Decisions) transition(ctx context.Context, c Caller, n int64, from, to DecisionStatus, refusal string) (*Decision, error) {
	return s.update(ctx, c, n, s.Now(), func(d *Decision, _ memberships) error {
		if d.Status != from {
			return Errorf(ECONFLICT, "%s; %s is %s.", refusal, d.ID(), d.Status)
		}
		d.Status = to
		return nil
	})
}

// History returns decision n's earlier versions, oldest first, if the
// caller may see it.
func (s *Decisions) History(ctx context.Context, c Caller, n int64) (*Decision, []DecisionVersion, error) {
	d, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, nil, err
	}
	vs, err := s.Store.DecisionVersions(ctx, c.Team, n)
	if err != nil {
		return nil, nil, err
	}
	return d, vs, nil
}

// requiredText trims text, the form's field, and checks it is there and
// at most max characters long; label names it in the refusal, empty is
// the refusal of nothing. Returns EINVALID on field.
func requiredText(field, label, empty, text string, max int) (string, error) {
	text = strings.TrimSpace(text)
	switch l := utf8.RuneCountInString(text); {
	case l == 0:
		return "", fieldError(field, empty)
	case l > max:
		return "", fieldError(field, fmt.Sprintf("%s is %d characters long; the limit is %d.", label, l, max))
	}
	return text, nil
}

func fieldError(field, msg string) error {
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
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
	m, err := s.teamsOf(ctx, c, d)
	if err != nil {
		return nil, err
	}
	if err := mayEdit(ctx, s.Store, c, d, m); err != nil {
		return nil, err
	}
	return d, nil
}

// Edit replaces decision n's fields with in, keeping the earlier version in
// its history, and updates its card. Only the owner, the author or an admin
// may edit.
func (s *Decisions) Edit(ctx context.Context, c Caller, n int64, in DecisionInput) (*Decision, error) {
	now := s.Now()
	return s.update(ctx, c, n, now, func(d *Decision, m memberships) error {
		if d.AwaitsOwner() && in.Owner != "" && in.Owner != d.Owner {
			// Handing a proposal to someone else is the Accountable
			// owner's call, not the proposer's.
			if err := mayDecide(c, d, m); err != nil {
				return err
			}
		}
		if in.Owner == "" {
			in.Owner = d.Owner
			in.OwnerName = d.OwnerName
		}
		if err := in.normalize(c.Today(now)); err != nil {
			// Dates already on the entry may lie in the past by now; only
			// newly chosen ones must be in the future.
			fe := FieldErrors(err)
			if fe[FieldDecideBy] != "" && in.DecideBy == d.DecideBy {
				delete(fe, FieldDecideBy)
			}
			if fe[FieldRevisitBy] != "" && in.RevisitBy == d.RevisitBy {
				delete(fe, FieldRevisitBy)
			}
			if len(fe) > 0 {
				return &Error{Code: EINVALID, Message: firstFieldMessage(fe), Fields: fe}
			}
		}
		d.Title, d.Text, d.Rationale, d.Impact = in.Title, in.Text, in.Rationale, in.Impact
		d.Owner, d.OwnerName, d.Links, d.RevisitBy = in.Owner, in.OwnerName, in.Links, in.RevisitBy
		if !in.OwnerZone.IsZero() {
			d.OwnerZone = in.OwnerZone
		}
		if d.Status == StatusProposed && in.Status == StatusDecided {
			if err := mayDecide(c, d, m); err != nil {
				return err
			}
			d.DecidedAt = now
		}
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
	rationale, err := requiredText(FieldRationale, "The rationale", "The rationale is required.", rationale, MaxRationale)
	if err != nil {
		return nil, err
	}
	return s.update(ctx, c, n, s.Now(), func(d *Decision, _ memberships) error {
		d.Rationale = rationale
		return nil
	})
}

// update loads decision n in a transaction, checks the caller may edit it,
// applies change (told the caller's teams), stores the new version and
// refreshes its cards.
func (s *Decisions) update(ctx context.Context, c Caller, n int64, now time.Time, change func(*Decision, memberships) error) (*Decision, error) {
	m, err := s.teamsFor(ctx, c, n)
	if err != nil {
		return nil, fmt.Errorf("update decision %d: %w", n, err)
	}
	var out *Decision
	err = s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		d, err := editable(ctx, tx, c, n, m)
		if err != nil {
			return err
		}
		owner := d.Owner
		if err := change(d, m); err != nil {
			return err
		}
		out = d
		if err := s.save(ctx, tx, c, d, now); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, d.Team, owner, d.Owner)
	})
	if err != nil {
		return nil, fmt.Errorf("update decision %d: %w", n, err)
	}
	return out, nil
}

// editable loads decision n if the caller, in teams m, may see and change
// it.
func editable(ctx context.Context, tx DecisionTx, c Caller, n int64, m memberships) (*Decision, error) {
	d, err := tx.Decision(ctx, c.Team, n)
	if err != nil {
		return nil, err
	}
	if !d.VisibleIn(c.Channel) {
		return nil, notFoundDecision(n)
	}
	if err := mayEdit(ctx, tx, c, d, m); err != nil {
		return nil, err
	}
	return d, nil
}

// save stores d as its next version and updates every card it has.
func (s *Decisions) save(ctx context.Context, tx DecisionTx, c Caller, d *Decision, now time.Time) error {
	d.Version++
	d.UpdatedAt = now
	if err := tx.UpdateDecision(ctx, d, c.User, now); err != nil {
		return err
	}
	var out []Outgoing
	for _, ch := range d.CardChannels() {
		out = append(out, Outgoing{Team: d.Team, Kind: KindDecisionCardUpdate, Channel: ch, Ref: d.Number, Target: d.CardKey(ch)})
	}
	return tx.Enqueue(ctx, out...)
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

// claim claims c's request, when it comes from one, so a redelivery of it
// changes nothing: the transaction then fails with ErrDuplicate.
func claim(ctx context.Context, tx Claimer, c Caller, now time.Time) error {
	if c.RequestID == "" {
		return nil
	}
	return tx.Claim(ctx, c.Team, c.RequestID, now)
}

func notFoundDecision(n int64) error {
	return Errorf(ENOTFOUND, "There is no decision %s that you can see from this channel.", FormatID("D", n))
}
