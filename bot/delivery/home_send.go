package delivery

// Publishing App Homes, from the outbox.

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// sendHome publishes a person's App Home, rendered now.
func (dl *Deliverer) sendHome(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	view, err := dl.HomeView(ctx, it.Team, it.User)
	if err != nil {
		return "", "", err
	}
	wait := ctx
	if !it.Interactive {
		var cancel context.CancelFunc
		wait, cancel = context.WithTimeout(ctx, homeQueueWait)
		defer cancel()
	}
	return "", "", dl.slack.Call(wait, it.Team, "views.publish", "", func(api *slack.Client) error {
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: it.User, View: view})
		return err
	})
}

// sendHomeChannel refreshes the App Home of each person in a channel who
// has opened theirs.
func (dl *Deliverer) sendHomeChannel(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	ids, _, err := dl.dir.MemberSet(ctx, it.Team, it.Channel)
	if err != nil {
		return "", "", err
	}
	return "", "", dl.Homes.Refresh(ctx, it.Team, slices.Sorted(maps.Keys(ids))...)
}

// homeQueueWait bounds how long a bulk App Home refresh waits for room in
// views.publish's minute window (Tier 4, about 100 a minute) before giving
// its worker back: a pulse to thousands of people who use App Home must
// not hold every worker waiting while other messages queue behind. It is
// tried again later, rendered from the data of then.
const homeQueueWait = 2 * time.Second
