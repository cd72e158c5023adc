package fakeslack

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Block Kit limits (../shared/slack/BLOCKKIT.md). Every text, value, ID and
// URL also has a minimum length of 1 unless it is left out altogether.
const (
	maxMessageBlocks  = 50
	maxViewBlocks     = 100
	maxSectionText    = 3000
	maxSectionFields  = 10
	maxFieldText      = 2000
	maxHeaderText     = 150
	maxButtonText     = 75
	maxButtonValue    = 2000
	maxURL            = 3000
	maxID             = 255 // block_id, action_id, callback_id, external_id
	maxContextElems   = 10
	maxActionsElems   = 25
	maxModalText      = 24 // modal title, submit, close
	maxPrivateMeta    = 3000
	maxPlaceholder    = 150
	maxOptionText     = 75
	maxOptionValue    = 150
	maxOptionDesc     = 75
	maxSelectOptions  = 100
	maxLabel          = 2000
	maxInputValue     = 3000
	maxMarkdownBlock  = 12000
	maxConfirmTitle   = 100
	maxConfirmText    = 300
	maxConfirmButton  = 30
	maxOptionGroupTxt = 75
)

// knownBlocks are block types slack-go v0.35.0 knows that the fake accepts
// without checking their insides.
var knownBlocks = map[string]bool{
	"divider": true, "file": true, "rich_text": true, "video": true, "table": true, "call": true,
	"context_actions": true, "data_table": true, "data_visualization": true, "task_card": true,
	"alert": true, "auth_provider": true, "plan": true, "card": true, "carousel": true,
	"container": true, "layout": true,
}

// inputElements may stand in an input block, and the text inputs among them
// only there.
var inputElements = map[string]bool{
	"plain_text_input": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "file_input": true,
	"static_select": true, "multi_static_select": true, "external_select": true, "multi_external_select": true,
	"users_select": true, "multi_users_select": true, "conversations_select": true,
	"multi_conversations_select": true, "channels_select": true, "multi_channels_select": true,
	"datepicker": true, "timepicker": true, "datetimepicker": true, "checkboxes": true, "radio_buttons": true,
}

var inputOnly = map[string]bool{
	"plain_text_input": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "file_input": true,
}

// plainElements are element types accepted without checks beyond action_id,
// placeholder and confirm.
var plainElements = map[string]bool{
	"users_select": true, "multi_users_select": true, "conversations_select": true, "multi_conversations_select": true,
	"channels_select": true, "multi_channels_select": true, "timepicker": true,
	"datetimepicker": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "file_input": true, "workflow_button": true, "feedback_buttons": true,
	"icon_button": true,
}

// CheckMessage returns the problems Slack would refuse a message's blocks
// for, worded as Slack words them in response_metadata.messages; nil means
// Slack accepts them. blocks is anything that marshals to a JSON array of
// blocks: slack.Blocks, []slack.Block, or decoded JSON. Tests of the bot's
// renderers use it to hold every surface to Slack's rules.
func CheckMessage(blocks any) []string {
	var decoded any
	if err := remarshal(blocks, &decoded); err != nil {
		return []string{"[ERROR] " + err.Error() + " [json-pointer:/blocks]"}
	}
	if m, ok := decoded.(map[string]any); ok { // slack.Blocks marshals to {"blocks": …} in some forms
		decoded = m["blocks"]
	}
	list, ok := decoded.([]any)
	if !ok && decoded != nil {
		return []string{"[ERROR] must be an array [json-pointer:/blocks]"}
	}
	return validateMessageBlocks(list)
}

// CheckView returns the problems Slack would refuse a modal or Home view
// for (its "type" says which); nil means Slack accepts it. view is anything
// that marshals to a view object, such as slack.ModalViewRequest.
func CheckView(view any) []string {
	var v map[string]any
	if err := remarshal(view, &v); err != nil {
		return []string{"[ERROR] " + err.Error() + " [json-pointer:/view]"}
	}
	typ, _ := v["type"].(string)
	if typ != "home" {
		typ = "modal"
	}
	if n := len(mustJSON(v)); n > maxViewBytes {
		return []string{fmt.Sprintf("[ERROR] view is %d bytes, over %d (view_too_large) [json-pointer:/view]", n, maxViewBytes)}
	}
	return validateView(v, typ)
}

func remarshal(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("cannot encode: %w", err)
	}
	return json.Unmarshal(b, out)
}

// checker collects Block Kit problems as Slack words them:
// "[ERROR] <problem> [json-pointer:/blocks/0/text/text]".
type checker struct{ msgs []string }

func (c *checker) errf(ptr, format string, args ...any) {
	c.msgs = append(c.msgs, fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), ptr))
}

// validateMessageBlocks checks a message's blocks; nil means valid.
func validateMessageBlocks(blocks []any) []string {
	c := &checker{}
	c.blocks(blocks, "message", "/blocks")
	return c.msgs
}

// validateView checks a view of type want ("modal" or "home"); nil means valid.
func validateView(v map[string]any, want string) []string {
	c := &checker{}
	if typ, _ := v["type"].(string); typ != want {
		c.errf("/view/type", "must be %q here, not %q", want, typ)
		return c.msgs
	}
	if want == "modal" {
		if v["title"] == nil {
			c.errf("/view/title", "missing required field: title")
		} else {
			c.text(v["title"], "/view/title", maxModalText, true)
		}
		for _, k := range []string{"submit", "close"} {
			if v[k] != nil {
				c.text(v[k], "/view/"+k, maxModalText, true)
			}
		}
	} else {
		for _, k := range []string{"submit", "close"} {
			if v[k] != nil {
				c.errf("/view/"+k, "not allowed in a home view")
			}
		}
	}
	c.str(v["callback_id"], "/view/callback_id", maxID)
	c.str(v["private_metadata"], "/view/private_metadata", maxPrivateMeta)
	c.str(v["external_id"], "/view/external_id", maxID)
	hasInput := false
	switch b := v["blocks"].(type) {
	case nil:
	case []any:
		c.blocks(b, want, "/view/blocks")
		for _, e := range b {
			if m, _ := e.(map[string]any); m["type"] == "input" {
				hasInput = true
			}
		}
	default:
		c.errf("/view/blocks", "must be an array")
	}
	if want == "modal" && hasInput && v["submit"] == nil {
		c.errf("/view/submit", "submit is required when an input block is within the blocks array")
	}
	return c.msgs
}

// blocks checks a block list on a surface: "message", "modal" or "home".
func (c *checker) blocks(blocks []any, surface, base string) {
	limit := maxViewBlocks
	if surface == "message" {
		limit = maxMessageBlocks
	}
	if len(blocks) > limit {
		c.errf(base, "no more than %d items allowed", limit)
	}
	seen := map[string]bool{}
	for i, b := range blocks {
		ptr := fmt.Sprintf("%s/%d", base, i)
		bm, ok := b.(map[string]any)
		if !ok {
			c.errf(ptr, "must be an object")
			continue
		}
		if id, ok := bm["block_id"]; ok && id != nil {
			s, _ := id.(string)
			if seen[s] {
				c.errf(ptr+"/block_id", "duplicate block_id %q", s)
			}
			c.str(id, ptr+"/block_id", maxID)
			seen[s] = true
		}
		typ, _ := bm["type"].(string)
		switch typ {
		case "section":
			c.section(bm, ptr)
		case "header":
			c.text(bm["text"], ptr+"/text", maxHeaderText, true)
		case "actions":
			els := c.list(bm["elements"], ptr+"/elements", 1, maxActionsElems)
			c.uniqueActionIDs(els, ptr+"/elements")
			for j, e := range els {
				ep := fmt.Sprintf("%s/elements/%d", ptr, j)
				if m, _ := e.(map[string]any); inputOnly[fmt.Sprint(m["type"])] {
					c.errf(ep+"/type", "%v is only allowed in input blocks", m["type"])
				}
				c.element(e, ep)
			}
		case "context":
			for j, e := range c.list(bm["elements"], ptr+"/elements", 1, maxContextElems) {
				ep := fmt.Sprintf("%s/elements/%d", ptr, j)
				if m, _ := e.(map[string]any); m["type"] == "image" {
					c.image(m, ep)
				} else {
					c.text(e, ep, maxSectionText, false)
				}
			}
		case "input":
			if surface != "modal" {
				c.errf(ptr+"/type", "input blocks are only allowed in modals")
			}
			c.text(bm["label"], ptr+"/label", maxLabel, true)
			if bm["hint"] != nil {
				c.text(bm["hint"], ptr+"/hint", maxLabel, true)
			}
			el, _ := bm["element"].(map[string]any)
			switch typ, _ := el["type"].(string); {
			case bm["element"] == nil:
				c.errf(ptr+"/element", "missing required field: element")
			case !inputElements[typ]:
				c.errf(ptr+"/element/type", "%q is not allowed in an input block", typ)
			default:
				c.element(el, ptr+"/element")
			}
		case "image":
			c.image(bm, ptr)
			if bm["title"] != nil {
				c.text(bm["title"], ptr+"/title", maxLabel, true)
			}
		case "markdown":
			if _, ok := bm["text"].(string); !ok {
				c.errf(ptr+"/text", "missing required field: text")
			}
			c.str(bm["text"], ptr+"/text", maxMarkdownBlock)
		case "":
			c.errf(ptr+"/type", "missing required field: type")
		default:
			if !knownBlocks[typ] {
				c.errf(ptr+"/type", "unsupported type %q", typ)
			}
		}
	}
}

func (c *checker) section(b map[string]any, ptr string) {
	if b["text"] == nil && b["fields"] == nil {
		c.errf(ptr, "must provide either text or fields")
	}
	if b["text"] != nil {
		c.text(b["text"], ptr+"/text", maxSectionText, false)
	}
	if b["fields"] != nil {
		for j, f := range c.list(b["fields"], ptr+"/fields", 1, maxSectionFields) {
			c.text(f, fmt.Sprintf("%s/fields/%d", ptr, j), maxFieldText, false)
		}
	}
	if a, ok := b["accessory"].(map[string]any); ok && inputOnly[fmt.Sprint(a["type"])] {
		c.errf(ptr+"/accessory/type", "%v is only allowed in input blocks", a["type"])
	}
	if b["accessory"] != nil {
		c.element(b["accessory"], ptr+"/accessory")
	}
}

// uniqueActionIDs flags two elements of one block sharing an action_id.
func (c *checker) uniqueActionIDs(els []any, ptr string) {
	seen := map[string]bool{}
	for j, e := range els {
		m, _ := e.(map[string]any)
		id, ok := m["action_id"].(string)
		if !ok {
			continue
		}
		if seen[id] {
			c.errf(fmt.Sprintf("%s/%d/action_id", ptr, j), "duplicate action_id %q", id)
		}
		seen[id] = true
	}
}

// element checks an interactive element (or an image accessory).
func (c *checker) element(e any, ptr string) {
	m, ok := e.(map[string]any)
	if !ok {
		c.errf(ptr, "must be an object")
		return
	}
	if aid, ok := m["action_id"]; ok {
		c.str(aid, ptr+"/action_id", maxID)
	}
	if m["placeholder"] != nil {
		c.text(m["placeholder"], ptr+"/placeholder", maxPlaceholder, true)
	}
	if m["confirm"] != nil {
		c.confirm(m["confirm"], ptr+"/confirm")
	}
	typ, _ := m["type"].(string)
	switch typ {
	case "button":
		c.text(m["text"], ptr+"/text", maxButtonText, true)
		c.str(m["value"], ptr+"/value", maxButtonValue)
		c.str(m["url"], ptr+"/url", maxURL)
		c.style(m["style"], ptr+"/style")
	case "static_select", "multi_static_select":
		var opts []any
		if m["option_groups"] != nil {
			opts = c.optionGroups(m["option_groups"], ptr+"/option_groups")
		} else {
			opts = c.options(m["options"], ptr+"/options", 1, maxSelectOptions, true)
		}
		c.initialOptions(m, opts, ptr, typ == "multi_static_select")
		c.maxSelected(m, ptr)
	case "external_select", "multi_external_select":
		c.intRange(m["min_query_length"], ptr+"/min_query_length", 0, maxInputValue)
		if m["initial_option"] != nil {
			c.option(m["initial_option"], ptr+"/initial_option", true)
		}
		if m["initial_options"] != nil {
			c.options(m["initial_options"], ptr+"/initial_options", 0, maxSelectOptions, true)
		}
		if typ == "multi_external_select" {
			c.maxSelected(m, ptr)
		} else if m["initial_options"] != nil {
			c.errf(ptr+"/initial_options", "not allowed in an external_select; use initial_option")
		}
	case "overflow":
		c.options(m["options"], ptr+"/options", 2, 5, true)
	case "checkboxes", "radio_buttons":
		opts := c.options(m["options"], ptr+"/options", 1, 10, false)
		c.initialOptions(m, opts, ptr, typ == "checkboxes")
	case "plain_text_input":
		c.str(m["initial_value"], ptr+"/initial_value", maxInputValue)
		c.intRange(m["max_length"], ptr+"/max_length", 1, maxInputValue)
		c.intRange(m["min_length"], ptr+"/min_length", 0, maxInputValue)
		if lo, ok := m["min_length"].(float64); ok {
			if hi, ok := m["max_length"].(float64); ok && lo > hi {
				c.errf(ptr+"/min_length", "must not be more than max_length")
			}
		}
	case "datepicker":
		if d, ok := m["initial_date"]; ok {
			s, _ := d.(string)
			if _, err := time.Parse("2006-01-02", s); err != nil {
				c.errf(ptr+"/initial_date", "must be a date in the format YYYY-MM-DD")
			}
		}
	case "image":
		c.image(m, ptr)
	default:
		if !plainElements[typ] {
			c.errf(ptr+"/type", "unsupported type %q", typ)
		}
		if typ == "multi_users_select" || typ == "multi_conversations_select" || typ == "multi_channels_select" {
			c.maxSelected(m, ptr)
		}
		for _, k := range []string{"initial_user", "initial_conversation", "initial_channel", "initial_time"} {
			c.str(m[k], ptr+"/"+k, maxID)
		}
	}
}

// options checks an options list of min to max items and returns it.
// plainOnly holds option texts to plain_text, as selects and overflow menus do.
func (c *checker) options(v any, ptr string, min, max int, plainOnly bool) []any {
	l := c.list(v, ptr, min, max)
	for j, o := range l {
		c.option(o, fmt.Sprintf("%s/%d", ptr, j), plainOnly)
	}
	return l
}

func (c *checker) option(o any, ptr string, plainOnly bool) {
	om, ok := o.(map[string]any)
	if !ok {
		c.errf(ptr, "must be an object")
		return
	}
	c.text(om["text"], ptr+"/text", maxOptionText, plainOnly)
	if _, ok := om["value"].(string); !ok {
		c.errf(ptr+"/value", "missing required field: value")
	} else {
		c.str(om["value"], ptr+"/value", maxOptionValue)
	}
	if om["description"] != nil {
		c.text(om["description"], ptr+"/description", maxOptionDesc, plainOnly)
	}
	c.str(om["url"], ptr+"/url", maxURL)
}

// optionGroups checks a select's option_groups and returns all their options.
func (c *checker) optionGroups(v any, ptr string) []any {
	var all []any
	for j, g := range c.list(v, ptr, 1, maxSelectOptions) {
		gp := fmt.Sprintf("%s/%d", ptr, j)
		gm, ok := g.(map[string]any)
		if !ok {
			c.errf(gp, "must be an object")
			continue
		}
		c.text(gm["label"], gp+"/label", maxOptionGroupTxt, true)
		all = append(all, c.options(gm["options"], gp+"/options", 1, maxSelectOptions, true)...)
	}
	return all
}

// initialOptions checks that initial_option (or initial_options, when
// multi) equals one of opts exactly, text and value.
func (c *checker) initialOptions(m map[string]any, opts []any, ptr string, multi bool) {
	key := "initial_option"
	var given []any
	if multi {
		key = "initial_options"
		if m[key] == nil {
			return
		}
		l, ok := m[key].([]any)
		if !ok {
			c.errf(ptr+"/"+key, "must be an array")
			return
		}
		given = l
	} else if m[key] != nil {
		given = []any{m[key]}
	}
	for j, g := range given {
		gp := ptr + "/" + key
		if multi {
			gp = fmt.Sprintf("%s/%d", gp, j)
		}
		found := false
		for _, o := range opts {
			if sameOption(g, o) {
				found = true
				break
			}
		}
		if !found {
			c.errf(gp, "must match one of the provided options")
		}
	}
}

// sameOption reports whether two options have the same text (type and
// words) and value, which is what Slack compares an initial option by.
func sameOption(a, b any) bool {
	am, _ := a.(map[string]any)
	bm, _ := b.(map[string]any)
	at, _ := am["text"].(map[string]any)
	bt, _ := bm["text"].(map[string]any)
	return am != nil && bm != nil && am["value"] == bm["value"] && at["type"] == bt["type"] && at["text"] == bt["text"]
}

func (c *checker) maxSelected(m map[string]any, ptr string) {
	if n, ok := m["max_selected_items"].(float64); ok && n < 1 {
		c.errf(ptr+"/max_selected_items", "must be at least 1")
	}
}

// confirm checks a confirmation dialog object.
func (c *checker) confirm(v any, ptr string) {
	m, ok := v.(map[string]any)
	if !ok {
		c.errf(ptr, "must be an object")
		return
	}
	c.text(m["title"], ptr+"/title", maxConfirmTitle, true)
	c.text(m["text"], ptr+"/text", maxConfirmText, false)
	c.text(m["confirm"], ptr+"/confirm", maxConfirmButton, true)
	if m["deny"] != nil {
		c.text(m["deny"], ptr+"/deny", maxConfirmButton, true)
	}
	c.style(m["style"], ptr+"/style")
}

func (c *checker) style(v any, ptr string) {
	if v != nil && v != "primary" && v != "danger" {
		c.errf(ptr, "must be one of primary, danger")
	}
}

func (c *checker) image(m map[string]any, ptr string) {
	if m["image_url"] == nil && m["slack_file"] == nil {
		c.errf(ptr+"/image_url", "missing required field: image_url")
	}
	c.str(m["image_url"], ptr+"/image_url", maxURL)
	if _, ok := m["alt_text"].(string); !ok {
		c.errf(ptr+"/alt_text", "missing required field: alt_text")
	}
	c.str(m["alt_text"], ptr+"/alt_text", maxLabel)
}

// text checks a text object: type plain_text (or mrkdwn unless plainOnly) and
// 1 to limit characters.
func (c *checker) text(v any, ptr string, limit int, plainOnly bool) {
	m, ok := v.(map[string]any)
	if !ok {
		c.errf(ptr, "must be a text object")
		return
	}
	switch typ, _ := m["type"].(string); {
	case plainOnly && typ != "plain_text":
		c.errf(ptr+"/type", "must be plain_text")
	case typ != "plain_text" && typ != "mrkdwn":
		c.errf(ptr+"/type", "must be one of plain_text, mrkdwn")
	}
	if _, ok := m["text"].(string); !ok {
		c.errf(ptr+"/text", "missing required field: text")
		return
	}
	c.str(m["text"], ptr+"/text", limit)
}

// list checks that v is an array of min to max items and returns them.
func (c *checker) list(v any, ptr string, min, max int) []any {
	l, ok := v.([]any)
	switch {
	case !ok:
		c.errf(ptr, "must be an array")
	case len(l) < min:
		c.errf(ptr, "must provide at least %d items", min)
	case len(l) > max:
		c.errf(ptr, "no more than %d items allowed", max)
	}
	return l
}

// str checks an optional string field: absent (or null) is fine; given, it
// must be a string of 1 to max characters, since Slack refuses empty strings
// wherever a string is given.
func (c *checker) str(v any, ptr string, max int) {
	if v == nil {
		return
	}
	s, ok := v.(string)
	switch n := utf8.RuneCountInString(s); {
	case !ok:
		c.errf(ptr, "must be a string")
	case n == 0:
		c.errf(ptr, "must be between 1 and %d characters", max)
	case n > max:
		c.errf(ptr, "must be between 1 and %d characters", max)
	}
}

// intRange checks an optional whole number between lo and hi.
func (c *checker) intRange(v any, ptr string, lo, hi int) {
	if v == nil {
		return
	}
	n, ok := v.(float64)
	if !ok || n != float64(int(n)) || int(n) < lo || int(n) > hi {
		c.errf(ptr, "must be a whole number between %d and %d", lo, hi)
	}
}
