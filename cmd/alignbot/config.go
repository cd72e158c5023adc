package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Config is alignbot's configuration: environment variables, each
// overridden by a flag of the same meaning. Its String and LogValue show
// the secrets only as set or not set, and the database redacted.
type Config struct {
	BotToken string
	AppToken string
	APIURL   string
	DB       string
	// HTTPAddr is where Slack's requests come in, in http mode; in socket
	// mode it is where the ops endpoints are served unless OpsAddr says
	// otherwise (see configFlags).
	HTTPAddr string
	// OpsAddr is where /healthz, /readyz and /metrics are served; empty
	// turns them off.
	OpsAddr       string
	Admins        []string
	LogLevel      slog.Level
	Mode          string
	SigningSecret string
	// PostsPerMinute caps chat.postMessage across a workspace.
	PostsPerMinute int
	// Web is the decision log's site.
	Web WebConfig
}

// WebConfig is the decision log's site (issue 19): served on Addr when
// set, linked from decision cards when URL is set, closed with Token
// when set, and showing Team's log (empty: the database's only one).
type WebConfig struct {
	Addr  string
	URL   string
	Token string
	Team  string
}

// defaultOpsAddr is where the ops endpoints listen in http mode, apart
// from the public listener.
const defaultOpsAddr = "127.0.0.1:9090"

// configFlags declares the shared flags on fs, with defaults from env.
// The usage text flag prints shows those defaults: a secret's shows only
// whether it is set, the database's is redacted.
func configFlags(fs *flag.FlagSet, lookupEnv func(string) (string, bool)) func() (Config, error) {
	env := func(name, def string) string {
		if v, ok := lookupEnv(name); ok && v != "" {
			return v
		}
		return def
	}
	botToken := secretFlag(fs, "bot-token", "SLACK_BOT_TOKEN", lookupEnv, "bot token, `xoxb-…`")
	appToken := secretFlag(fs, "app-token", "SLACK_APP_TOKEN", lookupEnv, "app-level token with connections:write, `xapp-…`")
	apiURL := fs.String("api-url", env("SLACK_API_URL", "https://slack.com/api/"), "Slack Web API base URL (env SLACK_API_URL)")
	db := &dbFlag{value: env("ALIGNBOT_DB", "alignbot.db")}
	fs.Var(db, "db", "the `database`: a SQLite file path or a postgres:// URL (env ALIGNBOT_DB; a password in it is never shown)")
	httpAddr := fs.String("http-addr", env("ALIGNBOT_HTTP_ADDR", "127.0.0.1:8080"), "http mode: where Slack's requests come in; socket mode: /healthz, /readyz, /metrics unless --ops-addr is set; empty turns it off (env ALIGNBOT_HTTP_ADDR)")
	opsAddr := &optionalFlag{}
	if v, ok := lookupEnv("ALIGNBOT_OPS_ADDR"); ok {
		opsAddr.Set(v)
	}
	fs.Var(opsAddr, "ops-addr", "`address` for /healthz, /readyz, /metrics; empty turns them off (env ALIGNBOT_OPS_ADDR; default "+defaultOpsAddr+" in http mode, --http-addr in socket mode)")
	admins := fs.String("admins", env("ALIGNBOT_ADMINS", ""), "Slack user IDs, comma-separated, allowed to change any channel's rituals and edit any entry (env ALIGNBOT_ADMINS)")
	logLevel := fs.String("log-level", env("ALIGNBOT_LOG_LEVEL", "info"), "debug, info, warn or error (env ALIGNBOT_LOG_LEVEL)")
	mode := fs.String("mode", env("ALIGNBOT_MODE", "socket"), "socket (Socket Mode) or http (Events API over HTTP, for replicas behind a load balancer) (env ALIGNBOT_MODE)")
	secret := secretFlag(fs, "signing-secret", "SLACK_SIGNING_SECRET", lookupEnv, "signing `secret`, for http mode")
	posts := fs.String("posts-per-minute", env("ALIGNBOT_POSTS_PER_MINUTE", "300"), "most messages posted per minute in one workspace; Slack allows several hundred (env ALIGNBOT_POSTS_PER_MINUTE)")
	webAddr := fs.String("web-addr", env("ALIGNBOT_WEB_ADDR", ""), "`address` for the decision log's read-only site; empty (the default) turns it off (env ALIGNBOT_WEB_ADDR)")
	webURL := fs.String("web-url", env("ALIGNBOT_WEB_URL", ""), "the site's public `URL`: decision cards link to it, feeds use it (env ALIGNBOT_WEB_URL)")
	webToken := secretFlag(fs, "web-token", "ALIGNBOT_WEB_TOKEN", lookupEnv, "shared `token` that closes the site: a bearer token, or ?token= once for a cookie")
	webTeam := fs.String("web-team", env("ALIGNBOT_WEB_TEAM", ""), "the workspace (`T…`) whose decision log the site shows; needed only when the database holds several (env ALIGNBOT_WEB_TEAM)")
	if v, ok := lookupEnv("ALIGNBOT_HTTP_ADDR"); ok && v == "" {
		// An explicitly empty variable turns the HTTP endpoints off.
		*httpAddr = ""
	}
	return func() (Config, error) {
		cfg := Config{
			BotToken: strings.TrimSpace(botToken.value), AppToken: strings.TrimSpace(appToken.value),
			APIURL: *apiURL, DB: db.value, HTTPAddr: *httpAddr, Mode: *mode, SigningSecret: secret.value,
			Web: WebConfig{Addr: strings.TrimSpace(*webAddr), URL: strings.TrimSpace(*webURL), Token: webToken.value, Team: strings.TrimSpace(*webTeam)},
		}
		switch {
		case opsAddr.set:
			cfg.OpsAddr = opsAddr.value
		case cfg.Mode == "http":
			cfg.OpsAddr = defaultOpsAddr
		default:
			// Socket Mode has no public listener: ALIGNBOT_HTTP_ADDR has
			// always served the ops endpoints there, and still does.
			cfg.OpsAddr = cfg.HTTPAddr
		}
		if !strings.HasSuffix(cfg.APIURL, "/") {
			cfg.APIURL += "/"
		}
		for _, a := range strings.Split(*admins, ",") {
			if a = strings.TrimSpace(a); a != "" {
				cfg.Admins = append(cfg.Admins, a)
			}
		}
		n, err := strconv.Atoi(*posts)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("ALIGNBOT_POSTS_PER_MINUTE %q is not a positive whole number", *posts)
		}
		cfg.PostsPerMinute = n
		if err := cfg.Web.check(); err != nil {
			return cfg, err
		}
		if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
			return cfg, fmt.Errorf("ALIGNBOT_LOG_LEVEL %q is not one of debug, info, warn, error", *logLevel)
		}
		return cfg, nil
	}
}

// validateRun checks what `alignbot run` needs, in one sentence a person
// can act on. Tokens are never echoed, only their kind.
func (c Config) validateRun() error {
	if err := checkToken("SLACK_BOT_TOKEN", c.BotToken, "xoxb-", "the bot token from your app's OAuth & Permissions page"); err != nil {
		return err
	}
	switch c.Mode {
	case "socket":
		return checkToken("SLACK_APP_TOKEN", c.AppToken, "xapp-", "an app-level token with connections:write from your app's Basic Information page")
	case "http":
		if c.SigningSecret == "" {
			return errors.New("SLACK_SIGNING_SECRET is not set: ALIGNBOT_MODE=http needs it to check that requests come from Slack (your app's Basic Information page)")
		}
		if c.HTTPAddr == "" {
			return errors.New("ALIGNBOT_HTTP_ADDR is empty: ALIGNBOT_MODE=http serves Slack's requests there")
		}
		if _, port, _ := net.SplitHostPort(c.OpsAddr); c.OpsAddr == c.HTTPAddr && port != "0" {
			return fmt.Errorf("ALIGNBOT_OPS_ADDR is ALIGNBOT_HTTP_ADDR (%s): in http mode /healthz, /readyz and /metrics stay off the public listener; give them another address (default %s) or set it empty", c.HTTPAddr, defaultOpsAddr)
		}
		return nil
	default:
		return fmt.Errorf("ALIGNBOT_MODE %q is not one of socket, http", c.Mode)
	}
}

func checkToken(name, value, prefix, what string) error {
	if value == "" {
		return fmt.Errorf("%s is not set: give it %s (%s…)", name, what, prefix)
	}
	if !strings.HasPrefix(value, prefix) {
		kind := "something else"
		if i := strings.Index(value, "-"); i > 0 && i <= 5 {
			kind = "a " + value[:i+1] + "… token"
		}
		return fmt.Errorf("%s must be %s (%s…), but it holds %s", name, what, prefix, kind)
	}
	return nil
}

// parseConfig parses a subcommand's flags (the shared ones, plus those
// extra declares) and returns the configuration. A flag error has already
// been printed, and comes back as errUsage.
func parseConfig(name string, args []string, lookupEnv func(string) (string, bool), stderr io.Writer, extra func(*flag.FlagSet)) (Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("alignbot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	load := configFlags(fs, lookupEnv)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, fs, errUsage
	}
	cfg, err := load()
	return cfg, fs, err
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// check refuses a site URL that is not an absolute http(s) URL: cards
// would carry broken links.
func (w WebConfig) check() error {
	if w.URL == "" {
		return nil
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("ALIGNBOT_WEB_URL %q is not an http(s) URL like https://decisions.example.com/", w.URL)
	}
	return nil
}
