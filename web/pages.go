package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// page is what every page shares: its title, its links and the note on
// who may read the site.
type page struct {
	Title  string
	Link   links
	Access string
}

func (s *Site) pageBase(l links, title string) page {
	return page{Title: title, Link: l, Access: s.accessNote(l.mode)}
}

// names tells people and channels by name, as the log knows them.
type names struct {
	people   map[string]string
	channels map[string]string
}

func newNames(f rituals.DecisionFacets) names {
	n := names{people: map[string]string{}, channels: map[string]string{}}
	for _, p := range f.Owners {
		if p.Name != "" {
			n.people[p.ID] = p.Name
		}
	}
	for _, c := range f.Channels {
		if c.Name != "" {
			n.channels[c.ID] = c.Name
		}
	}
	return n
}

// person is a user ID's name when the log knows one, else the ID.
func (n names) person(id string) string {
	if name := n.people[id]; name != "" {
		return name
	}
	if id == "" {
		return "nobody"
	}
	return id
}

// channel is "#name", or the ID when the name is not known.
func (n names) channel(id string) string {
	if name := n.channels[id]; name != "" {
		return "#" + name
	}
	return id
}

// ownerLabel is how a decision's owner reads on the site. It is the one
// place that knows what an owner is, so an owner of another kind (a
// team, say) changes only this.
func ownerLabel(d *rituals.Decision, n names) string {
	switch {
	case d.OwnerName != "":
		return d.OwnerName
	case d.Owner != "":
		return n.person(d.Owner)
	default:
		return "nobody"
	}
}

// item is one decision in a list.
type item struct {
	ID, Title, URL, Date, Status, Owner, Channel, Area, Summary string
}

func newItem(d *rituals.Decision, n names, l links) item {
	return item{
		ID: d.ID(), Title: d.Title, URL: l.Decision(d.Number), Date: string(d.Date), Status: string(d.Status),
		Owner: ownerLabel(d, n), Channel: n.channel(d.Channel), Area: d.Area, Summary: listSummary(d),
	}
}

// listSummary is what a list shows under a decision's title: the start
// of its text, unless that only repeats the title (as "/decide <text>"
// records it).
func listSummary(d *rituals.Decision) string {
	s := summary(d.Text, 220)
	if s == strings.Join(strings.Fields(d.Title), " ") {
		return ""
	}
	return s
}

// summary is text on one line, cut at about max characters on a word.
func summary(text string, max int) string {
	s := strings.Join(strings.Fields(text), " ")
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := string(r[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// month is a run of a timeline's decisions recorded in one month.
type month struct {
	ID, Label string
	Items     []item
}

// timelinePage is the timeline: filters, decisions grouped by month (or,
// for a search, best match first), and the pages around.
type timelinePage struct {
	page
	Query     Query
	Facets    rituals.DecisionFacets
	Statuses  []rituals.DecisionStatus
	Months    []month
	Results   []item // a search's, best match first
	Searching bool
	Total     int
	Pages     int
	Prev      string
	Next      string
	Feed      string // the feed that matches the filters best

	decisions []*rituals.Decision // the page's, for the API
}

func buildTimeline(base page, ds []*rituals.Decision, total int, q Query, f rituals.DecisionFacets) *timelinePage {
	n := newNames(f)
	t := &timelinePage{page: base, Query: q, Facets: f, Statuses: Statuses, Total: total, Searching: q.Q != ""}
	t.Pages = max(1, (total+PageSize-1)/PageSize)
	if q.Page > 1 {
		t.Prev = base.Link.Timeline(q.WithPage(q.Page - 1))
	}
	if q.Page < t.Pages {
		t.Next = base.Link.Timeline(q.WithPage(q.Page + 1))
	}
	switch {
	case q.Area != "":
		t.Feed = base.Link.Feed("area", q.Area)
	case q.Channel != "":
		t.Feed = base.Link.Feed("channel", q.Channel)
	default:
		t.Feed = base.Link.Feed("", "")
	}
	for _, d := range ds {
		it := newItem(d, n, base.Link)
		if t.Searching {
			t.Results = append(t.Results, it)
			continue
		}
		id := string(d.Date)[:min(7, len(d.Date))]
		if len(t.Months) == 0 || t.Months[len(t.Months)-1].ID != id {
			t.Months = append(t.Months, month{ID: id, Label: monthLabel(d.Date)})
		}
		m := &t.Months[len(t.Months)-1]
		m.Items = append(m.Items, it)
	}
	return t
}

func monthLabel(d rituals.Date) string {
	t, err := time.Parse("2006-01-02", string(d))
	if err != nil {
		return string(d)
	}
	return t.Format("January 2006")
}

// timelineView reads the timeline q asks for. Returns a 400 httpError for
// a page past the last.
func (s *Site) timelineView(ctx context.Context, q Query, l links) (*timelinePage, error) {
	f := q.Filter(s.Team)
	total, err := s.Store.CountDecisions(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("count decisions: %w", err)
	}
	if pages := max(1, (total+PageSize-1)/PageSize); q.Page > pages {
		return nil, badRequest(fmt.Sprintf("There is no page %d: this view has %d page(s).", q.Page, pages))
	}
	f.Limit, f.Offset = PageSize, (q.Page-1)*PageSize
	ds, err := s.Store.Decisions(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	facets, err := s.facets(ctx)
	if err != nil {
		return nil, fmt.Errorf("decision facets: %w", err)
	}
	title := "Decision log"
	if q.Filtered() {
		title = "Decision log — filtered"
	}
	t := buildTimeline(s.pageBase(l, title), ds, total, q, facets)
	t.decisions = ds
	return t, nil
}
