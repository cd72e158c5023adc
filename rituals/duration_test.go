package rituals_test

import (
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

const day = 24 * time.Hour

func TestParseDuration(t *testing.T) {
	t.Run("Valid", func(t *testing.T) {
		for _, tc := range []struct {
			in   string
			want time.Duration
		}{
			{"0m", 0},
			{"90m", 90 * time.Minute},
			{"2h", 2 * time.Hour},
			{"168h", 7 * day}, // Go's own form
			{"7d", 7 * day},
			{"1w", 7 * day},
			{" 2W ", 14 * day},
			{"1d12h", 36 * time.Hour},
			{"1d 12h", 36 * time.Hour}, // as String writes it
			{"2h 30m", 150 * time.Minute},
			{"3 d", 3 * day},
			{"1h1h", 2 * time.Hour},
			{"52w", 364 * day},
			{"365d", rituals.MaxDuration},
			{"8760h", rituals.MaxDuration},
			{"525600m", rituals.MaxDuration},
			{"0000000000000000000000001h", time.Hour},
		} {
			got, err := rituals.ParseDuration(tc.in, anyDuration)
			if err != nil || time.Duration(got) != tc.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, in := range []string{"", "   ", "w", "5", "1x", "3s", "1.5h", "-1h", "1h-1m", "1 2h", "1h30", "3days", "banana", "１h"} {
			_, err := rituals.ParseDuration(in, rituals.SLABounds)
			if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), "is not a duration: write it like 2d, 1d 12h or 4h. A blocker's SLA is from 1h to 90d.") {
				t.Errorf("ParseDuration(%q) err=%v, want not a duration", in, err)
			}
		}
		_, err := rituals.ParseDuration("  a\nwhile ", rituals.PulseOpenForBounds)
		if got, want := rituals.ErrorMessage(err), "“a while” is not a duration: write it like 2d, 1d 12h or 4h. A pulse stays open from 1h to 30d."; got != want {
			t.Errorf("message %q, want %q", got, want)
		}
	})
	// Anything longer than MaxDuration is refused rather than wrapped
	// around (30501w used to read as 72h25m26s), quoted as typed.
	t.Run("ErrOverflow", func(t *testing.T) {
		for _, in := range []string{"30501w", "53w", "366d", "8761h", "525601m", "364d1441m", "99999w", "9223372036854775807m",
			"1000000000000000000000000000000w", "365d1m", "365d 1m"} {
			_, err := rituals.ParseDuration(in, anyDuration)
			if got, want := rituals.ErrorMessage(err), "A duration is from 0m to 365d; “"+in+"” is too long."; rituals.ErrorCode(err) != rituals.EINVALID || got != want {
				t.Errorf("ParseDuration(%q) err=%q, want %q", in, got, want)
			}
		}
	})
	t.Run("Bounds", func(t *testing.T) {
		for _, tc := range []struct {
			b       rituals.DurationBounds
			in      string
			wantErr string // "" when in is taken
		}{
			{rituals.SLABounds, "1h", ""},
			{rituals.SLABounds, "90d", ""},
			{rituals.SLABounds, "59m", "A blocker's SLA is from 1h to 90d; 59m is too short."},
			{rituals.SLABounds, "91d", "A blocker's SLA is from 1h to 90d; 91d is too long."},
			{rituals.SLABounds, "9999999999h", "A blocker's SLA is from 1h to 90d; “9999999999h” is too long."},
			{rituals.CheckinWindowBounds, "1h", ""},
			{rituals.CheckinWindowBounds, "6d", ""},
			{rituals.CheckinWindowBounds, "30m", "A check-in stays open from 1h to 6d; 30m is too short."},
			{rituals.CheckinWindowBounds, "168h", "A check-in stays open from 1h to 6d; 7d is too long."},
			{rituals.PulseOpenForBounds, "1h", ""},
			{rituals.PulseOpenForBounds, "30d", ""},
			{rituals.PulseOpenForBounds, "0h", "A pulse stays open from 1h to 30d; 0m is too short."},
			{rituals.PulseOpenForBounds, "5w", "A pulse stays open from 1h to 30d; 35d is too long."},
			{rituals.SessionWindowBounds, "1h", ""},
			{rituals.SessionWindowBounds, "30d", ""},
			{rituals.SessionWindowBounds, "59m", "A pre-mortem or retro stays open from 1h to 30d; 59m is too short."},
			{rituals.SessionWindowBounds, "30d 1m", "A pre-mortem or retro stays open from 1h to 30d; 30d 1m is too long."},
		} {
			d, err := rituals.ParseDuration(tc.in, tc.b)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("%s: ParseDuration(%q) err=%v, want it taken", tc.b.What, tc.in, err)
			case tc.wantErr != "" && (rituals.ErrorCode(err) != rituals.EINVALID || rituals.ErrorMessage(err) != tc.wantErr):
				t.Errorf("%s: ParseDuration(%q) = %v, %v; want %q", tc.b.What, tc.in, d, err, tc.wantErr)
			}
			if got, want := tc.b.Check(d), err; (got == nil) != (want == nil) {
				t.Errorf("%s: Check(%v)=%v, but ParseDuration(%q) err=%v", tc.b.What, d, got, tc.in, want)
			}
		}
	})
}

func TestDurationString(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0m"},
		{30 * time.Second, "0m"},
		{time.Minute, "1m"},
		{90 * time.Minute, "1h 30m"},
		{2 * time.Hour, "2h"},
		{24 * time.Hour, "1d"},
		{72 * time.Hour, "3d"},
		{7 * day, "7d"}, // a check-in window and a pulse alike, never "168h"
		{36 * time.Hour, "1d 12h"},
		{day + time.Minute, "1d 1m"},
		{rituals.MaxDuration, "365d"},
		{-90 * time.Minute, "-1h 30m"},
		{-30 * time.Second, "0m"},
		{time.Duration(-1 << 63), "-106751d 23h 47m"},
	} {
		if got := rituals.Duration(tc.d).String(); got != tc.want {
			t.Errorf("Duration(%v).String()=%q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestFormatAge(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Hour, "0m"},
		{30 * time.Second, "0m"},
		{45 * time.Minute, "45m"},
		{5*time.Hour + 59*time.Minute, "5h"},
		{24 * time.Hour, "1d"},
		{3*day + 4*time.Hour, "3d 4h"},
		{3*day + 4*time.Minute, "3d"},
	} {
		if got := rituals.FormatAge(tc.d); got != tc.want {
			t.Errorf("FormatAge(%v)=%q, want %q", tc.d, got, tc.want)
		}
	}
}
