package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// FeedSize is how many of the newest decisions a feed carries.
const FeedSize = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Link       atomLink       `xml:"link"`
	Author     atomPerson     `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// feedKey names a feed: all decisions (kind ""), a channel's or an area's.
type feedKey struct{ kind, key string }

// parseFeed reads the feed a path names: /feed.atom,
// /feed/channel/C123.atom, /feed/area/infra.atom. Returns a 404 httpError
// for anything else.
func parseFeed(path string) (feedKey, error) {
	if path == "/feed.atom" {
		return feedKey{}, nil
	}
	rest, ok := strings.CutPrefix(path, "/feed/")
	kind, file, _ := strings.Cut(rest, "/")
	key, isAtom := strings.CutSuffix(file, ".atom")
	switch {
	case ok && isAtom && kind == "channel" && slackID.MatchString(key):
	case ok && isAtom && kind == "area" && areaName.MatchString(key):
	default:
		return feedKey{}, notFound("There is no feed at this address; feeds are /feed.atom, /feed/channel/<ID>.atom and /feed/area/<area>.atom.")
	}
	return feedKey{kind, key}, nil
}

func (k feedKey) query() Query {
	switch k.kind {
	case "channel":
		return Query{Channel: k.key, Page: 1}
	case "area":
		return Query{Area: k.key, Page: 1}
	}
	return Query{Page: 1}
}

func (s *Site) feed(w http.ResponseWriter, r *http.Request) {
	k, err := parseFeed(r.URL.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := servedLinks
	if s.BaseURL != "" {
		l.root = strings.TrimSuffix(s.BaseURL, "/") + "/"
	} else {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		l.root = scheme + "://" + r.Host + "/"
	}
	body, err := s.feedXML(r.Context(), k, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write(body)
}

// feedXML reads and writes feed k, its links made by l.
func (s *Site) feedXML(ctx context.Context, k feedKey, l links) ([]byte, error) {
	f := k.query().Filter(s.Team)
	f.Limit = FeedSize
	ds, err := s.Store.Decisions(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("feed decisions: %w", err)
	}
	facets, err := s.facets(ctx)
	if err != nil {
		return nil, fmt.Errorf("feed facets: %w", err)
	}
	return buildFeed(k, ds, newNames(facets), l)
}

func buildFeed(k feedKey, ds []*rituals.Decision, n names, l links) ([]byte, error) {
	title := "Decision log"
	switch k.kind {
	case "channel":
		title += " — " + n.channel(k.key)
	case "area":
		title += " — area " + k.key
	}
	feed := atomFeed{
		Title: title, ID: tagURI("feed/" + k.kind + "/" + k.key), Author: atomPerson{Name: "alignbot"},
		Links:   []atomLink{{Rel: "self", Type: "application/atom+xml", Href: l.Feed(k.kind, k.key)}, {Rel: "alternate", Type: "text/html", Href: l.Home()}},
		Updated: atomTime(time.Unix(0, 0)),
	}
	var latest time.Time
	for _, d := range ds {
		if d.UpdatedAt.After(latest) {
			latest = d.UpdatedAt
		}
		e := atomEntry{
			Title: d.ID() + ": " + d.Title, ID: tagURI(d.Team + "/" + d.ID()),
			Updated: atomTime(d.UpdatedAt), Published: atomTime(d.CreatedAt),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: l.Decision(d.Number)},
			Author:  atomPerson{Name: ownerLabel(d, n)},
			Summary: atomText{Type: "text", Body: string(d.Status) + " · " + string(d.Date) + " · " + n.channel(d.Channel)},
			Content: atomText{Type: "text", Body: entryText(d)},
		}
		e.Categories = append(e.Categories, atomCategory{Term: string(d.Status)})
		if d.Area != "" {
			e.Categories = append(e.Categories, atomCategory{Term: d.Area})
		}
		feed.Entries = append(feed.Entries, e)
	}
	if !latest.IsZero() {
		feed.Updated = atomTime(latest)
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write feed: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// entryText is a decision as a feed entry's text: the template's fields.
func entryText(d *rituals.Decision) string {
	var b strings.Builder
	b.WriteString("Decision: " + d.Text)
	if d.Rationale != "" {
		b.WriteString("\n\nRationale: " + d.Rationale)
	}
	if d.Impact != "" {
		b.WriteString("\n\nImpact: " + d.Impact)
	}
	return b.String()
}

// tagURI is an RFC 4151 tag: an ID that stays put wherever the site moves.
func tagURI(specific string) string { return "tag:alignbot.decision-log,2026:" + specific }

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
