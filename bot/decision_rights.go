package bot

import (
	"context"
	"fmt"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onRights lists, publishes or removes the team's decision rights.
func (b decisions) onRights(ctx context.Context, r *request, cmd decideCmd) {
	c := b.caller(ctx, r)
	switch cmd.Op {
	case decideRights:
		rights, err := b.Rights.List(ctx, c)
		if err != nil {
			b.replyError(ctx, r, err)
			return
		}
		b.reply(ctx, r, "Decision rights", render.RightsList(rights)...)
	case decideRightsRemove:
		if err := b.Rights.Remove(ctx, c, cmd.Area); err != nil {
			b.replyError(ctx, r, rituals.Done(err))
			return
		}
		b.replyText(ctx, r, fmt.Sprintf("The decision rights of `%s` are withdrawn. Decisions tagged with it keep the tag.", render.Mrkdwn(cmd.Area)))
	case decideRightsAdd:
		right := rituals.Right{Area: cmd.Area, Owner: cmd.Right.Owner, Consulted: cmd.Right.Consulted,
			Informed: cmd.Right.Informed, Names: map[string]string{}}
		for _, u := range append([]string{right.Owner}, right.Consulted...) {
			if info, err := b.dir.User(ctx, r.team, u); err == nil {
				right.Names[u] = info.Name
			}
		}
		for _, ch := range right.Informed {
			info, err := b.dir.Channel(ctx, r.team, ch)
			if rituals.ErrorCode(err) != rituals.EINTERNAL && err != nil {
				b.replyError(ctx, r, rituals.Errorf(rituals.EINVALID, "I can't post in <#%s>, so it cannot be informed: invite me there first (`/invite @alignbot`).", ch))
				return
			}
			right.Names[ch] = info.Name
		}
		saved, err := b.Rights.Add(ctx, c, right)
		if err != nil {
			b.replyError(ctx, r, rituals.Done(err))
			return
		}
		b.replyText(ctx, r, "Published: "+render.RightLine(saved)+". Tag a decision with it: `/decide ["+saved.Area+"] <text>`.")
	}
}
