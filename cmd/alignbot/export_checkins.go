package main

import (
	"context"
	"io"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

// exportCheckins writes every check-in, or one channel's or workspace's,
// newest first, as JSON (with answers and replies) or CSV (a row each).
func exportCheckins(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	x, err := openExport(ctx, "export checkins", args, lookupEnv, stderr, exportFlags{
		Formats: []string{"json", "csv"}, Since: "only check-ins opened on or after YYYY-MM-DD (UTC)"})
	if err != nil {
		return err
	}
	defer x.DB.Close()
	db := x.DB
	cs, err := db.Checkins(ctx, rituals.CheckinFilter{Team: x.Team, Channel: x.Channel, Since: x.Since})
	if err != nil {
		return err
	}
	records := make([]logfile.CheckinRecord, len(cs))
	for i, c := range cs {
		records[i].Checkin = c
		if records[i].Answers, err = db.CheckinAnswers(ctx, c.Team, c.Channel, c.ScheduledFor); err != nil {
			return err
		}
		if records[i].Replies, err = db.CheckinReplies(ctx, c.Team, c.Channel, c.ScheduledFor); err != nil {
			return err
		}
	}
	if x.Format == "csv" {
		return logfile.WriteCheckinsCSV(stdout, records)
	}
	return logfile.WriteCheckinsJSON(stdout, records)
}
