package rituals

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// exportedBlocker is a blocker as exports show it: every field, plus its
// ID and time to resolve in seconds.
type exportedBlocker struct {
	ID string `json:"id"`
	*Blocker
	TimeToResolve int64 `json:"time_to_resolve_seconds,omitempty"`
}

// WriteBlockersJSON writes blockers as one indented JSON array with every
// field, in the order given.
func WriteBlockersJSON(w io.Writer, blockers []*Blocker) error {
	out := make([]exportedBlocker, len(blockers))
	for i, b := range blockers {
		c := *b
		if c.Parties == nil {
			c.Parties = []Party{}
		}
		if c.Acks == nil {
			c.Acks = []Ack{}
		}
		out[i] = exportedBlocker{ID: b.ID(), Blocker: &c, TimeToResolve: int64(b.TimeToResolve / time.Second)}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write blockers json: %w", err)
	}
	return nil
}

// blockerCSVHeader names the CSV columns. Times are RFC 3339 in UTC, empty
// when unset; parties read "kind:ID", a group's with its people after '=',
// joined by spaces.
var blockerCSVHeader = []string{
	"id", "team_id", "channel_id", "status", "text", "impact", "reporter_id", "reporter_name",
	"parties", "acknowledged_by", "needed_by", "source", "created_at", "resolved_at", "resolved_by",
	"resolution", "time_to_resolve_seconds", "escalated_at", "overdue_at",
}

// WriteBlockersCSV writes blockers as CSV with a header row, one blocker a
// row, in the order given.
func WriteBlockersCSV(w io.Writer, blockers []*Blocker) error {
	cw := newCSVTable(w, "blockers", blockerCSVHeader...)
	for _, b := range blockers {
		parties := make([]string, len(b.Parties))
		for i, p := range b.Parties {
			parties[i] = string(p.Kind) + ":" + p.ID
			if p.Kind == PartyGroup {
				parties[i] += "=" + strings.Join(p.Members, ",")
			}
		}
		acks := make([]string, len(b.Acks))
		for i, a := range b.Acks {
			acks[i] = a.User
		}
		ttr := ""
		if !b.Open() {
			ttr = strconv.FormatInt(int64(b.TimeToResolve/time.Second), 10)
		}
		cw.Row(
			b.ID(), b.Team, b.Channel, string(b.Status), b.Text, b.Impact, b.Reporter, b.ReporterName,
			strings.Join(parties, " "), strings.Join(acks, " "), string(b.NeededBy), b.Source,
			csvTime(b.CreatedAt), csvTime(b.ResolvedAt), b.ResolvedBy, b.Resolution, ttr,
			csvTime(b.EscalatedAt), csvTime(b.OverdueAt),
		)
	}
	return cw.Close()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
