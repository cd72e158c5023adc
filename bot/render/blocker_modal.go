package render

import (
	"fmt"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// BlockerForm is what the blocker form starts with.
type BlockerForm struct {
	Text    string
	Parties []rituals.Party
	// Cut is the length, in characters, of a message longer than the form
	// holds, whose start Text is; 0 when nothing was cut.
	Cut int
}

// BlockerModal renders the form that reports a blocker, filled with f:
// what is blocked, who must act (people, a user group, channels), impact
// and a needed-by date.
func BlockerModal(meta ModalMeta, f BlockerForm) slack.ModalViewRequest {
	var users, channels []string
	var groups []rituals.Party
	for _, p := range f.Parties {
		switch p.Kind {
		case rituals.PartyUser:
			users = append(users, p.ID)
		case rituals.PartyChannel:
			channels = append(channels, p.ID)
		case rituals.PartyGroup:
			groups = append(groups, p)
		}
	}
	people := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain("Choose people"), ValueAction)
	people.InitialUsers = users
	peopleBlock := slack.NewInputBlock(rituals.FieldParties, plain("People who must act"), nil, people)
	peopleBlock.Optional = true

	group := groupPicker(groups)

	convs := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeConversations, plain("Choose channels"), ValueAction)
	convs.InitialConversations = channels
	convs.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	convsBlock := slack.NewInputBlock(FieldBlockerChannels, plain("Channels who must act"), nil, convs)
	convsBlock.Optional = true

	date := slack.NewDatePickerBlockElement(ValueAction)
	neededBy := slack.NewInputBlock(rituals.FieldNeededBy, plain("Needed by"), plain("When it must be unblocked; after that day it is marked overdue."), date)
	neededBy.Optional = true

	blocks := append(channelPicker(meta),
		textInput(rituals.FieldBlockerText, "What is blocked", "What you cannot do, and what you are waiting for.", f.Text, true, false, rituals.MaxBlockerText))
	if f.Cut > 0 {
		blocks = append(blocks, ContextLine(fmt.Sprintf(":scissors: The message is %d characters long; the form holds %d, so it starts with the first %d. Mentions in the rest are not named.",
			f.Cut, rituals.MaxBlockerText, utf8.RuneCountInString(f.Text))))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackBlockerNew,
		Title:           plain("Report a blocker"),
		Submit:          plain("Report"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: append(blocks,
			peopleBlock, group, convsBlock,
			textInput(rituals.FieldImpact, "Impact", "What slips, and for whom, while it stays blocked.", "", true, true, rituals.MaxImpact),
			neededBy,
			ContextLine("Everyone named is told once, by DM (a channel, by a post), with a link to the card. Mentions in the text count too."),
		)},
	}
}

// ResolveModal renders the form behind Resolve: an optional note.
func ResolveModal(meta ModalMeta, b *rituals.Blocker) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackBlockerResolve,
		Title:           plain(Clip("Resolve "+b.ID(), 24)),
		Submit:          plain("Resolve"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			Section(mrkdwnClip(oneLine(b.Text), 500)),
			textInput(rituals.FieldNote, "Note", "How it was unblocked, for the record (optional).", "", true, true, rituals.MaxBlockerNote),
		}},
	}
}
