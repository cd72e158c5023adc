package bot

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// blockerFormFrom fills the blocker form from a message's text, as
// "Report as blocker" does: the text, cut to what the form holds
// (MaxBlockerText characters, at a space or line break in its second
// half where there is one, and never inside a <…> mention), and the
// parties mentioned in what is kept.
func blockerFormFrom(text string) render.BlockerForm {
	f := render.BlockerForm{Text: text}
	if n := utf8.RuneCountInString(text); n > rituals.MaxBlockerText {
		f.Text, f.Cut = cutTyped(text, rituals.MaxBlockerText), n
	}
	f.Parties = parseMentions(f.Text)
	return f
}

// cutTyped returns the start of text, at most max characters, that ends
// outside a <…> token, at a line break or space if one falls in the
// second half.
func cutTyped(text string, max int) string {
	end, n := len(text), 0
	for i := range text {
		if n == max {
			end = i
			break
		}
		n++
	}
	head := text[:end]
	if open := strings.LastIndexByte(head, '<'); open > strings.LastIndexByte(head, '>') {
		head = head[:open]
	}
	if space := strings.LastIndexAny(head, " \n"); space > len(head)/2 {
		head = head[:space]
	}
	return head
}

// groupRef matches one user group in the form's group field: an ID, or a
// mention as Slack writes it.
var groupRef = regexp.MustCompile(`^(?:<!subteam\^)?(S[A-Z0-9]{2,})(?:\|([^<>]*))?>?$`)

// readBlockerModal reads a submitted blocker form: the parties are the
// people and channels chosen, the groups given and the mentions in the
// text. Returns EINVALID on the group field when it holds no group ID.
func readBlockerModal(state *slack.ViewState) (rituals.BlockerInput, error) {
	v := func(field string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[field][render.ValueAction]
	}
	in := rituals.BlockerInput{
		Text:     v(rituals.FieldBlockerText).Value,
		Impact:   v(rituals.FieldImpact).Value,
		NeededBy: rituals.Date(v(rituals.FieldNeededBy).SelectedDate),
	}
	for _, u := range v(rituals.FieldParties).SelectedUsers {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyUser, ID: u})
	}
	for _, word := range strings.FieldsFunc(v(render.FieldBlockerGroup).Value, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' }) {
		m := groupRef.FindStringSubmatch(word)
		if m == nil {
			msg := "“" + render.Clip(word, 40) + "” is not a user group ID; give the ID, which starts with S (e.g. S0123ABCD)."
			return in, &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{render.FieldBlockerGroup: msg}}
		}
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyGroup, ID: m[1], Name: m[2]})
	}
	for _, c := range v(render.FieldBlockerChannels).SelectedConversations {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: c})
	}
	in.Parties = append(in.Parties, parseMentions(in.Text)...)
	return in, nil
}
