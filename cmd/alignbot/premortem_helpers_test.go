package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// askRitual runs a slash command and returns the ephemeral reply it brings,
// after letting earlier replies arrive so it counts from the right one.
func (h *harness) askRitual(user, channel, command, text string) string {
	h.t.Helper()
	h.settle()
	next := len(h.fs.Ephemerals(user)) + 1
	h.slash(user, channel, command, text)
	return h.waitEphemeral(user, next)
}

// openSession runs /premortem or /retro and returns the thread's parent,
// once the bot has recorded where it posted it: a reply in its thread
// before then would find no ritual to go to.
func (h *harness) openSession(user, channel, command, text string) fakeslack.Message {
	h.t.Helper()
	before := len(h.botMessages(channel))
	h.slash(user, channel, command, text)
	parent := h.waitCards(channel, before+1)[before]
	h.settle()
	return parent
}

// botReplies returns the bot's replies in the thread of parent, oldest first.
func (h *harness) botReplies(parent fakeslack.Message) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.fs.Messages(parent.Channel) {
		if m.BotID != "" && m.ThreadTS == parent.TS && m.TS != parent.TS {
			out = append(out, m)
		}
	}
	return out
}

// waitBotReplies waits until parent's thread holds n bot replies.
func (h *harness) waitBotReplies(parent fakeslack.Message, n int) []fakeslack.Message {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("%d bot replies in the thread", n), func() bool { return len(h.botReplies(parent)) >= n })
	return h.botReplies(parent)
}

// messageNow returns message ts of channel as it is now.
func (h *harness) messageNow(channel, ts string) fakeslack.Message {
	for _, m := range h.fs.Messages(channel) {
		if m.TS == ts {
			return m
		}
	}
	h.t.Fatalf("no message %s in %s", ts, channel)
	return fakeslack.Message{}
}

// waitMessageText waits until message ts of channel reads want.
func (h *harness) waitMessageText(channel, ts, want string) fakeslack.Message {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("message %s to read %q", ts, want), func() bool {
		return strings.Contains(messageText(h.messageNow(channel, ts)), want)
	})
	return h.messageNow(channel, ts)
}

// press presses a button on a message as user; blockID, when set, picks
// the row it is on.
func (h *harness) press(user string, m fakeslack.Message, actionID, blockID string) {
	h.t.Helper()
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, Channel: m.Channel,
		MessageTS: m.TS, ActionID: actionID, BlockID: blockID}); err != nil {
		h.t.Fatal(err)
	}
}

// pressForEphemeral presses a button and returns the private reply it
// brings.
func (h *harness) pressForEphemeral(user string, m fakeslack.Message, actionID, blockID string) string {
	h.t.Helper()
	h.settle()
	next := len(h.fs.Ephemerals(user)) + 1
	h.press(user, m, actionID, blockID)
	return h.waitEphemeral(user, next)
}

// pressAndSubmit presses a button that opens a form, submits values in it and
// returns the ack's payload (nil: the form closed).
func (h *harness) pressAndSubmit(user string, m fakeslack.Message, actionID, blockID string, values map[string]map[string]any) map[string]any {
	h.t.Helper()
	var before string
	if v, ok := h.fs.TopView(user); ok && v.Open {
		before = v.ID
	}
	h.press(user, m, actionID, blockID)
	h.waitFor("the form", func() bool { v, ok := h.fs.TopView(user); return ok && v.Open && v.ID != before })
	v, _ := h.fs.TopView(user)
	return h.submitView(user, v.ID, values)
}

// riskForm is the form's values for a pre-mortem risk.
func riskForm(text, likelihood, impact, tag string, anonymous bool) map[string]map[string]any {
	v := map[string]map[string]any{
		"item_text":   {"value": fakeslack.TextValue(text)},
		"likelihood":  {"value": fakeslack.StaticValue(likelihood)},
		"risk_impact": {"value": fakeslack.StaticValue(impact)},
		"tag":         {"value": fakeslack.StaticValue(tag)},
	}
	if anonymous {
		v["anonymous_item"] = map[string]any{"value": fakeslack.CheckboxesValue("anonymous")}
	}
	return v
}

// replyInThread types text in parent's thread as user, as Slack delivers it.
func (h *harness) replyInThread(user string, parent fakeslack.Message, text string) {
	h.t.Helper()
	if _, err := h.fs.PostUserMessage(context.Background(), user, parent.Channel, text, parent.TS); err != nil {
		h.t.Fatal(err)
	}
}

// exportRituals returns `alignbot export rituals --format json`.
func (h *harness) exportRituals() []map[string]any {
	h.t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(h.export("rituals", "--format", "json")), &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// exportedItems returns an exported session's items by number.
func exportedItems(session map[string]any) map[int]map[string]any {
	out := map[int]map[string]any{}
	list, _ := session["items"].([]any)
	for _, x := range list {
		it := x.(map[string]any)
		out[int(it["number"].(float64))] = it
	}
	return out
}

// inOrder reports whether the texts appear in s in the order given.
func inOrder(s string, texts ...string) bool {
	last := -1
	for _, t := range texts {
		i := strings.Index(s, t)
		if i <= last {
			return false
		}
		last = i
	}
	return true
}
