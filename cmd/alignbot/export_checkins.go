package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/alignbot/alignbot/rituals"
)

// exportCheckins writes every check-in, or one channel's or workspace's,
// newest first, as JSON (with answers and replies) or CSV (a row each).
func exportCheckins(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, channel, since, team *string
	cfg, fs, err := parseConfig("export checkins", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "json", "json or csv")
		channel = fs.String("channel", "", "only this channel: an ID (C…) or a #name")
		since = fs.String("since", "", "only check-ins opened on or after YYYY-MM-DD (UTC)")
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
	f := rituals.CheckinFilter{Team: *team}
	if f.Since, err = sinceFlag(*since); err != nil {
		return err
	}
	db, ch, err := openForExport(ctx, cfg, stderr, *channel)
	if err != nil {
		return err
	}
	defer db.Close()
	f.Channel = ch
	cs, err := db.Checkins(ctx, f)
	if err != nil {
		return err
	}
	records := make([]rituals.CheckinRecord, len(cs))
	for i, c := range cs {
		records[i].Checkin = c
		if records[i].Answers, err = db.CheckinAnswers(ctx, c.Team, c.Channel, c.ScheduledFor); err != nil {
			return err
		}
		if records[i].Replies, err = db.CheckinReplies(ctx, c.Team, c.Channel, c.ScheduledFor); err != nil {
			return err
		}
	}
	if *format == "csv" {
		return rituals.WriteCheckinsCSV(stdout, records)
	}
	return rituals.WriteCheckinsJSON(stdout, records)
}
