package fakeslack

import (
	"encoding/base64"
	"strconv"
	"strings"
)

func (s *Server) conversationsOpen(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ch *channel
	if id := rq.str("channel"); id != "" {
		var code string
		if ch, code = s.visibleChannel(id); code != "" {
			return errResult(code)
		}
	} else {
		var ids []string
		for _, id := range strings.Split(rq.str("users"), ",") {
			if id = strings.TrimSpace(id); id != "" && id != s.opts.BotUserID {
				ids = append(ids, id)
			}
		}
		ids = dedupe(ids)
		switch {
		case rq.str("users") == "":
			return errResult("users_list_not_supplied")
		case len(ids) == 0:
			return errResult("not_enough_users")
		case len(ids) > 8:
			return errResult("too_many_users")
		}
		for _, id := range ids {
			u := s.st.users[id]
			if u == nil {
				return errResult("user_not_found")
			}
			if u.Deleted {
				return errResult("user_disabled")
			}
		}
		if len(ids) == 1 {
			ch = s.dm(ids[0])
		} else {
			ch = s.mpim(ids)
		}
	}
	body := map[string]any{"channel": map[string]any{"id": ch.id}}
	if rq.flag("return_im") {
		body["channel"] = s.channelJSON(ch, false)
	}
	if ch.opened {
		body["no_op"], body["already_open"] = true, true
	}
	ch.opened = true
	return okResult(body)
}

func (s *Server) conversationsInfo(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.visibleChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	return okResult(map[string]any{"channel": s.channelJSON(ch, rq.flag("include_num_members"))})
}

// channelJSON renders a conversation as conversations.info does. Callers hold s.mu.
func (s *Server) channelJSON(ch *channel, withNum bool) map[string]any {
	var out map[string]any
	if ch.im {
		deleted := false
		if u := s.st.users[ch.imUser]; u != nil {
			deleted = u.Deleted
		}
		out = map[string]any{
			"id": ch.id, "created": ch.created, "is_im": true, "is_org_shared": false,
			"user": ch.imUser, "is_user_deleted": deleted, "is_open": true, "priority": 0,
			"last_read": "0000000000.000000", "unread_count": 0, "unread_count_display": 0,
		}
	} else {
		out = map[string]any{
			"id": ch.id, "name": ch.name, "name_normalized": ch.name,
			"is_channel": !ch.private, "is_group": ch.private && !ch.mpim, "is_im": false,
			"is_mpim": ch.mpim, "is_private": ch.private, "is_archived": ch.archived,
			"is_general": false, "is_member": ch.isMember(s.opts.BotUserID), "created": ch.created,
			"creator": "", "is_shared": false, "is_ext_shared": false, "is_org_shared": false,
			"is_pending_ext_shared": false, "context_team_id": s.opts.TeamID,
			"updated":        ch.created * 1000,
			"topic":          map[string]any{"value": "", "creator": "", "last_set": 0},
			"purpose":        map[string]any{"value": "", "creator": "", "last_set": 0},
			"previous_names": []any{},
		}
	}
	if withNum {
		out["num_members"] = len(ch.members)
	}
	return out
}

func (s *Server) conversationsMembers(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.visibleChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	limit, ok := rq.num("limit", 100)
	if !ok || limit < 0 || limit > 1000 {
		return errResult("invalid_limit")
	}
	if limit == 0 {
		limit = 100
	}
	page, next, ok := pageOf(ch.members, rq.str("cursor"), limit)
	if !ok {
		return errResult("invalid_cursor")
	}
	return okResult(map[string]any{"members": page, "response_metadata": map[string]any{"next_cursor": next}})
}

// pageOf returns one page of items from an offset cursor and the next cursor ("" on
// the last page); ok is false for a cursor the fake did not make.
func pageOf[T any](items []T, cursor string, limit int) (page []T, next string, ok bool) {
	off := 0
	if cursor != "" {
		v, ok := decodeCursor(cursor, "offset")
		if !ok {
			return nil, "", false
		}
		if off, _ = strconv.Atoi(v); off < 0 || off > len(items) {
			return nil, "", false
		}
	}
	end := min(off+limit, len(items))
	if end < len(items) {
		next = encodeCursor("offset", strconv.Itoa(end))
	}
	return append([]T{}, items[off:end]...), next, true
}

func encodeCursor(kind, v string) string {
	return base64.StdEncoding.EncodeToString([]byte(kind + ":" + v))
}

func decodeCursor(c, kind string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(b), kind+":")
}

// historyChannel returns a channel whose history the bot may read: private ones
// it is not in are invisible, public ones it is not in answer not_in_channel.
// Callers hold s.mu.
func (s *Server) historyChannel(id string) (*channel, string) {
	ch, code := s.visibleChannel(id)
	if code == "" && !ch.isMember(s.opts.BotUserID) {
		return nil, "not_in_channel"
	}
	return ch, code
}

// tsRange is the oldest/latest/inclusive filter of history and replies.
type tsRange struct {
	oldest, latest int64
	inclusive      bool
}

func parseRange(rq *apiRequest) (tsRange, string) {
	r := tsRange{latest: 1 << 62, inclusive: rq.flag("inclusive")}
	if v := rq.str("oldest"); v != "" {
		n, ok := parseTS(v)
		if !ok {
			return r, "invalid_ts_oldest"
		}
		r.oldest = n
	}
	if v := rq.str("latest"); v != "" {
		n, ok := parseTS(v)
		if !ok {
			return r, "invalid_ts_latest"
		}
		r.latest = n
	}
	return r, ""
}

func (r tsRange) has(ts string) bool {
	n, _ := parseTS(ts)
	if r.inclusive {
		return n >= r.oldest && n <= r.latest
	}
	return n > r.oldest && n < r.latest
}

// parseTS reads "seconds[.micros]" as microseconds.
func parseTS(s string) (int64, bool) {
	secs, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || n < 0 || len(frac) > 6 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64); err != nil {
			return 0, false
		}
	}
	return n*1e6 + f, true
}

// conversationsHistory answers newest first, without thread replies (except
// broadcast ones), paged by a ts cursor.
func (s *Server) conversationsHistory(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.historyChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	rng, code := parseRange(rq)
	if code != "" {
		return errResult(code)
	}
	var list []*message
	for i := len(ch.msgs) - 1; i >= 0; i-- {
		m := ch.msgs[i]
		isReply := m.threadTS != "" && m.threadTS != m.ts
		if (!isReply || m.broadcast) && rng.has(m.ts) {
			list = append(list, m)
		}
	}
	return s.messagePage(rq, ch, list, 100, func(m *message, at string) bool { return m.ts <= at })
}

// conversationsReplies answers a thread, parent first, oldest first; ts may be
// the parent's or any reply's.
func (s *Server) conversationsReplies(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.historyChannel(rq.str("channel"))
	if code != "" {
		return errResult(code)
	}
	rng, code := parseRange(rq)
	if code != "" {
		return errResult(code)
	}
	root := ch.find(rq.str("ts"))
	if root != nil && root.threadTS != "" && root.threadTS != root.ts {
		root = ch.find(root.threadTS)
	}
	if root == nil {
		return errResult("thread_not_found")
	}
	list := []*message{root}
	for _, m := range ch.replies(root.ts) {
		if rng.has(m.ts) {
			list = append(list, m)
		}
	}
	return s.messagePage(rq, ch, list, 1000, func(m *message, at string) bool { return m.ts >= at })
}

// messagePage pages list by a "next_ts" cursor: the page starts at the first
// message for which from(m, cursorTS) holds. Callers hold s.mu.
func (s *Server) messagePage(rq *apiRequest, ch *channel, list []*message, def int, from func(*message, string) bool) apiResult {
	limit, ok := rq.num("limit", def)
	if !ok || limit < 0 {
		return errResult("invalid_limit")
	}
	if limit == 0 {
		limit = def
	}
	limit = min(limit, 1000)
	if c := rq.str("cursor"); c != "" {
		at, ok := decodeCursor(c, "next_ts")
		if !ok {
			return errResult("invalid_cursor")
		}
		i := 0
		for i < len(list) && !from(list[i], at) {
			i++
		}
		list = list[i:]
	}
	next := ""
	hasMore := len(list) > limit
	if hasMore {
		next = encodeCursor("next_ts", list[limit].ts)
		list = list[:limit]
	}
	withMeta := rq.flag("include_all_metadata")
	msgs := make([]any, 0, len(list))
	for _, m := range list {
		msgs = append(msgs, cloneJSON(s.messageJSON(ch, m, withMeta)))
	}
	return okResult(map[string]any{"messages": msgs, "has_more": hasMore, "pin_count": 0,
		"response_metadata": map[string]any{"next_cursor": next}})
}
