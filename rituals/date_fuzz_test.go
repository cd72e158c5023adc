package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// FuzzParseDate checks that a date people type is either refused with a
// plain sentence or read as exactly the day written, which reads back as
// itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-05-01", "2026-02-29", "2028-02-29", "2026-13-01", "2026-1-1", "0000-01-01", "9999-12-31", "tomorrow", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := rituals.ParseDate(s)
		if err != nil {
			refused(t, "ParseDate", s, err)
			return
		}
		if string(d) != s {
			t.Fatalf("ParseDate(%q) = %q, not the day written", s, d)
		}
		day, err := d.Time(time.UTC)
		if err != nil || rituals.DateOf(day) != d {
			t.Fatalf("%q starts at %v (%v), which is day %q", d, day, err, rituals.DateOf(day))
		}
	})
}
