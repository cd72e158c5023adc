package delivery

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// outboxEventType marks alignbot's posts in their message metadata, with
// the outbox item's ID, so a resend can first look for an earlier success.
const outboxEventType = "alignbot_outbox"

// doubtSkew is how far before an item's first try the search for an
// earlier attempt's message starts: room for this host's clock to be
// behind Slack's. A wider margin costs only a page more of the search.
const doubtSkew = 5 * time.Minute

// doubtPage is how many messages each page of that search asks for
// (Slack suggests no more than 200).
const doubtPage = 200

// errNotYet marks an item that depends on another not sent yet (a DM
// that links to a card still queued in its channel's lane): tried again
// later, with no doubt about the first try.
type errNotYet struct{ reason string }

func (e errNotYet) Error() string { return e.reason }

// errSettled marks an item with nothing left to say when its turn came:
// a reminder about something settled meanwhile (a decision decided, an
// action item done, a pulse answered) while it waited for working time.
// It ends expired, not sent, so it does not count toward the person's
// weekly reminder cap.
type errSettled struct{ reason string }

func (e errSettled) Error() string { return e.reason }

// errPermanent marks failures that retrying cannot fix.
type errPermanent struct{ reason string }

func (e errPermanent) Error() string { return e.reason }

// permalink returns the link to the message posted under key. Returns
// errNotYet while that message waits in another lane of the outbox.
func (dl *Deliverer) permalink(ctx context.Context, team string, key rituals.MessageKey) (string, error) {
	ch, ts, err := dl.store.SlackMessage(ctx, team, key)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return "", errNotYet{"the message " + string(key) + " is not posted yet"}
	}
	if err != nil {
		return "", err
	}
	return dl.slack.Permalink(ctx, team, ch, ts)
}

// post sends a new message into it.Channel (in thread, when not empty),
// tagged with the item's ID. When an earlier attempt may have got through,
// it looks before posting again.
func (dl *Deliverer) post(ctx context.Context, it rituals.OutboxItem, thread, text string, blocks []slack.Block) (string, string, error) {
	return dl.postWith(ctx, it, thread, text, blocks)
}

// postWith is post with further message options (a broadcast).
func (dl *Deliverer) postWith(ctx context.Context, it rituals.OutboxItem, thread, text string, blocks []slack.Block, extra ...slack.MsgOption) (string, string, error) {
	if it.Doubt {
		ch, ts, err := dl.findPosted(ctx, it, thread)
		if err != nil || ts != "" {
			return ch, ts, err
		}
	}
	if thread != "" {
		extra = append(extra, slack.MsgOptionTS(thread))
	}
	opts := append([]slack.MsgOption{
		slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionMetadata(slack.SlackMetadata{
			EventType:    outboxEventType,
			EventPayload: map[string]any{"outbox_id": it.ID},
		}),
	}, extra...)
	var ch, ts string
	err := dl.slack.Call(ctx, it.Team, "chat.postMessage", it.Channel, func(api *slack.Client) (err error) {
		ch, ts, err = api.PostMessageContext(ctx, it.Channel, opts...)
		return err
	})
	return ch, ts, err
}

// threadOf returns the ts of the message named key, to reply under it.
// Returns errNotYet while that message waits in the outbox.
func (dl *Deliverer) threadOf(ctx context.Context, team string, key rituals.MessageKey) (string, error) {
	_, ts, err := dl.store.SlackMessage(ctx, team, key)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return "", errNotYet{"the thread's parent " + string(key) + " is not posted yet"}
	}
	return ts, err
}

// findPosted looks for the message an earlier attempt at it posted, in
// thread when it is a reply. Returns an empty ts when there is none.
func (dl *Deliverer) findPosted(ctx context.Context, it rituals.OutboxItem, thread string) (channel, ts string, err error) {
	isOurs := func(m slack.Message) bool {
		return m.Metadata.EventType == outboxEventType && m.Metadata.EventPayload["outbox_id"] == it.ID
	}
	if thread != "" {
		return dl.findInThread(ctx, it, thread, isOurs)
	}
	return dl.findInHistory(ctx, it, isOurs)
}

// findInHistory looks through the top-level messages of it's conversation
// since just before its first try for the message an earlier attempt
// left, as match recognises it. Returns an empty ts when there is none.
func (dl *Deliverer) findInHistory(ctx context.Context, it rituals.OutboxItem, match func(slack.Message) bool) (channel, ts string, err error) {
	return dl.findSince(ctx, it, "conversations.history", match, func(api *slack.Client, channel, oldest, cursor string) ([]slack.Message, string, error) {
		resp, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: channel, Oldest: oldest, Cursor: cursor, Limit: doubtPage, IncludeAllMetadata: true})
		if err != nil {
			return nil, "", err
		}
		return resp.Messages, nextCursor(resp.HasMore, resp.ResponseMetaData.NextCursor), nil
	})
}

// findInThread is findInHistory for a reply in the thread of parent ts
// thread: replies are not in the conversation's history.
func (dl *Deliverer) findInThread(ctx context.Context, it rituals.OutboxItem, thread string, match func(slack.Message) bool) (channel, ts string, err error) {
	return dl.findSince(ctx, it, "conversations.replies", match, func(api *slack.Client, channel, oldest, cursor string) ([]slack.Message, string, error) {
		msgs, hasMore, next, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: thread, Oldest: oldest, Cursor: cursor, Limit: doubtPage, IncludeAllMetadata: true})
		if err != nil {
			return nil, "", err
		}
		return msgs, nextCursor(hasMore, next), nil
	})
}

// nextCursor is the cursor of the page after this one, or "" on the last.
func nextCursor(hasMore bool, next string) string {
	if !hasMore {
		return ""
	}
	return next
}

// findSince reads every page that page returns of it's conversation, from
// just before its first try, until a message matches. Searching by time
// rather than by a number of messages finds the message however busy the
// conversation has been since.
func (dl *Deliverer) findSince(ctx context.Context, it rituals.OutboxItem, method string, match func(slack.Message) bool,
	page func(api *slack.Client, channel, oldest, cursor string) (msgs []slack.Message, next string, err error)) (channel, ts string, err error) {
	channel, err = dl.conversationOf(ctx, it)
	if err != nil {
		return "", "", err
	}
	oldest := slackTS(firstTry(it).Add(-doubtSkew))
	cursor := ""
	for {
		var msgs []slack.Message
		err := dl.slack.Call(ctx, it.Team, method, "", func(api *slack.Client) (err error) {
			msgs, cursor, err = page(api, channel, oldest, cursor)
			return err
		})
		if err != nil {
			return "", "", err
		}
		for _, m := range msgs {
			if match(m) {
				dl.log.Info("earlier attempt found in slack; not posting again", "outbox_id", it.ID, "channel", channel)
				return channel, m.Timestamp, nil
			}
		}
		if cursor == "" {
			return channel, "", nil
		}
	}
}

// firstTry is when the first attempt at it began. Items claimed before
// that was recorded fall back on when they were queued.
func firstTry(it rituals.OutboxItem) time.Time {
	if it.FirstTry.IsZero() {
		return it.CreatedAt
	}
	return it.FirstTry
}

// slackTS writes t as a Slack message timestamp, "<unix seconds>.<micros>".
func slackTS(t time.Time) string {
	us := t.UnixMicro()
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// conversationOf returns the ID of the conversation it posts into: its
// channel, or the DM with the person it names.
func (dl *Deliverer) conversationOf(ctx context.Context, it rituals.OutboxItem) (string, error) {
	if !strings.HasPrefix(it.Channel, "U") && !strings.HasPrefix(it.Channel, "W") {
		return it.Channel, nil
	}
	var channel string
	err := dl.slack.Call(ctx, it.Team, "conversations.open", "", func(api *slack.Client) error {
		ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{it.Channel}})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	return channel, err
}

// update rewrites the message named by it.Target.
func (dl *Deliverer) update(ctx context.Context, it rituals.OutboxItem, text string, blocks []slack.Block) (string, string, error) {
	ch, ts, err := dl.store.SlackMessage(ctx, it.Team, it.Target)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return "", "", errPermanent{"the message to update was never posted: " + string(it.Target)}
	}
	if err != nil {
		return "", "", err
	}
	err = dl.slack.Call(ctx, it.Team, "chat.update", ch, func(api *slack.Client) error {
		_, _, _, err := api.UpdateMessageContext(ctx, ch, ts, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
		return err
	})
	return ch, ts, err
}
