package slackapi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/sync/singleflight"

	"github.com/alignbot/alignbot/rituals"
)

// directoryTTL is how long what Slack said of a user or channel is trusted.
const directoryTTL = 10 * time.Minute

// User is what alignbot keeps of a Slack user.
type User struct {
	Name     string
	Location *time.Location // UTC when Slack names no zone, or one ParseZone refuses
	IsBot    bool
	Deleted  bool
}

// Channel is what alignbot keeps of a Slack conversation.
type Channel struct {
	Name     string
	Private  bool // private channel, DM or group DM
	Archived bool
}

// directory answers who a user is and what a channel is, from Slack, with
// a short cache; channels are also recorded in the store, so visibility
// rules hold for reads that never reach Slack.
type directory struct {
	slack *Client
	store rituals.ChannelStore
	now   func() time.Time

	users    ttlCache[User]
	channels ttlCache[Channel]
	// lookups makes concurrent misses for one user or channel share one
	// call: a burst of commands in a new channel asks Slack once.
	lookups singleflight.Group
}

// ttlCache holds values for directoryTTL.
type ttlCache[T any] struct {
	mu sync.Mutex
	m  map[string]cached[T]
}

type cached[T any] struct {
	v  T
	at time.Time
}

func (c *ttlCache[T]) get(key string, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.Sub(e.at) >= directoryTTL {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[T]) put(key string, v T, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cached[T]{}
	}
	c.m[key] = cached[T]{v, now}
}

func newDirectory(c *Client, store rituals.ChannelStore, now func() time.Time) *directory {
	return &directory{slack: c, store: store, now: now}
}

// user returns what Slack says of user id.
func (d *directory) user(ctx context.Context, team, id string) (User, error) {
	key := team + "/" + id
	if v, ok := d.users.get(key, d.now()); ok {
		return v, nil
	}
	v, err := d.shared(ctx, "user/"+key, func(ctx context.Context) (any, error) { return d.fetchUser(ctx, team, id) })
	if err != nil {
		return User{}, err
	}
	return v.(User), nil
}

func (d *directory) fetchUser(ctx context.Context, team, id string) (User, error) {
	key := team + "/" + id
	var u *slack.User
	err := d.slack.Call(ctx, team, "users.info", "", func(api *slack.Client) (err error) {
		u, err = api.GetUserInfoContext(ctx, id)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	info := userOf(u)
	d.users.put(key, info, d.now())
	return info, nil
}

// userOf keeps what alignbot needs of a Slack user, the time zone parsed
// once here: UTC when Slack names none, or one ParseZone refuses.
func userOf(u *slack.User) User {
	info := User{Name: displayName(u), IsBot: u.IsBot || u.ID == "USLACKBOT", Deleted: u.Deleted, Location: time.UTC}
	if zone, err := rituals.ParseZone(u.TZ); err == nil {
		info.Location = zone.Location()
	}
	return info
}

// humans returns the people among ids, in order: bots and deactivated
// users left out. A person Slack cannot tell us about is left out too,
// and logged.
func (d *directory) humans(ctx context.Context, team string, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		u, err := d.user(ctx, team, id)
		switch {
		case SlackError(err, "user_not_found"):
			continue
		case err != nil:
			return nil, err
		case u.IsBot || u.Deleted:
			continue
		}
		out = append(out, id)
	}
	return out, nil
}

// members returns the people in a conversation: bots and deactivated
// users left out.
func (d *directory) members(ctx context.Context, team, channel string) ([]string, error) {
	var ids []string
	params := &slack.GetUsersInConversationParameters{ChannelID: channel, Limit: 200}
	for {
		var page []string
		var cursor string
		err := d.slack.Call(ctx, team, "conversations.members", "", func(api *slack.Client) (err error) {
			page, cursor, err = api.GetUsersInConversationContext(ctx, params)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("members of %s: %w", channel, err)
		}
		ids = append(ids, page...)
		if cursor == "" {
			break
		}
		params.Cursor = cursor
	}
	return d.humans(ctx, team, ids)
}

// groupMembers returns the people in a user group (S…): bots and
// deactivated users left out. Returns EINVALID for an unknown group.
func (d *directory) groupMembers(ctx context.Context, team, group string) ([]string, error) {
	var ids []string
	err := d.slack.Call(ctx, team, "usergroups.users.list", "", func(api *slack.Client) (err error) {
		ids, err = api.GetUserGroupMembersContext(ctx, group)
		return err
	})
	if SlackError(err, "no_such_subteam") {
		return nil, rituals.Errorf(rituals.EINVALID, "There is no user group %s in this workspace.", group)
	}
	if err != nil {
		return nil, fmt.Errorf("members of group %s: %w", group, err)
	}
	return d.humans(ctx, team, ids)
}

func displayName(u *slack.User) string {
	// The real name reads best in a decision log ("Owner: Ann Lee").
	for _, n := range []string{u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name} {
		if n != "" {
			return n
		}
	}
	return u.ID
}

// errCannotSee is the sentence for a conversation the bot is not part of.
var errCannotSee = rituals.Errorf(rituals.EFORBIDDEN,
	"I can't post in this conversation. Add me to it (`/invite @alignbot`), then try again.")

// channel returns what Slack says of a conversation, and records it.
// Returns EFORBIDDEN with a sentence a person can act on when the bot
// cannot see the conversation, and EINVALID when it is archived.
func (d *directory) channel(ctx context.Context, team, id string) (Channel, error) {
	key := team + "/" + id
	if v, ok := d.channels.get(key, d.now()); ok {
		return v, d.archivedErr(v)
	}
	v, err := d.shared(ctx, "channel/"+key, func(ctx context.Context) (any, error) { return d.fetchChannel(ctx, team, id) })
	info, _ := v.(Channel)
	return info, err
}

// lookupTimeout bounds one shared lookup, whoever waits for it.
const lookupTimeout = time.Minute

// shared runs fetch once for every concurrent caller asking for key. The
// call does not end with the first caller's context: each caller stops
// waiting when its own context ends.
func (d *directory) shared(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	ch := d.lookups.DoChan(key, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
		defer cancel()
		return fetch(fctx)
	})
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for %s: %w", key, ctx.Err())
	}
}

func (d *directory) fetchChannel(ctx context.Context, team, id string) (Channel, error) {
	key := team + "/" + id
	// Another process (a replica, or this one before a restart) may have
	// asked Slack moments ago: what it saved is as good as this cache.
	if ch, at, err := d.store.SavedChannel(ctx, team, id); err == nil && d.now().Sub(at) < directoryTTL {
		info := Channel{Name: ch.Name, Private: ch.Private, Archived: ch.Archived}
		d.channels.put(key, info, at)
		return info, d.archivedErr(info)
	}
	var ch *slack.Channel
	err := d.slack.Call(ctx, team, "conversations.info", "", func(api *slack.Client) (err error) {
		ch, err = api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: id})
		return err
	})
	if SlackError(err, "channel_not_found", "not_in_channel") {
		return Channel{}, errCannotSee
	}
	if err != nil {
		return Channel{}, fmt.Errorf("channel %s: %w", id, err)
	}
	info := Channel{
		Name:     ch.Name,
		Private:  ch.IsPrivate || ch.IsIM || ch.IsMpIM,
		Archived: ch.IsArchived,
	}
	if err := d.store.SaveChannel(ctx, rituals.Channel{Team: team, ID: id, Name: info.Name, Private: info.Private, Archived: info.Archived}, d.now()); err != nil {
		return Channel{}, err
	}
	d.channels.put(key, info, d.now())
	return info, d.archivedErr(info)
}

func (d *directory) archivedErr(info Channel) error {
	if info.Archived {
		return rituals.Errorf(rituals.EINVALID, "This channel is archived, so nothing new can be posted in it.")
	}
	return nil
}
