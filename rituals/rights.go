package rituals

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// Right is a published decision right, as RACI (the seed's "publish
// decision rights for the top 10 recurring decisions"): the one
// Accountable owner of an area's decisions, who accepts or sends back what
// others propose in it; the Responsible people or teams who do the work;
// who is Consulted on its decisions; and which channels are Informed.
type Right struct {
	Team string
	Area string
	// Owner is the Accountable owner: a person (U…), a user group (S…)
	// or a channel (C…, G…), whose members then share the right.
	Owner       string
	Responsible []string // people, groups or channels
	Consulted   []string // people or groups
	Informed    []string // channel IDs
	// Names holds display names of the people and channels above, as they
	// were when the right was set, for exports made without Slack.
	Names     map[string]string
	UpdatedBy string
	UpdatedAt time.Time
}

// MaxRights bounds a team's areas; the playbook asks for the top ten.
const MaxRights = 50

// MaxRightParties bounds each of an area's Responsible, Consulted and
// Informed lists.
const MaxRightParties = 20

var areaName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// validArea checks an area's name: lower-case letters, digits, '.', '_'
// and '-', up to 40 characters. Returns EINVALID.
func validArea(area string) error {
	if !areaName.MatchString(area) {
		return Errorf(EINVALID, "%q is not an area name: use up to 40 lower-case letters, digits, '-', '_' or '.', like api-versioning.", truncate(area, 50))
	}
	return nil
}

// RightsReader reads the team's decision rights.
type RightsReader interface {
	// Right returns an area's right. Returns ENOTFOUND.
	Right(ctx context.Context, team, area string) (*Right, error)
	// Rights returns every area's right, by area.
	Rights(ctx context.Context, team string) ([]*Right, error)
}

// RightsStore is what Rights reads, and its transactions. storage.DB
// implements it.
type RightsStore interface {
	// Rights returns every area's right, by area.
	Rights(ctx context.Context, team string) ([]*Right, error)
	// InRightsTx runs fn in one transaction, committed if fn returns nil
	// and rolled back otherwise.
	InRightsTx(ctx context.Context, fn func(RightsTx) error) error
}

// RightsTx is what Rights does inside a transaction: it adds, replaces
// and removes an area's right.
type RightsTx interface {
	Claimer
	// Right returns an area's right. Returns ENOTFOUND.
	Right(ctx context.Context, team, area string) (*Right, error)
	// SaveRight creates or replaces an area's right.
	SaveRight(ctx context.Context, r *Right) error
	// DeleteRight removes an area. Returns ENOTFOUND.
	DeleteRight(ctx context.Context, team, area string) error
	// CountRights returns how many areas the team has.
	CountRights(ctx context.Context, team string) (int, error)
}

// Rights is the use cases of decision rights.
type Rights struct {
	Store RightsStore
	Now   func() time.Time
	// Members, when set, tells who belongs to a team that owns an area.
	Members TeamMembers
}

// Add publishes a new area's right or replaces an existing one. Anyone may
// publish a new area unless ALIGNBOT_ADMINS is set; then only its admins.
// An existing area may be replaced only by mayChange's rule, so nobody
// takes over an area (and the decisions tagged with it) by publishing it
// again. Returns EINVALID or EFORBIDDEN.
func (s *Rights) Add(ctx context.Context, c Caller, r Right) (*Right, error) {
	if err := validArea(r.Area); err != nil {
		return nil, err
	}
	if r.Owner == "" {
		return nil, Errorf(EINVALID, "Name the area's Accountable owner: `/decide rights %s accountable @owner`.", r.Area)
	}
	r.Team, r.UpdatedBy, r.UpdatedAt = c.Team, c.User, s.Now()
	r.Responsible, r.Consulted, r.Informed = dedupe(r.Responsible), dedupe(r.Consulted), dedupe(r.Informed)
	for _, l := range []struct {
		role string
		ids  []string
	}{{"responsible", r.Responsible}, {"consulted", r.Consulted}, {"informed", r.Informed}} {
		if len(l.ids) > MaxRightParties {
			return nil, Errorf(EINVALID, "That names %d %s; an area takes at most %d.", len(l.ids), l.role, MaxRightParties)
		}
	}
	m, err := s.ownerTeams(ctx, c, r.Area)
	if err != nil {
		return nil, fmt.Errorf("add right %s: %w", r.Area, err)
	}
	err = s.Store.InRightsTx(ctx, func(tx RightsTx) error {
		if err := claim(ctx, tx, c, r.UpdatedAt); err != nil {
			return err
		}
		old, err := tx.Right(ctx, c.Team, r.Area)
		switch {
		case err == nil:
			if err := mayChange(c, old, m); err != nil {
				return err
			}
		case ErrorCode(err) != ENOTFOUND:
			return err
		case !c.MaySetUp():
			return errAdminsOnly
		default:
			n, err := tx.CountRights(ctx, c.Team)
			if err != nil {
				return err
			}
			if n >= MaxRights {
				return Errorf(EINVALID, "This workspace already has %d decision areas, the most alignbot keeps; remove one first.", n)
			}
		}
		return tx.SaveRight(ctx, &r)
	})
	if err != nil {
		return nil, fmt.Errorf("add right %s: %w", r.Area, err)
	}
	return &r, nil
}

// Remove withdraws an area's right; decisions tagged with it keep the tag.
// Only mayChange's callers may. Returns ENOTFOUND or EFORBIDDEN.
func (s *Rights) Remove(ctx context.Context, c Caller, area string) error {
	m, err := s.ownerTeams(ctx, c, area)
	if err != nil {
		return fmt.Errorf("remove right %s: %w", area, err)
	}
	err = s.Store.InRightsTx(ctx, func(tx RightsTx) error {
		if err := claim(ctx, tx, c, s.Now()); err != nil {
			return err
		}
		old, err := tx.Right(ctx, c.Team, area)
		if err != nil {
			return err
		}
		if err := mayChange(c, old, m); err != nil {
			return err
		}
		return tx.DeleteRight(ctx, c.Team, area)
	})
	if err != nil {
		return fmt.Errorf("remove right %s: %w", area, err)
	}
	return nil
}

var errAdminsOnly = Errorf(EFORBIDDEN, "Only alignbot's admins can change decision rights here.")

// mayChange checks that c may replace or remove the existing right r: an
// admin always; its owner (or, by m, a member of the team that owns it)
// only while ALIGNBOT_ADMINS is unset. With admins set the team chose to
// curate its rights centrally, so an owner cannot hand their area to
// someone else behind the admins' back either; they still own (and may
// edit) the decisions tagged with it. Returns EFORBIDDEN saying who may.
func mayChange(c Caller, r *Right, m memberships) error {
	switch {
	case c.Admin:
		return nil
	case c.AdminsOnly:
		return errAdminsOnly
	case m.actsFor(c, r.Owner):
		return nil
	}
	return Errorf(EFORBIDDEN, "Only the owner of the `%s` area (%s) can change or remove it.", r.Area, Mention(r.Owner))
}

// ownerTeams asks, before a transaction, whether c is in the team (if a
// team) that owns area now.
func (s *Rights) ownerTeams(ctx context.Context, c Caller, area string) (memberships, error) {
	rights, err := s.Store.Rights(ctx, c.Team)
	if err != nil {
		return nil, err
	}
	for _, r := range rights {
		if r.Area == area {
			return teamsOf(ctx, s.Members, c, r.Owner)
		}
	}
	return memberships{}, nil
}

// List returns the team's decision rights, by area.
func (s *Rights) List(ctx context.Context, c Caller) ([]*Right, error) {
	return s.Store.Rights(ctx, c.Team)
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
