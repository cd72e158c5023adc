package logfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// csvTable writes an export as CSV for spreadsheets. Every cell goes
// through safeCell, so nothing a person typed runs as a formula when the
// file is opened.
type csvTable struct {
	w    *csv.Writer
	what string
}

// newCSVTable starts a CSV export of what ("blockers", …) with its header.
func newCSVTable(w io.Writer, what string, header ...string) *csvTable {
	t := &csvTable{w: csv.NewWriter(w), what: what}
	t.Row(header...)
	return t
}

// Row writes one row. A write error is kept and returned by Close.
func (t *csvTable) Row(cells ...string) {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = safeCell(c)
	}
	t.w.Write(safe)
}

// Close flushes the table and returns the first write error.
func (t *csvTable) Close() error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return fmt.Errorf("write %s csv: %w", t.what, err)
	}
	return nil
}

// safeCell defuses CSV injection as OWASP advises: a cell starting with
// '=', '+', '-', '@', a tab or a carriage return gets a leading "'", which
// spreadsheets read as "this is text", so "=HYPERLINK(…)" typed into a
// blocker stays text. A negative number typed by a person ("-5") is
// prefixed too; that is the standard trade-off, and no number alignbot
// itself writes is negative.
func safeCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// csvTime writes a time as RFC 3339 in UTC, empty when unset.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
