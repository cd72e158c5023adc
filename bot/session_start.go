package bot

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// openSessionStart opens the form that starts a pre-mortem or a retro
// here, behind the Start button of a bare /premortem or /retro.
func (b sessions) openSessionStart(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	kind := rituals.SessionKind(a.Value)
	if kind != rituals.SessionPremortem && kind != rituals.SessionRetro {
		b.replyError(ctx, r, rituals.Errorf(rituals.EINVALID, "That button names no pre-mortem or retro. Run `/premortem` or `/retro` again."))
		return
	}
	if err := b.checkChannel(ctx, r); err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.openModal(ctx, r, render.SessionStartModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, kind))
}

// submitSessionStart starts the pre-mortem or retro of a submitted start
// form, as `/premortem <launch> …` or `/retro <name> …` would.
func (b sessions) submitSessionStart(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	var kind rituals.SessionKind
	if err := json.Unmarshal(meta.Extra, &kind); err != nil {
		return rituals.Errorf(rituals.EINVALID, "This form lost track of what it starts; run `/premortem` or `/retro` again.")
	}
	in, err := readSessionStart(cb.View.State, kind)
	if err != nil {
		return err
	}
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	if u, err := b.dir.User(ctx, r.team, r.user); err == nil {
		in.CreatorName = u.Name
	}
	s, err := b.Sessions.Open(ctx, b.caller(ctx, r), in)
	if err = rituals.Done(err); err != nil || s == nil {
		return err
	}
	r.log.Info("session opened", "ritual", s.ID(), "kind", string(s.Kind))
	return nil
}

// readSessionStart reads a submitted start form. Returns EINVALID on the
// duration field when it holds no duration.
func readSessionStart(state *slack.ViewState, kind rituals.SessionKind) (rituals.SessionInput, error) {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.SessionInput{Kind: kind, Name: v(rituals.FieldSessionName).Value, LaunchOn: rituals.Date(v(rituals.FieldSessionLaunch).SelectedDate)}
	if text := strings.TrimSpace(v(rituals.FieldSessionCloseIn).Value); text != "" {
		d, err := rituals.ParseDuration(text, rituals.SessionWindowBounds)
		if err != nil {
			msg := rituals.ErrorMessage(err)
			return in, &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{rituals.FieldSessionCloseIn: msg}}
		}
		in.CloseIn = time.Duration(d)
	}
	return in, nil
}
