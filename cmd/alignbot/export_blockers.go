package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// exportBlockers writes every blocker, or one channel's or workspace's,
// oldest first, as JSON or CSV.
func exportBlockers(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, channel, since, team *string
	cfg, fs, err := parseConfig("export blockers", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "json", "json or csv")
		channel = fs.String("channel", "", "only this channel: an ID (C…) or a #name")
		since = fs.String("since", "", "only blockers reported on or after YYYY-MM-DD (UTC)")
		team = fs.String("team", "", "only this workspace (T…); default every workspace")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; flags go like --format csv", fs.Arg(0))
	}
	if *format != "json" && *format != "csv" {
		return fmt.Errorf("--format %q is not one of json, csv", *format)
	}
	f := rituals.BlockerFilter{Team: *team}
	if f.Since, err = sinceFlag(*since); err != nil {
		return err
	}
	db, ch, err := openForExport(ctx, cfg, stderr, *channel)
	if err != nil {
		return err
	}
	defer db.Close()
	f.Channel = ch
	bs, err := db.Blockers(ctx, f)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return rituals.WriteBlockersCSV(stdout, bs)
	}
	return rituals.WriteBlockersJSON(stdout, bs)
}

// sinceFlag reads an export's --since day as its first instant in UTC;
// empty means no bound.
func sinceFlag(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := rituals.ParseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since: %s", rituals.ErrorMessage(err))
	}
	return d.Time(time.UTC)
}

// openForExport opens the database an export reads, and resolves its
// --channel flag (an ID or a #name) to an ID, empty when not given.
func openForExport(ctx context.Context, cfg Config, stderr io.Writer, channel string) (*storage.DB, string, error) {
	db, err := openExisting(ctx, cfg, stderr)
	if err != nil {
		return nil, "", err
	}
	if channel == "" {
		return db, "", nil
	}
	id, err := resolveChannel(ctx, db, channel)
	if err != nil {
		db.Close()
		return nil, "", err
	}
	return db, id, nil
}
