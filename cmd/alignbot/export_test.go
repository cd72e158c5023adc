package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/testdb"
)

func TestExportDecisionsFilters(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.decide(ann, general, "Adopt a single decisions log")
	h.waitCards(general, 1)
	h.decide(bob, random, "Pricing page goes live in December")
	h.waitCards(random, 1)

	titles := func(out string) string {
		var got []string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "## ") {
				got = append(got, l[strings.Index(l, "— ")+len("— "):])
			}
		}
		return strings.Join(got, "|")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"decisions"}, "Pricing page goes live in December|Adopt a single decisions log"},
		{[]string{"decisions", "--channel", general}, "Adopt a single decisions log"},
		{[]string{"decisions", "--channel", "#random"}, "Pricing page goes live in December"},
		{[]string{"decisions", "--since", "2026-11-25"}, "Adopt a single decisions log"},
		{[]string{"decisions", "--since", "2026-11-26"}, ""},
	} {
		if got := titles(h.export(tc.args...)); got != tc.want {
			t.Errorf("export %v: %q, want %q", tc.args, got, tc.want)
		}
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "export needs what to export, one of: "},
		{[]string{"export", "widgets"}, "cannot export \"widgets\""},
		{[]string{"export", "decisions", "--format", "xml", "--db", h.db}, "--format \"xml\" is not one of markdown, json, madr"},
		{[]string{"export", "decisions", "--format", "madr", "--db", h.db}, "give the folder with --out DIR"},
		{[]string{"export", "decisions", "--since", "yesterday", "--db", h.db}, "--since: \"yesterday\" is not a date"},
		{[]string{"export", "decisions", "--channel", "#nope", "--db", h.db}, "no channel named #nope"},
		{[]string{"export", "decisions", "--db", filepath.Join(t.TempDir(), "none.db")}, "no database at"},
		{[]string{"export", "decisions", "stray", "--db", h.db}, "unexpected argument"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), tc.args, noEnv, &out, &errOut)
		if code == 0 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut.String(), tc.want)
		}
	}

	t.Run("BackupIsReadable", func(t *testing.T) {
		if testdb.Postgres() {
			t.Skip("backup copies SQLite databases; PostgreSQL has pg_dump")
		}
		backup := filepath.Join(t.TempDir(), "copy.db")
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"backup", "--db", h.db, backup}, noEnv, &out, &errOut); code != 0 {
			t.Fatalf("backup: %s", errOut.String())
		}
		if got := countDecisions(t, backup); got != 2 {
			t.Fatalf("backup holds %d decisions, want 2", got)
		}
		if code := run(context.Background(), []string{"backup", "--db", h.db, backup}, noEnv, &out, &errOut); code == 0 {
			t.Fatal("backup overwrote an existing file")
		}
	})
}
