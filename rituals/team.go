package rituals

import (
	"context"
	"fmt"
	"strings"
)

// A team, here, is a user group (S…) or a channel (C…, G…) standing where
// a person may: as a decision's owner, an area's Accountable owner, or an
// action item's owner. Its members share what the owner may do.

// TeamMembers tells whether a person belongs to a team. The edge asks
// Slack: a user group's members, or a channel's.
type TeamMembers interface {
	// InTeam reports whether user is a member of owner, a user group or a
	// channel. A group or channel Slack does not know has no members.
	InTeam(ctx context.Context, team, owner, user string) (bool, error)
}

// IsTeamID reports whether id names a team (a user group or a channel)
// rather than a person.
func IsTeamID(id string) bool { return IsGroupID(id) || IsChannelID(id) }

// IsGroupID reports whether id names a user group.
func IsGroupID(id string) bool { return strings.HasPrefix(id, "S") }

// IsChannelID reports whether id names a channel.
func IsChannelID(id string) bool { return strings.HasPrefix(id, "C") || strings.HasPrefix(id, "G") }

// Mention renders an owner's ID as Slack mrkdwn: a person, a user group
// or a channel.
func Mention(id string) string {
	switch {
	case IsGroupID(id):
		return "<!subteam^" + id + ">"
	case IsChannelID(id):
		return "<#" + id + ">"
	}
	return "<@" + id + ">"
}

// memberships is which teams a caller is in, asked of Slack before a
// transaction opens: no network call is made while one holds the
// database. A team missing from it is one the caller is not known to be
// in.
type memberships map[string]bool

// teamsOf asks members which of owners (the teams among them; people are
// compared by ID) c is in. With members nil, c is in none.
func teamsOf(ctx context.Context, members TeamMembers, c Caller, owners ...string) (memberships, error) {
	m := memberships{}
	for _, owner := range owners {
		if _, asked := m[owner]; asked || !IsTeamID(owner) || members == nil || c.User == "" {
			continue
		}
		in, err := members.InTeam(ctx, c.Team, owner, c.User)
		if err != nil {
			return nil, fmt.Errorf("is %s in %s: %w", c.User, owner, err)
		}
		m[owner] = in
	}
	return m, nil
}

// actsFor reports whether c is owner or, as m knows, one of its members.
func (m memberships) actsFor(c Caller, owner string) bool {
	return c.User != "" && owner != "" && (c.User == owner || m[owner])
}
