package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

// exportPulses writes every pulse's settings and results, oldest first.
// Anonymous pulses export aggregates only, under their threshold, as in
// Slack: the export is no way around anonymity.
func exportPulses(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	x, err := openExport(ctx, "export pulses", args, lookupEnv, stderr, exportFlags{
		Formats: []string{"json", "csv"}, Channel: "only pulses asked from this channel"})
	if err != nil {
		return err
	}
	defer x.DB.Close()
	db := x.DB
	f := rituals.PulseFilter{Team: x.Team, Channel: x.Channel, Oldest: true}
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
	if x.Format == "csv" {
		return logfile.WritePulsesCSV(stdout, reports)
	}
	return logfile.WritePulsesJSON(stdout, reports)
}
