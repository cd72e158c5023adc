package storage

import (
	"strings"
	"testing"
)

func TestRedactHidesThePassword(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://bot:hunter2@db:5432/align?sslmode=require": "postgres://bot:xxxxx@db:5432/align?sslmode=require",
		"postgresql://db/align":                                "postgresql://db/align",
		"/var/lib/alignbot/alignbot.db":                        "/var/lib/alignbot/alignbot.db",
		"postgres://bot:p%ZZ@db/align":                         "a PostgreSQL URL that does not parse",
	} {
		got := Redact(dsn)
		if got != want || strings.Contains(got, "hunter2") {
			t.Errorf("Redact(%q) = %q, want %q", dsn, got, want)
		}
	}
}
