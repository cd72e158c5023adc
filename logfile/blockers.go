package logfile

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// blockerJSON is a blocker as exports show it: every field, plus its ID
// and time to resolve in seconds.
type blockerJSON struct {
	ID             string                `json:"id"`
	Team           string                `json:"team_id"`
	Number         int64                 `json:"number"`
	Text           string                `json:"text"`
	Impact         string                `json:"impact"`
	NeededBy       rituals.Date          `json:"needed_by,omitempty"`
	DueAt          time.Time             `json:"due_at,omitzero"`
	Source         string                `json:"source,omitempty"`
	Reporter       string                `json:"reporter_id"`
	ReporterName   string                `json:"reporter_name"`
	Channel        string                `json:"channel_id"`
	ChannelPrivate bool                  `json:"channel_private"`
	Parties        []partyJSON           `json:"parties"`
	Acks           []ackJSON             `json:"acknowledged"`
	Status         rituals.BlockerStatus `json:"status"`
	CreatedAt      time.Time             `json:"created_at"`
	UpdatedAt      time.Time             `json:"updated_at"`
	ResolvedAt     time.Time             `json:"resolved_at,omitzero"`
	ResolvedBy     string                `json:"resolved_by,omitempty"`
	Resolution     string                `json:"resolution,omitempty"`
	EscalatedAt    time.Time             `json:"escalated_at,omitzero"`
	OverdueAt      time.Time             `json:"overdue_at,omitzero"`
	// ClimbedAt and ClimbedTo: when, and to whom, it went past twice its
	// channel's SLA to the escalation target.
	ClimbedAt     time.Time `json:"escalated_to_target_at,omitzero"`
	ClimbedTo     string    `json:"escalated_to,omitempty"`
	TimeToResolve int64     `json:"time_to_resolve_seconds,omitempty"`
}

// partyJSON is a party to a blocker, in blockers and check-ins alike.
type partyJSON struct {
	Kind    rituals.PartyKind `json:"kind"`
	ID      string            `json:"id"`
	Name    string            `json:"name,omitempty"`
	Members []string          `json:"members,omitempty"`
}

type ackJSON struct {
	User string    `json:"user_id"`
	At   time.Time `json:"at"`
}

// partiesJSON maps parties as they are: nil stays nil (null where the
// field is not omitted), as the export has always written it.
func partiesJSON(ps []rituals.Party) []partyJSON {
	if ps == nil {
		return nil
	}
	out := make([]partyJSON, len(ps))
	for i, p := range ps {
		out[i] = partyJSON{Kind: p.Kind, ID: p.ID, Name: p.Name, Members: p.Members}
	}
	return out
}

// WriteBlockersJSON writes blockers as one indented JSON array with every
// field, in the order given. A blocker without parties or acks shows
// empty lists.
func WriteBlockersJSON(w io.Writer, blockers []*rituals.Blocker) error {
	out := make([]blockerJSON, len(blockers))
	for i, b := range blockers {
		acks := make([]ackJSON, len(b.Acks))
		for j, a := range b.Acks {
			acks[j] = ackJSON{User: a.User, At: a.At}
		}
		out[i] = blockerJSON{
			ID: b.ID(), Team: b.Team, Number: b.Number, Text: b.Text, Impact: b.Impact, NeededBy: b.NeededBy,
			DueAt: b.DueAt, Source: b.Source, Reporter: b.Reporter, ReporterName: b.ReporterName, Channel: b.Channel,
			ChannelPrivate: b.ChannelPrivate, Parties: partiesJSON(b.Parties), Acks: acks, Status: b.Status,
			CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, ResolvedAt: b.ResolvedAt, ResolvedBy: b.ResolvedBy,
			Resolution: b.Resolution, EscalatedAt: b.EscalatedAt, OverdueAt: b.OverdueAt,
			ClimbedAt: b.ClimbedAt, ClimbedTo: b.ClimbedTo, TimeToResolve: int64(b.TimeToResolve / time.Second),
		}
		if out[i].Parties == nil {
			out[i].Parties = []partyJSON{}
		}
	}
	return writeJSON(w, "blockers", out)
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
func WriteBlockersCSV(w io.Writer, blockers []*rituals.Blocker) error {
	cw := newCSVTable(w, "blockers", blockerCSVHeader...)
	for _, b := range blockers {
		parties := make([]string, len(b.Parties))
		for i, p := range b.Parties {
			parties[i] = string(p.Kind) + ":" + p.ID
			if p.Kind == rituals.PartyGroup {
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
