package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Action IDs on decision cards.
const (
	actionDecisionEdit      = "decision.edit"
	actionDecisionRationale = "decision.rationale"
)

var statusLabel = map[rituals.DecisionStatus]string{
	rituals.StatusProposed:   "Proposed",
	rituals.StatusDecided:    "Decided",
	rituals.StatusSuperseded: "Superseded",
	rituals.StatusDeprecated: "Deprecated",
	rituals.StatusDropped:    "Dropped",
}

// person renders a user for mrkdwn: a mention when the ID is known.
func person(id, name string) string {
	switch {
	case id != "":
		return "<@" + id + ">"
	case name != "":
		return mrkdwn(name)
	default:
		return "_nobody_"
	}
}

// decisionCard renders a decision as the card posted in its channel: the
// fields of the seed's template, and Edit / Add rationale buttons.
func decisionCard(d *rituals.Decision) []slack.Block {
	meta := fmt.Sprintf("*%s* · %s · %s · Owner %s", d.ID(), d.Date, statusLabel[d.Status], person(d.Owner, d.OwnerName))
	if d.Status == rituals.StatusProposed && !d.DecideBy.IsZero() {
		meta += " · Decide by " + string(d.DecideBy)
	}
	blocks := []slack.Block{header(d.Title), contextLine(meta)}
	blocks = append(blocks, sections("Decision", mrkdwn(d.Text))...)
	blocks = append(blocks, sections("Rationale", orNotYet(d.Rationale))...)
	blocks = append(blocks, sections("Impact", orNotYet(d.Impact))...)
	if len(d.Links) > 0 {
		lines := make([]string, len(d.Links))
		for i, l := range d.Links {
			lines[i] = "• " + mrkdwn(l)
		}
		blocks = append(blocks, sections("Links", strings.Join(lines, "\n"))...)
	}
	if d.Source != "" {
		blocks = append(blocks, contextLine("Recorded from <"+d.Source+"|this message>"))
	}
	n := strconv.FormatInt(d.Number, 10)
	blocks = append(blocks, slack.NewActionBlock("decision.actions",
		button(actionDecisionEdit, n, "Edit"),
		button(actionDecisionRationale, n, "Add rationale"),
	))
	return blocks
}

// decisionFallback is the card's plain text, for notifications and
// clients that cannot show blocks.
func decisionFallback(d *rituals.Decision) string {
	return clip(fmt.Sprintf("%s · %s: %s", d.ID(), statusLabel[d.Status], d.Title), maxMessageText)
}

func orNotYet(s string) string {
	if s == "" {
		return "_Not recorded yet._"
	}
	return mrkdwn(s)
}

// decisionLine is one decision in a list.
func decisionLine(d *rituals.Decision, withChannel bool) string {
	line := fmt.Sprintf("*%s* · %s · %s · %s", d.ID(), d.Date, mrkdwn(clip(d.Title, 120)), person(d.Owner, d.OwnerName))
	if d.Status != rituals.StatusDecided {
		line += " · _" + strings.ToLower(statusLabel[d.Status]) + "_"
	}
	if withChannel && d.Channel != "" {
		line += " · <#" + d.Channel + ">"
	}
	return line
}

// decisionList renders a list of decisions under a heading, or empty when
// there are none.
func decisionList(heading, empty string, ds []*rituals.Decision, withChannel bool) []slack.Block {
	if len(ds) == 0 {
		return []slack.Block{section(empty)}
	}
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = decisionLine(d, withChannel)
	}
	blocks := []slack.Block{section(heading)}
	blocks = append(blocks, linesSections(lines)...)
	blocks = append(blocks, contextLine("See one in full with `/decide show D-12`."))
	return blocks
}

const decideUsage = "*`/decide` — the team's decision log*\n" +
	"• `/decide <text>` records a decision you made, owned by you, and posts its card here.\n" +
	"• `/decide` opens a form: title, decision, rationale, impact, owner, status (decided or proposed, with a decide-by date) and links.\n" +
	"• `/decide list [N]` shows this channel's last N decisions (default 10, at most 100).\n" +
	"• `/decide search <words>` searches titles, decisions and rationales here and in public channels.\n" +
	"• `/decide show <ID>` shows one decision in full, e.g. `/decide show D-12`.\n" +
	"• `/decide help` shows this.\n" +
	"A decision that starts with one of these words (help, list, search, show, supersede, rights) is recorded through the form."

func decideHelpBlocks() []slack.Block { return []slack.Block{section(decideUsage)} }
