package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/alignbot/alignbot/rituals"
)

// served links: absolute from the site's root.
var servedLinks = links{mode: served, root: "/"}

func (s *Site) timeline(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.readTimeline(w, r); ok {
		s.html(w, r, "timeline", p)
	}
}

// readTimeline reads the timeline r's URL asks for, the page and the API
// alike. When it fails it has answered r, and ok is false.
func (s *Site) readTimeline(w http.ResponseWriter, r *http.Request) (p *timelinePage, ok bool) {
	q, err := ParseQuery(r.URL.Query())
	if err == nil {
		p, err = s.timelineView(r.Context(), q, servedLinks)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return p, true
}

func (s *Site) decisionPage(w http.ResponseWriter, r *http.Request) {
	n, err := decisionNumber(r.PathValue("n"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	facets, err := s.facets(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("decision facets: %w", err))
		return
	}
	p, err := s.decisionView(r.Context(), n, servedLinks, s.storeLookup, facets)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.html(w, r, "decision", p)
}

// decisionNumber reads the 12 of /d/12 (D-12 and d12 too). Returns a 404
// httpError for anything else: no page has that address.
func decisionNumber(s string) (int64, error) {
	n, err := rituals.ParseID("D", strings.TrimSuffix(s, ".json"))
	if err != nil {
		return 0, notFound(fmt.Sprintf("%q is not a decision number; decisions are at /d/12.", clip(s)))
	}
	return n, nil
}

func (s *Site) html(w http.ResponseWriter, r *http.Request, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if err := render(w, name, data); err != nil {
		s.fail(w, r, err)
	}
}
