package fakeslack

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	maxUpdateText    = 4000  // chat.update / chat.postEphemeral: msg_too_long beyond it
	maxTruncatedText = 40000 // chat.postMessage: Slack truncates beyond it
)

// content is the text, blocks and metadata of a chat call, already checked.
type content struct {
	text        string
	blocks      []any
	hasBlocks   bool
	attachments []any
	metadata    map[string]any
}

// parseContent reads text, blocks, attachments, markdown_text and metadata and
// returns the Slack error for the first problem.
func parseContent(rq *apiRequest) (content, *apiResult) {
	fail := func(res apiResult) (content, *apiResult) { return content{}, &res }
	var c content
	c.text = rq.str("text")
	var code string
	c.blocks, c.hasBlocks, code = rq.blocks("blocks")
	if code != "" {
		return fail(errResult(code))
	}
	if msgs := validateMessageBlocks(c.blocks); len(msgs) > 0 {
		return fail(argsResult("invalid_blocks", msgs))
	}
	if md := rq.str("markdown_text"); md != "" {
		if c.text != "" || c.hasBlocks {
			return fail(errResult("markdown_text_conflict"))
		}
		c.text = md
	}
	switch a := rq.params["attachments"].(type) {
	case []any:
		if len(a) > 100 {
			return fail(errResult("too_many_attachments"))
		}
		c.attachments = cloneJSON(a).([]any)
	case string:
		if a != "" {
			return fail(errResult("invalid_attachments"))
		}
	}
	switch md := rq.params["metadata"].(type) {
	case nil:
	case map[string]any:
		et, _ := md["event_type"].(string)
		payload, hasPayload := md["event_payload"]
		_, payloadIsObject := payload.(map[string]any)
		if et == "" || (hasPayload && payload != nil && !payloadIsObject) {
			return fail(errResult("invalid_metadata_format"))
		}
		c.metadata = cloneJSON(md).(map[string]any)
	default:
		if md != "" {
			return fail(errResult("invalid_metadata_format"))
		}
	}
	return c, nil
}

func (c content) empty() bool { return c.text == "" && len(c.blocks) == 0 && len(c.attachments) == 0 }

// postTarget resolves where the bot may post: a channel it can write to, or a
// user ID meaning the bot's DM with them. Callers hold s.mu.
func (s *Server) postTarget(id string) (*channel, string) {
	if strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") {
		if s.st.users[id] == nil {
			return nil, "channel_not_found"
		}
		return s.dm(id), ""
	}
	ch := s.st.channels[id]
	switch {
	case ch == nil:
		return nil, "channel_not_found"
	case ch.archived:
		return nil, "is_archived"
	case ch.private && !ch.isMember(s.opts.BotUserID):
		return nil, "not_in_channel"
	}
	return ch, ""
}

// visibleChannel returns a conversation the bot can see: public channels, and
// private ones and DMs it is in. Callers hold s.mu.
func (s *Server) visibleChannel(id string) (*channel, string) {
	ch := s.st.channels[id]
	if ch == nil || (ch.private && !ch.isMember(s.opts.BotUserID)) {
		return nil, "channel_not_found"
	}
	return ch, ""
}

func (s *Server) chatPostMessage(rq *apiRequest) apiResult {
	c, fail := parseContent(rq)
	if fail != nil {
		return *fail
	}
	if c.empty() {
		return errResult("no_text")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.postTarget(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	var root *message
	if ts := rq.str("thread_ts"); ts != "" {
		if root = ch.find(ts); root == nil {
			return errResult("thread_not_found")
		}
		if root.threadTS != "" && root.threadTS != root.ts {
			root = ch.find(root.threadTS) // a reply's ts threads under its parent
		}
	}
	s.assignIDs(c.blocks)
	m := &message{ts: s.nextTS(), user: s.opts.BotUserID, botID: s.opts.BotID,
		text: truncate(c.text, maxTruncatedText), blocks: c.blocks, attachments: c.attachments, metadata: c.metadata}
	if root != nil {
		m.threadTS, root.threadTS = root.ts, root.ts
		if rq.flag("reply_broadcast") {
			m.broadcast, m.subtype = true, "thread_broadcast"
		}
	}
	ch.msgs = append(ch.msgs, m)
	return okResult(map[string]any{"channel": ch.id, "ts": m.ts, "message": cloneJSON(s.messageJSON(ch, m, true))})
}

func (s *Server) chatPostEphemeral(rq *apiRequest) apiResult {
	c, fail := parseContent(rq)
	if fail != nil {
		return *fail
	}
	if c.empty() {
		return errResult("no_text")
	}
	if utf8.RuneCountInString(c.text) > maxUpdateText {
		return errResult("msg_too_long")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[rq.str("channel")]
	user := rq.str("user")
	switch {
	case ch == nil:
		return errResult("channel_not_found")
	case ch.archived:
		return errResult("is_archived")
	case ch.private && !ch.isMember(s.opts.BotUserID):
		return errResult("not_in_channel")
	case s.st.users[user] == nil:
		return errResult("user_not_found")
	case !ch.isMember(user):
		return errResult("user_not_in_channel")
	}
	s.assignIDs(c.blocks)
	m := &message{ts: s.nextTS(), user: s.opts.BotUserID, botID: s.opts.BotID, text: c.text,
		blocks: c.blocks, attachments: c.attachments, ephemeral: true, channel: ch.id, threadTS: rq.str("thread_ts")}
	s.st.ephemerals[user] = append(s.st.ephemerals[user], m)
	return okResult(map[string]any{"message_ts": m.ts})
}

// chatUpdate answers chat.update. Without blocks, giving text removes the old
// blocks; an empty blocks array removes them too.
func (s *Server) chatUpdate(rq *apiRequest) apiResult {
	c, fail := parseContent(rq)
	if fail != nil {
		return *fail
	}
	if utf8.RuneCountInString(c.text) > maxUpdateText {
		return errResult("msg_too_long")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.visibleChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	m := ch.find(rq.str("ts"))
	switch {
	case m == nil:
		return errResult("message_not_found")
	case m.user != s.opts.BotUserID:
		return errResult("cant_update_message")
	case c.empty() && !c.hasBlocks && c.metadata == nil:
		return errResult("no_text")
	}
	if c.hasBlocks {
		s.assignIDs(c.blocks)
		m.blocks = c.blocks
	} else if c.text != "" {
		m.blocks = nil
	}
	if c.text != "" || c.hasBlocks {
		m.text = c.text
	}
	if c.attachments != nil {
		m.attachments = c.attachments
	}
	if c.metadata != nil {
		m.metadata = c.metadata
	}
	m.edited, m.editedTS = true, s.nextTS()
	return okResult(map[string]any{"channel": ch.id, "ts": m.ts, "text": m.text,
		"message": cloneJSON(s.messageJSON(ch, m, true))})
}

func (s *Server) chatDelete(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.visibleChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	m := ch.find(rq.str("ts"))
	switch {
	case m == nil:
		return errResult("message_not_found")
	case m.user != s.opts.BotUserID:
		return errResult("cant_delete_message")
	}
	ch.remove(m.ts)
	return okResult(map[string]any{"channel": ch.id, "ts": m.ts})
}

// chatGetPermalink answers with https://<domain>.slack.com/archives/<C>/p<ts
// without its dot>, plus thread_ts and cid for thread replies.
func (s *Server) chatGetPermalink(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.visibleChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	m := ch.find(rq.str("message_ts"))
	if m == nil {
		return errResult("message_not_found")
	}
	link := fmt.Sprintf("https://%s.slack.com/archives/%s/p%s", s.opts.TeamDomain, ch.id, strings.Replace(m.ts, ".", "", 1))
	if m.threadTS != "" && m.threadTS != m.ts {
		link += "?thread_ts=" + m.threadTS + "&cid=" + ch.id
	}
	return okResult(map[string]any{"channel": ch.id, "permalink": link})
}

func (s *Server) reactionsAdd(rq *apiRequest) apiResult {
	name, ts := strings.Trim(rq.str("name"), ":"), rq.str("timestamp")
	if rq.str("channel") == "" || ts == "" {
		return errResult("no_item_specified")
	}
	if name == "" || strings.ContainsAny(name, " ,") {
		return errResult("invalid_name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.visibleChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	if ch.archived {
		return errResult("is_archived")
	}
	m := ch.find(ts)
	if m == nil {
		return errResult("message_not_found")
	}
	for i, r := range m.reactions {
		if r.name == name {
			if slices.Contains(r.users, s.opts.BotUserID) {
				return errResult("already_reacted")
			}
			m.reactions[i].users = append(r.users, s.opts.BotUserID)
			return okResult(nil)
		}
	}
	m.reactions = append(m.reactions, reaction{name: name, users: []string{s.opts.BotUserID}})
	return okResult(nil)
}

// messageJSON renders a message as Slack returns it in history, replies and
// chat answers; ch may be nil for ephemerals. Callers hold s.mu.
func (s *Server) messageJSON(ch *channel, m *message, withMetadata bool) map[string]any {
	out := map[string]any{"type": "message", "ts": m.ts, "text": m.text, "team": s.opts.TeamID}
	if m.user != "" {
		out["user"] = m.user
	}
	if m.botID != "" {
		out["bot_id"], out["app_id"] = m.botID, s.opts.AppID
	}
	if m.subtype != "" {
		out["subtype"] = m.subtype
	}
	if len(m.blocks) > 0 {
		out["blocks"] = m.blocks
	}
	if len(m.attachments) > 0 {
		out["attachments"] = m.attachments
	}
	if len(m.files) > 0 {
		out["files"] = m.files
	}
	if m.edited {
		out["edited"] = map[string]any{"user": m.user, "ts": m.editedTS}
	}
	if withMetadata && m.metadata != nil {
		out["metadata"] = m.metadata
	}
	if len(m.reactions) > 0 {
		var rs []any
		for _, r := range m.reactions {
			rs = append(rs, map[string]any{"name": r.name, "users": slices.Clone(r.users), "count": len(r.users)})
		}
		out["reactions"] = rs
	}
	if m.threadTS == "" || ch == nil {
		return out
	}
	out["thread_ts"] = m.threadTS
	if m.threadTS != m.ts {
		if parent := ch.find(m.threadTS); parent != nil {
			out["parent_user_id"] = parent.user
		}
		return out
	}
	if replies := ch.replies(m.ts); len(replies) > 0 {
		var users []string
		for _, r := range replies {
			if !slices.Contains(users, r.user) {
				users = append(users, r.user)
			}
		}
		out["reply_count"] = len(replies)
		out["reply_users"] = users
		out["reply_users_count"] = len(users)
		out["latest_reply"] = replies[len(replies)-1].ts
	}
	return out
}

// truncate cuts s to n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
