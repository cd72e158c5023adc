package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// exportBlockers writes every blocker, or one channel's or workspace's,
// oldest first, as JSON or CSV.
func exportBlockers(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	x, err := openExport(ctx, "export blockers", args, lookupEnv, stderr, exportFlags{
		Formats: []string{"json", "csv"}, Since: "only blockers reported on or after YYYY-MM-DD (UTC)"})
	if err != nil {
		return err
	}
	defer x.DB.Close()
	bs, err := x.DB.Blockers(ctx, rituals.BlockerFilter{Team: x.Team, Channel: x.Channel, Since: x.Since})
	if err != nil {
		return err
	}
	if x.Format == "csv" {
		return logfile.WriteBlockersCSV(stdout, bs)
	}
	return logfile.WriteBlockersJSON(stdout, bs)
}

// exportFlags are the flags an export of blockers, check-ins, pulses or
// rituals takes besides the shared ones: its formats (the first is the
// default), what --since means for it (no --since when empty), and any
// of its own.
type exportFlags struct {
	Formats []string
	Since   string
	Channel string // what --channel means, when not "only this channel"
	Extra   func(*flag.FlagSet)
}

// export is a parsed export command: its database open, its format and
// its filters, the channel resolved to an ID.
type export struct {
	DB      *storage.DB
	Format  string
	Team    string
	Channel string
	Since   time.Time
}

// openExport parses an export's flags, checks them, and opens the
// database. The caller closes x.DB.
func openExport(ctx context.Context, name string, args []string, lookupEnv func(string) (string, bool), stderr io.Writer, ef exportFlags) (*export, error) {
	var format, channel, since, team *string
	cfg, fs, err := parseConfig(name, args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", ef.Formats[0], strings.Join(ef.Formats, " or "))
		channelHelp := cmp.Or(ef.Channel, "only this channel")
		channel = fs.String("channel", "", channelHelp+": an ID (C…) or a #name")
		if ef.Since != "" {
			since = fs.String("since", "", ef.Since)
		}
		team = fs.String("team", "", "only this workspace (T…); default every workspace")
		if ef.Extra != nil {
			ef.Extra(fs)
		}
	})
	if err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %s; flags go like --format %s", quoteArg(fs.Arg(0)), ef.Formats[len(ef.Formats)-1])
	}
	if !slices.Contains(ef.Formats, *format) {
		return nil, fmt.Errorf("--format %q is not one of %s", *format, strings.Join(ef.Formats, ", "))
	}
	x := &export{Format: *format, Team: *team}
	if since != nil {
		if x.Since, err = sinceFlag(*since); err != nil {
			return nil, err
		}
	}
	if x.DB, err = openExisting(ctx, cfg); err != nil {
		return nil, err
	}
	if *channel != "" {
		if x.Channel, err = resolveChannel(ctx, x.DB, *channel); err != nil {
			x.DB.Close()
			return nil, err
		}
	}
	return x, nil
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
