package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// outboxEventType marks alignbot's posts in their message metadata, with
// the outbox item's ID, so a resend can first look for an earlier success.
const outboxEventType = "alignbot_outbox"

// errPermanent marks failures that retrying cannot fix.
type errPermanent struct{ reason string }

func (e errPermanent) Error() string { return e.reason }

// deliver turns one outbox item into its Slack call. It returns the
// conversation and ts of the message it posted, if any.
func (b *Bot) deliver(ctx context.Context, it rituals.OutboxItem) (channel, ts string, err error) {
	switch it.Kind {
	case rituals.KindDecisionCard:
		d, err := b.store.Decision(ctx, it.Team, it.Ref)
		if err != nil {
			return "", "", err
		}
		return b.post(ctx, it, decisionFallback(d), decisionCard(d))
	case rituals.KindDecisionCardUpdate:
		d, err := b.store.Decision(ctx, it.Team, it.Ref)
		if err != nil {
			return "", "", err
		}
		return b.update(ctx, it, decisionFallback(d), decisionCard(d))
	case kindReply:
		var data replyData
		if err := json.Unmarshal(it.Data, &data); err != nil {
			return "", "", errPermanent{"reply data unreadable: " + err.Error()}
		}
		return "", "", b.sendReply(ctx, it, data)
	case kindViewOpen:
		var view slack.ModalViewRequest
		if err := json.Unmarshal(it.Data, &view); err != nil {
			return "", "", errPermanent{"view data unreadable: " + err.Error()}
		}
		_, err := b.api.OpenViewContext(ctx, it.Trigger, view)
		return "", "", b.apiErr("views.open", err)
	}
	return "", "", errPermanent{"unknown outbox kind " + it.Kind}
}

// post sends a new message into it.Channel, tagged with the item's ID.
func (b *Bot) post(ctx context.Context, it rituals.OutboxItem, text string, blocks []slack.Block) (string, string, error) {
	ch, ts, err := b.api.PostMessageContext(ctx, it.Channel,
		slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionMetadata(slack.SlackMetadata{
			EventType:    outboxEventType,
			EventPayload: map[string]any{"outbox_id": it.ID},
		}))
	return ch, ts, b.apiErr("chat.postMessage", err)
}

// update rewrites the message named by it.Target.
func (b *Bot) update(ctx context.Context, it rituals.OutboxItem, text string, blocks []slack.Block) (string, string, error) {
	ch, ts, err := b.store.SlackMessage(ctx, it.Team, it.Target)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return "", "", errPermanent{"the message to update was never posted: " + it.Target}
	}
	if err != nil {
		return "", "", err
	}
	_, _, _, err = b.api.UpdateMessageContext(ctx, ch, ts,
		slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(blocks...))
	return ch, ts, b.apiErr("chat.update", err)
}

// sendReply answers through the interaction's response_url while it lasts,
// and with chat.postEphemeral otherwise.
func (b *Bot) sendReply(ctx context.Context, it rituals.OutboxItem, data replyData) error {
	opts := []slack.MsgOption{slack.MsgOptionText(data.Text, false), slack.MsgOptionBlocks(data.Blocks.BlockSet...)}
	if it.ReplyURL != "" {
		_, _, err := b.api.PostMessageContext(ctx, it.Channel,
			append(opts, slack.MsgOptionResponseURL(it.ReplyURL, slack.ResponseTypeEphemeral))...)
		if err == nil {
			return nil
		}
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			return b.apiErr("response_url", err)
		}
		b.log.Info("response_url refused; replying with chat.postEphemeral", "err", err)
	}
	if it.Channel == "" || it.User == "" {
		return errPermanent{"no way to reach the person: no response_url, channel or user"}
	}
	_, err := b.api.PostEphemeralContext(ctx, it.Channel, it.User, opts...)
	return b.apiErr("chat.postEphemeral", err)
}

// apiErr counts a failed Web API call and names its method.
func (b *Bot) apiErr(method string, err error) error {
	if err == nil {
		return nil
	}
	code := "other"
	var se slack.SlackErrorResponse
	var sc slack.StatusCodeError
	var rl *slack.RateLimitedError
	switch {
	case errors.As(err, &se):
		code = se.Err
	case errors.As(err, &rl):
		code = "ratelimited"
	case errors.As(err, &sc):
		code = fmt.Sprintf("http_%d", sc.Code)
	case errors.Is(err, context.DeadlineExceeded):
		code = "timeout"
	}
	b.metrics.APIErrors.WithLabelValues(method, code).Inc()
	return fmt.Errorf("%s: %w", method, err)
}
