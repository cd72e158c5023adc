package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// Query is a timeline's filters and page, as the URL carries them so a
// filtered view can be shared: ?q=&channel=&area=&status=&owner=&from=&to=&page=.
type Query struct {
	Q       string
	Channel string
	Area    string
	Status  rituals.DecisionStatus
	Owner   string
	From    rituals.Date
	To      rituals.Date
	Page    int // 1-based
}

// MaxPage bounds the page number a URL may ask for, before the count is
// known: far more than 10,000 decisions' worth.
const MaxPage = 100000

var (
	slackID  = regexp.MustCompile(`^[A-Z0-9]{1,32}$`)
	areaName = regexp.MustCompile(`^[a-z0-9._-]{1,40}$`)
)

// Statuses are the statuses a timeline can be filtered by, in their order
// of life.
var Statuses = []rituals.DecisionStatus{rituals.StatusProposed, rituals.StatusDecided,
	rituals.StatusSuperseded, rituals.StatusDeprecated, rituals.StatusDropped}

// ParseQuery reads a timeline's filters from v. Returns a 400 httpError
// naming the value that is wrong and what it should look like.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{
		Q: strings.TrimSpace(v.Get("q")), Channel: strings.TrimSpace(v.Get("channel")),
		Area: strings.TrimSpace(v.Get("area")), Owner: strings.TrimSpace(v.Get("owner")), Page: 1,
	}
	if n := utf8.RuneCountInString(q.Q); n > rituals.MaxSearchQuery {
		return q, badRequest(fmt.Sprintf("The search is %d characters long; keep it under %d.", n, rituals.MaxSearchQuery))
	}
	if q.Channel != "" && !slackID.MatchString(q.Channel) {
		return q, badRequest(fmt.Sprintf("The channel %q is not a Slack channel ID; pick one from the list.", clip(q.Channel)))
	}
	if q.Owner != "" && !slackID.MatchString(q.Owner) {
		return q, badRequest(fmt.Sprintf("The owner %q is not a Slack user ID; pick one from the list.", clip(q.Owner)))
	}
	if q.Area != "" && !areaName.MatchString(q.Area) {
		return q, badRequest(fmt.Sprintf("The area %q is not an area name (lower-case letters, digits, '-', '_', '.').", clip(q.Area)))
	}
	if s := strings.TrimSpace(v.Get("status")); s != "" {
		q.Status = rituals.DecisionStatus(s)
		if !validStatus(q.Status) {
			return q, badRequest(fmt.Sprintf("The status %q is not one of proposed, decided, superseded, deprecated, dropped.", clip(s)))
		}
	}
	for _, d := range []struct {
		name string
		into *rituals.Date
	}{{"from", &q.From}, {"to", &q.To}} {
		s := strings.TrimSpace(v.Get(d.name))
		if s == "" {
			continue
		}
		date, err := rituals.ParseDate(s)
		if err != nil {
			return q, badRequest(fmt.Sprintf("The %s date %q is not a date; write it as YYYY-MM-DD.", d.name, clip(s)))
		}
		*d.into = date
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, badRequest(fmt.Sprintf("The date range ends (%s) before it starts (%s).", q.To, q.From))
	}
	if s := strings.TrimSpace(v.Get("page")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPage {
			return q, badRequest(fmt.Sprintf("The page %q is not a page number; pages are numbered from 1.", clip(s)))
		}
		q.Page = n
	}
	return q, nil
}

func validStatus(s rituals.DecisionStatus) bool {
	for _, st := range Statuses {
		if s == st {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// Filter is q as the store's filter for team: public channels only.
func (q Query) Filter(team string) rituals.DecisionFilter {
	return rituals.DecisionFilter{
		Team: team, PublicOnly: true, Query: q.Q, Channel: q.Channel, Area: q.Area, Status: q.Status,
		Owner: q.Owner, Since: q.From, Until: q.To,
	}
}

// Filtered reports whether q narrows the timeline.
func (q Query) Filtered() bool {
	return q.Q != "" || q.Channel != "" || q.Area != "" || q.Status != "" || q.Owner != "" || q.From != "" || q.To != ""
}

// Values is q in a URL's query, page included when it is not the first:
// the inverse of ParseQuery.
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Q)
	set("channel", q.Channel)
	set("area", q.Area)
	set("status", string(q.Status))
	set("owner", q.Owner)
	set("from", string(q.From))
	set("to", string(q.To))
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// WithPage is q on another page.
func (q Query) WithPage(n int) Query { q.Page = n; return q }
