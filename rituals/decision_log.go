package rituals

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
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
// Entries are separated by a blank line. A field that spans several lines
// continues on lines indented by two spaces, so the log reads back exactly.
func WriteDecisionLog(w io.Writer, decisions []*Decision) error {
	sorted := append([]*Decision(nil), decisions...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Date != sorted[j].Date {
			return sorted[i].Date < sorted[j].Date
		}
		return sorted[i].Number < sorted[j].Number
	})
	bw := bufio.NewWriter(w)
	bw.WriteString("# Decision Log\n")
	for i, d := range sorted {
		if i > 0 {
			bw.WriteString("\n")
		}
		fmt.Fprintf(bw, "## %s — %s\n", d.Date, d.Title)
		owner := d.OwnerName
		if owner == "" {
			owner = d.Owner
		}
		writeLogField(bw, "Owner", owner)
		writeLogField(bw, "Decision", d.Text)
		writeLogField(bw, "Rationale", d.Rationale)
		writeLogField(bw, "Impact", d.Impact)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write decision log: %w", err)
	}
	return nil
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

// WriteDecisionsJSON writes decisions as one indented JSON array with every
// field, oldest first.
func WriteDecisionsJSON(w io.Writer, decisions []*Decision) error {
	if decisions == nil {
		decisions = []*Decision{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(decisions); err != nil {
		return fmt.Errorf("write decisions json: %w", err)
	}
	return nil
}
