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
		right := rituals.Right{Area: cmd.Area, Owner: cmd.Right.Owner, Responsible: cmd.Right.Responsible,
			Consulted: cmd.Right.Consulted, Informed: cmd.Right.Informed, Names: map[string]string{}}
		if err := b.nameParties(ctx, r, &right, cmd.Right.GroupNames); err != nil {
			b.replyError(ctx, r, err)
			return
		}
		saved, err := b.Rights.Add(ctx, c, right)
		if err != nil {
			b.replyError(ctx, r, rituals.Done(err))
			return
		}
		b.replyText(ctx, r, "Published: "+render.RightLine(saved)+". Tag a decision with it: `/decide ["+saved.Area+"] <text>`.")
	}
}

// nameParties checks that the groups and channels an area names exist
// (and that alignbot can post in its informed channels), and stores
// everyone's display name in rt.Names, for exports made without Slack:
// a person's name, a group's handle, a channel's name. Returns EINVALID
// naming the first that does not.
func (b decisions) nameParties(ctx context.Context, r *request, rt *rituals.Right, groupNames map[string]string) error {
	parties := append(append(append([]string{rt.Owner}, rt.Responsible...), rt.Consulted...), rt.Informed...)
	for _, id := range parties {
		if _, done := rt.Names[id]; done {
			continue
		}
		switch {
		case rituals.IsGroupID(id):
			if _, err := b.dir.GroupMembers(ctx, r.team, id); err != nil {
				return err
			}
			rt.Names[id] = groupNames[id]
		case rituals.IsChannelID(id):
			info, err := b.dir.Channel(ctx, r.team, id)
			if rituals.ErrorCode(err) != rituals.EINTERNAL && err != nil {
				return rituals.Errorf(rituals.EINVALID, "I can't post in <#%s>, so it cannot be named in decision rights: invite me there first (`/invite @alignbot`).", id)
			}
			rt.Names[id] = info.Name
		default:
			if info, err := b.dir.User(ctx, r.team, id); err == nil {
				rt.Names[id] = info.Name
			}
		}
		if rt.Names[id] == "" {
			delete(rt.Names, id)
		}
	}
	return nil
}
