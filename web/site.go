package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/alignbot/alignbot/rituals"
)

// Store is what the site reads. storage.DB implements it. The site asks
// for public channels' decisions only (DecisionFilter.PublicOnly).
type Store interface {
	// Decisions returns the decisions that pass f.
	Decisions(ctx context.Context, f rituals.DecisionFilter) ([]*rituals.Decision, error)
	// CountDecisions returns how many pass f, Limit and Offset aside.
	CountDecisions(ctx context.Context, f rituals.DecisionFilter) (int, error)
	// DecisionFacets returns the channels, areas and owners of team's
	// public decisions.
	DecisionFacets(ctx context.Context, team string) (rituals.DecisionFacets, error)
	// DecisionVersions returns a decision's earlier versions, oldest first.
	DecisionVersions(ctx context.Context, team string, number int64) ([]rituals.DecisionVersion, error)
	// DecisionComments returns a decision's comments, oldest first.
	DecisionComments(ctx context.Context, team string, n int64) ([]rituals.Comment, error)
	// DecisionLogStamp returns a value that changes whenever team's
	// decisions or channels change.
	DecisionLogStamp(ctx context.Context, team string) (string, error)
}

// PageSize is how many decisions a page of the timeline (and of the API)
// shows.
const PageSize = 50

// Site is the decision log's site. Its zero value is not usable: Store is
// required.
type Site struct {
	Store Store
	// Team is the workspace whose log is shown; empty shows every
	// workspace the database holds (decision numbers are per workspace,
	// so set it when there are several).
	Team string
	// Token, when set, closes the served site to whoever does not send
	// it (see access.go). It never appears in logs or errors.
	Token string
	// BaseURL is where the site is published, for the feeds' absolute
	// links; empty makes them relative to the request (served) or to the
	// feed (export).
	BaseURL string
	Log     *slog.Logger

	// facets are the filters' choices, kept until the log changes: they
	// take a pass over every decision, a page only a few rows.
	facetsMu    sync.Mutex
	facetsStamp string
	facetsCache rituals.DecisionFacets
}

// facets returns the channels, areas and owners of the public log, read
// again only when the log's stamp has moved.
func (s *Site) facets(ctx context.Context) (rituals.DecisionFacets, error) {
	stamp, err := s.Store.DecisionLogStamp(ctx, s.Team)
	if err != nil {
		return rituals.DecisionFacets{}, fmt.Errorf("decision log stamp: %w", err)
	}
	s.facetsMu.Lock()
	defer s.facetsMu.Unlock()
	if stamp == s.facetsStamp && s.facetsStamp != "" {
		return s.facetsCache, nil
	}
	f, err := s.Store.DecisionFacets(ctx, s.Team)
	if err != nil {
		return rituals.DecisionFacets{}, fmt.Errorf("decision facets: %w", err)
	}
	s.facetsStamp, s.facetsCache = stamp, f
	return f, nil
}

// Handler serves the site: GET and HEAD only, every other method gets
// 405; behind the token when one is set.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.timeline)
	mux.HandleFunc("GET /d/{n}", s.decisionPage)
	// The export's address of a decision (/d/12/, a folder) leads here too.
	mux.HandleFunc("GET /d/{n}/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/d/"+url.PathEscape(r.PathValue("n")), http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /api/decisions", s.apiList)
	mux.HandleFunc("GET /api/decisions/{n}", s.apiDecision)
	mux.HandleFunc("GET /feed.atom", s.feed)
	mux.HandleFunc("GET /feed/channel/{file}", s.feed)
	mux.HandleFunc("GET /feed/area/{file}", s.feed)
	mux.HandleFunc("GET /style.css", asset("style.css", "text/css; charset=utf-8"))
	mux.HandleFunc("GET /search.js", asset("search.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, notFound("There is no page at this address."))
	})
	return s.readOnly(s.gate(mux))
}

// readOnly refuses every method but GET and HEAD: nothing the site
// serves writes anything.
func (s *Site) readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "The decision log is read-only: only GET and HEAD are served.", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// httpError is a failure shown to the reader: its status and a sentence.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(msg string) error { return &httpError{http.StatusBadRequest, msg} }
func notFound(msg string) error   { return &httpError{http.StatusNotFound, msg} }

// fail answers r with err: its own status and sentence for an httpError,
// 500 (logged, never shown) for anything else. API paths get JSON.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong reading the decision log; try again in a moment."
	var he *httpError
	if errors.As(err, &he) {
		status, msg = he.status, he.msg
	} else if !errors.Is(err, context.Canceled) {
		// The path only: a query may carry the token.
		s.logger().Error("web page failed", "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = render(w, "error", errorPage{page: s.pageBase(servedLinks, "Decision log"), Status: status, Message: msg})
}

func (s *Site) logger() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}
