package fakeslack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Submit is a user pressing a modal's submit button. Values maps block_id ->
// action_id -> element state, e.g. TextValue("x"). Inputs left out get their
// initial value, or an empty state if optional; a required input with no value
// is refused, as Slack's client refuses to submit it.
type Submit struct {
	User, ViewID string
	Values       map[string]map[string]any
}

// TextValue is the state of a plain_text_input.
func TextValue(v string) map[string]any {
	return map[string]any{"type": "plain_text_input", "value": v}
}

// UserValue is the state of a users_select.
func UserValue(u string) map[string]any {
	return map[string]any{"type": "users_select", "selected_user": u}
}

// StaticValue is the state of a static_select (or radio_buttons) choosing the
// option with value v; its text is taken from the element's options.
func StaticValue(v string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": option(v)}
}

// DateValue is the state of a datepicker; d is "YYYY-MM-DD".
func DateValue(d string) map[string]any {
	return map[string]any{"type": "datepicker", "selected_date": d}
}

// MultiUsersValue is the state of a multi_users_select.
func MultiUsersValue(us ...string) map[string]any {
	return map[string]any{"type": "multi_users_select", "selected_users": nonNil(toAny(us))}
}

// CheckboxesValue is the state of checkboxes with the options of values vs ticked.
func CheckboxesValue(vs ...string) map[string]any {
	opts := []any{}
	for _, v := range vs {
		opts = append(opts, option(v))
	}
	return map[string]any{"type": "checkboxes", "selected_options": opts}
}

// MultiConversationsValue is the state of a multi_conversations_select.
func MultiConversationsValue(cs ...string) map[string]any {
	return map[string]any{"type": "multi_conversations_select", "selected_conversations": nonNil(toAny(cs))}
}

func option(v string) map[string]any {
	return map[string]any{"text": map[string]any{"type": "plain_text", "text": v, "emoji": true}, "value": v}
}

// ViewSubmission delivers a view_submission for the user's top modal with
// state.values built from sub.Values, and applies the ack like Slack: a
// response_action "errors" is recorded on the view, which stays open; "update"
// replaces it; "push" stacks a new view on it; "clear" closes the whole stack;
// an empty ack closes it. It refuses a view that is closed, not the user's, or
// not on top. An ack whose errors name no input block, or whose view is invalid,
// is reported as an error next to the Ack, since Slack would show the user a
// generic failure.
func (s *Server) ViewSubmission(ctx context.Context, sub Submit) (*Ack, error) {
	s.mu.Lock()
	p, err := s.submissionPayload(sub)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeslack: ViewSubmission: %w", err)
	}
	raw := mustJSON(p)
	s.mu.Unlock()
	ack, err := s.send(ctx, s.newEnvelope("interactive", raw, 0, ""))
	if err != nil {
		return ack, err
	}
	if err := s.applySubmissionAck(sub.ViewID, ack); err != nil {
		return ack, fmt.Errorf("fakeslack: ViewSubmission: %w", err)
	}
	return ack, nil
}

func (s *Server) submissionPayload(sub Submit) (map[string]any, error) {
	u, err := s.activeUser(sub.User)
	if err != nil {
		return nil, err
	}
	v := s.st.views[sub.ViewID]
	switch {
	case v == nil || v.user != u.ID || v.typ != "modal":
		return nil, fmt.Errorf("no modal %q of %s", sub.ViewID, u.ID)
	case !v.open:
		return nil, fmt.Errorf("modal %s is closed", v.id)
	}
	if stack := s.st.stacks[u.ID]; len(stack) == 0 || stack[len(stack)-1] != v.id {
		return nil, fmt.Errorf("modal %s is not on top of %s's stack", v.id, u.ID)
	}
	values, err := submissionState(v, sub.Values)
	if err != nil {
		return nil, err
	}
	vj := cloneJSON(s.viewJSON(v)).(map[string]any)
	vj["state"] = map[string]any{"values": values}
	p := s.interactionBase("view_submission", u)
	p["view"] = vj
	p["hash"] = v.hash
	p["trigger_id"] = s.mintTrigger(u.ID)
	p["response_urls"] = []any{}
	return p, nil
}

// submissionState builds state.values for v: every input block, with given,
// initial or empty values, plus given values of other elements in the view.
func submissionState(v *view, given map[string]map[string]any) (map[string]any, error) {
	out := map[string]any{}
	used := map[string]bool{}
	put := func(bid, aid string, st map[string]any) {
		m, _ := out[bid].(map[string]any)
		if m == nil {
			m = map[string]any{}
			out[bid] = m
		}
		m[aid] = st
		used[bid+"\x00"+aid] = true
	}
	for _, b := range v.blocks {
		bm, _ := b.(map[string]any)
		if bm["type"] != "input" {
			continue
		}
		bid, _ := bm["block_id"].(string)
		elem, _ := bm["element"].(map[string]any)
		aid, _ := elem["action_id"].(string)
		gv, _ := given[bid][aid].(map[string]any)
		st, err := elementState(elem, gv)
		if err != nil {
			return nil, fmt.Errorf("input %s/%s: %w", bid, aid, err)
		}
		if err := checkExternal(v, bid, aid, elem, st); err != nil {
			return nil, err
		}
		if optional, _ := bm["optional"].(bool); !optional && !hasValue(st) {
			return nil, fmt.Errorf("required input %s/%s has no value", bid, aid)
		}
		put(bid, aid, st)
	}
	for bid, byAction := range given {
		for aid, val := range byAction {
			if used[bid+"\x00"+aid] {
				continue
			}
			elem, _, err := findElement(v.blocks, bid, aid)
			if err != nil {
				return nil, fmt.Errorf("view %s: %w", v.id, err)
			}
			gv, ok := val.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("element %s/%s: state must be a map, got %T", bid, aid, val)
			}
			st, err := elementState(elem, gv)
			if err == nil {
				err = checkExternal(v, bid, aid, elem, st)
			}
			if err != nil {
				return nil, fmt.Errorf("element %s/%s: %w", bid, aid, err)
			}
			put(bid, aid, st)
		}
	}
	return out, nil
}

// elementState returns the state of elem: given (with its type set to elem's and
// options resolved against elem's), or elem's initial value.
func elementState(elem map[string]any, given map[string]any) (map[string]any, error) {
	typ, _ := elem["type"].(string)
	key, list := stateKey(typ)
	if given == nil {
		st := map[string]any{"type": typ}
		if key == "" {
			return st, nil
		}
		init, ok := elem[initialKey(key)]
		switch {
		case ok:
			st[key] = cloneJSON(init)
		case list:
			st[key] = []any{}
		default:
			st[key] = nil
		}
		return st, nil
	}
	st := cloneJSON(given).(map[string]any)
	st["type"] = typ
	if key == "" {
		return st, nil
	}
	if _, ok := st[key]; !ok {
		return nil, fmt.Errorf("a %s's state needs %q (got %v)", typ, key, mapKeys(given))
	}
	if strings.Contains(typ, "external") {
		return st, nil
	}
	switch key {
	case "selected_option":
		if om, ok := st[key].(map[string]any); ok {
			opt, err := pickOption(elem, fmt.Sprint(om["value"]))
			if err != nil {
				return nil, err
			}
			st[key] = opt
		}
	case "selected_options":
		list, _ := st[key].([]any)
		for i, o := range list {
			om, _ := o.(map[string]any)
			opt, err := pickOption(elem, fmt.Sprint(om["value"]))
			if err != nil {
				return nil, err
			}
			list[i] = opt
		}
	}
	return st, nil
}

// checkExternal holds an external select's state to the options the app
// offered (see BlockSuggestion) or set as initial.
func checkExternal(v *view, bid, aid string, elem, st map[string]any) error {
	if t, _ := elem["type"].(string); !strings.Contains(t, "external") {
		return nil
	}
	return v.checkPicked(bid, aid, elem, st)
}

// hasValue reports whether an element state holds a value.
func hasValue(st map[string]any) bool {
	for k, v := range st {
		if k == "type" {
			continue
		}
		switch v := v.(type) {
		case nil:
		case string:
			if v != "" {
				return true
			}
		case []any:
			if len(v) > 0 {
				return true
			}
		case []string:
			if len(v) > 0 {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func mapKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// applySubmissionAck applies a view_submission ack's response_action.
func (s *Server) applySubmissionAck(viewID string, ack *Ack) error {
	var p struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           map[string]any    `json:"view"`
	}
	if len(ack.Payload) > 0 {
		if err := json.Unmarshal(ack.Payload, &p); err != nil {
			return fmt.Errorf("ack payload: %w", err)
		}
	}
	var msgs []string
	if p.ResponseAction == "update" || p.ResponseAction == "push" {
		if p.View == nil {
			return fmt.Errorf("response_action %s without a view", p.ResponseAction)
		}
		if len(mustJSON(p.View)) > maxViewBytes {
			return fmt.Errorf("response_action %s: view_too_large", p.ResponseAction)
		}
		msgs = validateView(p.View, "modal")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.st.views[viewID]
	switch p.ResponseAction {
	case "errors":
		v.errors = p.Errors
		var bad []string
		for bid := range p.Errors {
			if v.inputBlock(bid) == nil {
				bad = append(bad, bid)
			}
		}
		if len(bad) > 0 {
			slices.Sort(bad)
			return fmt.Errorf("response_action errors names %v, which are not input blocks of %s: Slack shows a generic error", bad, v.id)
		}
	case "update", "push":
		if len(msgs) > 0 {
			return fmt.Errorf("response_action %s: invalid view: %s", p.ResponseAction, strings.Join(msgs, "; "))
		}
		req := cloneJSON(p.View).(map[string]any)
		if p.ResponseAction == "update" {
			s.setContent(v, req)
			v.errors = nil
			return nil
		}
		if len(s.st.stacks[v.user]) >= maxStack {
			return errors.New("response_action push: push_limit_reached")
		}
		s.pushView(v.user, req)
	case "clear":
		s.closeStack(v.user)
	case "":
		s.closeView(v)
	default:
		return fmt.Errorf("unknown response_action %q", p.ResponseAction)
	}
	return nil
}

// CloseView is the user closing their top modal with its close button. If the
// view was opened with notify_on_close, a view_closed interaction is delivered
// and its ack returned; otherwise CloseView returns (nil, nil).
func (s *Server) CloseView(ctx context.Context, user, viewID string) (*Ack, error) {
	s.mu.Lock()
	v := s.st.views[viewID]
	stack := s.st.stacks[user]
	if v == nil || v.user != user || !v.open || len(stack) == 0 || stack[len(stack)-1] != v.id {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeslack: CloseView: %q is not %s's top modal", viewID, user)
	}
	u := s.st.users[user]
	s.closeView(v)
	if !v.notifyOnClose || u == nil {
		s.mu.Unlock()
		return nil, nil
	}
	p := s.interactionBase("view_closed", u)
	p["view"] = s.viewJSON(v)
	p["is_cleared"] = false
	raw := mustJSON(p)
	s.mu.Unlock()
	return s.send(ctx, s.newEnvelope("interactive", raw, 0, ""))
}
