package logfile

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/alignbot/alignbot/rituals"
)

// WriteDecisionLog writes decisions in the seed's decision-log template,
// oldest first:
//
//	# Decision Log
//	## 2026-04-01 — API versioning strategy
//	Owner: Platform Team
//	Decision: Use semver for public APIs; internal services use deploy-driven versioning.
//	Rationale: Backward compatibility for public contracts. Internal services iterate faster.
//	Impact: Product teams will update contract tests by 2026-05-01.
//
// A plain decided decision is exactly those lines. Fields the template
// lacks follow only when they hold something (Status, Decide by, Decided
// on, Revisit by, Area, Links, Supersedes, Superseded by, Source), so
// ReadDecisionLog gets every field back; last come a proposal's Comments
// (who, when, what), which ReadDecisionLog reads past, as they belong to
// the Slack thread they were made in. Entries are separated by a blank
// line; a field of several lines continues on lines indented by two
// spaces.
func WriteDecisionLog(w io.Writer, decisions []*rituals.Decision) error {
	sorted := sortedByDate(decisions)
	byNumber := map[int64]*rituals.Decision{}
	for _, d := range sorted {
		byNumber[d.Number] = d
	}
	ref := func(n int64) string {
		if o, ok := byNumber[n]; ok {
			return fmt.Sprintf("%s (%s)", o.ID(), heading(o))
		}
		return rituals.FormatID("D", n)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("# Decision Log\n")
	for i, d := range sorted {
		if i > 0 {
			bw.WriteString("\n")
		}
		fmt.Fprintf(bw, "## %s\n", heading(d))
		owner := ownerName(d)
		writeLogField(bw, "Owner", owner)
		writeLogField(bw, "Decision", d.Text)
		writeLogField(bw, "Rationale", d.Rationale)
		writeLogField(bw, "Impact", d.Impact)
		if d.Status != rituals.StatusDecided && d.Status != "" {
			writeLogField(bw, "Status", string(d.Status))
		}
		writeLogDate(bw, "Decide by", d.DecideBy)
		if d.DecidedAt.After(d.CreatedAt) {
			writeLogDate(bw, "Decided on", decidedOn(d))
		}
		writeLogDate(bw, "Revisit by", d.RevisitBy)
		if d.Area != "" {
			writeLogField(bw, "Area", d.Area)
		}
		if len(d.Links) > 0 {
			writeLogField(bw, "Links", strings.Join(d.Links, "\n"))
		}
		if d.Supersedes != 0 {
			writeLogField(bw, "Supersedes", ref(d.Supersedes))
		}
		if d.SupersededBy != 0 {
			writeLogField(bw, "Superseded by", ref(d.SupersededBy))
		}
		if d.Source != "" {
			writeLogField(bw, "Source", d.Source)
		}
		if len(d.Comments) > 0 {
			writeLogField(bw, "Comments", commentsLog(d.Comments))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write decision log: %w", err)
	}
	return nil
}

// headingSep separates an entry heading's date from its title.
const headingSep = " — "

// heading is the decision's title line in the log, and how other entries
// refer to it.
func heading(d *rituals.Decision) string { return string(d.Date) + headingSep + d.Title }

// decidedOn is the day the decision was decided, in its owner's zone.
func decidedOn(d *rituals.Decision) rituals.Date {
	return rituals.DateOf(d.DecidedAt.In(d.OwnerZone.Location()))
}

func sortedByDate(decisions []*rituals.Decision) []*rituals.Decision {
	sorted := append([]*rituals.Decision(nil), decisions...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Date != sorted[j].Date {
			return sorted[i].Date < sorted[j].Date
		}
		return sorted[i].Number < sorted[j].Number
	})
	return sorted
}

func writeLogDate(w *bufio.Writer, name string, d rituals.Date) {
	if !d.IsZero() {
		writeLogField(w, name, string(d))
	}
}

func writeLogField(w *bufio.Writer, name, value string) {
	lines := strings.Split(value, "\n")
	if lines[0] == "" {
		fmt.Fprintf(w, "%s:\n", name)
	} else {
		fmt.Fprintf(w, "%s: %s\n", name, lines[0])
	}
	for _, l := range lines[1:] {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

// commentsLog is the Comments field: how many, then one comment a line,
// "- 2026-11-25 09:00 UTC, Ann Lee (U0ANN): text", its further lines
// indented under it.
func commentsLog(cs []rituals.Comment) string {
	lines := []string{fmt.Sprint(len(cs))}
	for _, c := range cs {
		who := c.User
		if c.UserName != "" {
			who = c.UserName + " (" + c.User + ")"
		}
		text := strings.ReplaceAll(c.Text, "\n", "\n  ")
		if c.Clipped {
			text += fmt.Sprintf(" [cut at %d characters; the whole reply is in Slack]", rituals.MaxComment)
		}
		lines = append(lines, fmt.Sprintf("- %s, %s: %s", c.At.UTC().Format("2006-01-02 15:04 UTC"), who, text))
	}
	return strings.Join(lines, "\n")
}
