package fakeslack

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// blockID mints an ID like the ones Slack gives blocks and elements that have
// none ("2WGp9"). Callers hold s.mu (it does not touch state, but keeps callers uniform).
func (s *Server) blockID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// assignIDs gives every block without a block_id, and every interactive element
// without an action_id, a minted one, as Slack does when it stores them.
func (s *Server) assignIDs(blocks []any) {
	for _, b := range blocks {
		bm, ok := b.(map[string]any)
		if !ok {
			continue
		}
		if id, _ := bm["block_id"].(string); id == "" {
			bm["block_id"] = s.blockID()
		}
		for _, e := range blockElements(bm) {
			if e["type"] == "image" {
				continue
			}
			if id, _ := e["action_id"].(string); id == "" {
				e["action_id"] = s.blockID()
			}
		}
	}
}

// blockElements returns a block's interactive elements: a section's accessory,
// an actions block's elements, an input's element.
func blockElements(b map[string]any) []map[string]any {
	var out []map[string]any
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	switch b["type"] {
	case "section":
		add(b["accessory"])
	case "actions":
		els, _ := b["elements"].([]any)
		for _, e := range els {
			add(e)
		}
	case "input":
		add(b["element"])
	}
	return out
}

// findElement finds the element with actionID, in the block blockID if that is set.
func findElement(blocks []any, blockID, actionID string) (map[string]any, string, error) {
	if actionID == "" {
		return nil, "", errors.New("no ActionID")
	}
	for _, b := range blocks {
		bm, _ := b.(map[string]any)
		bid, _ := bm["block_id"].(string)
		if blockID != "" && bid != blockID {
			continue
		}
		for _, e := range blockElements(bm) {
			if e["action_id"] == actionID {
				return e, bid, nil
			}
		}
	}
	return nil, "", fmt.Errorf("no element with action_id %q (block_id %q)", actionID, blockID)
}

// actionJSON builds the "actions" entry Slack sends when elem is used with value.
func actionJSON(elem map[string]any, blockID, value string) (map[string]any, error) {
	typ, _ := elem["type"].(string)
	act := map[string]any{"type": typ, "action_id": elem["action_id"], "block_id": blockID}
	need := func() error {
		if value == "" {
			return fmt.Errorf("a %s action needs a Value", typ)
		}
		return nil
	}
	switch typ {
	case "button", "workflow_button":
		own, _ := elem["value"].(string)
		if value != "" && value != own {
			return nil, fmt.Errorf("button %v has value %q, not %q", elem["action_id"], own, value)
		}
		act["text"] = cloneJSON(elem["text"])
		if own != "" {
			act["value"] = own
		}
		if st, ok := elem["style"]; ok {
			act["style"] = st
		}
	case "static_select", "overflow", "radio_buttons", "external_select":
		if err := need(); err != nil {
			return nil, err
		}
		opt, err := pickOption(elem, value)
		if err != nil {
			return nil, err
		}
		act["selected_option"] = opt
	case "multi_static_select", "checkboxes", "multi_external_select":
		var opts []any
		for _, v := range splitList(value) {
			opt, err := pickOption(elem, v)
			if err != nil {
				return nil, err
			}
			opts = append(opts, opt)
		}
		act["selected_options"] = nonNil(opts)
	default:
		key, list := stateKey(typ)
		if key == "" {
			key = "value"
		}
		if list {
			act[key] = nonNil(toAny(splitList(value)))
		} else {
			if err := need(); err != nil {
				return nil, err
			}
			act[key] = value
		}
	}
	return act, nil
}

// pickOption returns elem's option with that value. External selects have no
// options of their own, so any value goes.
func pickOption(elem map[string]any, value string) (any, error) {
	if t, _ := elem["type"].(string); strings.Contains(t, "external") {
		return map[string]any{"text": map[string]any{"type": "plain_text", "text": value}, "value": value}, nil
	}
	for _, o := range elementOptions(elem) {
		if om, _ := o.(map[string]any); om["value"] == value {
			return cloneJSON(om), nil
		}
	}
	return nil, fmt.Errorf("element %v has no option with value %q", elem["action_id"], value)
}

// elementOptions returns an element's options, including those in option_groups.
func elementOptions(elem map[string]any) []any {
	opts, _ := elem["options"].([]any)
	groups, _ := elem["option_groups"].([]any)
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		more, _ := gm["options"].([]any)
		opts = append(opts, more...)
	}
	return opts
}

// stateKey returns the field that carries an element's value in state.values
// and actions, and whether it is a list.
func stateKey(typ string) (key string, list bool) {
	switch typ {
	case "plain_text_input", "email_text_input", "url_text_input", "number_input":
		return "value", false
	case "static_select", "external_select", "radio_buttons", "overflow":
		return "selected_option", false
	case "multi_static_select", "multi_external_select", "checkboxes":
		return "selected_options", true
	case "users_select":
		return "selected_user", false
	case "multi_users_select":
		return "selected_users", true
	case "conversations_select":
		return "selected_conversation", false
	case "multi_conversations_select":
		return "selected_conversations", true
	case "channels_select":
		return "selected_channel", false
	case "multi_channels_select":
		return "selected_channels", true
	case "datepicker":
		return "selected_date", false
	case "timepicker":
		return "selected_time", false
	case "datetimepicker":
		return "selected_date_time", false
	case "rich_text_input":
		return "rich_text_value", false
	case "file_input":
		return "files", true
	}
	return "", false
}

// initialKey returns the element field holding the initial value for a state key.
func initialKey(stateKey string) string {
	switch stateKey {
	case "value":
		return "initial_value"
	case "selected_option":
		return "initial_option"
	case "selected_options":
		return "initial_options"
	case "selected_date_time":
		return "initial_date_time"
	case "rich_text_value":
		return "initial_value"
	}
	return "initial_" + strings.TrimPrefix(stateKey, "selected_")
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func toAny(in []string) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

func nonNil(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}
