package storage

import (
	"encoding/json"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// agendaColumn is a check-in's agenda as checkins.agenda stores it: JSON
// under these names, which rows already written hold, so they stay as
// they are whatever the domain's fields are called.
type agendaColumn struct {
	Blockers  []agendaBlockerColumn  `json:"blockers"`
	Inbound   []agendaBlockerColumn  `json:"inbound,omitempty"`
	Decisions []agendaDecisionColumn `json:"decisions"`
	Actions   []agendaActionColumn   `json:"actions,omitempty"`
}

type agendaBlockerColumn struct {
	Number  int64         `json:"number"`
	Text    string        `json:"text"`
	Since   time.Time     `json:"since"`
	Parties []partyColumn `json:"parties"`
	// Those of Inbound only.
	From        string    `json:"from,omitempty"`
	Hidden      bool      `json:"hidden,omitempty"`
	SLAMS       int64     `json:"sla_ms,omitempty"`
	EscalatedAt time.Time `json:"escalated_at,omitzero"`
	ClimbedAt   time.Time `json:"climbed_at,omitzero"`
	ClimbedTo   string    `json:"climbed_to,omitempty"`
}

func agendaBlockerColumns(bs []rituals.AgendaBlocker) []agendaBlockerColumn {
	if bs == nil {
		return nil
	}
	out := make([]agendaBlockerColumn, len(bs))
	for i, b := range bs {
		out[i] = agendaBlockerColumn{Number: b.Number, Text: b.Text, Since: b.Since, Parties: partyColumns(b.Parties),
			From: b.From, Hidden: b.Hidden, SLAMS: b.SLA.Milliseconds(), EscalatedAt: b.EscalatedAt, ClimbedAt: b.ClimbedAt, ClimbedTo: b.ClimbedTo}
	}
	return out
}

func agendaBlockers(cs []agendaBlockerColumn) []rituals.AgendaBlocker {
	if cs == nil {
		return nil
	}
	out := make([]rituals.AgendaBlocker, len(cs))
	for i, b := range cs {
		out[i] = rituals.AgendaBlocker{Number: b.Number, Text: b.Text, Since: b.Since, Parties: parties(b.Parties),
			From: b.From, Hidden: b.Hidden, SLA: time.Duration(b.SLAMS) * time.Millisecond, EscalatedAt: b.EscalatedAt, ClimbedAt: b.ClimbedAt, ClimbedTo: b.ClimbedTo}
	}
	return out
}

type agendaDecisionColumn struct {
	Number    int64        `json:"number"`
	Title     string       `json:"title"`
	Owner     string       `json:"owner"`
	OwnerName string       `json:"owner_name"`
	DecideBy  rituals.Date `json:"decide_by"`
	Overdue   bool         `json:"overdue"`
}

type agendaActionColumn struct {
	Session   int64            `json:"session"`
	Item      int64            `json:"item"`
	Kind      rituals.ItemKind `json:"kind,omitempty"`
	Text      string           `json:"text"`
	Owner     string           `json:"owner,omitempty"`
	OwnerName string           `json:"owner_name,omitempty"`
	Due       rituals.Date     `json:"due,omitempty"`
	Overdue   bool             `json:"overdue,omitempty"`
}

// blockerLineColumn is one line of an answer's blockers part as
// checkin_answers.blockers stores it, a JSON array of them.
type blockerLineColumn struct {
	Text    string        `json:"text"`
	Parties []partyColumn `json:"parties,omitempty"`
}

type partyColumn struct {
	Kind    rituals.PartyKind `json:"kind"`
	ID      string            `json:"id"`
	Name    string            `json:"name,omitempty"`
	Members []string          `json:"members,omitempty"`
}

// The mappings below keep nil lists nil and empty ones empty, both ways,
// so a row reads back as it was written.

func encodeAgenda(a rituals.Agenda) string {
	col := agendaColumn{Blockers: agendaBlockerColumns(a.Blockers), Inbound: agendaBlockerColumns(a.Inbound)}
	if a.Decisions != nil {
		col.Decisions = make([]agendaDecisionColumn, len(a.Decisions))
		for i, d := range a.Decisions {
			col.Decisions[i] = agendaDecisionColumn{Number: d.Number, Title: d.Title, Owner: d.Owner,
				OwnerName: d.OwnerName, DecideBy: d.DecideBy, Overdue: d.Overdue}
		}
	}
	for _, a := range a.Actions {
		col.Actions = append(col.Actions, agendaActionColumn(a))
	}
	b, _ := json.Marshal(col)
	return string(b)
}

// decodeAgenda reads what encodeAgenda wrote. A column it cannot read
// gives what could be read of it, as before the agenda had its own
// column type.
func decodeAgenda(s string) rituals.Agenda {
	var col agendaColumn
	json.Unmarshal([]byte(s), &col)
	a := rituals.Agenda{Blockers: agendaBlockers(col.Blockers), Inbound: agendaBlockers(col.Inbound)}
	if col.Decisions != nil {
		a.Decisions = make([]rituals.AgendaDecision, len(col.Decisions))
		for i, d := range col.Decisions {
			a.Decisions[i] = rituals.AgendaDecision{Number: d.Number, Title: d.Title, Owner: d.Owner,
				OwnerName: d.OwnerName, DecideBy: d.DecideBy, Overdue: d.Overdue}
		}
	}
	for _, c := range col.Actions {
		a.Actions = append(a.Actions, rituals.AgendaAction(c))
	}
	return a
}

func encodeBlockerLines(ls []rituals.BlockerLine) string {
	col := make([]blockerLineColumn, len(ls))
	for i, l := range ls {
		col[i] = blockerLineColumn{Text: l.Text, Parties: partyColumns(l.Parties)}
	}
	b, _ := json.Marshal(col)
	return string(b)
}

func decodeBlockerLines(s string) []rituals.BlockerLine {
	var col []blockerLineColumn
	json.Unmarshal([]byte(s), &col)
	if col == nil {
		return nil
	}
	ls := make([]rituals.BlockerLine, len(col))
	for i, l := range col {
		ls[i] = rituals.BlockerLine{Text: l.Text, Parties: parties(l.Parties)}
	}
	return ls
}

func partyColumns(ps []rituals.Party) []partyColumn {
	if ps == nil {
		return nil
	}
	out := make([]partyColumn, len(ps))
	for i, p := range ps {
		out[i] = partyColumn{Kind: p.Kind, ID: p.ID, Name: p.Name, Members: p.Members}
	}
	return out
}

func parties(cs []partyColumn) []rituals.Party {
	if cs == nil {
		return nil
	}
	out := make([]rituals.Party, len(cs))
	for i, c := range cs {
		out[i] = rituals.Party{Kind: c.Kind, ID: c.ID, Name: c.Name, Members: c.Members}
	}
	return out
}
