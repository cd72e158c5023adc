package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

// exportRituals writes every pre-mortem and retro, or one channel's or
// workspace's, oldest first, with their items ranked, votes, owners,
// blockers and follow-up answers, as JSON.
func exportRituals(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var kind *string
	x, err := openExport(ctx, "export rituals", args, lookupEnv, stderr, exportFlags{
		Formats: []string{"json"}, Since: "only those opened on or after YYYY-MM-DD (UTC)",
		Extra: func(fs *flag.FlagSet) { kind = fs.String("kind", "", "only premortem or retro; default both") }})
	if err != nil {
		return err
	}
	defer x.DB.Close()
	db := x.DB
	f := rituals.SessionFilter{Team: x.Team, Channel: x.Channel, Since: x.Since, Kind: rituals.SessionKind(*kind)}
	if f.Kind != "" && f.Kind != rituals.SessionPremortem && f.Kind != rituals.SessionRetro {
		return fmt.Errorf("--kind %q is not one of premortem, retro", *kind)
	}
	sessions, err := db.Sessions(ctx, f)
	if err != nil {
		return err
	}
	return logfile.WriteSessionsJSON(stdout, sessions)
}
