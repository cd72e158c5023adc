package fakeslack

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// apiMethod is one Web API method. Handlers run without s.mu held.
type apiMethod struct {
	handle func(*apiRequest) apiResult
	app    bool // takes the app-level token instead of the bot token
}

// apiRequest is a decoded Web API call: the arguments from the query string, the
// form or the JSON body, with the token removed and JSON-string arguments such as
// blocks decoded.
type apiRequest struct {
	method string
	params map[string]any
	r      *http.Request
}

// apiResult is a handler's answer; body gets "ok" added if it lacks one.
type apiResult struct {
	status int
	body   map[string]any
	header http.Header
}

func okResult(body map[string]any) apiResult {
	if body == nil {
		body = map[string]any{}
	}
	body["ok"] = true
	return apiResult{status: http.StatusOK, body: body}
}

func errResult(code string) apiResult {
	return apiResult{status: http.StatusOK, body: map[string]any{"ok": false, "error": code}}
}

// argsResult is an error with response_metadata.messages, the way Slack explains
// invalid_arguments and invalid_blocks.
func argsResult(code string, msgs []string) apiResult {
	res := errResult(code)
	res.body["response_metadata"] = map[string]any{"messages": msgs}
	return res
}

// jsonFields are arguments that clients send as JSON strings in forms.
var jsonFields = map[string]bool{
	"blocks": true, "attachments": true, "metadata": true, "view": true,
	"files": true, "unfurls": true, "user_auth_blocks": true,
}

func (s *Server) apiMethods() map[string]apiMethod {
	bot := func(h func(*apiRequest) apiResult) apiMethod { return apiMethod{handle: h} }
	return map[string]apiMethod{
		"auth.test":                    bot(s.authTest),
		"apps.connections.open":        {handle: s.connectionsOpen, app: true},
		"chat.postMessage":             bot(s.chatPostMessage),
		"chat.postEphemeral":           bot(s.chatPostEphemeral),
		"chat.update":                  bot(s.chatUpdate),
		"chat.delete":                  bot(s.chatDelete),
		"chat.getPermalink":            bot(s.chatGetPermalink),
		"conversations.open":           bot(s.conversationsOpen),
		"conversations.info":           bot(s.conversationsInfo),
		"conversations.members":        bot(s.conversationsMembers),
		"conversations.history":        bot(s.conversationsHistory),
		"conversations.replies":        bot(s.conversationsReplies),
		"users.info":                   bot(s.usersInfo),
		"users.list":                   bot(s.usersList),
		"usergroups.list":              bot(s.usergroupsList),
		"usergroups.users.list":        bot(s.usergroupsUsersList),
		"views.open":                   bot(s.viewsOpen),
		"views.push":                   bot(s.viewsPush),
		"views.update":                 bot(s.viewsUpdate),
		"views.publish":                bot(s.viewsPublish),
		"reactions.add":                bot(s.reactionsAdd),
		"files.getUploadURLExternal":   bot(s.filesGetUploadURLExternal),
		"files.completeUploadExternal": bot(s.filesCompleteUploadExternal),
	}
}

// serveAPI answers POST|GET /api/<method>: it decodes the arguments, records the
// call, checks the token, applies injected faults and rate limits, then runs the
// method.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/api/")
	m, found := s.methods[name]
	if !found {
		writeResult(w, apiResult{status: http.StatusNotFound, body: map[string]any{"ok": false, "error": "unknown_method"}})
		return
	}
	params, bearer, formToken, perr := decodeArgs(r)
	idx := s.record(name, params)
	finish := func(res apiResult) {
		if res.body != nil {
			if _, ok := res.body["ok"]; !ok {
				res.body["ok"] = true
			}
		}
		s.finish(idx, res)
		writeResult(w, res)
	}
	if perr != "" {
		finish(errResult(perr))
		return
	}
	token := bearer
	if token == "" && !m.app {
		token = formToken // apps.connections.open takes its token from the header only
	}
	switch {
	case token == "":
		finish(errResult("not_authed"))
		return
	case token != s.opts.BotToken && token != s.opts.AppToken:
		finish(errResult("invalid_auth"))
		return
	case m.app != (token == s.opts.AppToken):
		finish(errResult("not_allowed_token_type"))
		return
	}
	rq := &apiRequest{method: name, params: params, r: r}
	if !s.waitHeld(rq) {
		s.finish(idx, apiResult{}) // abandoned while held: no effect
		return
	}
	res, handled, after := s.applyFault(w, rq, idx)
	if handled {
		if res.status != 0 {
			finish(res)
		}
		return
	}
	if res, limited := s.checkLimits(rq); limited {
		finish(res)
		return
	}
	res = m.handle(rq)
	s.noteRefusal(name, res)
	if after != nil && !s.applyAfter(w, rq, after) {
		s.finish(idx, apiResult{}) // took effect, never answered
		return
	}
	finish(res)
}

// decodeArgs merges the query string with the form or JSON body. It returns the
// bearer token and, for forms, the token field separately; tokens never stay in
// the arguments. perr is a Slack error code for an unreadable body.
func decodeArgs(r *http.Request) (params map[string]any, bearer, formToken, perr string) {
	params = map[string]any{}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		bearer = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	for k, v := range r.URL.Query() {
		params[k] = v[0] // Slack ignores tokens in query strings; dropped below
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.Method == http.MethodGet:
	case ct == "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			return params, bearer, "", "invalid_form_data"
		}
		if len(strings.TrimSpace(string(body))) > 0 {
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				return params, bearer, "", "invalid_json"
			}
			obj, ok := v.(map[string]any)
			if !ok {
				return params, bearer, "", "json_not_object"
			}
			for k, v := range obj {
				params[k] = v // a token in a JSON body is not honoured by Slack either
			}
		}
	case ct == "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return params, bearer, "", "invalid_form_data"
		}
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
		if t := r.MultipartForm.Value["token"]; len(t) > 0 {
			formToken = t[0]
		}
	default:
		if err := r.ParseForm(); err != nil {
			return params, bearer, "", "invalid_form_data"
		}
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
		formToken = r.PostForm.Get("token")
	}
	delete(params, "token")
	for k := range jsonFields {
		if str, ok := params[k].(string); ok && str != "" {
			var v any
			if json.Unmarshal([]byte(str), &v) == nil {
				params[k] = v
			}
		}
	}
	return params, bearer, formToken, ""
}

func writeResult(w http.ResponseWriter, res apiResult) {
	for k, v := range res.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(res.status)
	_ = json.NewEncoder(w).Encode(res.body)
}

// str returns argument k as a string; numbers and booleans from JSON bodies are
// formatted, anything else is "".
func (rq *apiRequest) str(k string) string {
	switch v := rq.params[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// flag reports whether argument k is true, "true" or "1".
func (rq *apiRequest) flag(k string) bool {
	switch v := rq.params[k].(type) {
	case bool:
		return v
	case string:
		return v == "true" || v == "1"
	case float64:
		return v != 0
	}
	return false
}

// num returns argument k as an int, or def if absent; ok is false if it is not a number.
func (rq *apiRequest) num(k string, def int) (n int, ok bool) {
	s := rq.str(k)
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// blocks returns the blocks argument k. present is false when it is absent, empty
// or null. code is invalid_blocks_format when it is not a JSON array.
func (rq *apiRequest) blocks(k string) (blocks []any, present bool, code string) {
	switch v := rq.params[k].(type) {
	case nil:
		return nil, false, ""
	case string:
		if v == "" {
			return nil, false, ""
		}
		return nil, true, "invalid_blocks_format" // a string left here did not parse
	case []any:
		return cloneJSON(v).([]any), true, ""
	}
	return nil, true, "invalid_blocks_format"
}

// authTest answers auth.test for the bot token.
func (s *Server) authTest(rq *apiRequest) apiResult {
	return okResult(map[string]any{
		"url":                   "https://" + s.opts.TeamDomain + ".slack.com/",
		"team":                  s.opts.TeamDomain,
		"user":                  s.opts.BotName,
		"team_id":               s.opts.TeamID,
		"user_id":               s.opts.BotUserID,
		"bot_id":                s.opts.BotID,
		"is_enterprise_install": false,
	})
}

// cloneJSON deep-copies a decoded JSON value so that stored state never shares
// maps with recorded calls or with values handed to tests.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneJSON(e)
		}
		return out
	}
	return v
}
