package bot

// Sending what the edge rendered itself (private replies, notices, modal
// updates), from the outbox.

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// sendNotice posts a plain notice (a DM when Channel is a user ID).
// sendNotice posts a plain notice, as a reply in the thread of the
// message it.Target names when set.
func (dl *deliverer) sendNotice(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data rituals.NoticeData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"notice data unreadable: " + err.Error()}
	}
	text, blocks := render.Notice(data)
	if it.Target != "" {
		thread, err := dl.threadOf(ctx, it.Team, it.Target)
		if err != nil {
			return "", "", err
		}
		return dl.post(ctx, it, thread, text, blocks)
	}
	return dl.post(ctx, it, "", text, blocks)
}

func (dl *deliverer) sendViewUpdate(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data viewUpdate
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"view update unreadable: " + err.Error()}
	}
	return "", "", dl.call(ctx, it.Team, "views.update", "", func() error {
		_, err := dl.api.UpdateViewContext(ctx, data.View, "", data.Hash, data.ViewID)
		return err
	})
}

func (dl *deliverer) sendReplyItem(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data replyData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"reply data unreadable: " + err.Error()}
	}
	return "", "", dl.sendReply(ctx, it, data)
}

// sendReply answers through the interaction's response_url while it lasts,
// and with chat.postEphemeral otherwise.
func (dl *deliverer) sendReply(ctx context.Context, it rituals.OutboxItem, data replyData) error {
	opts := []slack.MsgOption{slack.MsgOptionText(data.Text, false), slack.MsgOptionBlocks(data.Blocks.BlockSet...)}
	if it.ReplyURL != "" {
		_, _, err := dl.api.PostMessageContext(ctx, it.Channel,
			append(opts, slack.MsgOptionResponseURL(it.ReplyURL, slack.ResponseTypeEphemeral))...)
		if err == nil {
			return nil
		}
		var rl *slack.RateLimitedError
		var sc slack.StatusCodeError
		if errors.As(err, &rl) || (errors.As(err, &sc) && sc.Code >= 500) {
			return dl.apiErr("response_url", err)
		}
		dl.log.Info("response_url refused; replying with chat.postEphemeral", "err", err)
	}
	if it.Channel == "" || it.User == "" {
		return errPermanent{"no way to reach the person: no response_url, channel or user"}
	}
	return dl.call(ctx, it.Team, "chat.postEphemeral", it.Channel, func() error {
		_, err := dl.api.PostEphemeralContext(ctx, it.Channel, it.User, opts...)
		return err
	})
}
