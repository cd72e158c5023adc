package rituals_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// FuzzParseID checks that an ID people type is either refused with a
// plain sentence or a positive number that formats back to an ID read as
// the same number.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"D-12", "d-12", "D12", "12", "D-0", "B-7", "-3", "D--3", "D-9223372036854775808", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := rituals.ParseID("D", s)
		if err != nil {
			refused(t, "ParseID", s, err)
			return
		}
		if back, err := rituals.ParseID("D", rituals.FormatID("D", n)); n <= 0 || err != nil || back != n {
			t.Fatalf("ParseID(%q) = %d, which formats as %q and reads back as %d, %v", s, n, rituals.FormatID("D", n), back, err)
		}
	})
}

// FuzzQuickDecision checks the decision "/decide <text>" records: the
// whole text, trimmed, and a title of at most MaxTitle characters on one
// line, taken from its start.
func FuzzQuickDecision(f *testing.F) {
	for _, s := range []string{"Use semver for public APIs", "  two\nlines  ", strings.Repeat("é", 151), ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // Slack sends UTF-8 only
		}
		in := rituals.QuickDecision(text)
		if in.Text != strings.TrimSpace(text) {
			t.Fatalf("text %q, want %q", in.Text, strings.TrimSpace(text))
		}
		if n := utf8.RuneCountInString(in.Title); n > rituals.MaxTitle || strings.ContainsAny(in.Title, "\n\r") {
			t.Fatalf("title %q: %d characters, or several lines", in.Title, n)
		}
		if !strings.HasPrefix(strings.Join(strings.Fields(text), " "), in.Title) || in.Title != strings.TrimSpace(in.Title) {
			t.Fatalf("title %q is not the start of %q", in.Title, text)
		}
	})
}
