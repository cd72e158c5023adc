package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// maxChain bounds how far a supersede chain is followed each way.
const maxChain = 25

// chainLink is one decision of a supersede chain. A decision outside the
// site (in a private channel) shows as its ID alone, with no link.
type chainLink struct {
	ID, Title, URL, Status string
	Current                bool
}

// version is one line of a decision's history: who made that version,
// and when, with what it held.
type version struct {
	Version int
	Current bool
	What    string
	By      string
	At      string
	Fields  []field // an earlier version's content; none for the current
}

// field is a labelled value of a decision.
type field struct{ Label, Value string }

// decisionPage is a decision's page: every field of the template, its
// supersede chain both ways and its history.
type decisionPage struct {
	page
	D            *rituals.Decision
	Owner        string
	Author       string
	Channel      string
	ChannelFeed  string
	AreaURL      string
	AreaFeed     string
	DecidedAt    string
	Created      string
	Updated      string
	Supersedes   *chainLink
	SupersededBy *chainLink
	Chain        []chainLink // oldest first, when there is one
	History      []version   // newest first
	Comments     []comment   // its comment period's, oldest first
	APIURL       string
}

// comment is one comment on a proposal: who, when, what.
type comment struct {
	By, At, Text string
	Clipped      bool
}

// lookup returns public decision n, or nil when the site has none such.
type lookup func(ctx context.Context, n int64) (*rituals.Decision, error)

// storeLookup finds public decisions through the store.
func (s *Site) storeLookup(ctx context.Context, n int64) (*rituals.Decision, error) {
	ds, err := s.Store.Decisions(ctx, rituals.DecisionFilter{Team: s.Team, PublicOnly: true, Numbers: []int64{n}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("find decision %d: %w", n, err)
	}
	if len(ds) == 0 {
		return nil, nil
	}
	return ds[0], nil
}

// decisionView reads public decision n's page. Returns a 404 httpError
// when there is no such decision or it is in a private channel: the two
// look the same from outside.
func (s *Site) decisionView(ctx context.Context, n int64, l links, find lookup, facets rituals.DecisionFacets) (*decisionPage, error) {
	d, err := find(ctx, n)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, notFound(fmt.Sprintf("There is no public decision %s.", rituals.FormatID("D", n)))
	}
	vs, err := s.Store.DecisionVersions(ctx, d.Team, d.Number)
	if err != nil {
		return nil, fmt.Errorf("history of decision %d: %w", n, err)
	}
	if d.Comments, err = s.Store.DecisionComments(ctx, d.Team, d.Number); err != nil {
		return nil, fmt.Errorf("comments on decision %d: %w", n, err)
	}
	chain, err := supersedeChain(ctx, d, find, l)
	if err != nil {
		return nil, err
	}
	return buildDecision(s.pageBase(l, d.ID()+": "+d.Title), d, vs, chain, facets), nil
}

// supersedeChain follows d's supersede links both ways, oldest first,
// d included; links out of the site end the walk with a bare ID.
func supersedeChain(ctx context.Context, d *rituals.Decision, find lookup, l links) ([]chainLink, error) {
	link := func(o *rituals.Decision, n int64) chainLink {
		if o == nil {
			return chainLink{ID: rituals.FormatID("D", n) + " (not public)"}
		}
		return chainLink{ID: o.ID(), Title: o.Title, URL: l.Decision(o.Number), Status: string(o.Status), Current: o.Number == d.Number}
	}
	chain := []chainLink{link(d, d.Number)}
	walk := func(next func(*rituals.Decision) int64, prepend bool) error {
		cur := d
		for i := 0; i < maxChain && next(cur) != 0; i++ {
			n := next(cur)
			o, err := find(ctx, n)
			if err != nil {
				return err
			}
			if prepend {
				chain = append([]chainLink{link(o, n)}, chain...)
			} else {
				chain = append(chain, link(o, n))
			}
			if o == nil {
				return nil
			}
			cur = o
		}
		return nil
	}
	if err := walk(func(x *rituals.Decision) int64 { return x.Supersedes }, true); err != nil {
		return nil, err
	}
	if err := walk(func(x *rituals.Decision) int64 { return x.SupersededBy }, false); err != nil {
		return nil, err
	}
	return chain, nil
}

func buildDecision(base page, d *rituals.Decision, vs []rituals.DecisionVersion, chain []chainLink, f rituals.DecisionFacets) *decisionPage {
	n := newNames(f)
	for _, v := range vs {
		if v.Owner != "" && v.OwnerName != "" && n.people[v.Owner] == "" {
			n.people[v.Owner] = v.OwnerName
		}
	}
	p := &decisionPage{
		page: base, D: d, Owner: ownerLabel(d, n), Author: n.person(d.Author), Channel: n.channel(d.Channel),
		ChannelFeed: base.Link.Feed("channel", d.Channel), Created: stamp(d.CreatedAt), Updated: stamp(d.UpdatedAt),
		DecidedAt: stamp(d.DecidedAt), APIURL: base.Link.API(d.Number),
	}
	if d.Area != "" {
		p.AreaURL = base.Link.Search(Query{Area: d.Area})
		p.AreaFeed = base.Link.Feed("area", d.Area)
	}
	if len(chain) > 1 {
		p.Chain = chain
	}
	for _, c := range d.Comments {
		by := c.UserName
		if by == "" {
			by = n.person(c.User)
		}
		p.Comments = append(p.Comments, comment{By: by, At: stamp(c.At), Text: c.Text, Clipped: c.Clipped})
	}
	for i, c := range chain {
		if !c.Current {
			continue
		}
		if d.Supersedes != 0 && i > 0 {
			p.Supersedes = &chain[i-1]
		}
		if d.SupersededBy != 0 && i+1 < len(chain) {
			p.SupersededBy = &chain[i+1]
		}
	}
	// Version k+1 was made by whoever replaced version k; what it changed
	// is the difference between the two.
	snaps := append(append([]rituals.DecisionVersion{}, vs...), currentVersion(d))
	for i := len(snaps) - 1; i >= 0; i-- {
		v := snaps[i]
		h := version{Version: v.Version, What: "recorded", By: n.person(d.Author), At: stamp(d.CreatedAt)}
		if i > 0 {
			h.What = "edited: " + strings.Join(changes(snaps[i-1], v), ", ")
			h.By, h.At = n.person(snaps[i-1].ReplacedBy), stamp(snaps[i-1].ReplacedAt)
		}
		if i < len(snaps)-1 {
			h.Fields = versionFields(v, n)
		} else {
			h.Current = true
		}
		p.History = append(p.History, h)
	}
	return p
}

// currentVersion is d as a version, to compare with the earlier ones.
func currentVersion(d *rituals.Decision) rituals.DecisionVersion {
	return rituals.DecisionVersion{
		Version: d.Version, Title: d.Title, Text: d.Text, Rationale: d.Rationale, Impact: d.Impact, Links: d.Links,
		Owner: d.Owner, OwnerName: d.OwnerName, Status: d.Status, DecideBy: d.DecideBy, RevisitBy: d.RevisitBy,
		Area: d.Area, SupersededBy: d.SupersededBy,
	}
}

// changes names what b changed of a, in the template's order.
func changes(a, b rituals.DecisionVersion) []string {
	var out []string
	add := func(changed bool, what string) {
		if changed {
			out = append(out, what)
		}
	}
	add(a.Title != b.Title, "title")
	add(a.Text != b.Text, "decision")
	add(a.Rationale != b.Rationale, "rationale")
	add(a.Impact != b.Impact, "impact")
	add(a.Owner != b.Owner || a.OwnerName != b.OwnerName, "owner")
	add(a.Area != b.Area, "area")
	add(strings.Join(a.Links, "\n") != strings.Join(b.Links, "\n"), "links")
	add(a.DecideBy != b.DecideBy, "decide-by date")
	add(a.RevisitBy != b.RevisitBy, "revisit-by date")
	add(a.Status != b.Status, "status "+string(a.Status)+" → "+string(b.Status))
	if len(out) == 0 {
		return []string{"no field"}
	}
	return out
}

func versionFields(v rituals.DecisionVersion, n names) []field {
	fs := []field{{"Title", v.Title}, {"Status", string(v.Status)}, {"Decision", v.Text}}
	add := func(label, value string) {
		if value != "" {
			fs = append(fs, field{label, value})
		}
	}
	add("Rationale", v.Rationale)
	add("Impact", v.Impact)
	owner := v.OwnerName
	if owner == "" && v.Owner != "" {
		owner = n.person(v.Owner)
	}
	add("Owner", owner)
	add("Area", v.Area)
	add("Decide by", string(v.DecideBy))
	add("Revisit by", string(v.RevisitBy))
	if v.SupersededBy != 0 {
		add("Superseded by", rituals.FormatID("D", v.SupersededBy))
	}
	for i, l := range v.Links {
		add("Link "+strconv.Itoa(i+1), l)
	}
	return fs
}

// stamp is a moment as the site shows it: UTC, to the minute.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
