package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alignbot/alignbot/storage"
	"github.com/alignbot/alignbot/web"
)

// webWriteTimeout bounds one page of the decision log: a page answers in
// milliseconds (BENCHMARKS.md).
const webWriteTimeout = 15 * time.Second

// newSite is the decision log's site over db, for cfg's workspace, or the
// database's only one (none yet: whichever comes). Returns an error when
// the database holds several and cfg names none: numbers are per
// workspace, so /d/12 would be ambiguous.
func newSite(ctx context.Context, db *storage.DB, cfg WebConfig, log *slog.Logger) (*web.Site, error) {
	team := cfg.Team
	if team == "" {
		teams, err := db.Teams(ctx)
		if err != nil {
			return nil, fmt.Errorf("cannot read workspaces for the decision log: %w", err)
		}
		switch {
		case len(teams) > 1:
			return nil, fmt.Errorf("the database holds %d workspaces (%s): set ALIGNBOT_WEB_TEAM (or --team) to the one whose decision log to show", len(teams), strings.Join(teams, ", "))
		case len(teams) == 1:
			// Pinned, so a workspace added later does not join this log.
			team = teams[0]
		}
	}
	return &web.Site{Store: db, Team: team, Token: cfg.Token, BaseURL: cfg.URL, Log: log}, nil
}

// listenWeb serves the decision log on ALIGNBOT_WEB_ADDR, when set, and
// the delivery hooks beside it: the hooks check their own signatures, so
// the site's token does not stand in their way.
func (m *Main) listenWeb(ctx context.Context) error {
	if m.Config.Web.Addr == "" {
		return nil
	}
	site, err := newSite(ctx, m.DB, m.Config.Web, m.Log.With("component", "web"))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", site.Handler())
	m.hookRoutes(mux)
	srv, addr, err := m.serve("ALIGNBOT_WEB_ADDR", m.Config.Web.Addr, mux, webWriteTimeout)
	if err != nil {
		return err
	}
	m.Web, m.WebAddr = srv, addr
	return nil
}

// exportSite writes the decision log's site as static files:
// `alignbot export site --out DIR`.
func exportSite(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var out, team *string
	cfg, fs, err := parseConfig("export site", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		out = fs.String("out", "", "the `folder` to write the site into: new, empty, or an earlier export (replaced)")
		team = fs.String("team", "", "the workspace (T…) whose log to export; needed only when the database holds several")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %s; write alignbot export site --out DIR", quoteArg(fs.Arg(0)))
	}
	if *out == "" {
		return fmt.Errorf("export site writes a folder of pages: give it with --out DIR")
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	wc := cfg.Web
	if *team != "" {
		wc.Team = *team
	}
	wc.Token = "" // a static copy has no gate; its host decides who reads it
	site, err := newSite(ctx, db, wc, newLogger(stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := site.Export(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the decision log's site (%d public decisions) into %s in %v\n", n, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
