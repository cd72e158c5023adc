package slackapi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// memberSets remembers who is in each channel, as Slack lists them (bots
// included), for directoryTTL: App Home asks, for every person whose Home
// it renders, about every channel that holds an entry, so one list serves
// everyone. Slack's member_joined_channel and member_left_channel events
// make a channel's list be asked again (see the edge's onMembership).
type memberSets struct {
	slack *Client
	now   func() time.Time

	mu   sync.Mutex
	sets map[string]*memberSet
}

type memberSet struct {
	mu sync.Mutex // held while the list is asked of Slack: one ask per channel
	// ids are the channel's members; visible is false when the bot cannot
	// see the channel (then nobody is in it, as far as it knows).
	ids     map[string]bool
	visible bool
	at      time.Time
}

func newMemberSets(c *Client, now func() time.Time) *memberSets {
	return &memberSets{slack: c, now: now, sets: map[string]*memberSet{}}
}

// members returns who is in channel and whether the bot can see it. The
// map is shared: callers only read it.
func (c *memberSets) members(ctx context.Context, team, channel string) (map[string]bool, bool, error) {
	key := team + "/" + channel
	c.mu.Lock()
	s := c.sets[key]
	if s == nil {
		s = &memberSet{}
		c.sets[key] = s
	}
	c.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.at.IsZero() && c.now().Sub(s.at) < directoryTTL {
		return s.ids, s.visible, nil
	}
	ids, visible, err := c.fetch(ctx, team, channel)
	if err != nil {
		return nil, false, err
	}
	s.ids, s.visible, s.at = ids, visible, c.now()
	return ids, visible, nil
}

// forget drops what is known of channel's members.
func (c *memberSets) forget(team, channel string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.sets, team+"/"+channel)
}

// fetch asks Slack for every member of channel. A channel the bot cannot
// see has no members it knows of.
func (c *memberSets) fetch(ctx context.Context, team, channel string) (map[string]bool, bool, error) {
	ids := map[string]bool{}
	params := &slack.GetUsersInConversationParameters{ChannelID: channel, Limit: 1000}
	for {
		var page []string
		var cursor string
		err := c.slack.Call(ctx, team, "conversations.members", "", func(api *slack.Client) (err error) {
			page, cursor, err = api.GetUsersInConversationContext(ctx, params)
			return err
		})
		if SlackError(err, "channel_not_found", "not_in_channel") {
			return ids, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("members of %s: %w", channel, err)
		}
		for _, id := range page {
			ids[id] = true
		}
		if cursor == "" {
			return ids, true, nil
		}
		params.Cursor = cursor
	}
}
