package slackapi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// groupsTTL is how long a workspace's list of user groups is trusted: the
// group picker asks on every keystroke, and a group made a moment ago may
// wait that long to show.
const groupsTTL = time.Minute

// Group is a user group as the picker shows it.
type Group struct {
	ID     string // S…
	Handle string // without the @
	Name   string
}

// groupLists caches each workspace's enabled user groups for groupsTTL.
type groupLists struct {
	slack *Client
	now   func() time.Time

	mu    sync.Mutex
	lists map[string]*groupList
}

type groupList struct {
	mu     sync.Mutex // held while Slack is asked: one ask per workspace
	groups []Group
	at     time.Time
}

func newGroupLists(c *Client, now func() time.Time) *groupLists {
	return &groupLists{slack: c, now: now, lists: map[string]*groupList{}}
}

// list returns team's enabled user groups, from the cache when it is
// fresh. A workspace without user groups (a free one) has none; Slack
// refusing the list to a free workspace (paid_teams_only) means the same.
func (c *groupLists) list(ctx context.Context, team string) ([]Group, error) {
	c.mu.Lock()
	l := c.lists[team]
	if l == nil {
		l = &groupList{}
		c.lists[team] = l
	}
	c.mu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.at.IsZero() && c.now().Sub(l.at) < groupsTTL {
		return l.groups, nil
	}
	var gs []slack.UserGroup
	err := c.slack.Call(ctx, team, "usergroups.list", "", func(api *slack.Client) (err error) {
		gs, err = api.GetUserGroupsContext(ctx, slack.GetUserGroupsOptionIncludeDisabled(false))
		return err
	})
	if err != nil && !SlackError(err, "paid_teams_only") {
		return nil, fmt.Errorf("user groups: %w", err)
	}
	out := make([]Group, 0, len(gs))
	for _, g := range gs {
		if g.DateDelete != 0 {
			continue // disabled: Slack lists them only when asked, but be sure
		}
		out = append(out, Group{ID: g.ID, Handle: g.Handle, Name: g.Name})
	}
	l.groups, l.at = out, c.now()
	return out, nil
}
