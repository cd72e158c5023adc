package logfile

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// decisionJSON is a decision as the JSON export shows it: every field,
// under names that scripts read, so they must not change.
type decisionJSON struct {
	Team           string                 `json:"team_id"`
	Number         int64                  `json:"number"`
	Date           rituals.Date           `json:"date"`
	Title          string                 `json:"title"`
	Text           string                 `json:"decision"`
	Rationale      string                 `json:"rationale"`
	Impact         string                 `json:"impact"`
	Links          []string               `json:"links"`
	Source         string                 `json:"source,omitempty"`
	Owner          string                 `json:"owner_id"`
	OwnerName      string                 `json:"owner_name"`
	Author         string                 `json:"author_id"`
	Channel        string                 `json:"channel_id"`
	ChannelPrivate bool                   `json:"channel_private"`
	Status         rituals.DecisionStatus `json:"status"`
	DecideBy       rituals.Date           `json:"decide_by,omitempty"`
	ProposedBy     string                 `json:"proposed_by,omitempty"` // waiting for the area's Accountable owner
	SentBack       string                 `json:"sent_back,omitempty"`   // the reason it was sent back
	DecidedAt      time.Time              `json:"decided_at,omitzero"`
	RevisitBy      rituals.Date           `json:"revisit_by,omitempty"`
	Area           string                 `json:"area,omitempty"`
	PostedTo       []string               `json:"posted_to,omitempty"`
	Supersedes     int64                  `json:"supersedes,omitempty"`
	SupersededBy   int64                  `json:"superseded_by,omitempty"`
	OwnerZone      string                 `json:"owner_zone,omitempty"`
	Version        int                    `json:"version"`
	CreatedAt      time.Time              `json:"created_at"`
	UpdatedAt      time.Time              `json:"updated_at"`
	Comments       []CommentJSON          `json:"comments,omitempty"`
}

// CommentJSON is a comment on a proposal, as the JSON export and the
// site's API show it.
type CommentJSON struct {
	User     string    `json:"user_id"`
	UserName string    `json:"user_name,omitempty"`
	At       time.Time `json:"at"`
	Text     string    `json:"text"`
	Clipped  bool      `json:"clipped,omitempty"` // longer in Slack: the first rituals.MaxComment characters
	Channel  string    `json:"channel_id"`
	TS       string    `json:"ts"`
}

// CommentsJSON returns cs as the JSON export shows them; nil for none.
func CommentsJSON(cs []rituals.Comment) []CommentJSON {
	if len(cs) == 0 {
		return nil
	}
	out := make([]CommentJSON, len(cs))
	for i, c := range cs {
		out[i] = CommentJSON{User: c.User, UserName: c.UserName, At: c.At.UTC(), Text: c.Text, Clipped: c.Clipped, Channel: c.Channel, TS: c.TS}
	}
	return out
}

func decisionJSONOf(d *rituals.Decision) decisionJSON {
	return decisionJSON{
		Team: d.Team, Number: d.Number, Date: d.Date, Title: d.Title, Text: d.Text, Rationale: d.Rationale,
		Impact: d.Impact, Links: d.Links, Source: d.Source, Owner: d.Owner, OwnerName: d.OwnerName, Author: d.Author,
		Channel: d.Channel, ChannelPrivate: d.ChannelPrivate, Status: d.Status, DecideBy: d.DecideBy,
		ProposedBy: d.ProposedBy, SentBack: d.SentBack,
		DecidedAt: d.DecidedAt, RevisitBy: d.RevisitBy, Area: d.Area, PostedTo: d.PostedTo, Supersedes: d.Supersedes,
		SupersededBy: d.SupersededBy, OwnerZone: d.OwnerZone.String(), Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Comments: CommentsJSON(d.Comments),
	}
}

// WriteDecisionsJSON writes decisions as one indented JSON array with every
// field, oldest first.
func WriteDecisionsJSON(w io.Writer, decisions []*rituals.Decision) error {
	sorted := sortedByDate(decisions)
	out := make([]decisionJSON, len(sorted))
	for i, d := range sorted {
		out[i] = decisionJSONOf(d)
	}
	return writeJSON(w, "decisions", out)
}

// writeJSON writes v as the indented JSON every export uses.
func writeJSON(w io.Writer, what string, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write %s json: %w", what, err)
	}
	return nil
}
