package render

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Rollup renders the leadership board: a line per team (decisions made
// and waiting, open and cross-team blockers with the oldest's age,
// check-in participation, pulses, delivery), then the teams whose figures
// moved most. It stays within a message's 50 blocks: a team is one
// section.
func Rollup(r *rituals.Rollup) []slack.Block {
	loc := r.Zone.Location()
	blocks := []slack.Block{
		header("Leadership roll-up — week to " + r.To.In(loc).Format("Mon 2 Jan")),
		ContextLine(fmt.Sprintf("%s, from each team's own digest.", teamCount(len(r.Teams)))),
	}
	if len(r.MovedMost) > 0 {
		lines := []string{"*Moved most since last week*"}
		for _, t := range r.MovedMost {
			lines = append(lines, fmt.Sprintf("• <#%s>: %s", t.Channel, moveText(t.Move)))
		}
		blocks = append(blocks, Section(strings.Join(lines, "\n")))
	}
	blocks = append(blocks, slack.NewDividerBlock())
	for _, t := range r.Teams {
		blocks = append(blocks, slack.NewSectionBlock(MD(Clip(rollupTeamText(t), maxSectionText)), nil, nil,
			slack.SectionBlockOptionBlockID("rollup."+t.Channel)))
	}
	if len(r.Teams) == 0 {
		blocks = append(blocks, Section("No team to show: name public channels with `/digest rollup #team-a #team-b`, or `all`."))
	}
	if len(r.Left) > 0 {
		blocks = append(blocks, ContextLine(fmt.Sprintf("%s left out: private channels' figures stay inside them.", channelCount(len(r.Left)))))
	}
	return blocks
}

// RollupFallback is the board's plain text.
func RollupFallback(r *rituals.Rollup) string {
	return fmt.Sprintf("Leadership roll-up, week to %s: %s.", r.To.In(r.Zone.Location()).Format("Mon 2 Jan"), teamCount(len(r.Teams)))
}

func teamCount(n int) string {
	if n == 1 {
		return "1 team"
	}
	return fmt.Sprintf("%d teams", n)
}

func channelCount(n int) string {
	if n == 1 {
		return "1 channel"
	}
	return fmt.Sprintf("%d channels", n)
}

func rollupTeamText(t rituals.RollupTeam) string {
	g := t.Digest
	overdue := 0
	for _, d := range g.Due {
		if g.Overdue(d) {
			overdue++
		}
	}
	lines := []string{fmt.Sprintf("*<#%s>*", t.Channel)}
	decisions := fmt.Sprintf("Decisions: %d made, %d waiting", len(g.Decided), len(g.Due))
	if overdue > 0 {
		decisions += fmt.Sprintf(" (%d overdue)", overdue)
	}
	lines = append(lines, decisions)
	blockers := fmt.Sprintf("Blockers: %d open, %d cross-team", len(g.Open), t.CrossTeam)
	if len(g.Open) > 0 {
		blockers += ", oldest " + rituals.FormatAge(g.To.Sub(g.Open[0].CreatedAt))
	}
	lines = append(lines, blockers)
	checkin := "Check-in: —"
	if g.Participation.Has {
		checkin = "Check-in: " + percent(g.Participation.Value) + " answered"
	}
	pulses := "Pulses: none closed"
	if n := len(g.Pulses); n > 0 {
		pulses = fmt.Sprintf("Pulses: %d closed", n)
		if g.ResponseRate.Has {
			pulses += ", " + percent(g.ResponseRate.Value) + " responded"
		}
	}
	lines = append(lines, checkin+" · "+pulses)
	if d := g.Delivery; !d.Empty() {
		parts := []string{deployCount(d.Deploys)}
		if d.HasLeadTime {
			parts = append(parts, "lead time "+rituals.FormatAge(d.LeadTime))
		}
		if d.Deploys > 0 {
			parts = append(parts, "change failure "+percent(d.FailureRate))
		}
		if d.HasTimeToRestore {
			parts = append(parts, "restore "+rituals.FormatAge(d.TimeToRestore))
		}
		lines = append(lines, "Delivery: "+strings.Join(parts, ", "))
	}
	return strings.Join(lines, "\n")
}

// moveText says how a figure moved: "Check-in participation 80% → 50%".
func moveText(m rituals.Move) string {
	switch m.Kind {
	case rituals.MoveRatio:
		return fmt.Sprintf("%s %s → %s (%s)", m.Metric, percent(m.Before), percent(m.After), arrow(math.Round((m.After-m.Before)*100), "%.0f pts"))
	case rituals.MoveDuration:
		return fmt.Sprintf("%s %s → %s", m.Metric, rituals.FormatAge(time.Duration(m.Before)), rituals.FormatAge(time.Duration(m.After)))
	}
	return fmt.Sprintf("%s %.0f → %.0f", m.Metric, m.Before, m.After)
}
