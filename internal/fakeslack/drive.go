package fakeslack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Slash is a slash command typed by User in Channel. Command includes the "/".
type Slash struct {
	User, Channel, Command, Text string
}

// Action is a click on an interactive element. Set MessageTS (with Channel) for
// an element in a message, or ViewID for one in a modal or Home tab. ActionID
// names the element; BlockID narrows the search and may be empty. Value is the
// chosen value: it may be empty for buttons (the button's own value is sent) and
// is the option value, user ID, date, etc. for other elements.
type Action struct {
	User, Channel, MessageTS, ActionID, BlockID, Value string
	ViewID                                             string
}

// Shortcut is a shortcut run by User: a message shortcut (message_action) when
// MessageTS is set, otherwise a global shortcut.
type Shortcut struct {
	User, Channel, MessageTS, CallbackID string
}

// SlashCommand delivers a slash_commands envelope and returns the app's ack. It
// refuses, sending nothing, if the user or channel is unknown, the user is
// deactivated, the channel is archived, or the channel is private and the user
// is not in it. A text or blocks response in the ack payload is recorded the way
// Slack shows it: in Ephemerals, or as a channel message for in_channel.
func (s *Server) SlashCommand(ctx context.Context, c Slash) (*Ack, error) {
	if !strings.HasPrefix(c.Command, "/") {
		return nil, fmt.Errorf("fakeslack: SlashCommand: command %q must start with /", c.Command)
	}
	s.mu.Lock()
	u, ch, err := s.actor(c.User, c.Channel)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeslack: SlashCommand: %w", err)
	}
	payload := map[string]any{
		"token":                 "fake-verification-token",
		"team_id":               s.opts.TeamID,
		"team_domain":           s.opts.TeamDomain,
		"channel_id":            ch.id,
		"channel_name":          channelName(ch),
		"user_id":               u.ID,
		"user_name":             u.Name,
		"command":               c.Command,
		"text":                  c.Text,
		"api_app_id":            s.opts.AppID,
		"is_enterprise_install": "false",
		"response_url":          s.mintResponseURL(&responseURL{user: u.ID, channel: ch.id, kind: "commands"}),
		"trigger_id":            s.mintTrigger(u.ID),
	}
	raw := mustJSON(payload)
	s.mu.Unlock()
	ack, err := s.send(ctx, s.newEnvelope("slash_commands", raw, 0, ""))
	if err == nil {
		s.applySlashAck(u.ID, ch.id, ack)
	}
	return ack, err
}

// BlockAction delivers a block_actions interaction for a.ActionID, which must be
// an element of the stored message or view. The payload has trigger_id,
// container, and for messages channel, message and response_url; for views the
// whole view instead.
func (s *Server) BlockAction(ctx context.Context, a Action) (*Ack, error) {
	s.mu.Lock()
	payload, err := s.blockActionPayload(a)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeslack: BlockAction: %w", err)
	}
	raw := mustJSON(payload)
	s.mu.Unlock()
	return s.send(ctx, s.newEnvelope("interactive", raw, 0, ""))
}

func (s *Server) blockActionPayload(a Action) (map[string]any, error) {
	u, err := s.activeUser(a.User)
	if err != nil {
		return nil, err
	}
	p := s.interactionBase("block_actions", u)
	p["trigger_id"] = s.mintTrigger(u.ID)
	p["state"] = map[string]any{"values": map[string]any{}}
	var blocks []any
	switch {
	case a.ViewID != "":
		v := s.st.views[a.ViewID]
		if v == nil || v.user != u.ID {
			return nil, fmt.Errorf("view %q is not %s's", a.ViewID, u.ID)
		}
		if !v.open {
			return nil, fmt.Errorf("view %q is closed", a.ViewID)
		}
		blocks = v.blocks
		p["container"] = map[string]any{"type": "view", "view_id": v.id}
		p["view"] = s.viewJSON(v)
	case a.MessageTS != "":
		ch, m, ephemeral, err := s.visibleMessage(u.ID, a.Channel, a.MessageTS)
		if err != nil {
			return nil, err
		}
		blocks = m.blocks
		container := map[string]any{"type": "message", "message_ts": m.ts, "channel_id": ch.id,
			"is_ephemeral": ephemeral, "is_app_unfurl": false}
		if m.threadTS != "" {
			container["thread_ts"] = m.threadTS
		}
		p["container"] = container
		p["channel"] = map[string]any{"id": ch.id, "name": channelName(ch)}
		if !ephemeral {
			p["message"] = s.messageJSON(ch, m, false)
		}
		p["response_url"] = s.mintResponseURL(&responseURL{user: u.ID, channel: ch.id, kind: "actions",
			original: m.ts, ephemeral: ephemeral})
	default:
		return nil, errors.New("set MessageTS or ViewID")
	}
	elem, blockID, err := findElement(blocks, a.BlockID, a.ActionID)
	if err != nil {
		return nil, err
	}
	act, err := actionJSON(elem, blockID, a.Value)
	if err != nil {
		return nil, err
	}
	act["action_ts"] = s.nextTS()
	p["actions"] = []any{act}
	return p, nil
}

// Shortcut delivers a global shortcut (type shortcut) or, with MessageTS, a
// message shortcut (type message_action) carrying the message and a response_url.
func (s *Server) Shortcut(ctx context.Context, sc Shortcut) (*Ack, error) {
	if sc.CallbackID == "" {
		return nil, errors.New("fakeslack: Shortcut: no CallbackID")
	}
	s.mu.Lock()
	u, err := s.activeUser(sc.User)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeslack: Shortcut: %w", err)
	}
	p := s.interactionBase("shortcut", u)
	p["callback_id"] = sc.CallbackID
	p["trigger_id"] = s.mintTrigger(u.ID)
	p["action_ts"] = s.nextTS()
	if sc.MessageTS != "" {
		ch, m, ephemeral, err := s.visibleMessage(u.ID, sc.Channel, sc.MessageTS)
		if err == nil && ephemeral {
			err = errors.New("message shortcuts do not run on ephemeral messages")
		}
		if err != nil {
			s.mu.Unlock()
			return nil, fmt.Errorf("fakeslack: Shortcut: %w", err)
		}
		p["type"] = "message_action"
		p["message_ts"] = m.ts
		p["message"] = s.messageJSON(ch, m, false)
		p["channel"] = map[string]any{"id": ch.id, "name": channelName(ch)}
		p["response_url"] = s.mintResponseURL(&responseURL{user: u.ID, channel: ch.id, kind: "actions"})
	}
	raw := mustJSON(p)
	s.mu.Unlock()
	return s.send(ctx, s.newEnvelope("interactive", raw, 0, ""))
}

// PostUserMessage is user typing text into channel (into the thread threadTS if
// set). It stores the message and, if the bot is a member of the channel,
// delivers its "message" event and waits for the ack (see Event). It refuses if
// the user is unknown or not a member, the channel is archived, or the thread
// does not exist.
func (s *Server) PostUserMessage(ctx context.Context, user, channel, text, threadTS string) (string, error) {
	s.mu.Lock()
	u, ch, err := s.actor(user, channel)
	if err == nil && !ch.isMember(u.ID) {
		err = fmt.Errorf("user %s is not in channel %s", u.ID, ch.id)
	}
	var root *message
	if err == nil && threadTS != "" {
		if root = ch.find(threadTS); root == nil || (root.threadTS != "" && root.threadTS != root.ts) {
			err = fmt.Errorf("no thread %s in %s", threadTS, ch.id)
		}
	}
	if err != nil {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: PostUserMessage: %w", err)
	}
	blocks := []any{map[string]any{"type": "rich_text", "block_id": s.blockID(), "elements": []any{
		map[string]any{"type": "rich_text_section", "elements": []any{map[string]any{"type": "text", "text": text}}},
	}}}
	m := &message{ts: s.nextTS(), user: u.ID, text: text, blocks: blocks}
	ev := map[string]any{
		"type": "message", "channel": ch.id, "channel_type": ch.kind(), "user": u.ID, "text": text,
		"ts": m.ts, "event_ts": m.ts, "client_msg_id": uuid.NewString(), "team": s.opts.TeamID,
		"blocks": cloneJSON(blocks),
	}
	if root != nil {
		m.threadTS = root.ts
		root.threadTS = root.ts
		ev["thread_ts"] = root.ts
		ev["parent_user_id"] = root.user
	}
	ch.msgs = append(ch.msgs, m)
	notify := ch.isMember(s.opts.BotUserID)
	var payload map[string]any
	if notify {
		payload = s.eventCallback(ev)
	}
	s.mu.Unlock()
	if !notify {
		return m.ts, nil
	}
	_, err = s.deliverEvent(ctx, payload)
	return m.ts, err
}

// OpenHome delivers app_home_opened for user's Home tab, with the published view
// if there is one.
func (s *Server) OpenHome(ctx context.Context, user string) (*Ack, error) {
	s.mu.Lock()
	u, err := s.activeUser(user)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeslack: OpenHome: %w", err)
	}
	ev := map[string]any{"type": "app_home_opened", "user": u.ID, "channel": s.dm(u.ID).id,
		"tab": "home", "event_ts": s.nextTS()}
	if id, ok := s.st.homes[u.ID]; ok {
		ev["view"] = s.viewJSON(s.st.views[id])
	}
	payload := s.eventCallback(ev)
	s.mu.Unlock()
	return s.deliverEvent(ctx, payload)
}

// activeUser returns a known, not deactivated user. Callers hold s.mu.
func (s *Server) activeUser(id string) (*User, error) {
	u := s.st.users[id]
	switch {
	case u == nil:
		return nil, fmt.Errorf("unknown user %q", id)
	case u.Deleted:
		return nil, fmt.Errorf("user %s is deactivated", id)
	}
	return u, nil
}

// actor checks that user can act in channel: both exist, the channel is not
// archived, and a private channel (or DM) has the user as a member. Callers hold s.mu.
func (s *Server) actor(userID, channelID string) (*User, *channel, error) {
	u, err := s.activeUser(userID)
	if err != nil {
		return nil, nil, err
	}
	ch := s.st.channels[channelID]
	switch {
	case ch == nil:
		return nil, nil, fmt.Errorf("unknown channel %q", channelID)
	case ch.archived:
		return nil, nil, fmt.Errorf("channel %s is archived", ch.id)
	case ch.private && !ch.isMember(u.ID):
		return nil, nil, fmt.Errorf("user %s is not in private channel %s", u.ID, ch.id)
	}
	return u, ch, nil
}

// visibleMessage finds a message user can see: a channel message, or one of the
// user's ephemerals in that channel. Callers hold s.mu.
func (s *Server) visibleMessage(user, channelID, ts string) (*channel, *message, bool, error) {
	ch := s.st.channels[channelID]
	if ch == nil {
		return nil, nil, false, fmt.Errorf("unknown channel %q", channelID)
	}
	if ch.private && !ch.isMember(user) {
		return nil, nil, false, fmt.Errorf("user %s is not in private channel %s", user, ch.id)
	}
	if m := ch.find(ts); m != nil {
		return ch, m, false, nil
	}
	for _, m := range s.st.ephemerals[user] {
		if m.channel == ch.id && m.ts == ts {
			return ch, m, true, nil
		}
	}
	return nil, nil, false, fmt.Errorf("no message %s in %s", ts, ch.id)
}

// interactionBase is what every interaction payload carries. Callers hold s.mu.
func (s *Server) interactionBase(typ string, u *User) map[string]any {
	return map[string]any{
		"type":                  typ,
		"token":                 "fake-verification-token",
		"api_app_id":            s.opts.AppID,
		"team":                  map[string]any{"id": s.opts.TeamID, "domain": s.opts.TeamDomain},
		"user":                  map[string]any{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": s.opts.TeamID},
		"enterprise":            nil,
		"is_enterprise_install": false,
	}
}

func channelName(ch *channel) string {
	if ch.im {
		return "directmessage"
	}
	return ch.name
}
