package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// DecisionHistory renders a decision's versions, oldest first: for each,
// who replaced it and when, and what it said in the fields that changed;
// then its comments (the latest few, and a link to thread, which holds
// them all).
func DecisionHistory(d *rituals.Decision, versions []rituals.DecisionVersion, comments []rituals.Comment, thread string) []slack.Block {
	blocks := versionBlocks(d, versions)
	if len(comments) == 0 {
		return blocks
	}
	more := linesSections(commentLines(comments, thread))
	if len(blocks)+len(more) > maxBlocks {
		return blocks
	}
	return append(blocks, more...)
}

// versionBlocks renders a decision's versions, as DecisionHistory shows
// them.
func versionBlocks(d *rituals.Decision, versions []rituals.DecisionVersion) []slack.Block {
	if len(versions) == 0 {
		return []slack.Block{Section(fmt.Sprintf("*%s* has not been changed since it was recorded.", d.ID()))}
	}
	current := rituals.DecisionVersion{Version: d.Version, Title: d.Title, Text: d.Text, Rationale: d.Rationale,
		Impact: d.Impact, Links: d.Links, Owner: d.Owner, OwnerName: d.OwnerName, Status: d.Status,
		DecideBy: d.DecideBy, RevisitBy: d.RevisitBy, Area: d.Area, SupersededBy: d.SupersededBy}
	lines := []string{fmt.Sprintf("*History of %s* — %d earlier versions; every one is kept.", d.ID(), len(versions))}
	for i, v := range versions {
		next := current
		if i+1 < len(versions) {
			next = versions[i+1]
		}
		when := v.ReplacedAt.UTC().Format("2006-01-02 15:04 UTC")
		line := fmt.Sprintf("*v%d* · replaced %s by %s", v.Version, when, Person(v.ReplacedBy, ""))
		changed := versionChanges(v, next)
		if len(changed) == 0 {
			line += " · no field changed"
		}
		lines = append(lines, line)
		for _, c := range changed {
			lines = append(lines, "    "+c)
		}
	}
	lines = append(lines, fmt.Sprintf("*v%d* · current", d.Version))
	blocks := linesSections(lines)
	if len(blocks) > maxBlocks-2 { // room for the comments
		blocks = append(blocks[:maxBlocks-3], ContextLine("The history is longer than a message holds; `alignbot export decisions --format json` has all of it."))
	}
	return blocks
}

// versionChanges lists the fields v holds that the next version changed,
// with v's values.
func versionChanges(v, next rituals.DecisionVersion) []string {
	var out []string
	field := func(name, was, now string) {
		if was != now {
			if was == "" {
				was = "_empty_"
			} else {
				was = "“" + Mrkdwn(Clip(was, 300)) + "”"
			}
			out = append(out, fmt.Sprintf("%s was %s", name, was))
		}
	}
	field("title", v.Title, next.Title)
	field("decision", v.Text, next.Text)
	field("rationale", v.Rationale, next.Rationale)
	field("impact", v.Impact, next.Impact)
	field("status", string(v.Status), string(next.Status))
	field("decide-by", string(v.DecideBy), string(next.DecideBy))
	field("revisit-by", string(v.RevisitBy), string(next.RevisitBy))
	if v.Owner != next.Owner {
		out = append(out, "owner was "+Person(v.Owner, v.OwnerName))
	}
	if !slices.Equal(v.Links, next.Links) {
		field("links", strings.Join(v.Links, " "), strings.Join(next.Links, " "))
	}
	return out
}

// RightsList renders the team's published decision rights.
func RightsList(rights []*rituals.Right) []slack.Block {
	if len(rights) == 0 {
		return []slack.Block{Section("No decision rights are published yet. Add one: " + RightsUsage + ".")}
	}
	lines := []string{"*Decision rights* — who owns which decisions, who is consulted, who is informed"}
	for _, rt := range rights {
		lines = append(lines, "• "+RightLine(rt))
	}
	lines = append(lines, "Tag a decision with an area: `/decide [area] <text>`, or choose it in the `/decide` form.")
	return linesSections(lines)
}

// RightLine renders one area's decision rights, as RACI: its
// Accountable owner, who is responsible, who is consulted and which
// channels are informed.
func RightLine(rt *rituals.Right) string {
	line := fmt.Sprintf("*%s* — owner %s", Mrkdwn(rt.Area), Person(rt.Owner, rt.Names[rt.Owner]))
	for _, role := range []struct {
		name string
		ids  []string
	}{{"responsible", rt.Responsible}, {"consulted", rt.Consulted}, {"informed", rt.Informed}} {
		if len(role.ids) > 0 {
			names := make([]string, len(role.ids))
			for i, id := range role.ids {
				names[i] = Person(id, rt.Names[id])
			}
			line += ", " + role.name + " " + strings.Join(names, " ")
		}
	}
	return line
}

// RightsUsage is how to write `/decide rights`, for its help and its
// refusals.
const RightsUsage = "`/decide rights <area> accountable @owner [responsible @someone …] [consulted @someone …] [informed #channel …]`"
