package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/alignbot/alignbot/rituals"
)

// exportRituals writes every pre-mortem and retro, or one channel's or
// workspace's, oldest first, with their items ranked, votes, owners,
// blockers and follow-up answers, as JSON.
func exportRituals(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, channel, since, team, kind *string
	cfg, fs, err := parseConfig("export rituals", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "json", "json")
		kind = fs.String("kind", "", "only premortem or retro; default both")
		channel = fs.String("channel", "", "only this channel: an ID (C…) or a #name")
		since = fs.String("since", "", "only those opened on or after YYYY-MM-DD (UTC)")
		team = fs.String("team", "", "only this workspace (T…); default every workspace")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; flags go like --format json", fs.Arg(0))
	}
	if *format != "json" {
		return fmt.Errorf("--format %q is not one of json", *format)
	}
	f := rituals.SessionFilter{Team: *team, Kind: rituals.SessionKind(*kind)}
	if f.Kind != "" && f.Kind != rituals.SessionPremortem && f.Kind != rituals.SessionRetro {
		return fmt.Errorf("--kind %q is not one of premortem, retro", *kind)
	}
	if f.Since, err = sinceFlag(*since); err != nil {
		return err
	}
	db, ch, err := openForExport(ctx, cfg, stderr, *channel)
	if err != nil {
		return err
	}
	defer db.Close()
	f.Channel = ch
	sessions, err := db.Sessions(ctx, f)
	if err != nil {
		return err
	}
	return rituals.WriteSessionsJSON(stdout, sessions)
}
