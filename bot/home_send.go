package bot

// Publishing App Homes, from the outbox.

import (
	"context"
	"maps"
	"slices"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// sendHome publishes a person's App Home, rendered now.
func (dl *deliverer) sendHome(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	view, err := dl.homeView(ctx, it.Team, it.User)
	if err != nil {
		return "", "", err
	}
	wait := ctx
	if !it.Interactive {
		var cancel context.CancelFunc
		wait, cancel = context.WithTimeout(ctx, homeQueueWait)
		defer cancel()
	}
	return "", "", dl.call(wait, it.Team, "views.publish", "", func() error {
		_, err := dl.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: it.User, View: view})
		return err
	})
}

// sendHomeChannel refreshes the App Home of each person in a channel who
// has opened theirs.
func (dl *deliverer) sendHomeChannel(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	ids, _, err := dl.members.members(ctx, it.Team, it.Channel)
	if err != nil {
		return "", "", err
	}
	return "", "", dl.Homes.Refresh(ctx, it.Team, slices.Sorted(maps.Keys(ids))...)
}
