package fakeslack

import (
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
