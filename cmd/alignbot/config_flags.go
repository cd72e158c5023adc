package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/alignbot/alignbot/storage"
)

// secretValue is a flag holding a token or secret. flag prints a flag's
// default (here, the environment's value) in usage text, from String: so
// String never returns the secret, and the usage says only whether the
// variable is set.
type secretValue struct{ value string }

func (s *secretValue) String() string     { return "" }
func (s *secretValue) Set(v string) error { s.value = v; return nil }

// secretFlag declares a secret flag whose default comes from the
// environment variable name.
func secretFlag(fs *flag.FlagSet, flagName, name string, lookupEnv func(string) (string, bool), usage string) *secretValue {
	s := &secretValue{}
	if v, ok := lookupEnv(name); ok {
		s.value = v
	}
	fs.Var(s, flagName, fmt.Sprintf("%s (env %s, %s; prefer the variable: flags show in ps)", usage, name, setOrNot(s.value)))
	return s
}

func setOrNot(v string) string {
	if v == "" {
		return "not set"
	}
	return "set"
}

// dbFlag is the database flag: a postgres:// URL may carry a password,
// so the default flag prints is redacted.
type dbFlag struct{ value string }

func (d *dbFlag) String() string {
	if d == nil {
		return ""
	}
	return storage.Redact(d.value)
}
func (d *dbFlag) Set(v string) error { d.value = v; return nil }

// optionalFlag is a string flag that tells "set to empty" from "not set".
type optionalFlag struct {
	value string
	set   bool
}

func (o *optionalFlag) String() string {
	if o == nil {
		return ""
	}
	return o.value
}
func (o *optionalFlag) Set(v string) error { o.value, o.set = v, true; return nil }

// String describes c for people: secrets as set or not set, the
// database redacted. It keeps a stray %v from printing a token.
func (c Config) String() string {
	return fmt.Sprintf("{mode=%s bot_token=%s app_token=%s signing_secret=%s db=%s http_addr=%s ops_addr=%s api_url=%s admins=%s log_level=%s posts_per_minute=%d web_addr=%s web_url=%s web_token=%s web_team=%s}",
		c.Mode, setOrNot(c.BotToken), setOrNot(c.AppToken), setOrNot(c.SigningSecret), storage.Redact(c.DB),
		c.HTTPAddr, c.OpsAddr, c.APIURL, strings.Join(c.Admins, ","), c.LogLevel, c.PostsPerMinute,
		c.Web.Addr, c.Web.URL, setOrNot(c.Web.Token), c.Web.Team)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is c as String shows it, for slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String describes w with its token as set or not set.
func (w WebConfig) String() string {
	return fmt.Sprintf("{addr=%s url=%s token=%s team=%s}", w.Addr, w.URL, setOrNot(w.Token), w.Team)
}

// GoString is String, for %#v.
func (w WebConfig) GoString() string { return w.String() }

// LogValue is w as String shows it, for slog.
func (w WebConfig) LogValue() slog.Value { return slog.StringValue(w.String()) }
