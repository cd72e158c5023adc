package rituals

import (
	"context"
	"fmt"
	"slices"
	"sort"
)

// ImportedDecision is one decision brought in from a file, for
// Decisions.Import. Numbers written in a file are not the log's numbers,
// so the decisions of the same file it supersedes and is superseded by
// are named by date and title instead (zero for none).
type ImportedDecision struct {
	Decision
	SupersedesRef   DecisionRef
	SupersededByRef DecisionRef
	// CommentsLeftOut counts the comments the log held for it, which are
	// not imported: they were replies in a Slack thread it does not have.
	CommentsLeftOut int
}

// DecisionRef names a decision by the day it was recorded and its title,
// as a decision log's entries refer to one another.
type DecisionRef struct {
	Date  Date
	Title string
}

// refOf returns the name by which other entries of an import refer to d.
func refOf(d *Decision) DecisionRef { return DecisionRef{Date: d.Date, Title: d.Title} }

// Import adds imported decisions to the team's log, numbered after the
// existing decisions oldest first (in file order within a day, as an
// export lists them, so export → import → export gives the same log) and
// attached to the caller's channel (none: then only exports show them).
// Entries already in the log (same date, title and decision) are
// skipped; supersession references between entries are kept. Imports
// post nothing to Slack. Returns how many were added.
func (s *Decisions) Import(ctx context.Context, c Caller, entries []ImportedDecision) (int, error) {
	type key struct {
		DecisionRef
		Text string
	}
	now := s.Now()
	added := 0
	err := s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		existing, err := tx.Decisions(ctx, DecisionFilter{Team: c.Team})
		if err != nil {
			return err
		}
		seen := map[key]int64{}
		for _, d := range existing {
			seen[key{refOf(d), d.Text}] = d.Number
		}
		numbers := map[DecisionRef]int64{} // for references
		var fresh []*Decision
		var refs []ImportedDecision
		byDate := slices.Clone(entries)
		sort.SliceStable(byDate, func(i, j int) bool { return byDate[i].Date < byDate[j].Date })
		for _, e := range byDate {
			if n, ok := seen[key{refOf(&e.Decision), e.Text}]; ok {
				numbers[refOf(&e.Decision)] = n
				continue
			}
			d := e.Decision
			d.Team, d.Channel, d.Author, d.Version, d.UpdatedAt = c.Team, c.Channel, c.User, 1, now
			n, err := tx.NextNumber(ctx, c.Team, "D")
			if err != nil {
				return err
			}
			d.Number = n
			numbers[refOf(&d)] = n
			fresh = append(fresh, &d)
			refs = append(refs, e)
		}
		for i, d := range fresh {
			d.Supersedes = numbers[refs[i].SupersedesRef]
			d.SupersededBy = numbers[refs[i].SupersededByRef]
			if err := tx.CreateDecision(ctx, d); err != nil {
				return err
			}
		}
		added = len(fresh)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import decisions: %w", err)
	}
	return added, nil
}
