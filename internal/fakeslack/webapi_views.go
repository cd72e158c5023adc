package fakeslack

import (
	"fmt"
	"slices"
	"time"
)

// maxViewBytes is Slack's cap on a view's JSON ("greater than 250kb" → view_too_large).
const maxViewBytes = 250 * 1024

// maxStack is how many modals Slack stacks: a root plus two pushes.
const maxStack = 3

// view is a stored modal or Home tab.
type view struct {
	id, user, typ               string
	callbackID, privateMetadata string
	hash, externalID            string
	title, submit, close        any
	blocks                      []any
	open                        bool
	errors                      map[string]string
	rootID, previousID          string
	clearOnClose, notifyOnClose bool
	// offered are the options the app answered block_suggestion with, by
	// block_id and action_id: what a person can have picked.
	offered map[string][]any
}

// trigger is a minted trigger_id: valid once, for TriggerTTL.
type trigger struct {
	user    string
	created time.Time
	used    bool
}

// mintTrigger returns a new trigger_id for user, shaped like Slack's
// "132456.7890123.abcdef". Callers hold s.mu.
func (s *Server) mintTrigger(user string) string {
	s.st.seq++
	id := fmt.Sprintf("%d.%d.%s", s.st.seq, time.Now().Unix(), randHex(16))
	s.st.triggers[id] = &trigger{user: user, created: time.Now()}
	return id
}

// useTrigger exchanges a trigger_id, or returns the Slack error code for one that
// is unknown, used or expired. Callers hold s.mu.
func (s *Server) useTrigger(id string) (*trigger, string) {
	t := s.st.triggers[id]
	switch {
	case t == nil:
		return nil, "invalid_trigger_id"
	case t.used:
		return nil, "exchanged_trigger_id"
	case time.Since(t.created) > s.opts.TriggerTTL:
		return nil, "expired_trigger_id"
	}
	t.used = true
	return t, ""
}

// viewArg returns the decoded "view" argument after the size and Block Kit checks
// for a view of type want ("modal" or "home").
func viewArg(rq *apiRequest, want string) (map[string]any, *apiResult) {
	fail := func(res apiResult) (map[string]any, *apiResult) { return nil, &res }
	raw, ok := rq.params["view"].(map[string]any)
	if !ok {
		return fail(argsResult("invalid_arguments", []string{"[ERROR] missing or invalid `view` [json-pointer:/view]"}))
	}
	if len(mustJSON(raw)) > maxViewBytes {
		return fail(errResult("view_too_large"))
	}
	if msgs := validateView(raw, want); len(msgs) > 0 {
		return fail(argsResult("invalid_arguments", msgs))
	}
	return cloneJSON(raw).(map[string]any), nil
}

// viewsOpen answers views.open: a new modal stack for the trigger's user.
func (s *Server) viewsOpen(rq *apiRequest) apiResult {
	req, fail := viewArg(rq, "modal")
	if fail != nil {
		return *fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.externalIDTaken(req, nil); code != "" {
		return errResult(code)
	}
	t, code := s.useTrigger(rq.str("trigger_id"))
	if code != "" {
		return errResult(code)
	}
	s.closeStack(t.user)
	v := s.pushView(t.user, req)
	return okResult(map[string]any{"view": cloneJSON(s.viewJSON(v))})
}

// viewsPush answers views.push: a modal on top of the user's stack (or a new
// stack if none is open), at most three deep.
func (s *Server) viewsPush(rq *apiRequest) apiResult {
	req, fail := viewArg(rq, "modal")
	if fail != nil {
		return *fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.externalIDTaken(req, nil); code != "" {
		return errResult(code)
	}
	t, code := s.useTrigger(rq.str("trigger_id"))
	if code != "" {
		return errResult(code)
	}
	if len(s.st.stacks[t.user]) >= maxStack {
		return errResult("push_limit_reached")
	}
	v := s.pushView(t.user, req)
	return okResult(map[string]any{"view": cloneJSON(s.viewJSON(v))})
}

// viewsUpdate answers views.update by view_id or external_id, honouring hash.
func (s *Server) viewsUpdate(rq *apiRequest) apiResult {
	s.mu.Lock()
	var v *view
	id, ext := rq.str("view_id"), rq.str("external_id")
	switch {
	case id != "":
		v = s.st.views[id]
	case ext != "":
		for _, cand := range s.st.views {
			if cand.externalID == ext {
				v = cand
			}
		}
	default:
		s.mu.Unlock()
		return argsResult("invalid_arguments", []string{"[ERROR] either view_id or external_id is required"})
	}
	if v == nil || !v.open {
		s.mu.Unlock()
		return errResult("not_found")
	}
	typ := v.typ
	s.mu.Unlock()

	req, fail := viewArg(rq, typ)
	if fail != nil {
		return *fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := rq.str("hash"); h != "" && h != v.hash {
		return errResult("hash_conflict")
	}
	if code := s.externalIDTaken(req, v); code != "" {
		return errResult(code)
	}
	s.setContent(v, req)
	v.errors = nil
	return okResult(map[string]any{"view": cloneJSON(s.viewJSON(v))})
}

// viewsPublish answers views.publish: the user's Home tab, created or replaced.
func (s *Server) viewsPublish(rq *apiRequest) apiResult {
	user := rq.str("user_id")
	s.mu.Lock()
	_, known := s.st.users[user]
	s.mu.Unlock()
	if !known {
		return argsResult("invalid_arguments", []string{"invalid `user_id`"})
	}
	req, fail := viewArg(rq, "home")
	if fail != nil {
		return *fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var v *view
	if id, ok := s.st.homes[user]; ok {
		v = s.st.views[id]
		if h := rq.str("hash"); h != "" && h != v.hash {
			return errResult("hash_conflict")
		}
	}
	if code := s.externalIDTaken(req, v); code != "" {
		return errResult(code)
	}
	if v == nil {
		v = s.newView(user, "home", req)
		v.rootID = v.id
		s.st.homes[user] = v.id
	} else {
		s.setContent(v, req)
	}
	return okResult(map[string]any{"view": cloneJSON(s.viewJSON(v))})
}

// externalIDTaken returns duplicate_external_id if another view than self has
// req's external_id. Callers hold s.mu.
func (s *Server) externalIDTaken(req map[string]any, self *view) string {
	ext, _ := req["external_id"].(string)
	if ext == "" {
		return ""
	}
	for _, v := range s.st.views {
		if v != self && v.externalID == ext {
			return "duplicate_external_id"
		}
	}
	return ""
}

// newView stores a view built from a request. Callers hold s.mu.
func (s *Server) newView(user, typ string, req map[string]any) *view {
	v := &view{id: s.nextID("V"), user: user, typ: typ, open: true}
	s.setContent(v, req)
	s.st.views[v.id] = v
	s.st.viewOrder = append(s.st.viewOrder, v.id)
	return v
}

// pushView puts a new modal on top of user's stack. Callers hold s.mu.
func (s *Server) pushView(user string, req map[string]any) *view {
	v := s.newView(user, "modal", req)
	stack := s.st.stacks[user]
	if len(stack) == 0 {
		v.rootID = v.id
	} else {
		v.rootID, v.previousID = stack[0], stack[len(stack)-1]
	}
	s.st.stacks[user] = append(stack, v.id)
	return v
}

// setContent replaces a view's content with a (validated, cloned) request and
// gives it a new hash. Callers hold s.mu.
func (s *Server) setContent(v *view, req map[string]any) {
	blocks, _ := req["blocks"].([]any)
	s.assignIDs(blocks)
	v.blocks = blocks
	v.title, v.submit, v.close = req["title"], req["submit"], req["close"]
	v.callbackID, _ = req["callback_id"].(string)
	v.privateMetadata, _ = req["private_metadata"].(string)
	v.externalID, _ = req["external_id"].(string)
	v.clearOnClose, _ = req["clear_on_close"].(bool)
	v.notifyOnClose, _ = req["notify_on_close"].(bool)
	v.hash = fmt.Sprintf("%d.%s", time.Now().Unix(), randHex(4))
}

// closeView closes a modal and takes it off its user's stack. Callers hold s.mu.
func (s *Server) closeView(v *view) {
	v.open = false
	s.st.stacks[v.user] = slices.DeleteFunc(s.st.stacks[v.user], func(id string) bool { return id == v.id })
	if len(s.st.stacks[v.user]) == 0 {
		delete(s.st.stacks, v.user)
	}
}

// closeStack closes every modal user has open. Callers hold s.mu.
func (s *Server) closeStack(user string) {
	for _, id := range s.st.stacks[user] {
		s.st.views[id].open = false
	}
	delete(s.st.stacks, user)
}

// viewJSON renders a view the way Slack echoes it in API answers and payloads.
// Callers hold s.mu and must not let the result escape the lock uncloned.
func (s *Server) viewJSON(v *view) map[string]any {
	var prev any
	if v.previousID != "" {
		prev = v.previousID
	}
	blocks := v.blocks
	if blocks == nil {
		blocks = []any{}
	}
	return map[string]any{
		"id": v.id, "team_id": s.opts.TeamID, "type": v.typ,
		"title": v.title, "submit": v.submit, "close": v.close,
		"blocks": blocks, "private_metadata": v.privateMetadata, "callback_id": v.callbackID,
		"external_id": v.externalID, "state": map[string]any{"values": map[string]any{}},
		"hash": v.hash, "clear_on_close": v.clearOnClose, "notify_on_close": v.notifyOnClose,
		"root_view_id": v.rootID, "previous_view_id": prev, "app_id": s.opts.AppID,
		"bot_id": s.opts.BotID, "app_installed_team_id": s.opts.TeamID,
	}
}

// inputBlock returns the input block with that block_id, or nil.
func (v *view) inputBlock(blockID string) map[string]any {
	for _, b := range v.blocks {
		if bm, _ := b.(map[string]any); bm["type"] == "input" && bm["block_id"] == blockID {
			return bm
		}
	}
	return nil
}
