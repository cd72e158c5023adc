package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// openExisting opens and migrates a database that must already exist: the
// offline commands never create an empty one by mistake.
func openExisting(ctx context.Context, cfg Config, stderr io.Writer) (*storage.DB, error) {
	if !strings.Contains(cfg.DB, "://") {
		if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s; set ALIGNBOT_DB or --db to the bot's database", cfg.DB)
		}
	}
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("cannot use database: %w", err)
	}
	if err := db.Migrate(ctx, newLogger(stderr, cfg.LogLevel)); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot migrate database %s: %w", cfg.DB, err)
	}
	return db, nil
}

func runMigrate(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	cfg, _, err := parseConfig("migrate", args, lookupEnv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("cannot use database: %w", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, newLogger(stderr, cfg.LogLevel)); err != nil {
		return fmt.Errorf("cannot migrate database %s: %w", cfg.DB, err)
	}
	fmt.Fprintln(stdout, "database", cfg.DB, "is up to date")
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
	db, err := openExisting(ctx, cfg, stderr)
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
}

func runExport(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	names := slices.Sorted(maps.Keys(exporters))
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("export needs what to export, one of: %s", strings.Join(names, ", "))
	}
	export, ok := exporters[args[0]]
	if !ok {
		return fmt.Errorf("cannot export %q; this version exports: %s", args[0], strings.Join(names, ", "))
	}
	return export(ctx, args[1:], lookupEnv, stdout, stderr)
}

func exportDecisions(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, channel, since, team *string
	cfg, fs, err := parseConfig("export decisions", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "markdown", "markdown or json")
		channel = fs.String("channel", "", "only this channel: an ID (C…) or a #name")
		since = fs.String("since", "", "only decisions dated on or after YYYY-MM-DD")
		team = fs.String("team", "", "only this workspace (T…); default every workspace")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; flags go like --format json", fs.Arg(0))
	}
	if *format != "markdown" && *format != "json" {
		return fmt.Errorf("--format %q is not one of markdown, json", *format)
	}
	f := rituals.DecisionFilter{Team: *team, Oldest: true}
	if *since != "" {
		d, err := rituals.ParseDate(*since)
		if err != nil {
			return fmt.Errorf("--since: %s", rituals.ErrorMessage(err))
		}
		f.Since = d
	}
	db, err := openExisting(ctx, cfg, stderr)
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
	if *format == "json" {
		return rituals.WriteDecisionsJSON(stdout, ds)
	}
	return rituals.WriteDecisionLog(stdout, ds)
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
