package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// openExisting opens a database that must already exist, at the schema
// this alignbot makes, for the offline commands (export, backup): they
// read a database the bot may be serving from, so they neither create
// one by mistake nor migrate one under a running bot of another version.
func openExisting(ctx context.Context, cfg Config) (*storage.DB, error) {
	if !strings.Contains(cfg.DB, "://") {
		if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s; set ALIGNBOT_DB or --db to the bot's database", storage.Redact(cfg.DB))
		}
	}
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("cannot use database: %w", err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openAndMigrate opens the configured database and brings its schema up
// to date.
func openAndMigrate(ctx context.Context, cfg Config, stderr io.Writer) (*storage.DB, error) {
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("cannot use database: %w", err)
	}
	if err := db.Migrate(ctx, newLogger(stderr, cfg.LogLevel)); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot migrate database %s: %w", storage.Redact(cfg.DB), err)
	}
	return db, nil
}

func runMigrate(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var from string
	cfg, fs, err := parseConfig("migrate", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "a SQLite database to move into the PostgreSQL one ALIGNBOT_DB names; stop the bot first")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("migrate takes no arguments, got %s; to move a SQLite database, use --from FILE", quoteArg(fs.Arg(0)))
	}
	if from != "" {
		return migrateFrom(ctx, cfg, from, stdout, stderr)
	}
	db, err := openAndMigrate(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "database", storage.Redact(cfg.DB), "is up to date")
	return nil
}

// migrateFrom moves the SQLite database at path into the PostgreSQL one
// cfg names: both are migrated first, every row is copied in one
// transaction and checked row for row before it commits.
func migrateFrom(ctx context.Context, cfg Config, path string, stdout, stderr io.Writer) error {
	if !strings.HasPrefix(cfg.DB, "postgres://") && !strings.HasPrefix(cfg.DB, "postgresql://") {
		return errors.New("--from moves a SQLite database into PostgreSQL: set ALIGNBOT_DB (or --db) to a postgres:// URL")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no SQLite database at %s: %w", path, err)
	}
	src, err := openAndMigrate(ctx, Config{DB: path, LogLevel: cfg.LogLevel}, stderr)
	if err != nil {
		return err
	}
	defer src.Close()
	if src.Dialect() != "sqlite" {
		return fmt.Errorf("--from takes a SQLite file, not %s", storage.Redact(path))
	}
	dst, err := openAndMigrate(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer dst.Close()
	start := time.Now()
	copied, err := dst.CopyFrom(ctx, src)
	if err != nil {
		return fmt.Errorf("nothing was moved: %w", err)
	}
	total := 0
	for _, t := range copied {
		fmt.Fprintf(stdout, "%-24s %8d rows\n", t.Table, t.Rows)
		total += t.Rows
	}
	fmt.Fprintf(stdout, "moved %d rows in %d tables from %s into %s in %v, checked row for row\n",
		total, len(copied), path, storage.Redact(cfg.DB), time.Since(start).Round(time.Millisecond))
	return nil
}

func runBackup(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	cfg, fs, err := parseConfig("backup", args, lookupEnv, stderr, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup takes one argument, the file to write: alignbot backup FILE")
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "backup written to", fs.Arg(0))
	return nil
}

// exporters are what `alignbot export` writes, by name; each parses its
// own flags.
var exporters = map[string]func(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error{
	"decisions": exportDecisions,
	"blockers":  exportBlockers,
	"checkins":  exportCheckins,
	"pulses":    exportPulses,
	"rituals":   exportRituals,
	"site":      exportSite,
	"rights":    exportRights,
}

func runExport(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	names := slices.Sorted(maps.Keys(exporters))
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("export needs what to export, one of: %s", strings.Join(names, ", "))
	}
	export, ok := exporters[args[0]]
	if !ok {
		return fmt.Errorf("cannot export %s; this version exports: %s", quoteArg(args[0]), strings.Join(names, ", "))
	}
	return export(ctx, args[1:], lookupEnv, stdout, stderr)
}

func exportDecisions(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, channel, since, team, out *string
	cfg, fs, err := parseConfig("export decisions", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "markdown", "markdown, json or madr (one MADR 4 file a decision, into --out)")
		out = fs.String("out", "", "with --format madr: the folder to write the records into")
		channel = fs.String("channel", "", "only this channel: an ID (C…) or a #name")
		since = fs.String("since", "", "only decisions dated on or after YYYY-MM-DD")
		team = fs.String("team", "", "only this workspace (T…); default every workspace")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %s; flags go like --format json", quoteArg(fs.Arg(0)))
	}
	switch *format {
	case "markdown", "json":
	case "madr":
		if *out == "" {
			return errors.New("--format madr writes one file a decision: give the folder with --out DIR")
		}
	default:
		return fmt.Errorf("--format %q is not one of markdown, json, madr", *format)
	}
	f := rituals.DecisionFilter{Team: *team, Oldest: true}
	if *since != "" {
		d, err := rituals.ParseDate(*since)
		if err != nil {
			return fmt.Errorf("--since: %s", rituals.ErrorMessage(err))
		}
		f.Since = d
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if *channel != "" {
		if f.Channel, err = resolveChannel(ctx, db, *channel); err != nil {
			return err
		}
	}
	ds, err := db.Decisions(ctx, f)
	if err != nil {
		return err
	}
	if err := attachComments(ctx, db, f.Team, ds); err != nil {
		return err
	}
	switch *format {
	case "json":
		return logfile.WriteDecisionsJSON(stdout, ds)
	case "madr":
		return writeMADR(ctx, db, ds, *out, stdout)
	}
	return logfile.WriteDecisionLog(stdout, ds)
}

// attachComments loads the comments of team's decisions (every team's
// when empty) into ds, for the exports.
func attachComments(ctx context.Context, db *storage.DB, team string, ds []*rituals.Decision) error {
	cs, err := db.AllDecisionComments(ctx, team)
	if err != nil {
		return err
	}
	type key struct {
		team string
		n    int64
	}
	byDecision := map[key][]rituals.Comment{}
	for _, c := range cs {
		k := key{c.Team, c.Decision}
		byDecision[k] = append(byDecision[k], c)
	}
	for _, d := range ds {
		d.Comments = byDecision[key{d.Team, d.Number}]
	}
	return nil
}

// writeMADR writes one MADR 4 record a decision into dir, replacing the
// records already there for the same decisions. Records may hold private
// channels' decisions, so a new folder and new files are their owner's
// only (0700, 0600); the operator shares them on purpose.
func writeMADR(ctx context.Context, db *storage.DB, ds []*rituals.Decision, dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	rights := map[string]*rituals.Right{}
	for _, d := range ds {
		if _, ok := rights[d.Area]; d.Area != "" && !ok {
			r, err := db.Right(ctx, d.Team, d.Area)
			if err != nil && rituals.ErrorCode(err) != rituals.ENOTFOUND {
				return err
			}
			rights[d.Area] = r
		}
	}
	files := logfile.MADR(ds, rights)
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		// A record renamed since (a new title) leaves its old file: remove it.
		if old, _ := filepath.Glob(filepath.Join(dir, f.Name[:5]+"*.md")); len(old) > 0 {
			for _, o := range old {
				if o != path {
					os.Remove(o)
				}
			}
		}
		if err := os.WriteFile(path, f.Content, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	fmt.Fprintf(stdout, "%d records written to %s\n", len(files), dir)
	return nil
}

func runImport(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "decisions" {
		return errors.New("import reads a decision log: alignbot import decisions --format markdown FILE")
	}
	var format, channel, team *string
	cfg, fs, err := parseConfig("import decisions", args[1:], lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "markdown", "markdown (the decision-log template)")
		channel = fs.String("channel", "", "the channel (ID or #name) the decisions belong to; default none, so only exports show them")
		team = fs.String("team", "", "the workspace (T…); default the database's only one")
	})
	if err != nil {
		return err
	}
	if *format != "markdown" {
		return fmt.Errorf("--format %q cannot be imported; use markdown", *format)
	}
	if fs.NArg() != 1 {
		return errors.New("import takes one file: alignbot import decisions --format markdown FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", fs.Arg(0), err)
	}
	defer f.Close()
	entries, err := logfile.ReadDecisionLog(f)
	if err != nil {
		return fmt.Errorf("%s: %s", fs.Arg(0), rituals.ErrorMessage(err))
	}
	db, err := openAndMigrate(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	c := rituals.Caller{Team: *team, User: "import", Location: time.UTC}
	if c.Team == "" {
		teams, err := db.Teams(ctx)
		if err != nil {
			return err
		}
		if len(teams) != 1 {
			return fmt.Errorf("say which workspace the decisions belong to with --team T… (this database holds %d)", len(teams))
		}
		c.Team = teams[0]
	}
	if *channel != "" {
		if c.Channel, err = resolveChannel(ctx, db, *channel); err != nil {
			return err
		}
	}
	svc := &rituals.Decisions{Store: db, Now: time.Now}
	n, err := svc.Import(ctx, c, entries)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d of %d decisions imported into %s (the others were already there)\n", n, len(entries), c.Team)
	left := 0
	for _, e := range entries {
		left += e.CommentsLeftOut
	}
	switch {
	case left == 1:
		fmt.Fprintln(stdout, "1 comment not imported: comments belong to the Slack thread they were made in")
	case left > 1:
		fmt.Fprintf(stdout, "%d comments not imported: comments belong to the Slack thread they were made in\n", left)
	}
	return nil
}

// resolveChannel accepts a channel ID or a #name the bot has seen.
func resolveChannel(ctx context.Context, db *storage.DB, s string) (string, error) {
	name, byName := strings.CutPrefix(s, "#")
	if !byName {
		return s, nil
	}
	ids, err := db.ChannelIDs(ctx, name)
	if err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no channel named #%s is known; give its ID (C…) instead", name)
	case 1:
		return ids[0], nil
	default:
		return "", fmt.Errorf("several channels are named #%s (%s); give the ID instead", name, strings.Join(ids, ", "))
	}
}
