package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// exportPulses writes every pulse's settings and results, oldest first.
// Anonymous pulses export aggregates only, under their threshold, as in
// Slack: the export is no way around anonymity.
func exportPulses(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, channel, team *string
	cfg, fs, err := parseConfig("export pulses", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "json", "json or csv")
		channel = fs.String("channel", "", "only pulses asked from this channel: an ID (C…) or a #name")
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
	db, err := openExisting(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	f := rituals.PulseFilter{Team: *team, Oldest: true}
	if *channel != "" {
		if f.Channel, err = resolveChannel(ctx, db, *channel); err != nil {
			return err
		}
	}
	ps, err := db.Pulses(ctx, f)
	if err != nil {
		return err
	}
	svc := &rituals.Pulses{Store: db, Now: time.Now}
	reports := make([]*rituals.PulseReport, 0, len(ps))
	for _, p := range ps {
		r, err := svc.ReportOf(ctx, p)
		if err != nil {
			return fmt.Errorf("results of %s: %w", p.ID(), err)
		}
		reports = append(reports, r)
	}
	if *format == "csv" {
		return rituals.WritePulsesCSV(stdout, reports)
	}
	return rituals.WritePulsesJSON(stdout, reports)
}
