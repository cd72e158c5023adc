package delivery

// What the edge rendered itself (private replies, modal updates), and
// notices: queued in the outbox and sent from it.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// Outbox kinds the edge renders itself.
const (
	KindReply      rituals.Kind = "reply"       // an ephemeral answer to one person
	KindViewUpdate rituals.Kind = "view.update" // a modal changed while it is open
	KindPost       rituals.Kind = "post"        // a message for everyone in a channel
)

// EdgeKinds lists the kinds above, as rituals.Kinds lists the domain's.
var EdgeKinds = []rituals.Kind{KindReply, KindViewUpdate, KindPost}

// replyData is a rendered ephemeral message, as stored in the outbox.
type replyData struct {
	Text   string       `json:"text"`
	Blocks slack.Blocks `json:"blocks"`
}

// rendered is text and blocks as an item's data: a message the edge
// rendered itself, its text clipped to Slack's limit.
func rendered(text string, blocks []slack.Block) ([]byte, error) {
	return json.Marshal(replyData{Text: render.Clip(text, render.MaxMessageText), Blocks: slack.Blocks{BlockSet: blocks}})
}

// Reply is the outbox item that shows text and blocks to user only: in
// channel, through the interaction's replyURL while it lasts. Each
// person's replies go in order, in a lane of their own, ahead of bulk
// posts.
func Reply(team, channel, user, replyURL, text string, blocks []slack.Block) (rituals.Outgoing, error) {
	data, err := rendered(text, blocks)
	if err != nil {
		return rituals.Outgoing{}, fmt.Errorf("reply: %w", err)
	}
	return rituals.Outgoing{
		Team: team, Kind: KindReply, Lane: "reply:" + user, Interactive: true,
		Channel: channel, User: user, ReplyURL: replyURL, Data: data,
	}, nil
}

// Post is the outbox item that posts text and blocks in channel, for
// everyone there, remembered under key (the welcome when alignbot joins).
func Post(team, channel string, key rituals.MessageKey, text string, blocks []slack.Block) (rituals.Outgoing, error) {
	data, err := rendered(text, blocks)
	if err != nil {
		return rituals.Outgoing{}, fmt.Errorf("post: %w", err)
	}
	return rituals.Outgoing{Team: team, Kind: KindPost, Channel: channel, Key: key, Data: data}, nil
}

// sendPostItem posts a message the edge rendered itself (Post).
func (dl *Deliverer) sendPostItem(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data replyData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"post data unreadable: " + err.Error()}
	}
	return dl.post(ctx, it, "", data.Text, data.Blocks.BlockSet)
}

// viewUpdate is a modal to replace, as stored in the outbox.
type viewUpdate struct {
	ViewID string                 `json:"view_id"`
	Hash   string                 `json:"hash"`
	View   slack.ModalViewRequest `json:"view"`
}

// ViewUpdate is the outbox item that replaces user's open modal current
// with view. The hash makes Slack refuse it if the modal changed
// meanwhile.
func ViewUpdate(team, user string, current slack.View, view slack.ModalViewRequest) (rituals.Outgoing, error) {
	data, err := json.Marshal(viewUpdate{ViewID: current.ID, Hash: current.Hash, View: view})
	if err != nil {
		return rituals.Outgoing{}, fmt.Errorf("view update: %w", err)
	}
	return rituals.Outgoing{Team: team, Kind: KindViewUpdate, Lane: "view:" + user, User: user, Interactive: true, Data: data}, nil
}

// sendNotice posts a plain notice (a DM when Channel is a user ID), as a
// reply in the thread of the message it.Target names when set.
func (dl *Deliverer) sendNotice(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
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

func (dl *Deliverer) sendViewUpdate(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data viewUpdate
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"view update unreadable: " + err.Error()}
	}
	return "", "", dl.slack.Call(ctx, it.Team, "views.update", "", func(api *slack.Client) error {
		_, err := api.UpdateViewContext(ctx, data.View, "", data.Hash, data.ViewID)
		return err
	})
}

func (dl *Deliverer) sendReplyItem(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	var data replyData
	if err := json.Unmarshal(it.Data, &data); err != nil {
		return "", "", errPermanent{"reply data unreadable: " + err.Error()}
	}
	return "", "", dl.sendReply(ctx, it, data)
}

// sendReply answers through the interaction's response_url while it lasts,
// and with chat.postEphemeral otherwise.
func (dl *Deliverer) sendReply(ctx context.Context, it rituals.OutboxItem, data replyData) error {
	opts := []slack.MsgOption{slack.MsgOptionText(data.Text, false), slack.MsgOptionBlocks(data.Blocks.BlockSet...)}
	if it.ReplyURL != "" {
		err := dl.slack.Call(ctx, it.Team, "response_url", "", func(api *slack.Client) error {
			_, _, err := api.PostMessageContext(ctx, it.Channel,
				append(opts, slack.MsgOptionResponseURL(it.ReplyURL, slack.ResponseTypeEphemeral))...)
			return err
		})
		if err == nil {
			return nil
		}
		var rl *slack.RateLimitedError
		var sc slack.StatusCodeError
		if errors.As(err, &rl) || (errors.As(err, &sc) && sc.Code >= 500) {
			return err
		}
		dl.log.Info("response_url refused; replying with chat.postEphemeral", "err", err)
	}
	if it.Channel == "" || it.User == "" {
		return errPermanent{"no way to reach the person: no response_url, channel or user"}
	}
	return dl.slack.Call(ctx, it.Team, "chat.postEphemeral", it.Channel, func(api *slack.Client) error {
		_, err := api.PostEphemeralContext(ctx, it.Channel, it.User, opts...)
		return err
	})
}
