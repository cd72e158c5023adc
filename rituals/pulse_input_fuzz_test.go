package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fuzzcheck"
	"github.com/alignbot/alignbot/rituals"
)

// FuzzPulseInput checks the pulse form's typed fields: how long it stays
// open and its anonymity threshold are within their ranges, or refused
// with a plain sentence.
func FuzzPulseInput(f *testing.F) {
	for _, s := range []string{"", "48h", "1d 12h", "90m", "1W", "0h", "59m", "9999999h", "30501w", "5", "3", "2", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := rituals.ParseDuration(s, rituals.PulseOpenForBounds); err != nil {
			refused(t, "ParseDuration", s, err)
		} else {
			within(t, "ParseDuration", s, time.Duration(d), rituals.MinPulseOpenFor, rituals.MaxPulseOpenFor)
			roundTrip(t, time.Duration(d))
		}
		if n, msg := rituals.ParseThreshold(s); msg != "" {
			if problem := fuzzcheck.Sentence(msg, s); problem != "" {
				t.Fatalf("ParseThreshold(%q): %s", s, problem)
			}
		} else if n < rituals.MinPulseThreshold || n > rituals.MaxPulseThreshold {
			t.Fatalf("ParseThreshold(%q) = %d, outside %d–%d", s, n, rituals.MinPulseThreshold, rituals.MaxPulseThreshold)
		}
	})
}
