package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/alignbot/alignbot/rituals"
)

// exportMarker marks a folder as an export, so a later export may empty
// it: a decision that has left the site must leave the copy too.
const exportMarker = ".alignbot-site"

// Export writes the site into dir as static files, for any static host:
// the timeline's pages, a page per decision, the feeds, the API as JSON
// files, and search (a prebuilt index and search.js, run in the
// browser). dir must be empty, missing, or an earlier export, which is
// replaced. Returns how many decisions it holds.
func (s *Site) Export(ctx context.Context, dir string) (int, error) {
	if err := prepareDir(dir); err != nil {
		return 0, err
	}
	all, err := s.Store.Decisions(ctx, rituals.DecisionFilter{Team: s.Team, PublicOnly: true})
	if err != nil {
		return 0, fmt.Errorf("read decisions: %w", err)
	}
	facets, err := s.Store.DecisionFacets(ctx, s.Team)
	if err != nil {
		return 0, fmt.Errorf("read facets: %w", err)
	}
	x := exporter{s: s, dir: dir, all: all, facets: facets, names: newNames(facets), byNumber: map[int64]*rituals.Decision{}}
	for _, d := range all {
		x.byNumber[d.Number] = d
	}
	err = errors.Join(x.timeline(), x.search(), x.decisions(ctx), x.feeds(), x.assets(),
		os.WriteFile(filepath.Join(dir, exportMarker), []byte("written by alignbot export site\n"), 0o644))
	if err != nil {
		return 0, fmt.Errorf("export site to %s: %w", dir, err)
	}
	return len(all), nil
}

// prepareDir makes dir ready: created when missing, emptied when it
// holds an earlier export. Returns an error for a folder with anything
// else in it.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, exportMarker)); err != nil {
		return fmt.Errorf("%s is not empty and holds no earlier export; give an empty or new folder", dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("empty earlier export: %w", err)
		}
	}
	return nil
}

type exporter struct {
	s        *Site
	dir      string
	all      []*rituals.Decision
	facets   rituals.DecisionFacets
	names    names
	byNumber map[int64]*rituals.Decision
}

// links are the relative links of the file at path.
func (x *exporter) links(path string) links { return links{mode: static, root: depthRoot(path)} }

// absolute is l with its links made absolute when the site's address is
// known (ALIGNBOT_WEB_URL): for feeds and JSON, read away from the pages.
// Without it, l's relative links stay (the JSON's are relative to the
// export's top).
func (x *exporter) absolute(l links) links {
	if x.s.BaseURL != "" {
		l.root = strings.TrimSuffix(x.s.BaseURL, "/") + "/"
	}
	return l
}

func (x *exporter) write(path string, body []byte) error {
	full := filepath.Join(x.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, body, 0o644)
}

func (x *exporter) page(path, name string, data any) error {
	var b strings.Builder
	if err := render(&b, name, data); err != nil {
		return err
	}
	return x.write(path, []byte(b.String()))
}

func (x *exporter) timeline() error {
	pages := max(1, (len(x.all)+PageSize-1)/PageSize)
	for p := 1; p <= pages; p++ {
		path := "index.html"
		if p > 1 {
			path = "page/" + strconv.Itoa(p) + "/index.html"
		}
		from, to := (p-1)*PageSize, min(p*PageSize, len(x.all))
		t := buildTimeline(x.s.pageBase(x.links(path), "Decision log"), x.all[from:to], len(x.all), Query{Page: p}, x.facets)
		if err := x.page(path, "timeline", t); err != nil {
			return err
		}
	}
	return nil
}

func (x *exporter) search() error {
	const path = "search/index.html"
	t := buildTimeline(x.s.pageBase(x.links(path), "Search the decision log"), nil, 0, Query{Page: 1}, x.facets)
	if err := x.page(path, "search", t); err != nil {
		return err
	}
	index := make([]searchEntry, len(x.all))
	for i, d := range x.all {
		index[i] = searchEntry{
			N: d.Number, ID: d.ID(), URL: links{mode: static}.Decision(d.Number), Title: d.Title, Date: string(d.Date),
			Status: string(d.Status), Channel: d.Channel, ChannelName: x.names.channel(d.Channel), Area: d.Area,
			Owner: d.Owner, OwnerName: ownerLabel(d, x.names), Summary: listSummary(d),
			Body: strings.Join([]string{d.Text, d.Rationale, d.Impact}, "\n"),
		}
	}
	body, err := json.Marshal(index)
	if err != nil {
		return err
	}
	return x.write("search-index.json", body)
}

// searchEntry is a decision in the export's search index: what search.js
// matches and shows.
type searchEntry struct {
	N           int64  `json:"n"`
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Date        string `json:"date"`
	Status      string `json:"status"`
	Channel     string `json:"channel"`
	ChannelName string `json:"channel_name"`
	Area        string `json:"area,omitempty"`
	Owner       string `json:"owner"`
	OwnerName   string `json:"owner_name"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
}

func (x *exporter) decisions(ctx context.Context) error {
	find := func(_ context.Context, n int64) (*rituals.Decision, error) { return x.byNumber[n], nil }
	list := apiList{Decisions: []apiDecision{}, Total: len(x.all), Page: 1, Pages: 1}
	apiLinks := x.absolute(links{mode: static})
	for _, d := range x.all {
		path := "d/" + strconv.FormatInt(d.Number, 10) + "/index.html"
		p, err := x.s.decisionView(ctx, d.Number, x.links(path), find, x.facets)
		if err != nil {
			return err
		}
		if err := x.page(path, "decision", p); err != nil {
			return err
		}
		vs, err := x.s.Store.DecisionVersions(ctx, d.Team, d.Number)
		if err != nil {
			return fmt.Errorf("history of decision %d: %w", d.Number, err)
		}
		one := toAPI(d, x.names, apiLinks)
		one.History = toAPIVersions(vs)
		if err := x.json("api/decisions/"+strconv.FormatInt(d.Number, 10)+".json", one); err != nil {
			return err
		}
		list.Decisions = append(list.Decisions, toAPI(d, x.names, apiLinks))
	}
	return x.json("api/decisions.json", list)
}

func (x *exporter) json(path string, v any) error {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return x.write(path, append(body, '\n'))
}

func (x *exporter) feeds() error {
	keys := []feedKey{{}}
	for _, c := range x.facets.Channels {
		keys = append(keys, feedKey{"channel", c.ID})
	}
	for _, a := range x.facets.Areas {
		keys = append(keys, feedKey{"area", a})
	}
	for _, k := range keys {
		path := links{}.Feed(k.kind, k.key)
		l := x.absolute(x.links(path))
		var ds []*rituals.Decision
		for _, d := range x.all {
			if len(ds) == FeedSize {
				break
			}
			if k.kind == "" || (k.kind == "channel" && d.Channel == k.key) || (k.kind == "area" && d.Area == k.key) {
				ds = append(ds, d)
			}
		}
		body, err := buildFeed(k, ds, x.names, l)
		if err != nil {
			return err
		}
		if err := x.write(path, body); err != nil {
			return err
		}
	}
	return nil
}

func (x *exporter) assets() error {
	for _, name := range []string{"style.css", "search.js"} {
		body, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return err
		}
		if err := x.write(name, body); err != nil {
			return err
		}
	}
	return nil
}
