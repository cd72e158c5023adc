package bot

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// blockerFormFrom fills the blocker form from a message's text, as
// "Report as blocker" does: the text, cut to what the form holds
// (MaxBlockerText characters, at a space or line break in its second
// half where there is one, and never inside a <…> mention), and the
// parties mentioned in what is kept.
func blockerFormFrom(text string) render.BlockerForm {
	f := render.BlockerForm{Text: text}
	if n := utf8.RuneCountInString(text); n > rituals.MaxBlockerText {
		f.Text, f.Cut = cutTyped(text, rituals.MaxBlockerText), n
	}
	f.Parties = parseMentions(f.Text)
	return f
}

// cutTyped returns the start of text, at most max characters, that ends
// outside a <…> token, at a line break or space if one falls in the
// second half.
func cutTyped(text string, max int) string {
	end, n := len(text), 0
	for i := range text {
		if n == max {
			end = i
			break
		}
		n++
	}
	head := text[:end]
	if open := strings.LastIndexByte(head, '<'); open > strings.LastIndexByte(head, '>') {
		head = head[:open]
	}
	if space := strings.LastIndexAny(head, " \n"); space > len(head)/2 {
		head = head[:space]
	}
	return head
}

// groupRef matches one user group picked in the form's group field: its
// option's value, "S…|@handle" or the ID alone (see render.GroupOptions).
var groupRef = regexp.MustCompile(`^(S[A-Z0-9]{2,20})(?:\|@([^<>|]{1,140}))?$`)

// readBlockerModal reads a submitted blocker form: the parties are the
// people, groups and channels chosen and the mentions in the text.
// Returns EINVALID on the group field when a pick is not a group's.
func readBlockerModal(state *slack.ViewState) (rituals.BlockerInput, error) {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.BlockerInput{
		Text:     v(rituals.FieldBlockerText).Value,
		Impact:   v(rituals.FieldImpact).Value,
		NeededBy: rituals.Date(v(rituals.FieldNeededBy).SelectedDate),
	}
	for _, u := range v(rituals.FieldParties).SelectedUsers {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyUser, ID: u})
	}
	for _, o := range v(render.FieldBlockerGroup).SelectedOptions {
		m := groupRef.FindStringSubmatch(o.Value)
		if m == nil {
			msg := "“" + render.Clip(o.Value, 40) + "” is not a user group; pick one from the list."
			return in, &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{render.FieldBlockerGroup: msg}}
		}
		p := rituals.Party{Kind: rituals.PartyGroup, ID: m[1]}
		if m[2] != "" {
			p.Name = "@" + m[2]
		}
		in.Parties = append(in.Parties, p)
	}
	for _, c := range v(render.FieldBlockerChannels).SelectedConversations {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: c})
	}
	in.Parties = append(in.Parties, parseMentions(in.Text)...)
	return in, nil
}

// matchGroups returns the groups whose handle or name holds query (an
// "@" before it ignored), case aside: those whose handle or name starts
// with it first, each in the workspace's order. An empty query matches
// every group.
func matchGroups(gs []slackapi.Group, query string) []render.GroupChoice {
	q := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(query), "@"))
	var first, then []render.GroupChoice
	for _, g := range gs {
		h, n := strings.ToLower(g.Handle), strings.ToLower(g.Name)
		c := render.GroupChoice{ID: g.ID, Handle: g.Handle, Name: g.Name}
		switch {
		case strings.HasPrefix(h, q) || strings.HasPrefix(n, q):
			first = append(first, c)
		case strings.Contains(h, q) || strings.Contains(n, q):
			then = append(then, c)
		}
	}
	return append(first, then...)
}

// suggestGroups offers the workspace's user groups matching what the
// person typed into the blocker form's group field. When Slack cannot
// list them in time, it offers none: the form still takes people and
// channels.
func (b blockers) suggestGroups(ctx context.Context, r *request, query string) []*slack.OptionBlockObject {
	gs, err := b.dir.Groups(ctx, r.team)
	if err != nil {
		r.log.Warn("user groups not listed; offering none", "err", err)
		return nil
	}
	return render.GroupOptions(matchGroups(gs, query))
}

// groupCheckWait bounds how long a submitted form waits to learn who is
// in the user groups it picks.
const groupCheckWait = time.Second

// checkGroupsNow asks, while the form waits and for groupCheckWait at
// most, who is in each user group picked: one with nobody in it, or one
// Slack does not know, shows on the group field. A lookup that takes
// longer is left to the work done once the form has closed, which asks
// again and answers by message.
func (b blockers) checkGroupsNow(ctx context.Context, r *request, parties []rituals.Party) error {
	lctx, cancel := context.WithTimeout(ctx, groupCheckWait)
	defer cancel()
	for _, p := range parties {
		if p.Kind != rituals.PartyGroup {
			continue
		}
		members, err := b.dir.GroupMembers(lctx, r.team, p.ID)
		name := p.Name
		if name == "" {
			name = p.ID
		}
		var msg string
		switch {
		case rituals.ErrorCode(err) == rituals.EINVALID:
			msg = "There is no user group " + name + " in this workspace any more; pick another."
		case err != nil:
			r.log.Info("user group not checked in time; checked once the form closes", "group", p.ID, "err", err)
			return nil
		case len(members) == 0:
			msg = "The user group " + name + " has nobody in it, so nobody would be told. Pick another, or name its people."
		default:
			continue
		}
		return &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{render.FieldBlockerGroup: msg}}
	}
	return nil
}
