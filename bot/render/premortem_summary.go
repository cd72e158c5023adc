package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// maxTrackedRows is how many items a summary shows with their own buttons;
// two blocks each keep a summary within Slack's 50. The rest are listed.
const maxTrackedRows = 20

// SessionSummary renders what a session leaves behind at close, posted in
// its thread and the channel: a pre-mortem's risks ranked, each with Make
// blocker and Assign owner; a retro's items by prompt, its changes as
// action items with Assign owner and Done.
func SessionSummary(s *rituals.Session) []slack.Block {
	if s.Kind == rituals.SessionRetro {
		return retroSummary(s)
	}
	ranked := s.Ranked()
	blocks := []slack.Block{header(fmt.Sprintf("Pre-mortem %s: ranked risks", s.ID()))}
	if len(ranked) == 0 {
		return append(blocks, Section(fmt.Sprintf("*%s* closed with no risks named.", Mrkdwn(s.Name))))
	}
	blocks = append(blocks, Section(fmt.Sprintf("*%s*: %s, ranked by votes, then likelihood × impact.",
		Mrkdwn(s.Name), CountNoun(len(ranked), "risk"))))
	for i, it := range ranked {
		if i == maxTrackedRows {
			blocks = append(blocks, restLine(ranked[i:]))
			break
		}
		blocks = append(blocks, Section(fmt.Sprintf("*%d.* %s\n%s", i+1, mrkdwnClip(it.Text, 1500), itemFacts(it, true))))
		if row := riskActions(it); row != nil {
			blocks = append(blocks, row)
		}
	}
	return append(blocks, ContextLine("*Make blocker* reports a risk as a blocker here (its owner, or this channel, must act). "+
		"*Assign owner* names who mitigates it and by when; they get a reminder that day."))
}

// riskActions are a ranked risk's buttons, or nil when none applies.
func riskActions(it *rituals.Item) slack.Block {
	var buttons []slack.BlockElement
	if it.Blocker == 0 {
		buttons = append(buttons, button(ActionSessionBlocker, itemRef(it), "Make blocker"))
	}
	if !it.Done() {
		buttons = append(buttons, button(ActionSessionOwner, itemRef(it), ownerLabel(it)))
		if it.Owner != "" {
			buttons = append(buttons, button(ActionSessionDone, itemRef(it), "Done"))
		}
	}
	if len(buttons) == 0 {
		return nil
	}
	return slack.NewActionBlock(fmt.Sprintf("item.%d", it.Number), buttons...)
}

// restLine lists the items past maxTrackedRows by number.
func restLine(items []*rituals.Item) slack.Block {
	refs := make([]string, len(items))
	for i, it := range items {
		refs[i] = fmt.Sprintf("#%d", it.Number)
	}
	return ContextLine(Clip(fmt.Sprintf("And %d more: %s. Their buttons are on their replies above.",
		len(items), strings.Join(refs, ", ")), maxContextText))
}

// retroSummary renders a closed retro: what went well and what didn't,
// most votes first, and what we will change as action items.
func retroSummary(s *rituals.Session) []slack.Block {
	blocks := []slack.Block{header(fmt.Sprintf("Retro %s: summary", s.ID()))}
	byKind := map[rituals.ItemKind][]*rituals.Item{}
	for _, it := range s.Ranked() {
		byKind[it.Kind] = append(byKind[it.Kind], it)
	}
	blocks = append(blocks, Section(fmt.Sprintf("*%s*: %d went well, %d didn't, %s. Blameless: about how we work, not who.",
		Mrkdwn(s.Name), len(byKind[rituals.ItemWell]), len(byKind[rituals.ItemDidnt]), CountNoun(len(byKind[rituals.ItemChange]), "change"))))
	for _, k := range []rituals.ItemKind{rituals.ItemWell, rituals.ItemDidnt} {
		lines := []string{"*" + k.Label() + "*"}
		for _, it := range byKind[k] {
			lines = append(lines, fmt.Sprintf("• %s · %s", Mrkdwn(Clip(oneLine(it.Text), 300)), CountNoun(it.Votes, "vote")))
		}
		if len(byKind[k]) == 0 {
			lines = append(lines, "_Nothing added._")
		}
		blocks = append(blocks, linesSections(lines)...)
	}
	changes := byKind[rituals.ItemChange]
	blocks = append(blocks, Section("*What we will change: action items*"))
	if len(changes) == 0 {
		return append(blocks, Section("_No changes were added._"))
	}
	for i, it := range changes {
		if i == maxTrackedRows || len(blocks) > maxBlocks-4 {
			blocks = append(blocks, restLine(changes[i:]))
			break
		}
		blocks = append(blocks, Section(fmt.Sprintf("*#%d* %s\n%s", it.Number, mrkdwnClip(it.Text, 1500), itemFacts(it, true))))
		if !it.Done() {
			blocks = append(blocks, slack.NewActionBlock(fmt.Sprintf("item.%d", it.Number),
				button(ActionSessionOwner, itemRef(it), ownerLabel(it)), button(ActionSessionDone, itemRef(it), "Done")))
		}
	}
	return append(blocks, ContextLine("Each owner gets a reminder on the due day; open action items show in `/retro list` until they are done."))
}

// SessionFollowUpFallback is the follow-up's plain text.
func SessionFollowUpFallback(s *rituals.Session) string {
	return Clip("Pre-mortem vs reality: "+Mrkdwn(oneLine(s.Name))+". Which of its top risks happened?", MaxMessageText)
}

// SessionFollowUp renders a pre-mortem's follow-up, two weeks after its
// launch: its top risks, each with It happened, and the question.
func SessionFollowUp(s *rituals.Session) []slack.Block {
	top := s.Ranked()
	top = top[:min(rituals.TopRisks, len(top))]
	blocks := []slack.Block{
		header("Pre-mortem vs reality: " + s.Name),
		Section(fmt.Sprintf("*%s* launched on %s, two weeks ago. Pre-mortem %s named these top risks. "+
			"*Which of them happened?* Mark them, and reply in this thread with what you saw, so the next pre-mortem learns from this one.",
			Mrkdwn(s.Name), s.LaunchOn, s.ID())),
	}
	if len(top) == 0 {
		return append(blocks, Section("_The pre-mortem named no risks._ What happened that nobody saw coming?"))
	}
	for i, it := range top {
		text := fmt.Sprintf("*%d.* %s\n%s", i+1, mrkdwnClip(it.Text, 1500), itemFacts(it, true))
		label := "It happened"
		if !it.HappenedAt.IsZero() {
			text += fmt.Sprintf("\n:boom: *It happened*, says %s.", Person(it.HappenedBy, ""))
			label = "It didn't happen"
		}
		blocks = append(blocks, slack.NewSectionBlock(MD(Clip(text, maxSectionText)), nil,
			slack.NewAccessory(button(ActionSessionHappened, itemRef(it), label))))
	}
	return blocks
}
