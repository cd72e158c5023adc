package slackapi

import (
	"context"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Directory is what alignbot knows of Slack's people, channels and user
// groups, cached for a few minutes and, for channels, shared with other
// replicas through the store. It implements the domain's directory ports
// (rituals.People, rituals.ChannelMembers and rituals.Memberships), and is
// built before the services that use it, so nothing is patched after
// construction.
type Directory struct {
	dir     *directory
	members *memberSets
	groups  *groupLists
}

// NewDirectory returns the directory, asking Slack through c.
func NewDirectory(c *Client, store rituals.ChannelStore, now func() time.Time) *Directory {
	return &Directory{dir: newDirectory(c, store, now), members: newMemberSets(c, now), groups: newGroupLists(c, now)}
}

var (
	_ rituals.People         = (*Directory)(nil)
	_ rituals.ChannelMembers = (*Directory)(nil)
	_ rituals.Memberships    = (*Directory)(nil)
	_ rituals.TeamMembers    = (*Directory)(nil)
)

// User returns what Slack says of a user.
func (d *Directory) User(ctx context.Context, team, id string) (User, error) {
	return d.dir.user(ctx, team, id)
}

// Channel returns what Slack says of a conversation, and records it.
// Returns EFORBIDDEN with a sentence a person can act on when the bot
// cannot see the conversation, and EINVALID when it is archived.
func (d *Directory) Channel(ctx context.Context, team, id string) (Channel, error) {
	return d.dir.channel(ctx, team, id)
}

// Humans returns the people among ids, in order: bots, deactivated users
// and users Slack does not know left out.
func (d *Directory) Humans(ctx context.Context, team string, ids []string) ([]string, error) {
	return d.dir.humans(ctx, team, ids)
}

// GroupMembers returns the people in a user group (S…): bots and
// deactivated users left out. Returns EINVALID for an unknown group.
func (d *Directory) GroupMembers(ctx context.Context, team, group string) ([]string, error) {
	return d.dir.groupMembers(ctx, team, group)
}

// Groups returns the workspace's enabled user groups, as Slack listed them
// within the last minute: the group picker asks on every keystroke. A free
// workspace has none.
func (d *Directory) Groups(ctx context.Context, team string) ([]Group, error) {
	return d.groups.list(ctx, team)
}

// Remember caches users a listing (users.list) returned, so looking each
// up costs no call.
func (d *Directory) Remember(team string, users []slack.User) {
	now := d.dir.now()
	for i := range users {
		d.dir.users.put(team+"/"+users[i].ID, userOf(&users[i]), now)
	}
}

// Members returns the people of a channel, bots and deactivated users
// left out, for the check-ins. It implements rituals.People.
func (d *Directory) Members(ctx context.Context, team, channel string) ([]string, error) {
	return d.dir.members(ctx, team, channel)
}

// Person returns a person's display name and time zone. It implements
// rituals.People.
func (d *Directory) Person(ctx context.Context, team, user string) (string, *time.Location, error) {
	u, err := d.dir.user(ctx, team, user)
	if err != nil {
		return "", nil, err
	}
	return u.Name, u.Location, nil
}

// IsMember reports whether user is in channel, paging through its
// members. It implements rituals.ChannelMembers: the people of a channel
// named on a blocker may act on it. A channel the bot cannot see has no
// members it knows of.
func (d *Directory) IsMember(ctx context.Context, team, channel, user string) (bool, error) {
	// Asked afresh, not from the cached sets: this decides who may act.
	ids, _, err := d.members.fetch(ctx, team, channel)
	return ids[user], err
}

// InTeam reports whether user is in owner: a member of the user group or
// the channel, asked afresh since it decides who may act. It implements
// rituals.TeamMembers. An unknown group or a channel the bot cannot see
// has no members.
func (d *Directory) InTeam(ctx context.Context, team, owner, user string) (bool, error) {
	switch {
	case rituals.IsGroupID(owner):
		ids, err := d.dir.groupMembers(ctx, team, owner)
		if rituals.ErrorCode(err) == rituals.EINVALID {
			return false, nil
		}
		return slices.Contains(ids, user), err
	case rituals.IsChannelID(owner):
		return d.IsMember(ctx, team, owner, user)
	}
	return owner == user, nil
}

// MemberOf reports which of channels user is in. It implements
// rituals.Memberships, from the cached member sets.
func (d *Directory) MemberOf(ctx context.Context, team, user string, channels []string) (map[string]bool, error) {
	out := make(map[string]bool, len(channels))
	for _, ch := range channels {
		ids, _, err := d.members.members(ctx, team, ch)
		if err != nil {
			return nil, err
		}
		out[ch] = ids[user]
	}
	return out, nil
}

// MemberSet returns who is in channel (bots included) and whether the bot
// can see it, from a cache kept a few minutes: App Home asks of every
// channel that holds an entry, for every person whose Home it renders.
// The map is shared: callers only read it.
func (d *Directory) MemberSet(ctx context.Context, team, channel string) (map[string]bool, bool, error) {
	return d.members.members(ctx, team, channel)
}

// Forget drops what is known of channel's members: someone joined or left.
func (d *Directory) Forget(team, channel string) {
	d.members.forget(team, channel)
}

// CacheTTL is how long the directory trusts what Slack said.
const CacheTTL = directoryTTL
