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
	Decisions []agendaDecisionColumn `json:"decisions"`
}

type agendaBlockerColumn struct {
	Number  int64         `json:"number"`
	Text    string        `json:"text"`
	Since   time.Time     `json:"since"`
	Parties []partyColumn `json:"parties"`
}

type agendaDecisionColumn struct {
	Number    int64        `json:"number"`
	Title     string       `json:"title"`
	Owner     string       `json:"owner"`
	OwnerName string       `json:"owner_name"`
	DecideBy  rituals.Date `json:"decide_by"`
	Overdue   bool         `json:"overdue"`
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
	var col agendaColumn
	if a.Blockers != nil {
		col.Blockers = make([]agendaBlockerColumn, len(a.Blockers))
		for i, b := range a.Blockers {
			col.Blockers[i] = agendaBlockerColumn{Number: b.Number, Text: b.Text, Since: b.Since, Parties: partyColumns(b.Parties)}
		}
	}
	if a.Decisions != nil {
		col.Decisions = make([]agendaDecisionColumn, len(a.Decisions))
		for i, d := range a.Decisions {
			col.Decisions[i] = agendaDecisionColumn{Number: d.Number, Title: d.Title, Owner: d.Owner,
				OwnerName: d.OwnerName, DecideBy: d.DecideBy, Overdue: d.Overdue}
		}
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
	var a rituals.Agenda
	if col.Blockers != nil {
		a.Blockers = make([]rituals.AgendaBlocker, len(col.Blockers))
		for i, b := range col.Blockers {
			a.Blockers[i] = rituals.AgendaBlocker{Number: b.Number, Text: b.Text, Since: b.Since, Parties: parties(b.Parties)}
		}
	}
	if col.Decisions != nil {
		a.Decisions = make([]rituals.AgendaDecision, len(col.Decisions))
		for i, d := range col.Decisions {
			a.Decisions[i] = rituals.AgendaDecision{Number: d.Number, Title: d.Title, Owner: d.Owner,
				OwnerName: d.OwnerName, DecideBy: d.DecideBy, Overdue: d.Overdue}
		}
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
