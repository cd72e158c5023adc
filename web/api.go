package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// apiDecision is a decision in the JSON API: every field of the
// template, with names that stay put.
type apiDecision struct {
	ID           string     `json:"id"`
	Number       int64      `json:"number"`
	URL          string     `json:"url"`
	Title        string     `json:"title"`
	Decision     string     `json:"decision"`
	Rationale    string     `json:"rationale"`
	Impact       string     `json:"impact"`
	Status       string     `json:"status"`
	Date         string     `json:"date"`
	DecideBy     string     `json:"decide_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	RevisitBy    string     `json:"revisit_by,omitempty"`
	Owner        apiPerson  `json:"owner"`
	Author       string     `json:"author"`
	Channel      apiChannel `json:"channel"`
	Area         string     `json:"area,omitempty"`
	Links        []string   `json:"links"`
	Source       string     `json:"source,omitempty"`
	Supersedes   string     `json:"supersedes,omitempty"`
	SupersededBy string     `json:"superseded_by,omitempty"`
	Version      int        `json:"version"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	// History is the earlier versions, on one decision's document only.
	History []apiVersion `json:"history,omitempty"`
}

type apiPerson struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

type apiChannel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type apiVersion struct {
	Version    int       `json:"version"`
	Title      string    `json:"title"`
	Decision   string    `json:"decision"`
	Rationale  string    `json:"rationale"`
	Impact     string    `json:"impact"`
	Status     string    `json:"status"`
	Owner      apiPerson `json:"owner"`
	Area       string    `json:"area,omitempty"`
	Links      []string  `json:"links"`
	ReplacedBy string    `json:"replaced_by"`
	ReplacedAt time.Time `json:"replaced_at"`
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
		ID: d.ID(), Number: d.Number, URL: l.Decision(d.Number), Title: d.Title, Decision: d.Text,
		Rationale: d.Rationale, Impact: d.Impact, Status: string(d.Status), Date: string(d.Date),
		DecideBy: string(d.DecideBy), RevisitBy: string(d.RevisitBy),
		Owner:  apiPerson{ID: d.Owner, Name: ownerLabel(d, n)},
		Author: d.Author, Channel: apiChannel{ID: d.Channel, Name: n.channels[d.Channel]},
		Area: d.Area, Links: d.Links, Source: d.Source, Version: d.Version,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
	if a.Links == nil {
		a.Links = []string{}
	}
	if !d.DecidedAt.IsZero() {
		t := d.DecidedAt.UTC()
		a.DecidedAt = &t
	}
	if d.Supersedes != 0 {
		a.Supersedes = rituals.FormatID("D", d.Supersedes)
	}
	if d.SupersededBy != 0 {
		a.SupersededBy = rituals.FormatID("D", d.SupersededBy)
	}
	return a
}

func toAPIVersions(vs []rituals.DecisionVersion, n names) []apiVersion {
	out := make([]apiVersion, len(vs))
	for i, v := range vs {
		name := v.OwnerName
		if name == "" {
			name = n.person(v.Owner)
		}
		out[i] = apiVersion{
			Version: v.Version, Title: v.Title, Decision: v.Text, Rationale: v.Rationale, Impact: v.Impact,
			Status: string(v.Status), Owner: apiPerson{ID: v.Owner, Name: name}, Area: v.Area, Links: v.Links,
			ReplacedBy: v.ReplacedBy, ReplacedAt: v.ReplacedAt.UTC(),
		}
		if out[i].Links == nil {
			out[i].Links = []string{}
		}
	}
	return out
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
	n := newNames(facets)
	a := toAPI(d, n, servedLinks)
	a.History = toAPIVersions(vs, n)
	writeJSON(w, http.StatusOK, a)
}
