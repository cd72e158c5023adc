package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// sessions are /premortem's and /retro's handlers: the commands, the
// session's buttons and forms, and replies in its thread.
type sessions struct{ *Bot }

func (b sessions) routes(t *routeTable) {
	t.slash["/premortem"] = b.onPremortem
	t.slash["/retro"] = b.onRetro
	for _, kind := range []rituals.ItemKind{rituals.ItemFailure, rituals.ItemAssumption, rituals.ItemWell, rituals.ItemDidnt, rituals.ItemChange} {
		t.actions[render.ActionSessionAdd+string(kind)] = b.onSessionAdd
	}
	t.actions[render.ActionSessionVote] = b.onSessionVote
	t.actions[render.ActionSessionBlocker] = b.onSessionBlocker
	t.actions[render.ActionSessionOwner] = b.onSessionOwner
	t.actions[render.ActionSessionDone] = b.onSessionDone
	t.actions[render.ActionSessionHappened] = b.onSessionHappened
	t.views[render.CallbackSessionItem] = b.submitSessionItem
	t.views[render.CallbackSessionOwner] = b.submitSessionOwner
	t.actions[render.ActionSessionStart] = b.openSessionStart
	t.views[render.CallbackSessionStart] = b.submitSessionStart
	t.threads[string(rituals.SessionPremortem)] = b.onSessionReply
	t.threads[string(rituals.SessionRetro)] = b.onSessionReply
}

// onPremortem handles /premortem; text is what the person typed, unescaped.
func (b sessions) onPremortem(ctx context.Context, r *request, text string) {
	b.onSession(ctx, r, rituals.SessionPremortem, text)
}

// onRetro handles /retro; text is what the person typed, unescaped.
func (b sessions) onRetro(ctx context.Context, r *request, text string) {
	b.onSession(ctx, r, rituals.SessionRetro, text)
}

// onSession handles /premortem and /retro, which differ only in kind.
func (b sessions) onSession(ctx context.Context, r *request, kind rituals.SessionKind, text string) {
	cmd, err := parseSession(kind, text)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	switch cmd.Op {
	case opSessionHelp:
		b.reply(ctx, r, "How to use /"+string(kind), render.WithExamples(render.SessionHelp(kind), b.helpExamples(ctx, r, kind)...)...)
	case opSessionList, opSessionStatus:
		open, actions, err := b.Sessions.List(ctx, b.caller(ctx, r), kind)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		blocks := render.SessionStatus(kind, open, actions, b.Sessions.Now())
		if cmd.Op == opSessionList {
			open = open[:min(cmd.Limit, len(open))]
			blocks = render.SessionList(kind, open, actions, b.Sessions.Now())
		}
		b.reply(ctx, r, render.CountNoun(len(open), kind.Noun())+" open in this channel", blocks...)
	case opSessionShow:
		s, err := b.Sessions.Show(ctx, b.caller(ctx, r), kind, cmd.ID)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		b.reply(ctx, r, render.SessionFallback(s, ""), elsewhere(s.Channel, r.channel, "Opened in", render.SessionCard(s))...)
	case opSessionClose:
		s, err := b.Sessions.Close(ctx, b.caller(ctx, r), kind, cmd.ID)
		if err = rituals.Done(err); err != nil || s == nil {
			b.replyIfError(ctx, r, err)
			return
		}
		r.log.Info("session closed early", "ritual", s.ID())
		b.replyText(ctx, r, fmt.Sprintf("Closed *%s*; its summary is going to its thread and the channel.", s.ID()))
	case opSessionOpen:
		if err := b.checkChannel(ctx, r); err != nil {
			b.replyError(ctx, r, err)
			return
		}
		if u, err := b.dir.User(ctx, r.team, r.user); err == nil {
			cmd.In.CreatorName = u.Name
		}
		s, err := b.Sessions.Open(ctx, b.caller(ctx, r), cmd.In)
		if err = rituals.Done(err); err != nil || s == nil {
			b.replyIfError(ctx, r, err)
			return
		}
		r.log.Info("session opened", "ritual", s.ID(), "kind", string(s.Kind))
	}
}

// onSessionReply captures a person's plain reply in a session's thread
// as an item: a failure mode, or a retro item chosen by its first word.
// Replies to the follow-up, and replies that are only a +1 or an emoji,
// are conversation and stay out. After close the person is told, privately,
// that their reply was not added.
func (b sessions) onSessionReply(ctx context.Context, r *request, key rituals.MessageKey, reply threadReply) {
	n, ok := key.SessionThread()
	if !ok || !rituals.Substantive(reply.Text) {
		return
	}
	_, it, err := b.Sessions.AddItem(ctx, b.caller(ctx, r), n, rituals.ItemInput{Text: reply.Text, SourceTS: reply.TS})
	switch {
	case errors.Is(err, rituals.ErrDuplicate):
		r.log.Info("duplicate request ignored")
	case err == nil:
		r.log.Info("thread reply captured", "session", n, "item", it.Number, "kind", string(it.Kind))
	case rituals.ErrorCode(err) == rituals.ECONFLICT:
		b.replyText(ctx, r, ":information_source: "+rituals.ErrorMessage(err)+" Your reply stays in the thread as a comment.")
	default:
		b.replyError(ctx, r, err)
	}
}
