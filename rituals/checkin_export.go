package rituals

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// CheckinRecord is one check-in with what people said in it, for exports
// and the digest.
type CheckinRecord struct {
	Checkin *Checkin
	Answers []CheckinAnswer
	Replies []CheckinReply
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
	Agenda       Agenda       `json:"agenda"`
	Blockers     []string     `json:"blockers_created"`
	Decisions    []string     `json:"decisions_created"`
	Answers      []answerJSON `json:"answers"`
	Replies      []ReplyJSON  `json:"replies"`
}

type answerJSON struct {
	User       string        `json:"user_id"`
	Outcomes   string        `json:"outcomes"`
	Blockers   []BlockerLine `json:"blockers"`
	Decisions  []string      `json:"decisions"`
	AnsweredAt time.Time     `json:"answered_at"`
}

// ReplyJSON is a plain thread reply as exported.
type ReplyJSON struct {
	User string    `json:"user_id"`
	TS   string    `json:"ts"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

func ids(prefix string, ns []int64) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = FormatID(prefix, n)
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
			ClosesAt: c.ClosesAt, Skipped: c.Skipped, Zone: c.Zone, Members: c.Members, Answered: c.Answered,
			Agenda: c.Agenda, Blockers: ids("B", c.Blockers), Decisions: ids("D", c.Decisions),
			Answers: []answerJSON{}, Replies: []ReplyJSON{}}
		if !c.ClosedAt.IsZero() {
			t := c.ClosedAt
			j.ClosedAt = &t
		}
		for _, a := range r.Answers {
			j.Answers = append(j.Answers, answerJSON{User: a.User, Outcomes: a.Outcomes, Blockers: a.Blockers, Decisions: a.Decisions, AnsweredAt: a.AnsweredAt})
		}
		for _, rp := range r.Replies {
			j.Replies = append(j.Replies, ReplyJSON{User: rp.User, TS: rp.TS, Text: rp.Text, At: rp.At})
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write check-ins json: %w", err)
	}
	return nil
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
