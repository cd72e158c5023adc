package rituals

import (
	"context"
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

// actsFor reports whether c is owner or one of its members (owner being a
// team). With members nil, only the person themself acts for an owner.
func actsFor(ctx context.Context, members TeamMembers, c Caller, owner string) (bool, error) {
	switch {
	case c.User == "" || owner == "":
		return false, nil
	case c.User == owner:
		return true, nil
	case !IsTeamID(owner) || members == nil:
		return false, nil
	}
	return members.InTeam(ctx, c.Team, owner, c.User)
}
