package bot

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Callback IDs of the blocker modals.
const (
	callbackBlockerNew     = "blocker.new"
	callbackBlockerResolve = "blocker.resolve"
)

// Block IDs of the blocker form's inputs that are not domain fields: the
// people picker is rituals.FieldParties, so "name who must act" shows
// there.
const (
	fieldBlockerGroup    = "group"
	fieldBlockerChannels = "channels"
)

// blockerForm is what the blocker form starts with.
type blockerForm struct {
	Text    string
	Parties []rituals.Party
	// Cut is the length, in characters, of a message longer than the form
	// holds, whose start Text is; 0 when nothing was cut.
	Cut int
}

// blockerFormFrom fills the blocker form from a message's text, as
// "Report as blocker" does: the text, cut to what the form holds
// (MaxBlockerText characters, at a space or line break in its second
// half where there is one, and never inside a <…> mention), and the
// parties mentioned in what is kept.
func blockerFormFrom(text string) blockerForm {
	f := blockerForm{Text: text}
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

// blockerModal renders the form that reports a blocker, filled with f:
// what is blocked, who must act (people, a user group, channels), impact
// and a needed-by date.
func blockerModal(meta modalMeta, f blockerForm) slack.ModalViewRequest {
	var users, channels, groups []string
	for _, p := range f.Parties {
		switch p.Kind {
		case rituals.PartyUser:
			users = append(users, p.ID)
		case rituals.PartyChannel:
			channels = append(channels, p.ID)
		case rituals.PartyGroup:
			groups = append(groups, partyMention(p))
		}
	}
	people := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain("Choose people"), valueAction)
	people.InitialUsers = users
	peopleBlock := slack.NewInputBlock(rituals.FieldParties, plain("People who must act"), nil, people)
	peopleBlock.Optional = true

	group := textInput(fieldBlockerGroup, "User group who must act",
		"The group's ID, which starts with S (e.g. S0123ABCD), or its mention.", strings.Join(groups, " "), false, true, 500)

	convs := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeConversations, plain("Choose channels"), valueAction)
	convs.InitialConversations = channels
	convs.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	convsBlock := slack.NewInputBlock(fieldBlockerChannels, plain("Channels who must act"), nil, convs)
	convsBlock.Optional = true

	date := slack.NewDatePickerBlockElement(valueAction)
	neededBy := slack.NewInputBlock(rituals.FieldNeededBy, plain("Needed by"), plain("When it must be unblocked; after that day it is marked overdue."), date)
	neededBy.Optional = true

	blocks := append(channelPicker(meta),
		textInput(rituals.FieldBlockerText, "What is blocked", "What you cannot do, and what you are waiting for.", f.Text, true, false, rituals.MaxBlockerText))
	if f.Cut > 0 {
		blocks = append(blocks, contextLine(fmt.Sprintf(":scissors: The message is %d characters long; the form holds %d, so it starts with the first %d. Mentions in the rest are not named.",
			f.Cut, rituals.MaxBlockerText, utf8.RuneCountInString(f.Text))))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackBlockerNew,
		Title:           plain("Report a blocker"),
		Submit:          plain("Report"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: append(blocks,
			peopleBlock, group, convsBlock,
			textInput(rituals.FieldImpact, "Impact", "What slips, and for whom, while it stays blocked.", "", true, true, rituals.MaxImpact),
			neededBy,
			contextLine("Everyone named is told once, by DM (a channel, by a post), with a link to the card. Mentions in the text count too."),
		)},
	}
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
		return state.Values[field][valueAction]
	}
	in := rituals.BlockerInput{
		Text:     v(rituals.FieldBlockerText).Value,
		Impact:   v(rituals.FieldImpact).Value,
		NeededBy: rituals.Date(v(rituals.FieldNeededBy).SelectedDate),
	}
	for _, u := range v(rituals.FieldParties).SelectedUsers {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyUser, ID: u})
	}
	for _, word := range strings.FieldsFunc(v(fieldBlockerGroup).Value, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' }) {
		m := groupRef.FindStringSubmatch(word)
		if m == nil {
			msg := "“" + clip(word, 40) + "” is not a user group ID; give the ID, which starts with S (e.g. S0123ABCD)."
			return in, &rituals.Error{Code: rituals.EINVALID, Message: msg, Fields: map[string]string{fieldBlockerGroup: msg}}
		}
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyGroup, ID: m[1], Name: m[2]})
	}
	for _, c := range v(fieldBlockerChannels).SelectedConversations {
		in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: c})
	}
	in.Parties = append(in.Parties, parseMentions(in.Text)...)
	return in, nil
}

// resolveModal renders the form behind Resolve: an optional note.
func resolveModal(meta modalMeta, b *rituals.Blocker) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackBlockerResolve,
		Title:           plain(clip("Resolve "+b.ID(), 24)),
		Submit:          plain("Resolve"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			section(mrkdwnClip(oneLine(b.Text), 500)),
			textInput(rituals.FieldNote, "Note", "How it was unblocked, for the record (optional).", "", true, true, rituals.MaxBlockerNote),
		}},
	}
}
