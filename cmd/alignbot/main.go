// Command alignbot runs a team's async alignment rituals in Slack and
// keeps its decision log. See `alignbot help`.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alignbot/alignbot/storage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the exit code.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		err = runServe(ctx, args, lookupEnv, stderr)
	case "migrate":
		err = runMigrate(ctx, args, lookupEnv, stdout, stderr)
	case "export":
		err = runExport(ctx, args, lookupEnv, stdout, stderr)
	case "import":
		err = runImport(ctx, args, lookupEnv, stdout, stderr)
	case "backup":
		err = runBackup(ctx, args, lookupEnv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "alignbot", version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = fmt.Errorf("unknown command %s; run `alignbot help` for the list", quoteArg(cmd))
	}
	if err == errUsage {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "alignbot:", err)
		return 1
	}
	return 0
}

// quoteArg quotes a command-line word for an error message, unless it
// looks like a token or a URL with a password: a secret pasted in the
// wrong place is not printed back.
func quoteArg(s string) string {
	if strings.HasPrefix(s, "xox") || strings.HasPrefix(s, "xapp-") || storage.Redact(s) != s {
		return "(a token or password, not shown)"
	}
	return fmt.Sprintf("%q", s)
}

const usage = `alignbot runs your team's async alignment rituals in Slack and keeps its decision log.

Usage:
  alignbot [run] [flags]       connect to Slack (Socket Mode, or HTTP) and serve (the default)
  alignbot migrate [flags]     apply database migrations and exit
  alignbot migrate --from FILE move a SQLite database into the PostgreSQL one ALIGNBOT_DB names
  alignbot export decisions [--format markdown|json|madr] [--out DIR] [--channel C] [--since YYYY-MM-DD]
                               print the decision log (safe while the bot runs);
                               madr writes one MADR 4 record a decision into DIR
  alignbot export blockers|checkins [--format json|csv] [--channel C] [--since YYYY-MM-DD]
  alignbot export pulses [--format json|csv] [--channel C]
  alignbot export rituals [--format json] [--kind premortem|retro] [--channel C] [--since YYYY-MM-DD]
                               every blocker, check-in run, pulse (anonymous ones as aggregates)
                               or pre-mortem and retro, with its fields
  alignbot export site --out DIR [--team T]
                               write the decision log's read-only site (public channels only)
                               as static files, with its feeds, JSON and in-browser search
  alignbot export rights [--format markdown|json|csv] [--out FILE] [--team T]
                               the decision rights (RACI) as a handbook page, a table an area,
                               or JSON or CSV; --out writes FILE whole, to commit to a repository
  alignbot import decisions --format markdown FILE [--channel C] [--team T]
                               add a decision log in the playbook's template
  alignbot backup FILE         write a consistent copy of the live SQLite database to FILE (mode 0600)
                               export and backup never migrate: after an upgrade, run migrate first
  alignbot version             print the version
  alignbot help                print this

Configuration (each variable also has a flag; see "alignbot run -h", which shows
only whether a token or secret is set, never its value):
  SLACK_BOT_TOKEN      xoxb-… bot token (required for run)
  SLACK_APP_TOKEN      xapp-… app-level token with connections:write (required for run in socket mode)
  ALIGNBOT_MODE        socket (default) or http: Slack's requests over HTTPS on ALIGNBOT_HTTP_ADDR
  SLACK_SIGNING_SECRET checks each request in http mode
  SLACK_API_URL        Web API base URL (default https://slack.com/api/)
  ALIGNBOT_DB          SQLite file path or postgres:// URL (default alignbot.db)
  ALIGNBOT_HTTP_ADDR   http mode: Slack's requests only (/slack/…); socket mode: /healthz,
                       /readyz, /metrics unless ALIGNBOT_OPS_ADDR is set (default 127.0.0.1:8080; empty: off)
  ALIGNBOT_OPS_ADDR    /healthz, /readyz, /metrics (default 127.0.0.1:9090 in http mode,
                       ALIGNBOT_HTTP_ADDR in socket mode; empty: off)
  ALIGNBOT_ADMINS      comma-separated Slack user IDs who may edit any entry
  ALIGNBOT_LOG_LEVEL   debug, info, warn, error (default info); logs are JSON on stderr
  ALIGNBOT_POSTS_PER_MINUTE  most messages posted per minute in one workspace (default 300)
  ALIGNBOT_WEB_ADDR    the decision log's read-only site, public channels only, and the delivery hooks (default empty: off)
  ALIGNBOT_WEB_URL     its public URL: decision cards get an "Open in the log" link; hook URLs start with it
  ALIGNBOT_WEB_TOKEN   a shared token that closes the site (bearer, or ?token= once for a cookie)
  ALIGNBOT_WEB_TEAM    the workspace the site shows, when the database holds several
`
