package render

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// A bare command never dead-ends: with no text it opens its form, or
// shows its status with buttons for the next useful steps. This file
// renders those statuses' buttons.

// Block IDs of the buttons under a bare command's status.
const (
	blockCheckinNext = "checkin.next"
	blockDigestNext  = "digest.next"
	blockSessionNext = "session.next"
)

// CheckinNext renders the buttons under `/checkin`'s status: Answer the
// open check-in, or answer the next one ahead; and schedule check-ins
// here, or change their schedule.
func CheckinNext(st *rituals.CheckinStatus) slack.Block {
	var answer *slack.ButtonBlockElement
	if st.Open != nil {
		answer = button(ActionCheckinAnswer, checkinRefValue(st.Open.Channel, st.Open.ScheduledFor), "Answer")
	} else {
		answer = button(ActionCheckinAhead, "ahead", "Answer ahead")
	}
	answer.Style = slack.StylePrimary
	schedule := "Schedule check-in"
	if st.Schedule != nil {
		schedule = "Change schedule"
	}
	return slack.NewActionBlock(blockCheckinNext, answer, button(ActionSetup, SetupCheckin, schedule))
}

// DigestStatus renders `/digest`: status, the schedule and hooks in
// words, with buttons to schedule it (or change its schedule), post this
// week's now, and preview it.
func DigestStatus(status string, scheduled bool) []slack.Block {
	schedule := "Schedule digest"
	if scheduled {
		schedule = "Change schedule"
	}
	blocks := linesSections(strings.Split(status, "\n"))
	return append(blocks, slack.NewActionBlock(blockDigestNext,
		button(ActionSetup, SetupDigest, schedule),
		button(ActionDigestNow, "now", "Post now"),
		button(ActionDigestPreview, "preview", "Preview")))
}

// SessionStatus renders a bare `/premortem` or `/retro`: the channel's
// open ones and action items not done (SessionList), with a button that
// opens the form starting one (SessionStartModal).
func SessionStatus(kind rituals.SessionKind, open []*rituals.Session, actions []*rituals.Item, now time.Time) []slack.Block {
	blocks := SessionList(kind, open, actions, now)
	if len(blocks) >= maxBlocks {
		blocks = append(blocks[:maxBlocks-2], blocks[len(blocks)-1])
	}
	label := "Start a pre-mortem"
	if kind == rituals.SessionRetro {
		label = "Start a retro"
	}
	start := button(ActionSessionStart, string(kind), label)
	if len(open) == 0 {
		start.Style = slack.StylePrimary
	}
	return append(blocks, slack.NewActionBlock(blockSessionNext, start))
}

// Example is one example a command's help takes from the channel's own
// data (see WithExamples).
type Example struct {
	// ID is one of the channel's IDs, e.g. "D-3": it takes the place of
	// the help's generic IDs with its prefix ("D-12").
	ID string
	// Command is an example command with the channel's data, shown under
	// the help unless ID already took the place of one in its text.
	Command string
}

// exampleID matches an ID in a help's text: the prefix, a dash, digits.
var exampleID = regexp.MustCompile(`\b([A-Z]{1,2})-\d+\b`)

// WithExamples puts the channel's own data in a command's help: each
// generic ID in its sections becomes the channel's ID of that prefix,
// and the commands of examples whose ID found no place are listed under
// it. With no examples, help is returned as it is.
func WithExamples(help []slack.Block, examples ...Example) []slack.Block {
	byPrefix := map[string]string{}
	for _, ex := range examples {
		if prefix, _, ok := strings.Cut(ex.ID, "-"); ok && ex.ID != "" {
			byPrefix[prefix] = ex.ID
		}
	}
	placed := map[string]bool{}
	out := make([]slack.Block, 0, len(help)+1)
	for _, b := range help {
		s, ok := b.(*slack.SectionBlock)
		if !ok || s.Text == nil || s.Text.Type != slack.MarkdownType || len(byPrefix) == 0 {
			out = append(out, b)
			continue
		}
		text := exampleID.ReplaceAllStringFunc(s.Text.Text, func(id string) string {
			prefix, _, _ := strings.Cut(id, "-")
			if real, ok := byPrefix[prefix]; ok {
				placed[real] = true
				return real
			}
			return id
		})
		out = append(out, Section(Clip(text, maxSectionText)))
	}
	var more []string
	for _, ex := range examples {
		if ex.Command != "" && (ex.ID == "" || !placed[ex.ID]) {
			more = append(more, "`"+Mrkdwn(Clip(ex.Command, 200))+"`")
		}
	}
	if len(more) > 0 && len(out) < maxBlocks {
		out = append(out, ContextLine("In this channel, e.g. "+strings.Join(more, " · ")))
	}
	return out
}

// SessionStartModal renders the form that starts a pre-mortem or a retro
// in meta.Channel: its name, how long it stays open, and a pre-mortem's
// launch day. meta.Extra carries the kind.
func SessionStartModal(meta ModalMeta, kind rituals.SessionKind) slack.ModalViewRequest {
	meta.Extra, _ = json.Marshal(kind)
	title, name, nameHint := "Start a pre-mortem", "The launch", "What launches, e.g. Billing v2. Everyone imagines it failed, and says why."
	if kind == rituals.SessionRetro {
		title, name, nameHint = "Start a retro", "What it looks back on", "e.g. Sprint 42, or the checkout incident."
	}
	blocks := []slack.Block{
		textInput(rituals.FieldSessionName, name, nameHint, "", false, false, rituals.MaxSessionName),
		textInput(rituals.FieldSessionCloseIn, "Stays open for", "How long it takes items and votes, e.g. 48h or 3d: from 1h to 30d (default 2d).", "", false, true, 20),
	}
	if kind == rituals.SessionPremortem {
		launch := slack.NewDatePickerBlockElement(ValueAction)
		blocks = append(blocks, inputBlock(rituals.FieldSessionLaunch, "Launch day", "Two weeks after it, I ask which risks happened.", launch, true))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackSessionStart,
		Title:           plain(title),
		Submit:          plain("Start"),
		Close:           plain("Cancel"),
		PrivateMetadata: meta.encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}
