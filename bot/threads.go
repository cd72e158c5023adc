package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack/slackevents"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// threadHandler gets a person's reply in the thread of a message the bot
// posted under key (e.g. "checkin/C1/1700000000000"). text is unescaped;
// r.id is the event's ID, for claims.
type threadHandler func(ctx context.Context, r *request, key rituals.MessageKey, reply threadReply)

// threadReply is a person's message in a thread the bot started.
type threadReply struct {
	User     string
	Channel  string
	TS       string
	ThreadTS string
	Text     string
}

// threadChangeHandler gets an edit (reply.Text the new text) or, with
// deleted true, the deletion of a person's reply in the thread of a
// message the bot posted under key.
type threadChangeHandler func(ctx context.Context, r *request, key rituals.MessageKey, reply threadReply, deleted bool)

// onMessage routes a person's reply in one of the bot's threads to the
// ritual whose message started the thread, by the first part of the
// message's key: a plain reply, or one also sent to the channel (Slack's
// thread_broadcast). Edits and deletions of replies go to the rituals
// that follow them (threadChange). Everything else (the bot's own posts,
// messages outside threads, threads of other people) is not alignbot's
// to handle.
func (b *Bot) onMessage(ctx context.Context, r *request, ev slackevents.EventsAPIInnerEvent) {
	msg, ok := ev.Data.(*slackevents.MessageEvent)
	if ok && (msg.SubType == "message_changed" || msg.SubType == "message_deleted") {
		threadChange(ctx, b, r, msg)
		return
	}
	if !ok || msg.BotID != "" || (msg.SubType != "" && msg.SubType != "thread_broadcast") || msg.User == "" {
		return
	}
	if msg.ThreadTimeStamp == "" || msg.ThreadTimeStamp == msg.TimeStamp {
		return
	}
	key, err := b.threadKey(ctx, r.team, msg.Channel, msg.ThreadTimeStamp)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return
	}
	if err != nil {
		r.log.Error("thread parent lookup failed", "err", err)
		return
	}
	h, ok := b.route.threads[key.Ritual()]
	if !ok {
		return
	}
	r.user, r.channel = msg.User, msg.Channel
	h(ctx, r, key, threadReply{User: msg.User, Channel: msg.Channel, TS: msg.TimeStamp,
		ThreadTS: msg.ThreadTimeStamp, Text: render.Unescape(msg.Text)})
}

// freshParent is how young a thread's parent must be for a reply to wait
// for it: Slack can deliver a reply to a message the bot has just posted
// before the sender has recorded that message's ts.
const freshParent = 30 * time.Second

// threadKey returns the key of the bot's message at ts. When there is
// none yet and the message is seconds old, it looks again for a few
// seconds rather than drop the reply.
func (b *Bot) threadKey(ctx context.Context, team, channel, ts string) (rituals.MessageKey, error) {
	key, err := b.store.MessageKeyAt(ctx, team, channel, ts)
	if rituals.ErrorCode(err) != rituals.ENOTFOUND || !postedWithin(ts, freshParent) {
		return key, err
	}
	for wait := 100 * time.Millisecond; wait <= 1600*time.Millisecond; wait *= 2 {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(wait):
		}
		key, err = b.store.MessageKeyAt(ctx, team, channel, ts)
		if rituals.ErrorCode(err) != rituals.ENOTFOUND {
			return key, err
		}
	}
	return key, err
}

// postedWithin reports whether a Slack ts ("1700000000.000100", Slack's
// own clock) is at most d old.
func postedWithin(ts string, d time.Duration) bool {
	secs, _, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(secs, 10, 64)
	return err == nil && time.Since(time.Unix(n, 0)) <= d
}

// threadChange routes the edit or deletion of a person's reply in one of
// the bot's threads to the ritual that follows such changes, as
// onMessage routes the reply. A change to the thread's parent (Slack
// edits it to count its replies), or to a bot's message, is not one.
func threadChange(ctx context.Context, b *Bot, r *request, msg *slackevents.MessageEvent) {
	m, deleted := msg.Message, msg.SubType == "message_deleted"
	if deleted {
		m = msg.PreviousMessage
	}
	if m == nil || m.BotID != "" || m.User == "" || m.ThreadTimestamp == "" {
		return
	}
	ts := m.Timestamp
	if deleted && msg.DeletedTimeStamp != "" {
		ts = msg.DeletedTimeStamp
	}
	if ts == m.ThreadTimestamp {
		return
	}
	key, err := b.store.MessageKeyAt(ctx, r.team, msg.Channel, m.ThreadTimestamp)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return
	}
	if err != nil {
		r.log.Error("thread parent lookup failed", "err", err)
		return
	}
	h, ok := b.route.threadChanges[key.Ritual()]
	if !ok {
		return
	}
	r.user, r.channel = m.User, msg.Channel
	h(ctx, r, key, threadReply{User: m.User, Channel: msg.Channel, TS: ts, ThreadTS: m.ThreadTimestamp,
		Text: render.Unescape(m.Text)}, deleted)
}
