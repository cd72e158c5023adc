package storage

import (
	"strings"
	"testing"
)

func TestRedactHidesThePassword(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://bot:hunter2@db:5432/align?sslmode=require":             "postgres://bot:xxxxx@db:5432/align?sslmode=require",
		"postgresql://db/align":                                            "postgresql://db/align",
		"/var/lib/alignbot/alignbot.db":                                    "/var/lib/alignbot/alignbot.db",
		"postgres://bot:p%ZZ@db/align":                                     "a PostgreSQL URL that does not parse",
		"postgres://bot@db/align?password=hunter2&sslmode=disable":         "postgres://bot@db/align?password=xxxxx&sslmode=disable",
		"postgres://bot:hunter2@db/align?sslmode=disable&password=hunter2": "postgres://bot:xxxxx@db/align?password=xxxxx&sslmode=disable",
		"postgres://bot@db/align?sslmode=verify-full&sslpassword=hunter2":  "postgres://bot@db/align?sslmode=verify-full&sslpassword=xxxxx",
		"postgres://bot@db/align?PASSWORD=hunter2&password=hunter2":        "postgres://bot@db/align?PASSWORD=xxxxx&password=xxxxx",
		"postgres://bot@db/align?password=hunter2;x=%zz":                   "postgres://bot@db/align?…",
		"mysql://bot:hunter2@db/align":                                     "mysql://bot:xxxxx@db/align",
		"host=db user=bot password=hunter2 dbname=align":                   "host=db user=bot password=xxxxx dbname=align",
		"host=db password = 'hunter2 with spaces' dbname=align":            "host=db password = xxxxx dbname=align",
		"host=db PassWord='it\\'s hunter2'":                                "host=db PassWord=xxxxx",
	} {
		got := Redact(dsn)
		if got != want || strings.Contains(got, "hunter2") {
			t.Errorf("Redact(%q) = %q, want %q", dsn, got, want)
		}
	}
}
