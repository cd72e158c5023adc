package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// CardLinks are the decisions a card links to, as the viewer's channel
// may see them.
type CardLinks struct {
	Supersedes, SupersededBy *LinkedDecision
	// Log is the decision's page on the decision log's site, when the
	// site is on and the decision is on it (public channels only).
	Log string
}

// LinkedDecision is another decision shown on a card: its title only when
// the card's channel may see it, its card's permalink when known.
type LinkedDecision struct {
	ID, Title, URL string
}

func (l *LinkedDecision) mrkdwn() string {
	out := "*" + l.ID + "*"
	switch {
	case l.Title != "" && l.URL != "":
		out += " <" + l.URL + "|" + Mrkdwn(Clip(l.Title, 100)) + ">"
	case l.Title != "":
		out += " " + Mrkdwn(Clip(l.Title, 100))
	}
	return out
}

var statusLabel = map[rituals.DecisionStatus]string{
	rituals.StatusProposed:   "Proposed",
	rituals.StatusDecided:    "Decided",
	rituals.StatusSuperseded: "Superseded",
	rituals.StatusDeprecated: "Deprecated",
	rituals.StatusDropped:    "Dropped",
}

// Person renders an owner for mrkdwn: a mention of the person or the
// channel when the ID is known, else the name kept. A user group is shown
// by its handle, never as a live mention, which would notify every member
// wherever a card or list shows it: the messages meant to reach a group
// mention it themselves.
func Person(id, name string) string {
	switch {
	case rituals.IsGroupID(id) && name != "":
		return Mrkdwn("@" + strings.TrimPrefix(name, "@"))
	case rituals.IsGroupID(id):
		return "the user group " + id
	case id != "":
		return rituals.Mention(id)
	case name != "":
		return Mrkdwn(name)
	default:
		return "_nobody_"
	}
}

// DecisionCard renders a decision as the card posted in its channel: the
// fields of the seed's template, and Edit / Add rationale buttons.
func DecisionCard(d *rituals.Decision, links CardLinks) []slack.Block {
	meta := fmt.Sprintf("*%s* · %s · %s · Owner %s", d.ID(), d.Date, statusLabel[d.Status], Person(d.Owner, d.OwnerName))
	if d.Status == rituals.StatusProposed && !d.DecideBy.IsZero() {
		meta += " · Decide by " + string(d.DecideBy)
	}
	if !d.RevisitBy.IsZero() && d.Status == rituals.StatusDecided {
		meta += " · Revisit by " + string(d.RevisitBy)
	}
	if d.Area != "" {
		meta += " · Area `" + Mrkdwn(d.Area) + "`"
	}
	blocks := []slack.Block{header(d.Title), ContextLine(meta)}
	switch {
	case d.AwaitsOwner():
		blocks = append(blocks, ContextLine(fmt.Sprintf(":inbox_tray: Proposed by %s; waiting for %s, accountable for the `%s` area, to accept it or send it back.",
			Person(d.ProposedBy, ""), Person(d.Owner, d.OwnerName), Mrkdwn(d.Area))))
	case d.SentBack != "":
		blocks = append(blocks, ContextLine(fmt.Sprintf(":leftwards_arrow_with_hook: Proposed by %s and sent back: %s", Person(d.ProposedBy, ""), Mrkdwn(Clip(d.SentBack, 2500)))))
	}
	if links.SupersededBy != nil {
		blocks = append(blocks, ContextLine(":arrow_right: Superseded by "+links.SupersededBy.mrkdwn()))
	}
	if links.Supersedes != nil {
		blocks = append(blocks, ContextLine("Supersedes "+links.Supersedes.mrkdwn()))
	}
	blocks = append(blocks, sections("Decision", Mrkdwn(d.Text))...)
	blocks = append(blocks, sections("Rationale", orNotYet(d.Rationale))...)
	blocks = append(blocks, sections("Impact", orNotYet(d.Impact))...)
	if len(d.Links) > 0 {
		lines := make([]string, len(d.Links))
		for i, l := range d.Links {
			lines[i] = "• " + Mrkdwn(l)
		}
		blocks = append(blocks, sections("Links", strings.Join(lines, "\n"))...)
	}
	if d.Source != "" {
		blocks = append(blocks, ContextLine("Recorded from "+sourceLink(d.Source)))
	}
	if links.Log != "" {
		blocks = append(blocks, ContextLine("<"+links.Log+"|Open in the log>"))
	}
	return append(blocks, decisionActions(d))
}

// decisionActions are the card's buttons, by status: a proposal can be
// marked decided or dropped, a decision deprecated; every card can be
// edited and shows its history.
func decisionActions(d *rituals.Decision) slack.Block {
	n := strconv.FormatInt(d.Number, 10)
	var els []slack.BlockElement
	more := []*slack.OptionBlockObject{slack.NewOptionBlockObject("history:"+n, plain("History"), nil)}
	switch d.Status {
	case rituals.StatusProposed:
		if d.AwaitsOwner() {
			els = append(els, answerButtons(d)...)
			break
		}
		decide := button(ActionDecisionDecide, n, "Mark decided")
		decide.Style = slack.StylePrimary
		els = append(els, decide)
		more = append(more, slack.NewOptionBlockObject("drop:"+n, plain("Drop this proposal"), nil))
	case rituals.StatusDecided:
		more = append(more, slack.NewOptionBlockObject("deprecate:"+n, plain("Deprecate"), nil))
	}
	els = append(els,
		button(ActionDecisionEdit, n, "Edit"),
		button(ActionDecisionRationale, n, "Add rationale"),
	)
	if len(more) == 1 {
		els = append(els, button(ActionDecisionHistory, n, "History"))
	} else {
		els = append(els, slack.NewOverflowBlockElement(ActionDecisionMore, more...))
	}
	return slack.NewActionBlock("decision.actions", els...)
}

// answerButtons are Accept and Send back, for a proposal waiting for its
// area's Accountable owner.
func answerButtons(d *rituals.Decision) []slack.BlockElement {
	n := strconv.FormatInt(d.Number, 10)
	accept := button(ActionDecisionAccept, n, "Accept")
	accept.Style = slack.StylePrimary
	return []slack.BlockElement{accept, button(ActionDecisionSendBack, n, "Send back")}
}

// answerActions are answerButtons alone, where the card's other buttons
// would not work: outside a private channel.
func answerActions(d *rituals.Decision) slack.Block {
	return slack.NewActionBlock("decision.answer", answerButtons(d)...)
}

// DecisionFallback is the card's plain text, for notifications and
// clients that cannot show blocks.
func DecisionFallback(d *rituals.Decision) string {
	return Clip(fmt.Sprintf("%s · %s: %s", d.ID(), statusLabel[d.Status], Mrkdwn(d.Title)), MaxMessageText)
}

func orNotYet(s string) string {
	if s == "" {
		return "_Not recorded yet._"
	}
	return Mrkdwn(s)
}

// decisionLine is one decision in a list.
func decisionLine(d *rituals.Decision, withChannel bool) string {
	line := fmt.Sprintf("*%s* · %s · %s · %s", d.ID(), d.Date, Mrkdwn(Clip(d.Title, 120)), Person(d.Owner, d.OwnerName))
	if d.Status != rituals.StatusDecided {
		line += " · _" + strings.ToLower(statusLabel[d.Status]) + "_"
	}
	if withChannel && d.Channel != "" {
		line += " · <#" + d.Channel + ">"
	}
	return line
}

// DecisionList renders a list of decisions under a heading, or empty when
// there are none.
func DecisionList(heading, empty string, ds []*rituals.Decision, withChannel bool) []slack.Block {
	if len(ds) == 0 {
		return []slack.Block{Section(empty)}
	}
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = decisionLine(d, withChannel)
	}
	blocks := []slack.Block{Section(heading)}
	blocks = append(blocks, linesSections(lines)...)
	blocks = append(blocks, ContextLine("See one in full with `/decide show D-12`."))
	return blocks
}

// DecisionSearch renders the decisions that match query.
func DecisionSearch(query string, ds []*rituals.Decision) []slack.Block {
	q := Mrkdwn(Clip(query, 80))
	return DecisionList(
		fmt.Sprintf("*%s matching “%s”*", CountNoun(len(ds), "decision"), q),
		fmt.Sprintf("No decision matches “%s” in this channel or the public ones.", q),
		ds, true)
}

// SimilarDecisions asks whether d, just recorded in channel, was decided
// before, listing the earlier decisions whose titles resemble it.
func SimilarDecisions(d *rituals.Decision, similar []*rituals.Decision, channel string) []slack.Block {
	lines := []string{fmt.Sprintf("*Did we already decide this?* %s looks like:", d.ID())}
	for _, o := range similar {
		lines = append(lines, "• "+decisionLine(o, o.Channel != channel))
	}
	lines = append(lines, fmt.Sprintf("If %s replaces one of them, `/decide supersede <ID> <text>` links the two.", d.ID()))
	return linesSections(lines)
}

const decideUsage = "*`/decide` — the team's decision log*\n" +
	"• `/decide <text>` records a decision you made, owned by you, and posts its card here.\n" +
	"• `/decide` opens a form: title, decision, rationale, impact, owner, status (decided or proposed, with a decide-by date) and links.\n" +
	"• `/decide list [N]` shows this channel's last N decisions (default 10, at most 100).\n" +
	"• `/decide search <words>` searches titles, decisions and rationales here and in public channels.\n" +
	"• `/decide show <ID>` shows one decision in full, e.g. `/decide show D-12`.\n" +
	"• `/decide rights` lists the decision rights; `/decide rights <area> accountable @owner [responsible @… ] [consulted @…] [informed #…]` publishes an area's (the owner may be a person, a user group or a channel), `/decide rights remove <area>` withdraws it.\n" +
	"• `/decide [area] <text>` tags a decision with an area. If you are not its accountable owner (nor in that team), it is proposed to them instead: they accept it or send it back with a reason, within a week unless you set a decide-by date in the form, and you are told which.\n" +
	"• While a decision is proposed, replies in its card's thread are its comments: `/decide show` lists them, and two days before its decide-by date the consulted who have not commented are reminded once.\n" +
	"• `/decide help` shows this.\n" +
	"A decision that starts with one of these words (help, list, search, show, supersede, rights) is recorded through the form."

// DecideHelp renders `/decide help`.
func DecideHelp() []slack.Block { return []slack.Block{Section(decideUsage)} }

// DecisionEscalation renders what tells to, an area's Accountable owner,
// that a proposal in the area is still undecided past its decide-by date.
func DecisionEscalation(d *rituals.Decision, to string) (string, []slack.Block) {
	what := fmt.Sprintf("*%s* “%s”", d.ID(), Mrkdwn(Clip(d.Title, 120)))
	if d.ChannelPrivate {
		what = fmt.Sprintf("*%s* (in <#%s>)", d.ID(), d.Channel)
	}
	who := "you, accountable"
	if rituals.IsTeamID(to) { // posted where the team reads: the one mention meant to reach it
		who = rituals.Mention(to) + ", accountable"
	}
	text := fmt.Sprintf(":rotating_light: Escalated to %s for the `%s` area: the proposed decision %s, owned by %s, was due on %s and is still undecided. Settle it on its card, or agree a new decide-by date with its owner.",
		who, Mrkdwn(d.Area), what, Person(d.Owner, d.OwnerName), d.DecideBy)
	blocks := []slack.Block{Section(text)}
	if !d.ChannelPrivate && d.Status == rituals.StatusProposed {
		blocks = append(blocks, decisionActions(d))
	}
	return Clip("Escalated: "+d.ID(), MaxMessageText), blocks
}

// DecisionClimb renders the second level of a proposal's escalation: to
// its channel's escalation target (to, a person or a channel), four days
// past its decide-by date and two after its area's owner was told.
func DecisionClimb(d *rituals.Decision, to string) (string, []slack.Block) {
	what := fmt.Sprintf("*%s* “%s”", d.ID(), Mrkdwn(Clip(d.Title, 120)))
	if d.ChannelPrivate {
		what = fmt.Sprintf("*%s* (in <#%s>)", d.ID(), d.Channel)
	}
	who := "you"
	if rituals.IsChannelID(to) { // posted in that channel: say whom it is for
		who = rituals.Mention(to)
	}
	told := "."
	if d.Area != "" {
		told = fmt.Sprintf("; the `%s` area's Accountable owner was told two days ago.", Mrkdwn(d.Area))
	}
	text := fmt.Sprintf(":rotating_light: Escalated to %s, <#%s>'s escalation target: the proposed decision %s, owned by %s, was due on %s and is still undecided%s Help settle it on its card, or agree a new decide-by date with its owner.",
		who, d.Channel, what, Person(d.Owner, d.OwnerName), d.DecideBy, told)
	blocks := []slack.Block{Section(text)}
	if !d.ChannelPrivate && d.Status == rituals.StatusProposed {
		blocks = append(blocks, decisionActions(d))
	}
	return Clip("Escalated: "+d.ID(), MaxMessageText), blocks
}

// accountableWho names who a message about d's area addresses: "you are"
// in a person's DM, the team's mention where a team is.
func accountableWho(d *rituals.Decision) string {
	if rituals.IsTeamID(d.Owner) { // posted where the team reads: the one mention meant to reach it
		return rituals.Mention(d.Owner) + " is"
	}
	return "you are"
}

// DecisionReminder renders the DM that reminds an owner of a decision:
// of a due proposal or a decision to revisit; or asks an area's
// Accountable owner to accept a proposal, or escalates one to them.
func DecisionReminder(d *rituals.Decision, kind rituals.ReminderKind, today rituals.Date) (string, []slack.Block) {
	what := fmt.Sprintf("*%s* “%s”", d.ID(), Mrkdwn(Clip(d.Title, 120)))
	if d.ChannelPrivate {
		what = fmt.Sprintf("*%s* (in <#%s>)", d.ID(), d.Channel)
	}
	var text string
	awaiting := d.AwaitsOwner() && (kind == rituals.ReminderDue || kind == rituals.ReminderAfter)
	switch {
	case kind == rituals.ReminderAccept:
		text = fmt.Sprintf(":inbox_tray: %s proposes %s in the `%s` area, which %s accountable for. Accept it, or send it back with a reason, by %s.",
			Person(d.ProposedBy, ""), what, Mrkdwn(d.Area), accountableWho(d), d.DecideBy)
	case awaiting:
		text = fmt.Sprintf(":alarm_clock: %s proposed %s in the `%s` area, which %s accountable for: it waits for an answer, due %s. Accept it, or send it back with a reason.",
			Person(d.ProposedBy, ""), what, Mrkdwn(d.Area), accountableWho(d), d.DecideBy)
	case kind == rituals.ReminderAfter:
		text = fmt.Sprintf(":hourglass: Your proposed decision %s was due %s and is still open. Mark it decided, or give it a new decide-by date with Edit.", what, dueOn(d.DecideBy, today))
	case kind == rituals.ReminderRevisit:
		text = fmt.Sprintf(":calendar: Time to revisit %s (revisit by %s). Keep it, supersede it with `/decide supersede %s <text>`, or deprecate it from its card.", what, d.RevisitBy, d.ID())
	case !d.DecideBy.IsZero() && d.DecideBy.Before(today):
		text = fmt.Sprintf(":alarm_clock: Your proposed decision %s was due to be decided %s and is still open. Mark it decided on its card, or give it a new date with Edit.", what, dueOn(d.DecideBy, today))
	default:
		text = fmt.Sprintf(":alarm_clock: Your proposed decision %s is due to be decided today (%s). Mark it decided on its card, or give it a new date with Edit.", what, d.DecideBy)
	}
	if !strings.Contains(text, rituals.Mention(d.Owner)) && rituals.IsTeamID(d.Owner) {
		// Posted where the team reads, not in a DM: say whom it is for.
		text = rituals.Mention(d.Owner) + " " + text
	}
	blocks := []slack.Block{Section(text)}
	switch {
	case !d.ChannelPrivate && d.Status == rituals.StatusProposed:
		blocks = append(blocks, decisionActions(d))
	case d.AwaitsOwner():
		// The owner may not be in its private channel: they answer here.
		blocks = append(blocks, answerActions(d))
	}
	return Clip(fmt.Sprintf("Reminder: %s", d.ID()), MaxMessageText), blocks
}
