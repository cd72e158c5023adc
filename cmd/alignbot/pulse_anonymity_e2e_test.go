package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// dumpTables returns every row of every table in the database at dsn (a
// SQLite file or a PostgreSQL URL), each row as its columns joined:
// everything an operator with the database could read.
func dumpTables(t *testing.T, dsn string) map[string][]string {
	t.Helper()
	driver, source, list := "sqlite", "file:"+dsn+"?mode=ro", `SELECT name FROM sqlite_master WHERE type = 'table'`
	if strings.HasPrefix(dsn, "postgres") {
		driver, source = "pgx", dsn
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range values {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			out[table] = append(out[table], b.String())
		}
		rows.Close()
	}
	return out
}

// tokensIn returns the answer tokens in the buttons of user's DMs.
func tokensIn(h *harness, user string) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["value"].(string); ok && strings.HasPrefix(s, `{"p":`) {
				var b struct {
					T string `json:"t"`
				}
				if json.Unmarshal([]byte(s), &b) == nil && b.T != "" && !slices.Contains(out, b.T) {
					out = append(out, b.T)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, m := range h.fs.DMs(user) {
		for _, b := range m.Blocks {
			walk(b)
		}
	}
	return out
}

// TestPulseAnonymityLeavesNoLink answers two anonymous pulses, changes
// answers, closes them and exports them; then it reads every column of
// every table, every log line and both exports, and finds no place that
// holds a person next to what they answered, or next to a token or key
// that leads to it.
func TestPulseAnonymityLeavesNoLink(t *testing.T) {
	_, h, _ := pulseWorld(t)
	h.pulseReply(adm, team, "roles <!subteam^S0ENG|@eng>=engineering <!subteam^S0PM|@pm>=product")
	choices := "Billing rewrite\nSearch revamp\nMobile app\nData platform"
	h.sendPulse(adm, team, "", pulseValues("If we shipped nothing for 30 days, which project would we miss most?",
		"kind", fakeslack.StaticValue("choice"), "choices", fakeslack.TextValue(choices), "threshold", fakeslack.TextValue("3")))
	h.sendPulse(adm, team, "", pulseValues("Where do our teams disagree most about priorities right now?",
		"kind", fakeslack.StaticValue("text"), "threshold", fakeslack.TextValue("3")))

	// What each person answered, last answer first; earlier answers must
	// leave no trace either.
	answered := map[string][]string{}
	pick := func(user string, i int) {
		label := strings.Split(choices, "\n")[i]
		h.answer(user, "P-1", i, label)
		answered[user] = append([]string{label}, answered[user]...)
	}
	write := func(user, text string) {
		h.answerText(user, "P-2", text)
		answered[user] = append([]string{text}, answered[user]...)
	}
	pick("U0ENG01", 0)
	pick("U0ENG01", 2) // changed
	pick("U0PM01", 1)
	pick(ann, 3)
	write("U0ENG02", "quokka roadmap versus narwhal deadlines")
	write("U0PM02", "pelican pricing")
	write("U0PM02", "axolotl onboarding, on reflection") // changed
	write(bob, "wombat release dates")
	tokens := map[string][]string{}
	for user := range answered {
		tokens[user] = tokensIn(h, user)
		if len(tokens[user]) == 0 {
			t.Fatalf("found no answer token in %s's DMs", user)
		}
	}
	h.pulseReply(adm, team, "close P-1")
	h.pulseReply(adm, team, "close P-2")
	h.results(team, 2)
	h.waitFor("the outbox to drain", func() bool {
		n := 0
		for _, row := range dumpTables(t, h.db)["outbox"] {
			if strings.Contains(row, "|pending|") {
				n++
			}
		}
		return n == 0
	})

	tables := dumpTables(t, h.db)
	var keys []string
	for _, row := range tables["pulse_answers"] {
		keys = append(keys, strings.Split(row, "|")[3])
	}
	if len(keys) != 6 {
		t.Fatalf("%d answer rows, want 6: %v", len(keys), tables["pulse_answers"])
	}
	// links returns what in line ties a person to an answer, or to a
	// token or key that leads to one.
	links := func(line string) []string {
		var found []string
		for user, answers := range answered {
			if !strings.Contains(line, user) {
				continue
			}
			for _, secret := range append(append(append([]string(nil), answers...), tokens[user]...), keys...) {
				if strings.Contains(line, secret) {
					found = append(found, user+" next to "+clipTest(secret))
				}
			}
		}
		for _, toks := range tokens {
			for _, tok := range toks {
				if strings.Contains(line, tok) {
					found = append(found, "an answer token")
				}
			}
		}
		return found
	}
	if links("U0PM02|axolotl onboarding, on reflection|") == nil || links("x|"+tokens[bob][0]) == nil {
		t.Fatal("the link check is blind: it missed a planted link")
	}
	check := func(where, line string) {
		t.Helper()
		if found := links(line); found != nil {
			t.Errorf("%s holds %v:\n%s", where, found, line)
		}
	}
	for table, rows := range tables {
		for _, row := range rows {
			check("table "+table, row)
		}
	}
	for _, line := range strings.Split(h.logs.String(), "\n") {
		check("log", line)
	}
	for _, format := range []string{"json", "csv"} {
		for _, line := range strings.Split(h.export("pulses", "--format", format), "\n") {
			check(format+" export", line)
		}
	}
	if dm := messageText(h.prompts("U0PM02", "P-2")[0]); !strings.Contains(dm, "axolotl onboarding") {
		t.Errorf("the one place a person meets their answer, their DM, does not show it:\n%s", dm)
	}

	t.Run("ResultsStillCountEveryone", func(t *testing.T) {
		results := h.results(team, 1)
		for _, want := range []string{"3 of 10 answered", "33% · Search revamp (1)", "33% · Mobile app (1)", "0% · Billing rewrite (0)"} {
			if !strings.Contains(results, want) {
				t.Errorf("results lack %q:\n%s", want, results)
			}
		}
		if text := h.results(team, 2); !strings.Contains(text, "axolotl onboarding") || strings.Contains(text, "pelican") {
			t.Errorf("free-text results:\n%s", text)
		}
	})
}
