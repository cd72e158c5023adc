package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// apiDecision is a decision in the JSON API. Its fields are named as
// `alignbot export decisions --format json` names them, so one script
// reads both; what is the bot's own business (the owner's time zone, the
// channels a card was also posted to) stays out, and the site adds the
// ID, the page's URL, the channel's name and, for one decision, its
// history.
type apiDecision struct {
	ID           string                 `json:"id"`
	Number       int64                  `json:"number"`
	URL          string                 `json:"url"`
	Date         rituals.Date           `json:"date"`
	Title        string                 `json:"title"`
	Text         string                 `json:"decision"`
	Rationale    string                 `json:"rationale"`
	Impact       string                 `json:"impact"`
	Links        []string               `json:"links"`
	Source       string                 `json:"source,omitempty"`
	Owner        string                 `json:"owner_id"`
	OwnerName    string                 `json:"owner_name"`
	Author       string                 `json:"author_id"`
	Channel      string                 `json:"channel_id"`
	ChannelName  string                 `json:"channel_name,omitempty"`
	Status       rituals.DecisionStatus `json:"status"`
	DecideBy     rituals.Date           `json:"decide_by,omitempty"`
	DecidedAt    time.Time              `json:"decided_at,omitzero"`
	RevisitBy    rituals.Date           `json:"revisit_by,omitempty"`
	Area         string                 `json:"area,omitempty"`
	Supersedes   int64                  `json:"supersedes,omitempty"`
	SupersededBy int64                  `json:"superseded_by,omitempty"`
	Version      int                    `json:"version"`
	CreatedAt    time.Time              `json:"created_at"`
	UpdatedAt    time.Time              `json:"updated_at"`
	// History is the earlier versions, on one decision's document only.
	History []apiVersion `json:"history,omitempty"`
	// Comments are its comment period's, on one decision's document
	// only, as the JSON export writes them.
	Comments []apiComment `json:"comments,omitempty"`
}

// apiComment is a comment on a proposal: who, when, what.
type apiComment struct {
	User     string    `json:"user_id"`
	UserName string    `json:"user_name,omitempty"`
	At       time.Time `json:"at"`
	Text     string    `json:"text"`
	Clipped  bool      `json:"clipped,omitempty"`
	Channel  string    `json:"channel_id"`
	TS       string    `json:"ts"`
}

func toAPIComments(cs []rituals.Comment) []apiComment {
	var out []apiComment
	for _, c := range cs {
		out = append(out, apiComment{User: c.User, UserName: c.UserName, At: c.At.UTC(), Text: c.Text, Clipped: c.Clipped, Channel: c.Channel, TS: c.TS})
	}
	return out
}

// apiVersion is an earlier version of a decision: what it held, who
// replaced it and when.
type apiVersion struct {
	Version      int                    `json:"version"`
	Title        string                 `json:"title"`
	Text         string                 `json:"decision"`
	Rationale    string                 `json:"rationale"`
	Impact       string                 `json:"impact"`
	Links        []string               `json:"links"`
	Owner        string                 `json:"owner_id"`
	OwnerName    string                 `json:"owner_name"`
	Status       rituals.DecisionStatus `json:"status"`
	DecideBy     rituals.Date           `json:"decide_by,omitempty"`
	RevisitBy    rituals.Date           `json:"revisit_by,omitempty"`
	Area         string                 `json:"area,omitempty"`
	SupersededBy int64                  `json:"superseded_by,omitempty"`
	ReplacedBy   string                 `json:"replaced_by"`
	ReplacedAt   time.Time              `json:"replaced_at"`
}

// apiList is a page of the list: the decisions and where the rest are.
type apiList struct {
	Decisions []apiDecision `json:"decisions"`
	Total     int           `json:"total"`
	Page      int           `json:"page"`
	Pages     int           `json:"pages"`
	Next      string        `json:"next,omitempty"`
}

func toAPI(d *rituals.Decision, n names, l links) apiDecision {
	a := apiDecision{
		ID: d.ID(), Number: d.Number, URL: l.Decision(d.Number), Date: d.Date, Title: d.Title, Text: d.Text,
		Rationale: d.Rationale, Impact: d.Impact, Links: nonNil(d.Links), Source: d.Source,
		Owner: d.Owner, OwnerName: ownerLabel(d, n), Author: d.Author, Channel: d.Channel, ChannelName: n.channels[d.Channel],
		Status: d.Status, DecideBy: d.DecideBy, DecidedAt: d.DecidedAt.UTC(), RevisitBy: d.RevisitBy, Area: d.Area,
		Supersedes: d.Supersedes, SupersededBy: d.SupersededBy, Version: d.Version,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
	return a
}

func toAPIVersions(vs []rituals.DecisionVersion) []apiVersion {
	out := make([]apiVersion, len(vs))
	for i, v := range vs {
		out[i] = apiVersion{
			Version: v.Version, Title: v.Title, Text: v.Text, Rationale: v.Rationale, Impact: v.Impact,
			Links: nonNil(v.Links), Owner: v.Owner, OwnerName: v.OwnerName, Status: v.Status, DecideBy: v.DecideBy,
			RevisitBy: v.RevisitBy, Area: v.Area, SupersededBy: v.SupersededBy,
			ReplacedBy: v.ReplacedBy, ReplacedAt: v.ReplacedAt.UTC(),
		}
	}
	return out
}

// nonNil is links, or an empty list: JSON readers get [] rather than null.
func nonNil(links []string) []string {
	if links == nil {
		return []string{}
	}
	return links
}

// apiList serves /api/decisions: the timeline's filters and pages, as
// JSON.
func (s *Site) apiList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.readTimeline(w, r)
	if !ok {
		return
	}
	q, ds := p.Query, p.decisions
	n := newNames(p.Facets)
	out := apiList{Decisions: []apiDecision{}, Total: p.Total, Page: q.Page, Pages: p.Pages}
	for _, d := range ds {
		out.Decisions = append(out.Decisions, toAPI(d, n, servedLinks))
	}
	if q.Page < p.Pages {
		out.Next = "/api/decisions?" + q.WithPage(q.Page+1).Values().Encode()
	}
	writeJSON(w, http.StatusOK, out)
}

// apiDecision serves /api/decisions/12: one decision with its history.
func (s *Site) apiDecision(w http.ResponseWriter, r *http.Request) {
	num, err := decisionNumber(strings.TrimSuffix(r.PathValue("n"), ".json"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.storeLookup(r.Context(), num)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d == nil {
		s.fail(w, r, notFound("There is no public decision "+rituals.FormatID("D", num)+"."))
		return
	}
	facets, err := s.facets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vs, err := s.Store.DecisionVersions(r.Context(), d.Team, d.Number)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.Store.DecisionComments(r.Context(), d.Team, d.Number)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n := newNames(facets)
	a := toAPI(d, n, servedLinks)
	a.History = toAPIVersions(vs)
	a.Comments = toAPIComments(cs)
	writeJSON(w, http.StatusOK, a)
}
