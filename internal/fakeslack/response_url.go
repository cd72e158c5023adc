package fakeslack

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// response_url limits: "up to 5 times within 30 minutes" (PROTOCOL §2.3).
const (
	responseURLUses = 5
	responseURLTTL  = 30 * time.Minute
)

// responseURL is a minted response_url.
type responseURL struct {
	user, channel string
	kind          string // "commands" or "actions"
	original      string // actions: ts of the message the action came from
	ephemeral     bool   // actions: that message is one of user's ephemerals
	uses          int
	created       time.Time
	last          *message // the last message posted through this URL
}

// mintResponseURL stores r and returns its URL. Callers hold s.mu.
func (s *Server) mintResponseURL(r *responseURL) string {
	id := randHex(12)
	r.created = time.Now()
	s.st.responses[id] = r
	return s.base + "/response/" + id
}

// serveResponseURL answers POST /response/<id>: a JSON message with text,
// blocks, response_type (ephemeral by default, or in_channel),
// replace_original, delete_original and thread_ts. It is recorded as a Call with
// Method "response_url". Unknown URLs answer 404 invalid_url; used-up or old
// ones 404 expired_url.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/response/")
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	var params map[string]any
	if err == nil {
		err = json.Unmarshal(body, &params)
	}
	if params == nil {
		params = map[string]any{}
	}
	idx := s.record("response_url", params)
	res := s.respond(id, params, err)
	s.noteRefusal("response_url", res)
	s.finish(idx, res)
	writeResult(w, res)
}

func (s *Server) respond(id string, params map[string]any, decodeErr error) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ru := s.st.responses[id]
	switch {
	case ru == nil:
		return apiResult{status: http.StatusNotFound, body: map[string]any{"ok": false, "error": "invalid_url"}}
	case ru.uses >= responseURLUses || time.Since(ru.created) > responseURLTTL:
		return apiResult{status: http.StatusNotFound, body: map[string]any{"ok": false, "error": "expired_url"}}
	case decodeErr != nil:
		return errResult("invalid_json")
	}
	rq := &apiRequest{method: "response_url", params: params}
	text := rq.str("text")
	blocks, _, code := rq.blocks("blocks")
	if code != "" {
		return errResult(code)
	}
	if msgs := validateMessageBlocks(blocks); len(msgs) > 0 {
		return argsResult("invalid_blocks", msgs)
	}
	ru.uses++
	target := s.responseTarget(ru)
	switch {
	case rq.flag("delete_original"):
		if target != nil {
			s.deleteMessage(ru, target)
		}
		if ru.last == target {
			ru.last = nil
		}
		return okResult(nil)
	case rq.flag("replace_original") && target != nil:
		if text == "" && len(blocks) == 0 {
			return errResult("no_text")
		}
		s.assignIDs(blocks)
		target.text, target.blocks = text, blocks
		return okResult(nil)
	}
	if text == "" && len(blocks) == 0 {
		return errResult("no_text")
	}
	typ := rq.str("response_type")
	if typ != "in_channel" {
		typ = "ephemeral"
	}
	ru.last = s.storeResponse(ru.user, ru.channel, text, blocks, typ, rq.str("thread_ts"))
	return okResult(nil)
}

// responseTarget is what replace_original and delete_original act on: for a
// block action, the bot message it came from; for a slash command, the last
// message posted through the same URL. Callers hold s.mu.
func (s *Server) responseTarget(ru *responseURL) *message {
	if ru.kind == "commands" || ru.original == "" {
		return ru.last
	}
	if ru.ephemeral {
		for _, m := range s.st.ephemerals[ru.user] {
			if m.channel == ru.channel && m.ts == ru.original {
				return m
			}
		}
		return nil
	}
	if ch := s.st.channels[ru.channel]; ch != nil {
		if m := ch.find(ru.original); m != nil && m.botID != "" {
			return m
		}
	}
	return nil
}

// deleteMessage removes m from its channel or from ru.user's ephemerals.
// Callers hold s.mu.
func (s *Server) deleteMessage(ru *responseURL, m *message) {
	if m.ephemeral {
		s.st.ephemerals[ru.user] = slices.DeleteFunc(s.st.ephemerals[ru.user], func(e *message) bool { return e == m })
		return
	}
	if ch := s.st.channels[ru.channel]; ch != nil {
		ch.remove(m.ts)
	}
}

// storeResponse records a response the user sees: an in_channel one as a bot
// message in the channel, an ephemeral one in the user's Ephemerals. Callers
// hold s.mu.
func (s *Server) storeResponse(user, channelID, text string, blocks []any, typ, threadTS string) *message {
	s.assignIDs(blocks)
	m := &message{ts: s.nextTS(), user: s.opts.BotUserID, botID: s.opts.BotID,
		text: truncate(text, maxTruncatedText), blocks: blocks, responseType: typ}
	ch := s.st.channels[channelID]
	if typ == "in_channel" && ch != nil {
		if root := ch.find(threadTS); root != nil && threadTS != "" {
			m.threadTS, root.threadTS = root.ts, root.ts
		}
		ch.msgs = append(ch.msgs, m)
		return m
	}
	m.ephemeral, m.channel, m.threadTS = true, channelID, threadTS
	s.st.ephemerals[user] = append(s.st.ephemerals[user], m)
	return m
}

// applySlashAck records the message in a slash command's ack payload, which
// Slack shows like a response_url post.
func (s *Server) applySlashAck(user, channelID string, ack *Ack) {
	if len(ack.Payload) == 0 {
		return
	}
	var p map[string]any
	if json.Unmarshal(ack.Payload, &p) != nil {
		s.logf("slash command ack payload is not a JSON object")
		return
	}
	rq := &apiRequest{params: p}
	blocks, _, code := rq.blocks("blocks")
	text := rq.str("text")
	if code != "" || (text == "" && len(blocks) == 0) {
		return
	}
	if msgs := validateMessageBlocks(blocks); len(msgs) > 0 {
		s.logf("slash command ack has invalid blocks, Slack would not show it: %v", msgs)
		s.noteRefusal("slash_ack", argsResult("invalid_blocks", msgs))
		return
	}
	typ := rq.str("response_type")
	if typ != "in_channel" {
		typ = "ephemeral"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeResponse(user, channelID, text, blocks, typ, "")
}
