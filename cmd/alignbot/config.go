package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// Config is alignbot's configuration: environment variables, each
// overridden by a flag of the same meaning.
type Config struct {
	BotToken      string
	AppToken      string
	APIURL        string
	DB            string
	HTTPAddr      string
	Admins        []string
	LogLevel      slog.Level
	Mode          string
	SigningSecret string
	// PostsPerMinute caps chat.postMessage across a workspace.
	PostsPerMinute int
}

// configFlags declares the shared flags on fs, with defaults from env.
func configFlags(fs *flag.FlagSet, lookupEnv func(string) (string, bool)) func() (Config, error) {
	env := func(name, def string) string {
		if v, ok := lookupEnv(name); ok && v != "" {
			return v
		}
		return def
	}
	botToken := fs.String("bot-token", env("SLACK_BOT_TOKEN", ""), "bot token, xoxb-… (env SLACK_BOT_TOKEN; prefer the variable: flags show in ps)")
	appToken := fs.String("app-token", env("SLACK_APP_TOKEN", ""), "app-level token with connections:write, xapp-… (env SLACK_APP_TOKEN)")
	apiURL := fs.String("api-url", env("SLACK_API_URL", "https://slack.com/api/"), "Slack Web API base URL (env SLACK_API_URL)")
	db := fs.String("db", env("ALIGNBOT_DB", "alignbot.db"), "SQLite file path (env ALIGNBOT_DB)")
	httpAddr := fs.String("http-addr", env("ALIGNBOT_HTTP_ADDR", "127.0.0.1:8080"), "address for /healthz, /readyz, /metrics; empty turns it off (env ALIGNBOT_HTTP_ADDR)")
	admins := fs.String("admins", env("ALIGNBOT_ADMINS", ""), "Slack user IDs, comma-separated, allowed to change any channel's rituals and edit any entry (env ALIGNBOT_ADMINS)")
	logLevel := fs.String("log-level", env("ALIGNBOT_LOG_LEVEL", "info"), "debug, info, warn or error (env ALIGNBOT_LOG_LEVEL)")
	mode := fs.String("mode", env("ALIGNBOT_MODE", "socket"), "socket (Socket Mode) or http (Events API over HTTP, for replicas behind a load balancer) (env ALIGNBOT_MODE)")
	secret := fs.String("signing-secret", env("SLACK_SIGNING_SECRET", ""), "signing secret, for http mode (env SLACK_SIGNING_SECRET)")
	posts := fs.String("posts-per-minute", env("ALIGNBOT_POSTS_PER_MINUTE", "300"), "most messages posted per minute in one workspace; Slack allows several hundred (env ALIGNBOT_POSTS_PER_MINUTE)")
	if v, ok := lookupEnv("ALIGNBOT_HTTP_ADDR"); ok && v == "" {
		// An explicitly empty variable turns the HTTP endpoints off.
		*httpAddr = ""
	}
	return func() (Config, error) {
		cfg := Config{
			BotToken: strings.TrimSpace(*botToken), AppToken: strings.TrimSpace(*appToken),
			APIURL: *apiURL, DB: *db, HTTPAddr: *httpAddr, Mode: *mode, SigningSecret: *secret,
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
