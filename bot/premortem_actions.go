package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onSessionAdd opens the form behind a session's add buttons (Add failure
// mode, What went well, …), if the session still takes items.
func (b sessions) onSessionAdd(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	kind := rituals.ItemKind(strings.TrimPrefix(a.ActionID, render.ActionSessionAdd))
	n, err := rituals.ParseID("R", a.Value)
	var s *rituals.Session
	if err == nil {
		s, err = b.Sessions.ForAdd(ctx, b.caller(ctx, r), n, kind)
	}
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.SessionItemModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, s, kind))
}

// submitSessionItem adds the item of a submitted form; a problem shows on
// the form. An anonymous item is not logged: the log line would name who
// added it.
func (b sessions) submitSessionItem(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	in := readSessionItemModal(cb.View.State, render.ReadSessionExtra(meta).Kind)
	if in.Owner != "" {
		var err error
		if in.OwnerName, in.OwnerZone, err = b.ownerOf(ctx, r, in.Owner); err != nil {
			return err
		}
	}
	_, it, err := b.Sessions.AddItem(ctx, b.caller(ctx, r), meta.Number, in)
	if err = rituals.Done(err); err != nil || it == nil {
		return err
	}
	if !it.Anonymous { // the log names the person: it keeps nothing of an anonymous item
		r.log.Info("item added", "session", meta.Number, "item", it.Number, "kind", string(it.Kind))
	}
	return nil
}

// ownerOf returns a chosen owner's display name and time zone, refusing a
// bot or a deactivated account on the owner field.
func (b sessions) ownerOf(ctx context.Context, r *request, id string) (name string, zone rituals.Zone, err error) {
	u, err := b.dir.User(ctx, r.team, id)
	switch {
	case err != nil:
		r.log.Warn("owner lookup failed; reminding in UTC", "owner", id, "err", err)
		return "", rituals.ZoneOf(time.UTC), nil
	case u.IsBot || u.Deleted:
		msg := "That is a bot or a deactivated account; choose a person."
		return "", rituals.Zone{}, &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{rituals.FieldItemOwner: msg}}
	}
	return u.Name, rituals.ZoneOf(u.Location), nil
}

// onSessionVote records a +1, or takes it back; the item's reply shows the
// new count. After close the person is told, privately, why not.
func (b sessions) onSessionVote(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, item, err := render.ParseItemRef(a.Value)
	voted := false
	if err == nil {
		voted, _, err = b.Sessions.Vote(ctx, b.caller(ctx, r), n, item)
	}
	if err != nil {
		b.replyIfError(ctx, r, rituals.Done(err))
		return
	}
	r.log.Info("vote recorded", "session", n, "item", item, "voted", voted)
}

// onSessionBlocker turns a ranked risk into a blocker reported by the
// person who clicked, in the pre-mortem's channel.
func (b sessions) onSessionBlocker(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	n, item, err := render.ParseItemRef(a.Value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	name := ""
	if u, err := b.dir.User(ctx, r.team, r.user); err == nil {
		name = u.Name
	}
	source := ""
	if cb.Message.Timestamp != "" {
		if source, err = b.slack.Permalink(ctx, r.team, r.channel, cb.Message.Timestamp); err != nil {
			r.log.Warn("permalink lookup failed", "err", err)
		}
	}
	bl, it, err := b.Sessions.MakeBlocker(ctx, b.caller(ctx, r), n, item, name, source)
	if err = rituals.Done(err); err != nil || bl == nil {
		b.replyIfError(ctx, r, err)
		return
	}
	r.log.Info("risk made a blocker", "session", n, "item", item, "blocker", bl.ID())
	who := "this channel"
	if it.Owner != "" {
		who = render.Person(it.Owner, "") + ", its owner"
	}
	b.replyText(ctx, r, fmt.Sprintf("Reported *%s* from %s; its card is posted here, and %s must act.", bl.ID(), it.Ref(), who))
}

// onSessionOwner opens the form behind Assign owner, if the person may.
func (b sessions) onSessionOwner(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, item, err := render.ParseItemRef(a.Value)
	var it *rituals.Item
	if err == nil {
		_, it, err = b.Sessions.ForTrack(ctx, b.caller(ctx, r), n, item)
	}
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.SessionOwnerModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, it))
}

// submitSessionOwner saves a submitted owner form.
func (b sessions) submitSessionOwner(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	in := readSessionOwnerModal(cb.View.State)
	switch {
	case in.Owner != "" && in.Team != "": // refused by the domain, on the form
	case in.Owner != "":
		var err error
		if in.OwnerName, in.OwnerZone, err = b.ownerOf(ctx, r, in.Owner); err != nil {
			return err
		}
	case in.Team != "":
		// A team's channel: alignbot must be able to post its reminder there.
		info, err := b.dir.Channel(ctx, r.team, in.Team)
		if err != nil && rituals.ErrorCode(err) != rituals.EINTERNAL {
			msg := fmt.Sprintf("I can't post in <#%s>, so it cannot own this: invite me there first (`/invite @alignbot`).", in.Team)
			return &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{rituals.FieldItemTeam: msg}}
		}
		in.OwnerName, in.OwnerZone = info.Name, rituals.ZoneOf(time.UTC)
	}
	item := render.ReadSessionExtra(meta).Item
	it, err := b.Sessions.AssignOwner(ctx, b.caller(ctx, r), meta.Number, item, in)
	if err = rituals.Done(err); err != nil || it == nil {
		return err
	}
	r.log.Info("owner assigned", "session", meta.Number, "item", item, "owner", it.Owner, "due", it.Due.String())
	return nil
}

// onSessionDone marks an action item done.
func (b sessions) onSessionDone(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, item, err := render.ParseItemRef(a.Value)
	if err == nil {
		_, err = b.Sessions.Finish(ctx, b.caller(ctx, r), n, item)
		if err == nil {
			r.log.Info("action item done", "session", n, "item", item)
		}
	}
	b.replyIfError(ctx, r, rituals.Done(err))
}

// onSessionHappened records, on a pre-mortem's follow-up, that a risk
// happened, or takes it back.
func (b sessions) onSessionHappened(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	n, item, err := render.ParseItemRef(a.Value)
	if err == nil {
		var happened bool
		happened, err = b.Sessions.ToggleHappened(ctx, b.caller(ctx, r), n, item)
		if err == nil {
			r.log.Info("risk marked", "session", n, "item", item, "happened", happened)
		}
	}
	b.replyIfError(ctx, r, rituals.Done(err))
}
