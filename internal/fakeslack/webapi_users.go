package fakeslack

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // users' time zones must resolve on any machine
)

func (s *Server) usersInfo(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	if list := rq.str("users"); list != "" && rq.str("user") == "" {
		var out []any
		for _, id := range strings.Split(list, ",") {
			u := s.st.users[strings.TrimSpace(id)]
			if u == nil {
				return errResult("user_not_found")
			}
			out = append(out, s.userJSON(u))
		}
		return okResult(map[string]any{"users": out})
	}
	u := s.st.users[rq.str("user")]
	if u == nil {
		return errResult("user_not_found")
	}
	return okResult(map[string]any{"user": s.userJSON(u)})
}

func (s *Server) usersList(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit, ok := rq.num("limit", 0)
	if !ok || limit < 0 {
		return errResult("invalid_limit")
	}
	if limit == 0 || limit > 1000 {
		limit = 1000
	}
	ids, next, ok := pageOf(s.st.userOrder, rq.str("cursor"), limit)
	if !ok {
		return errResult("invalid_cursor")
	}
	members := make([]any, 0, len(ids))
	for _, id := range ids {
		members = append(members, s.userJSON(s.st.users[id]))
	}
	return okResult(map[string]any{"members": members, "cache_ts": time.Now().Unix(),
		"response_metadata": map[string]any{"next_cursor": next}})
}

func (s *Server) usergroupsUsersList(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.groups[rq.str("usergroup")]
	if g == nil {
		return errResult("no_such_subteam")
	}
	return okResult(map[string]any{"users": append([]string{}, g.members...)})
}

// usergroupsList answers usergroups.list: the workspace's user groups in the
// order declared, disabled ones only with include_disabled, their members
// with include_users and their size with include_count (a string, as
// Slack's own example has it). A workspace without groups (a free one)
// gets an empty list.
func (s *Server) usergroupsList(rq *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	flag := func(k string) bool { v := rq.str(k); return v == "true" || v == "1" }
	out := []any{}
	for _, id := range s.st.groupOrder {
		g := s.st.groups[id]
		if g.disabled && !flag("include_disabled") {
			continue
		}
		deleted := int64(0)
		if g.disabled {
			deleted = g.created
		}
		m := map[string]any{
			"id": g.id, "team_id": s.opts.TeamID, "is_usergroup": true, "is_subteam": true,
			"name": g.name, "description": "", "handle": g.handle, "is_external": false,
			"date_create": g.created, "date_update": g.created, "date_delete": deleted,
			"auto_type": nil, "auto_provision": false, "enterprise_subteam_id": "",
			"created_by": s.opts.BotUserID, "updated_by": s.opts.BotUserID, "deleted_by": nil,
			"prefs": map[string]any{"channels": []any{}, "groups": []any{}},
		}
		if flag("include_users") {
			m["users"] = append([]string{}, g.members...)
		}
		if flag("include_count") {
			m["user_count"] = strconv.Itoa(len(g.members))
		}
		out = append(out, m)
	}
	return okResult(map[string]any{"usergroups": out})
}

// userJSON renders a user as users.info does, with tz_offset and tz_label for
// the current moment in the user's zone. Callers hold s.mu.
func (s *Server) userJSON(u *User) map[string]any {
	loc, err := time.LoadLocation(u.TZ)
	if err != nil {
		loc = time.UTC
	}
	label, offset := time.Now().In(loc).Zone()
	real := u.RealName
	if real == "" {
		real = u.Name
	}
	first, _, _ := strings.Cut(strings.TrimSpace(real), " ")
	profile := map[string]any{
		"real_name": real, "real_name_normalized": real,
		"display_name": u.Name, "display_name_normalized": u.Name,
		"avatar_hash": "g0000000000", "team": s.opts.TeamID,
		"first_name": first, "status_text": "", "status_emoji": "",
	}
	if u.ID == s.opts.BotUserID {
		profile["bot_id"] = s.opts.BotID
	}
	return map[string]any{
		"id": u.ID, "team_id": s.opts.TeamID, "name": u.Name, "deleted": u.Deleted,
		"color": "9f69e7", "real_name": real, "tz": u.TZ, "tz_label": label, "tz_offset": offset,
		"profile": profile, "is_admin": u.IsAdmin, "is_owner": false, "is_primary_owner": false,
		"is_restricted": false, "is_ultra_restricted": false, "is_bot": u.IsBot,
		"is_app_user": false, "updated": time.Now().Unix(), "is_email_confirmed": !u.IsBot,
		"locale": "en-US",
	}
}
