package rituals_test

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// FuzzLines checks how a check-in answer's list is split: each item is a
// non-empty, trimmed line of what was typed, bullets dropped.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"- one\n• two\n* three\n1. four\n\n", "12. x", "-", "  - ", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range rituals.Lines(s) {
			if l == "" || l != strings.TrimSpace(l) || strings.Contains(l, "\n") || !strings.Contains(s, l) {
				t.Fatalf("Lines(%q) has item %q", s, l)
			}
		}
	})
}
