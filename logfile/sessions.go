package logfile

import (
	"io"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// sessionJSON is a pre-mortem or retro as exports show it: every field,
// its ID, and its items ranked as its summary ranks them.
type sessionJSON struct {
	ID             string                `json:"id"`
	Team           string                `json:"team_id"`
	Number         int64                 `json:"number"`
	Kind           rituals.SessionKind   `json:"kind"`
	Name           string                `json:"name"`
	Channel        string                `json:"channel_id"`
	ChannelPrivate bool                  `json:"channel_private"`
	Creator        string                `json:"creator_id"`
	CreatorName    string                `json:"creator_name"`
	Status         rituals.SessionStatus `json:"status"`
	LaunchOn       rituals.Date          `json:"launch_on,omitempty"`
	CreatedAt      time.Time             `json:"created_at"`
	ClosesAt       time.Time             `json:"closes_at"`
	ClosedAt       time.Time             `json:"closed_at,omitzero"`
	ClosedBy       string                `json:"closed_by,omitempty"`
	FollowUpAt     time.Time             `json:"follow_up_at,omitzero"`
	FollowedUpAt   time.Time             `json:"followed_up_at,omitzero"`
	Items          []itemJSON            `json:"items"`
}

// itemJSON is an item with its place in the ranking and its score
// (likelihood × impact, 0 when not rated). An anonymous item's author_id
// is empty: nothing recorded who added it.
type itemJSON struct {
	Rank       int               `json:"rank"`
	Score      int               `json:"score"`
	Number     int64             `json:"number"`
	Kind       rituals.ItemKind  `json:"kind"`
	Text       string            `json:"text"`
	Author     string            `json:"author_id"`
	Anonymous  bool              `json:"anonymous"`
	SourceTS   string            `json:"source_ts,omitempty"`
	Likelihood rituals.RiskLevel `json:"likelihood,omitempty"`
	Impact     rituals.RiskLevel `json:"impact,omitempty"`
	Tag        rituals.RiskTag   `json:"tag,omitempty"`
	Votes      int               `json:"votes"`
	Owner      string            `json:"owner_id,omitempty"`
	OwnerName  string            `json:"owner_name,omitempty"`
	Due        rituals.Date      `json:"due,omitempty"`
	AssignedBy string            `json:"assigned_by,omitempty"`
	AssignedAt time.Time         `json:"assigned_at,omitzero"`
	RemindedAt time.Time         `json:"reminded_at,omitzero"`
	DoneAt     time.Time         `json:"done_at,omitzero"`
	DoneBy     string            `json:"done_by,omitempty"`
	Blocker    int64             `json:"blocker,omitempty"`
	HappenedAt time.Time         `json:"happened_at,omitzero"`
	HappenedBy string            `json:"happened_by,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
}

// WriteSessionsJSON writes sessions as one indented JSON array with every
// field, in the order given.
func WriteSessionsJSON(w io.Writer, sessions []*rituals.Session) error {
	out := make([]sessionJSON, len(sessions))
	for i, s := range sessions {
		items := make([]itemJSON, 0, len(s.Items))
		for rank, it := range s.Ranked() {
			items = append(items, itemJSON{
				Rank: rank + 1, Score: it.Score(), Number: it.Number, Kind: it.Kind, Text: it.Text, Author: it.Author,
				Anonymous: it.Anonymous, SourceTS: it.SourceTS, Likelihood: it.Likelihood, Impact: it.Impact, Tag: it.Tag,
				Votes: it.Votes, Owner: it.Owner, OwnerName: it.OwnerName, Due: it.Due, AssignedBy: it.AssignedBy,
				AssignedAt: it.AssignedAt, RemindedAt: it.RemindedAt, DoneAt: it.DoneAt, DoneBy: it.DoneBy,
				Blocker: it.Blocker, HappenedAt: it.HappenedAt, HappenedBy: it.HappenedBy, CreatedAt: it.CreatedAt,
			})
		}
		out[i] = sessionJSON{
			ID: s.ID(), Team: s.Team, Number: s.Number, Kind: s.Kind, Name: s.Name, Channel: s.Channel,
			ChannelPrivate: s.ChannelPrivate, Creator: s.Creator, CreatorName: s.CreatorName, Status: s.Status,
			LaunchOn: s.LaunchOn, CreatedAt: s.CreatedAt, ClosesAt: s.ClosesAt, ClosedAt: s.ClosedAt,
			ClosedBy: s.ClosedBy, FollowUpAt: s.FollowUpAt, FollowedUpAt: s.FollowedUpAt, Items: items,
		}
	}
	return writeJSON(w, "rituals", out)
}
