package fakeslack

import (
	"fmt"
	"unicode/utf8"
)

// Block Kit limits (PROTOCOL §4).
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	maxSectionText   = 3000
	maxSectionFields = 10
	maxFieldText     = 2000
	maxHeaderText    = 150
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxURL           = 3000
	maxID            = 255 // block_id, action_id, callback_id, external_id
	maxContextElems  = 10
	maxActionsElems  = 25
	maxModalText     = 24 // modal title, submit, close
	maxPrivateMeta   = 3000
	maxPlaceholder   = 150
	maxOptionText    = 75
	maxOptionValue   = 150
	maxLabel         = 2000
	maxMarkdownBlock = 12000
)

// knownBlocks are block types slack-go v0.35.0 knows that the fake accepts
// without checking their insides.
var knownBlocks = map[string]bool{
	"divider": true, "file": true, "rich_text": true, "video": true, "table": true, "call": true,
	"context_actions": true, "data_table": true, "data_visualization": true, "task_card": true,
	"alert": true, "auth_provider": true, "plan": true, "card": true, "carousel": true,
	"container": true, "layout": true,
}

// plainElements are element types accepted without checks beyond action_id.
var plainElements = map[string]bool{
	"external_select": true, "multi_external_select": true, "users_select": true,
	"multi_users_select": true, "conversations_select": true, "multi_conversations_select": true,
	"channels_select": true, "multi_channels_select": true, "datepicker": true, "timepicker": true,
	"datetimepicker": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "file_input": true, "workflow_button": true, "feedback_buttons": true,
	"icon_button": true,
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
	c.maxLen(v["callback_id"], "/view/callback_id", maxID)
	c.maxLen(v["private_metadata"], "/view/private_metadata", maxPrivateMeta)
	c.maxLen(v["external_id"], "/view/external_id", maxID)
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
			s, ok := id.(string)
			switch {
			case !ok:
				c.errf(ptr+"/block_id", "must be a string")
			case seen[s]:
				c.errf(ptr+"/block_id", "duplicate block_id %q", s)
			default:
				c.maxLen(s, ptr+"/block_id", maxID)
			}
			seen[s] = s != ""
		}
		typ, _ := bm["type"].(string)
		switch typ {
		case "section":
			c.section(bm, ptr)
		case "header":
			c.text(bm["text"], ptr+"/text", maxHeaderText, true)
		case "actions":
			for j, e := range c.list(bm["elements"], ptr+"/elements", maxActionsElems) {
				c.element(e, fmt.Sprintf("%s/elements/%d", ptr, j))
			}
		case "context":
			for j, e := range c.list(bm["elements"], ptr+"/elements", maxContextElems) {
				ep := fmt.Sprintf("%s/elements/%d", ptr, j)
				if m, _ := e.(map[string]any); m["type"] == "image" {
					c.image(m, ep)
				} else {
					c.text(e, ep, maxSectionText, false)
				}
			}
		case "input":
			if surface == "home" {
				c.errf(ptr+"/type", "input blocks are not allowed in a home view")
			}
			c.text(bm["label"], ptr+"/label", maxLabel, true)
			if bm["hint"] != nil {
				c.text(bm["hint"], ptr+"/hint", maxLabel, true)
			}
			if bm["element"] == nil {
				c.errf(ptr+"/element", "missing required field: element")
			} else {
				c.element(bm["element"], ptr+"/element")
			}
		case "image":
			c.image(bm, ptr)
			if bm["title"] != nil {
				c.text(bm["title"], ptr+"/title", maxLabel, true)
			}
		case "markdown":
			if t, _ := bm["text"].(string); t == "" {
				c.errf(ptr+"/text", "missing required field: text")
			}
			c.maxLen(bm["text"], ptr+"/text", maxMarkdownBlock)
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
		for j, f := range c.list(b["fields"], ptr+"/fields", maxSectionFields) {
			c.text(f, fmt.Sprintf("%s/fields/%d", ptr, j), maxFieldText, false)
		}
	}
	if b["accessory"] != nil {
		c.element(b["accessory"], ptr+"/accessory")
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
		if _, isStr := aid.(string); !isStr {
			c.errf(ptr+"/action_id", "must be a string")
		}
		c.maxLen(aid, ptr+"/action_id", maxID)
	}
	if m["placeholder"] != nil {
		c.text(m["placeholder"], ptr+"/placeholder", maxPlaceholder, true)
	}
	typ, _ := m["type"].(string)
	switch typ {
	case "button":
		c.text(m["text"], ptr+"/text", maxButtonText, true)
		c.maxLen(m["value"], ptr+"/value", maxButtonValue)
		c.maxLen(m["url"], ptr+"/url", maxURL)
		if st, ok := m["style"]; ok && st != "primary" && st != "danger" {
			c.errf(ptr+"/style", "must be one of primary, danger")
		}
	case "static_select", "multi_static_select":
		if m["option_groups"] == nil {
			c.options(m["options"], ptr+"/options", 100)
		}
	case "overflow":
		c.options(m["options"], ptr+"/options", 5)
	case "checkboxes", "radio_buttons":
		c.options(m["options"], ptr+"/options", 10)
	case "plain_text_input":
		for _, k := range []string{"max_length", "min_length"} {
			if n, ok := m[k].(float64); ok && (n < 0 || n > 3000) {
				c.errf(ptr+"/"+k, "must be between 0 and 3000")
			}
		}
	case "image":
		c.image(m, ptr)
	default:
		if !plainElements[typ] {
			c.errf(ptr+"/type", "unsupported type %q", typ)
		}
	}
}

func (c *checker) options(v any, ptr string, limit int) {
	for j, o := range c.list(v, ptr, limit) {
		op := fmt.Sprintf("%s/%d", ptr, j)
		om, ok := o.(map[string]any)
		if !ok {
			c.errf(op, "must be an object")
			continue
		}
		c.text(om["text"], op+"/text", maxOptionText, false)
		if _, ok := om["value"].(string); !ok {
			c.errf(op+"/value", "missing required field: value")
		}
		c.maxLen(om["value"], op+"/value", maxOptionValue)
	}
}

func (c *checker) image(m map[string]any, ptr string) {
	if m["image_url"] == nil && m["slack_file"] == nil {
		c.errf(ptr+"/image_url", "missing required field: image_url")
	}
	c.maxLen(m["image_url"], ptr+"/image_url", maxURL)
	if t, _ := m["alt_text"].(string); t == "" {
		c.errf(ptr+"/alt_text", "missing required field: alt_text")
	}
	c.maxLen(m["alt_text"], ptr+"/alt_text", maxLabel)
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
	s, _ := m["text"].(string)
	if s == "" {
		c.errf(ptr+"/text", "must be more than 0 characters")
	}
	c.maxLen(s, ptr+"/text", limit)
}

// list checks that v is an array of 1 to limit items and returns them.
func (c *checker) list(v any, ptr string, limit int) []any {
	l, ok := v.([]any)
	switch {
	case !ok:
		c.errf(ptr, "must be an array")
	case len(l) == 0:
		c.errf(ptr, "must provide at least 1 item")
	case len(l) > limit:
		c.errf(ptr, "no more than %d items allowed", limit)
	}
	return l
}

// maxLen flags a string longer than limit characters; non-strings are ignored.
func (c *checker) maxLen(v any, ptr string, limit int) {
	if s, ok := v.(string); ok && utf8.RuneCountInString(s) > limit {
		c.errf(ptr, "must be at most %d characters", limit)
	}
}
