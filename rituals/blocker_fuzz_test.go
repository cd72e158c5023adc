package rituals_test

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fuzzcheck"
	"github.com/alignbot/alignbot/rituals"
)

// FuzzParseDuration checks every duration setting's parser on what people
// type: each gives a duration within its documented range or refuses
// with a plain sentence, and what ParseDuration reads it formats back to
// the same value.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"72h", "3d", "1d12h", " 2W ", "90m", "0m", "30501w", "9999999999h", "53w", "365d", "1.5h", "-3d", "3 d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := rituals.ParseDuration(s); err != nil {
			refused(t, "ParseDuration", s, err)
		} else {
			within(t, "ParseDuration", s, d, 0, rituals.MaxDuration)
			roundTrip(t, d)
		}
		if d, err := rituals.ParseSLA(s); err != nil {
			refused(t, "ParseSLA", s, err)
		} else {
			within(t, "ParseSLA", s, d, rituals.MinSLA, rituals.MaxSLA)
		}
		if d, err := rituals.ParseCloseIn(s); err != nil {
			refused(t, "ParseCloseIn", s, err)
		} else {
			within(t, "ParseCloseIn", s, d, rituals.MinSessionWindow, rituals.MaxSessionWindow)
		}
	})
}

// FuzzDurationRoundTrip checks that every duration alignbot formats, in
// whole minutes up to MaxDuration, reads back as itself.
func FuzzDurationRoundTrip(f *testing.F) {
	for _, m := range []uint32{0, 1, 59, 60, 90, 1440, 4320, 525600} {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, minutes uint32) {
		roundTrip(t, time.Duration(int64(minutes)%int64(rituals.MaxDuration/time.Minute+1))*time.Minute)
	})
}

func roundTrip(t *testing.T, d time.Duration) {
	t.Helper()
	for _, s := range []string{rituals.FormatSLA(d), rituals.FormatDuration(d)} {
		if back, err := rituals.ParseDuration(s); err != nil || back != d {
			t.Fatalf("%v formats as %q, which reads back as %v, %v", d, s, back, err)
		}
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
