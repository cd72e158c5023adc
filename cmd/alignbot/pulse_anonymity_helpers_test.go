package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// storedRow is one row as an operator with the database can read it: its
// columns, and the system columns that say when and where it was written.
type storedRow struct {
	Table string
	// Xmin is PostgreSQL's ID of the transaction that wrote the row; ""
	// on SQLite.
	Xmin string
	// Place is where the row is stored: its ctid on PostgreSQL, its rowid
	// on SQLite (-1 for a table without one). Rows come in this order.
	Place string
	Line  string // every column, joined by "|"
}

// dumpRows returns every row of every table in the database at dsn (a
// SQLite file or a PostgreSQL URL), each table's in storage order.
func dumpRows(t *testing.T, dsn string) []storedRow {
	t.Helper()
	postgres := strings.HasPrefix(dsn, "postgres")
	driver, source, list := "sqlite", "file:"+dsn+"?mode=ro", `SELECT name FROM sqlite_master WHERE type = 'table'`
	if postgres {
		driver, source = "pgx", dsn
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := queryStrings(t, db, list)
	sort.Strings(tables)
	var out []storedRow
	for _, table := range tables {
		query := `SELECT '' AS sys_xmin, rowid AS sys_place, * FROM "` + table + `" ORDER BY rowid`
		if postgres {
			query = `SELECT xmin::text AS sys_xmin, ctid::text AS sys_place, * FROM "` + table + `" ORDER BY ctid`
		}
		rows, err := db.Query(query)
		if err != nil && !postgres { // a table WITHOUT ROWID (full-text search's own)
			rows, err = db.Query(`SELECT '' AS sys_xmin, -1 AS sys_place, * FROM "` + table + `"`)
		}
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			values := scanValues(t, rows, len(cols))
			r := storedRow{Table: table, Xmin: fmt.Sprint(values[0]), Place: fmt.Sprint(values[1])}
			var b strings.Builder
			for _, v := range values[2:] {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			r.Line = b.String()
			out = append(out, r)
		}
		rows.Close()
	}
	return out
}

// queryStrings returns the one column of query's rows.
func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// scanValues reads the current row of rows, of n columns, as it comes.
func scanValues(t *testing.T, rows *sql.Rows, n int) []any {
	t.Helper()
	values := make([]any, n)
	ptrs := make([]any, n)
	for i := range values {
		ptrs[i] = &values[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	return values
}

// rowsOf returns the lines of table's rows.
func rowsOf(rows []storedRow, table string) []string {
	var out []string
	for _, r := range rows {
		if r.Table == table {
			out = append(out, r.Line)
		}
	}
	return out
}

// tokensIn returns the answer tokens in the buttons of user's DMs.
func tokensIn(h *harness, user string) []string {
	var out []string
	walkButtons(h.fs.DMs(user), func(b pulseButtonValue) {
		if b.T != "" && !slices.Contains(out, b.T) {
			out = append(out, b.T)
		}
	})
	return out
}

// sharesIn returns the key shares in the buttons of user's DMs.
func sharesIn(h *harness, user string) []string {
	var out []string
	walkButtons(h.fs.DMs(user), func(b pulseButtonValue) {
		for _, s := range b.S {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	})
	return out
}

type pulseButtonValue struct {
	P int64    `json:"p"`
	T string   `json:"t"`
	S []string `json:"s"`
}

// walkButtons calls fn with the value of every pulse answer button in ms.
func walkButtons(ms []fakeslack.Message, fn func(pulseButtonValue)) {
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["value"].(string); ok && strings.HasPrefix(s, `{"p":`) {
				var b pulseButtonValue
				if json.Unmarshal([]byte(s), &b) == nil {
					fn(b)
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
	for _, m := range ms {
		for _, b := range m.Blocks {
			walk(b)
		}
	}
}

// metricsText returns the bot's metrics, one sample a line.
func metricsText(t *testing.T, h *harness) string {
	t.Helper()
	families, err := h.main.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range families {
		for _, m := range f.GetMetric() {
			fmt.Fprintf(&b, "%s %v\n", f.GetName(), m.GetLabel())
		}
	}
	return b.String()
}
