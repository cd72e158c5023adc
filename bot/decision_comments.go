package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// decisionRitual is the first part of a decision's message keys, by
// which replies in its card's thread reach onDecisionReply.
const decisionRitual = "decision"

// linkWait bounds how long a form waits for the thread's permalink: a
// trigger lasts three seconds, and the form opens without the link
// rather than not at all.
const linkWait = time.Second

// onDecisionReply records a person's reply in the thread of a proposal's
// card, in its own channel, as a comment on it. Replies once it is
// decided (or dropped), and replies under its copies in informed
// channels, stay in Slack as conversation and are not recorded; nobody
// is told, as a thread goes on after a decision. A reply longer than
// rituals.MaxComment is recorded clipped, and its author is told so,
// privately.
func (b decisions) onDecisionReply(ctx context.Context, r *request, key rituals.MessageKey, reply threadReply) {
	n, _, ok := key.DecisionCard()
	if !ok {
		return
	}
	in := rituals.CommentInput{Channel: reply.Channel, TS: reply.TS, ThreadTS: reply.ThreadTS, Text: reply.Text}
	lctx, cancel := context.WithTimeout(ctx, checkLookupWait)
	if u, err := b.dir.User(lctx, r.team, reply.User); err == nil {
		in.UserName = u.Name
	}
	cancel()
	d, cm, err := b.Decisions.Comment(ctx, b.caller(ctx, r), n, in)
	switch {
	case errors.Is(err, rituals.ErrDuplicate):
		r.log.Info("duplicate request ignored")
	case rituals.ErrorCode(err) == rituals.ECONFLICT || rituals.ErrorCode(err) == rituals.EINVALID || rituals.ErrorCode(err) == rituals.ENOTFOUND:
		r.log.Info("thread reply not a comment", "decision", rituals.FormatID("D", n), "reason", rituals.ErrorMessage(err))
	case err != nil:
		r.log.Error("comment not recorded", "decision", rituals.FormatID("D", n), "err", err)
	default:
		r.log.Info("comment recorded", "decision", d.ID())
		if cm.Clipped {
			b.replyText(ctx, r, fmt.Sprintf("Your reply on %s is longer than a comment is kept: its first %s characters are recorded as your comment, and the whole reply stays in the thread.",
				d.ID(), render.Thousands(rituals.MaxComment)))
		}
	}
}

// onDecisionReplyChanged follows the edit or deletion of a reply in a
// proposal's thread that is a comment: an edit while it is proposed
// changes the comment, a deletion removes it. Changes to other replies,
// or edits once it is settled, change nothing.
func (b decisions) onDecisionReplyChanged(ctx context.Context, r *request, key rituals.MessageKey, reply threadReply, deleted bool) {
	n, _, ok := key.DecisionCard()
	if !ok {
		return
	}
	c := b.caller(ctx, r)
	var err error
	if deleted {
		err = b.Decisions.DeleteComment(ctx, c, n, reply.Channel, reply.TS)
	} else {
		_, err = b.Decisions.EditComment(ctx, c, n, rituals.CommentInput{Channel: reply.Channel, TS: reply.TS, Text: reply.Text})
	}
	switch code := rituals.ErrorCode(err); {
	case errors.Is(err, rituals.ErrDuplicate):
		r.log.Info("duplicate request ignored")
	case code == rituals.ECONFLICT || code == rituals.EINVALID || code == rituals.ENOTFOUND:
		r.log.Info("reply change not applied to a comment", "decision", rituals.FormatID("D", n), "reason", rituals.ErrorMessage(err))
	case err != nil:
		r.log.Error("comment change not recorded", "decision", rituals.FormatID("D", n), "err", err)
	case deleted:
		r.log.Info("comment deleted", "decision", rituals.FormatID("D", n))
	default:
		r.log.Info("comment edited", "decision", rituals.FormatID("D", n))
	}
}

// commentsOf returns d's comments and the permalink of its thread, for
// what shows them; none, and no link, when they cannot be read now.
func (b decisions) commentsOf(ctx context.Context, r *request, d *rituals.Decision) ([]rituals.Comment, string) {
	_, cs, err := b.Decisions.Comments(ctx, b.caller(ctx, r), d.Number)
	if err != nil {
		r.log.Warn("comments not read", "decision", d.ID(), "err", err)
	}
	lctx, cancel := context.WithTimeout(ctx, linkWait)
	defer cancel()
	return cs, b.out.ThreadLink(lctx, d)
}
