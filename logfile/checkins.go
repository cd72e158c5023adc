package logfile

import (
	"io"
	"strconv"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// CheckinRecord is one check-in with what people said in it, for exports.
type CheckinRecord struct {
	Checkin *rituals.Checkin
	Answers []rituals.CheckinAnswer
	Replies []rituals.CheckinReply
}

type checkinJSON struct {
	Team         string       `json:"team_id"`
	Channel      string       `json:"channel_id"`
	ScheduledFor time.Time    `json:"scheduled_for"`
	OpenedAt     time.Time    `json:"opened_at"`
	ClosesAt     time.Time    `json:"closes_at"`
	ClosedAt     *time.Time   `json:"closed_at"`
	Skipped      bool         `json:"skipped"`
	Zone         string       `json:"zone"`
	Members      int          `json:"members"`
	Answered     int          `json:"answered"`
	Agenda       agendaJSON   `json:"agenda"`
	Blockers     []string     `json:"blockers_created"`
	Decisions    []string     `json:"decisions_created"`
	Answers      []answerJSON `json:"answers"`
	Replies      []replyJSON  `json:"replies"`
}

// agendaJSON is what a check-in carried over, as the export shows it.
type agendaJSON struct {
	Blockers  []agendaBlockerJSON  `json:"blockers"`
	Decisions []agendaDecisionJSON `json:"decisions"`
}

type agendaBlockerJSON struct {
	Number  int64       `json:"number"`
	Text    string      `json:"text"`
	Since   time.Time   `json:"since"`
	Parties []partyJSON `json:"parties"`
}

type agendaDecisionJSON struct {
	Number    int64        `json:"number"`
	Title     string       `json:"title"`
	Owner     string       `json:"owner"`
	OwnerName string       `json:"owner_name"`
	DecideBy  rituals.Date `json:"decide_by"`
	Overdue   bool         `json:"overdue"`
}

type answerJSON struct {
	User       string            `json:"user_id"`
	Outcomes   string            `json:"outcomes"`
	Blockers   []blockerLineJSON `json:"blockers"`
	Decisions  []string          `json:"decisions"`
	AnsweredAt time.Time         `json:"answered_at"`
}

type blockerLineJSON struct {
	Text    string      `json:"text"`
	Parties []partyJSON `json:"parties,omitempty"`
}

// replyJSON is a plain thread reply as exported.
type replyJSON struct {
	User string    `json:"user_id"`
	TS   string    `json:"ts"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// agendaJSONOf maps an agenda keeping its nil lists nil: they export as
// null, as they always have.
func agendaJSONOf(a rituals.Agenda) agendaJSON {
	var out agendaJSON
	if a.Blockers != nil {
		out.Blockers = make([]agendaBlockerJSON, len(a.Blockers))
		for i, b := range a.Blockers {
			out.Blockers[i] = agendaBlockerJSON{Number: b.Number, Text: b.Text, Since: b.Since, Parties: partiesJSON(b.Parties)}
		}
	}
	if a.Decisions != nil {
		out.Decisions = make([]agendaDecisionJSON, len(a.Decisions))
		for i, d := range a.Decisions {
			out.Decisions[i] = agendaDecisionJSON{Number: d.Number, Title: d.Title, Owner: d.Owner, OwnerName: d.OwnerName,
				DecideBy: d.DecideBy, Overdue: d.Overdue}
		}
	}
	return out
}

// blockerLinesJSON maps an answer's blocker lines keeping nil nil.
func blockerLinesJSON(ls []rituals.BlockerLine) []blockerLineJSON {
	if ls == nil {
		return nil
	}
	out := make([]blockerLineJSON, len(ls))
	for i, l := range ls {
		out[i] = blockerLineJSON{Text: l.Text, Parties: partiesJSON(l.Parties)}
	}
	return out
}

func ids(prefix string, ns []int64) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = rituals.FormatID(prefix, n)
	}
	return out
}

// WriteCheckinsJSON writes check-ins as one JSON array with their
// answers and replies.
func WriteCheckinsJSON(w io.Writer, records []CheckinRecord) error {
	out := make([]checkinJSON, 0, len(records))
	for _, r := range records {
		c := r.Checkin
		j := checkinJSON{Team: c.Team, Channel: c.Channel, ScheduledFor: c.ScheduledFor, OpenedAt: c.OpenedAt,
			ClosesAt: c.ClosesAt, Skipped: c.Skipped, Zone: c.Zone.String(), Members: c.Members, Answered: c.Answered,
			Agenda: agendaJSONOf(c.Agenda), Blockers: ids("B", c.Blockers), Decisions: ids("D", c.Decisions),
			Answers: []answerJSON{}, Replies: []replyJSON{}}
		if !c.ClosedAt.IsZero() {
			t := c.ClosedAt
			j.ClosedAt = &t
		}
		for _, a := range r.Answers {
			j.Answers = append(j.Answers, answerJSON{User: a.User, Outcomes: a.Outcomes, Blockers: blockerLinesJSON(a.Blockers),
				Decisions: a.Decisions, AnsweredAt: a.AnsweredAt})
		}
		for _, rp := range r.Replies {
			j.Replies = append(j.Replies, replyJSON{User: rp.User, TS: rp.TS, Text: rp.Text, At: rp.At})
		}
		out = append(out, j)
	}
	return writeJSON(w, "check-ins", out)
}

// WriteCheckinsCSV writes one row a check-in: when, how many took part,
// and the entries it created.
func WriteCheckinsCSV(w io.Writer, records []CheckinRecord) error {
	cw := newCSVTable(w, "check-ins", "team_id", "channel_id", "scheduled_for", "closed_at", "skipped", "members", "answered",
		"answers", "replies", "blockers_created", "decisions_created")
	for _, r := range records {
		c := r.Checkin
		closed := ""
		if !c.ClosedAt.IsZero() {
			closed = c.ClosedAt.UTC().Format(time.RFC3339)
		}
		cw.Row(c.Team, c.Channel, c.ScheduledFor.UTC().Format(time.RFC3339), closed, strconv.FormatBool(c.Skipped),
			strconv.Itoa(c.Members), strconv.Itoa(c.Answered), strconv.Itoa(len(r.Answers)), strconv.Itoa(len(r.Replies)),
			joinIDs(ids("B", c.Blockers)), joinIDs(ids("D", c.Decisions)))
	}
	return cw.Close()
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += " "
		}
		out += id
	}
	return out
}
