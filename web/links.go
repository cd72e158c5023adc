package web

import (
	"net/url"
	"strconv"
	"strings"
)

// mode is how a page is delivered: served by alignbot, or written as a
// static file (whose links are relative, and name index.html, so the
// copy works on any static host and from disk).
type mode int

const (
	served mode = iota
	static
)

// links builds the addresses a page links to. root is "/" when served;
// in the export it leads from the page back to the export's top ("",
// "../", "../../").
type links struct {
	mode mode
	root string
}

func (l links) Static() bool { return l.mode == static }

// Asset is a file next to the pages: style.css, search.js.
func (l links) Asset(name string) string { return l.root + name }

// Home is the timeline's first page, unfiltered.
func (l links) Home() string {
	if l.mode == static {
		return l.root + "index.html"
	}
	return l.root
}

// Timeline is the timeline with q's filters and page. The export has
// the unfiltered pages only; filtering there is search's (search.js).
func (l links) Timeline(q Query) string {
	if l.mode == static {
		if q.Filtered() {
			return l.Search(q)
		}
		if q.Page > 1 {
			return l.root + "page/" + strconv.Itoa(q.Page) + "/index.html"
		}
		return l.Home()
	}
	if v := q.Values().Encode(); v != "" {
		return l.root + "?" + v
	}
	return l.root
}

// Search is where the filter form goes: the timeline when served, the
// search page (filtered in the browser) in the export.
func (l links) Search(q Query) string {
	if l.mode == static {
		u := l.root + "search/index.html"
		if v := q.Values().Encode(); v != "" {
			u += "?" + v
		}
		return u
	}
	return l.Timeline(q)
}

// FormAction is the filter form's action.
func (l links) FormAction() string {
	if l.mode == static {
		return l.root + "search/index.html"
	}
	return l.root
}

// Decision is decision n's page: /d/12 when served, d/12/index.html in
// the export (served as /d/12/ by a static host).
func (l links) Decision(n int64) string {
	if l.mode == static {
		return l.root + "d/" + strconv.FormatInt(n, 10) + "/index.html"
	}
	return l.root + "d/" + strconv.FormatInt(n, 10)
}

// API is decision n's JSON, or the list's for n = 0.
func (l links) API(n int64) string {
	suffix := ""
	if l.mode == static {
		suffix = ".json"
	}
	if n == 0 {
		return l.root + "api/decisions" + suffix
	}
	return l.root + "api/decisions/" + strconv.FormatInt(n, 10) + suffix
}

// Feed is the Atom feed of every public decision, or of one channel's
// or one area's ("channel", id / "area", name).
func (l links) Feed(kind, key string) string {
	if kind == "" {
		return l.root + "feed.atom"
	}
	return l.root + "feed/" + kind + "/" + url.PathEscape(key) + ".atom"
}

// depthRoot is the relative root of an export file at path (slash
// separated, relative to the export's top).
func depthRoot(path string) string {
	return strings.Repeat("../", strings.Count(path, "/"))
}
