package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fuzzcheck"
	"github.com/alignbot/alignbot/rituals"
)

// anyDuration is every duration ParseDuration can return.
var anyDuration = rituals.DurationBounds{What: "A duration is", Max: rituals.Duration(rituals.MaxDuration)}

// FuzzParseDuration checks every duration setting's parser on what people
// type: each gives a duration within its bounds or refuses with a plain
// sentence, and what it reads formats back to the same value.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"72h", "3d", "1d12h", "1d 12h", " 2W ", "90m", "0m", "30501w", "9999999999h", "53w", "365d", "1.5h", "-3d", "3 d", "1 2h", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, b := range []rituals.DurationBounds{anyDuration, rituals.SLABounds, rituals.CheckinWindowBounds,
			rituals.PulseOpenForBounds, rituals.SessionWindowBounds} {
			if d, err := rituals.ParseDuration(s, b); err != nil {
				refused(t, "ParseDuration", s, err)
			} else {
				within(t, "ParseDuration", s, time.Duration(d), time.Duration(b.Min), time.Duration(b.Max))
				roundTrip(t, time.Duration(d))
			}
		}
	})
}

// FuzzDurationRoundTrip checks that every duration alignbot writes, in
// whole minutes up to MaxDuration, reads back as itself, and an age reads
// back as no more than it.
func FuzzDurationRoundTrip(f *testing.F) {
	for _, m := range []uint32{0, 1, 59, 60, 90, 1440, 4320, 525600} {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, minutes uint32) {
		d := time.Duration(int64(minutes)%int64(rituals.MaxDuration/time.Minute+1)) * time.Minute
		roundTrip(t, d)
		if age, err := rituals.ParseDuration(rituals.FormatAge(d), anyDuration); err != nil || time.Duration(age) > d {
			t.Fatalf("%v is aged %q, which reads back as %v, %v", d, rituals.FormatAge(d), age, err)
		}
	})
}

func roundTrip(t *testing.T, d time.Duration) {
	t.Helper()
	s := rituals.Duration(d).String()
	if back, err := rituals.ParseDuration(s, anyDuration); err != nil || time.Duration(back) != d {
		t.Fatalf("%v formats as %q, which reads back as %v, %v", d, s, back, err)
	}
}

func within(t *testing.T, parser, s string, d, min, max time.Duration) {
	t.Helper()
	if d < min || d > max || d%time.Minute != 0 {
		t.Fatalf("%s(%q) = %v, outside %v–%v or not whole minutes", parser, s, d, min, max)
	}
}

func refused(t *testing.T, parser, s string, err error) {
	t.Helper()
	if problem := fuzzcheck.Refusal(err, s); problem != "" {
		t.Fatalf("%s(%q): %s", parser, s, problem)
	}
}
