package rituals

import (
	"cmp"
	"context"
	"fmt"
)

// Who may act on a decision: its owner, its author, an admin, the members
// of a team that owns it, its area's Accountable owner. Slack is asked
// which teams the caller is in before a transaction opens (teamsFor),
// and the rules below decide inside it with that answer.

// rightReader reads an area's right, in a transaction or not.
type rightReader interface {
	Right(ctx context.Context, team, area string) (*Right, error)
}

// mayEdit checks that c may edit d: its owner, its author or an admin
// (Decision.CanEdit); a member of the team that owns it; the Accountable
// owner of its area (or a member of that team), who has the final say
// there; for an imported entry with no Slack owner, a member of the
// channel it was imported into, who may then claim it. m is c's teams,
// from teamsOf. Returns EFORBIDDEN naming who may.
func mayEdit(ctx context.Context, rights rightReader, c Caller, d *Decision, m memberships) error {
	if d.CanEdit(c) || m.actsFor(c, cmp.Or(d.Owner, d.Channel)) {
		return nil
	}
	if d.Area != "" {
		right, err := rights.Right(ctx, d.Team, d.Area)
		switch {
		case err == nil && m.actsFor(c, right.Owner):
			return nil
		case err != nil && ErrorCode(err) != ENOTFOUND:
			return fmt.Errorf("area of %s: %w", d.ID(), err)
		}
	}
	return forbiddenEdit(d)
}

// mayReplaceIn checks that c, in teams m, may supersede a decision in
// area: its Accountable owner's call (or an admin's), since a proposal
// cannot wait while the old decision is already replaced. Returns
// EFORBIDDEN saying to propose instead.
func mayReplaceIn(ctx context.Context, rights rightReader, c Caller, area string, m memberships) error {
	if area == "" || c.Admin {
		return nil
	}
	right, err := rights.Right(ctx, c.Team, area)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil // an area withdrawn: its decisions keep only the tag
	case err != nil:
		return err
	case m.actsFor(c, right.Owner):
		return nil
	}
	return Errorf(EFORBIDDEN, "Superseding a decision in the `%s` area is for %s, its accountable owner: propose the new decision with `/decide [%s] <text>` instead.",
		area, Mention(right.Owner), area)
}

// teamsFor asks, before a transaction, which teams that may act on
// decision n the caller is in: see teamsOf. A decision that is not there
// has none; the transaction then says so.
func (s *Decisions) teamsFor(ctx context.Context, c Caller, n int64) (memberships, error) {
	d, err := s.Store.Decision(ctx, c.Team, n)
	if ErrorCode(err) == ENOTFOUND {
		return memberships{}, nil
	}
	if err != nil {
		return nil, err
	}
	return s.teamsOf(ctx, c, d)
}

// teamsOf asks which of the teams that may act on d the caller is in: its
// owner (its channel, for an import with none) and its area's
// Accountable owner.
func (s *Decisions) teamsOf(ctx context.Context, c Caller, d *Decision) (memberships, error) {
	owners := []string{cmp.Or(d.Owner, d.Channel)}
	if d.Area != "" {
		right, err := s.Store.Right(ctx, d.Team, d.Area)
		switch {
		case err == nil:
			owners = append(owners, right.Owner)
		case ErrorCode(err) != ENOTFOUND:
			return nil, fmt.Errorf("area of %s: %w", d.ID(), err)
		}
	}
	return teamsOf(ctx, s.Members, c, owners...)
}

// areaTeams asks whether the caller is in the team, if a team, that is
// Accountable for area.
func (s *Decisions) areaTeams(ctx context.Context, c Caller, area string) (memberships, error) {
	if area == "" {
		return memberships{}, nil
	}
	right, err := s.Store.Right(ctx, c.Team, area)
	if ErrorCode(err) == ENOTFOUND {
		return memberships{}, nil // the transaction refuses the area
	}
	if err != nil {
		return nil, fmt.Errorf("area %s: %w", area, err)
	}
	return teamsOf(ctx, s.Members, c, right.Owner)
}

func forbiddenEdit(d *Decision) error {
	owner := "its owner"
	switch {
	case d.Owner == "" && d.Channel != "":
		owner = "the members of <#" + d.Channel + ">, where it was imported"
	case IsTeamID(d.Owner) && d.OwnerName != "":
		owner = "the members of its owner (" + d.OwnerName + ")"
	case IsTeamID(d.Owner):
		owner = "the members of its owner " + Mention(d.Owner)
	case d.OwnerName != "":
		owner = "its owner (" + d.OwnerName + ")"
	}
	return Errorf(EFORBIDDEN, "Only %s, its author or an admin can change %s.", owner, d.ID())
}
