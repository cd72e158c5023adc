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
func (b *Bot) sendHome(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	view, err := b.HomeView(ctx, it.Team, it.User)
	if err != nil {
		return "", "", err
	}
	wait := ctx
	if !it.Interactive {
		var cancel context.CancelFunc
		wait, cancel = context.WithTimeout(ctx, homeQueueWait)
		defer cancel()
	}
	return "", "", b.call(wait, it.Team, "views.publish", "", func() error {
		_, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: it.User, View: view})
		return err
	})
}

// sendHomeChannel refreshes the App Home of each person in a channel who
// has opened theirs.
func (b *Bot) sendHomeChannel(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	ids, _, err := b.members.members(ctx, it.Team, it.Channel)
	if err != nil {
		return "", "", err
	}
	return "", "", b.Homes.Refresh(ctx, it.Team, slices.Sorted(maps.Keys(ids))...)
}
