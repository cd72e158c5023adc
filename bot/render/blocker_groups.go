package render

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// GroupChoice is a user group the blocker form's picker offers.
type GroupChoice struct {
	ID     string // S…
	Handle string // without the @
	Name   string
}

// maxOptions is how many options Slack shows in a select;
// maxOptionsBytes keeps an answer of options under Socket Mode's 20 KB
// for a response, with room for the envelope.
const (
	maxOptions      = 100
	maxOptionsBytes = 18000
)

// GroupOptions renders the picker's options for gs, in order: "@handle ·
// Name", its value the group's ID and handle (see GroupValue). It stops
// at what Slack shows (100 options, under 20 KB in all).
func GroupOptions(gs []GroupChoice) []*slack.OptionBlockObject {
	out := []*slack.OptionBlockObject{}
	size := 0
	for _, g := range gs {
		if len(out) == maxOptions {
			break
		}
		label := "@" + g.Handle
		if g.Name != "" && !strings.EqualFold(g.Name, g.Handle) {
			label += " · " + g.Name
		}
		o := groupOption(rituals.Party{Kind: rituals.PartyGroup, ID: g.ID, Name: "@" + g.Handle}, label)
		b, _ := json.Marshal(o)
		if size += len(b) + 1; size > maxOptionsBytes {
			break
		}
		out = append(out, o)
	}
	return out
}

// groupOption is the option of group p: its value "S…|@handle" (the ID
// alone when the handle is unknown or too long for a value), as the
// group field of the form reads it back.
func groupOption(p rituals.Party, label string) *slack.OptionBlockObject {
	value := p.ID
	handle := "@" + strings.TrimPrefix(p.Name, "@")
	if p.Name != "" && len(value)+1+len(handle) <= 150 {
		value += "|" + handle
	}
	if label == "" {
		label = p.ID
		if p.Name != "" {
			label = p.Name
		}
	}
	return slack.NewOptionBlockObject(value, plain(Clip(label, 75)), nil)
}

// groupPicker is the blocker form's user-group input: a select whose
// options the bot gives as the person types a group's name, starting with
// groups (the text's mentions, or the blocker's groups when it is edited).
func groupPicker(groups []rituals.Party) *slack.InputBlock {
	sel := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeExternal, plain("Type a group's name"), ValueAction)
	sel.WithMinQueryLength(0)
	for _, g := range groups {
		sel.InitialOptions = append(sel.InitialOptions, groupOption(g, ""))
	}
	b := slack.NewInputBlock(FieldBlockerGroup, plain("User groups who must act"),
		plain("Pick groups by name. Workspaces on Slack's free plan have none: name people or channels instead."), sel)
	b.Optional = true
	return b
}
