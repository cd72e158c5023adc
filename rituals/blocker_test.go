package rituals_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestParseDuration checks the range every duration setting starts from:
// up to MaxDuration, with anything longer refused rather than wrapped
// around (30501w used to read as 72h25m26s).
func TestParseDuration(t *testing.T) {
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{
		"0m": 0, "90m": 90 * time.Minute, "1d12h": 36 * time.Hour, "52w": 364 * day, "365d": rituals.MaxDuration,
		"8760h": rituals.MaxDuration, "525600m": rituals.MaxDuration, "0000000000000000000000001h": time.Hour,
	} {
		if got, err := rituals.ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"30501w", "53w", "366d", "8761h", "525601m", "364d1441m", "99999w", "9223372036854775807m",
		"1000000000000000000000000000000w", "365d1m"} {
		_, err := rituals.ParseDuration(in)
		if want := fmt.Sprintf("%q is too long: I take durations up to 365d.", in); rituals.ErrorCode(err) != rituals.EINVALID || rituals.ErrorMessage(err) != want {
			t.Errorf("ParseDuration(%q) err=%v, want %q", in, err, want)
		}
	}
	for _, in := range []string{"", "w", "5", "1x", "1.5h", "-1h", "1h-1m", "1 h"} {
		if _, err := rituals.ParseDuration(in); rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(err.Error(), "is not a duration") {
			t.Errorf("ParseDuration(%q) err=%v, want not a duration", in, err)
		}
	}
}

func TestParseSLA(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"72h", 72 * time.Hour},
		{"3d", 72 * time.Hour},
		{"1d12h", 36 * time.Hour},
		{" 2W ", 14 * 24 * time.Hour},
		{"90m", 90 * time.Minute},
		{"1h", time.Hour},
		{"90d", 90 * 24 * time.Hour},
	} {
		got, err := rituals.ParseSLA(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSLA(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, mention string }{
		{"banana", `"banana" is not a duration; write it like 72h, 3d or 1d12h.`},
		{"", "is not a duration"},
		{"72", "is not a duration"},
		{"h", "is not a duration"},
		{"-3d", "is not a duration"},
		{"3 d", "is not a duration"},
		{"1.5h", "is not a duration"},
		{"3s", "is not a duration"},
		{"9999999999h", "An SLA of 9999999999h is too long; the longest is 2160h."},
		{"30501w", "An SLA of 30501w is too long; the longest is 2160h."},
		{"30m", "An SLA of 30m is too short; the shortest is 1h."},
		{"91d", "An SLA of 2184h is too long; the longest is 2160h."},
	} {
		_, err := rituals.ParseSLA(tc.in)
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
			t.Errorf("ParseSLA(%q) err=%v, want EINVALID saying %q", tc.in, err, tc.mention)
		}
	}
}

func TestFormatAgeAndSLA(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:               "0m",
		45 * time.Minute:               "45m",
		5*time.Hour + 59*time.Minute:   "5h",
		24 * time.Hour:                 "1d",
		3*24*time.Hour + 4*time.Hour:   "3d 4h",
		3*24*time.Hour + 4*time.Minute: "3d",
	} {
		if got := rituals.FormatAge(d); got != want {
			t.Errorf("FormatAge(%v)=%q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{72 * time.Hour: "72h", 90 * time.Minute: "1h30m", 30 * time.Minute: "30m"} {
		if got := rituals.FormatSLA(d); got != want {
			t.Errorf("FormatSLA(%v)=%q, want %q", d, got, want)
		}
	}
}

func TestBlockerInputCheck(t *testing.T) {
	bob := rituals.Party{Kind: rituals.PartyUser, ID: "UBOB"}
	valid := func() rituals.BlockerInput {
		return rituals.BlockerInput{Text: "  Waiting on the schema review  ", Parties: []rituals.Party{bob, bob}}
	}
	t.Run("TrimsAndDedupes", func(t *testing.T) {
		in := valid()
		if err := in.Check("2026-11-25"); err != nil {
			t.Fatal(err)
		}
		if in.Text != "Waiting on the schema review" || len(in.Parties) != 1 {
			t.Fatalf("checked input %+v", in)
		}
	})
	for name, tc := range map[string]struct {
		change      func(*rituals.BlockerInput)
		field, want string
	}{
		"ErrTextRequired":  {func(in *rituals.BlockerInput) { in.Text = " \n " }, rituals.FieldBlockerText, "What is blocked is required."},
		"ErrTextTooLong":   {func(in *rituals.BlockerInput) { in.Text = strings.Repeat("x", 3001) }, rituals.FieldBlockerText, "3001 characters long; the limit is 3000"},
		"ErrNoParty":       {func(in *rituals.BlockerInput) { in.Parties = nil }, rituals.FieldParties, "Name who must act"},
		"ErrImpactTooLong": {func(in *rituals.BlockerInput) { in.Impact = strings.Repeat("x", 3001) }, rituals.FieldImpact, "The impact is 3001"},
		"ErrNeededByPast":  {func(in *rituals.BlockerInput) { in.NeededBy = "2026-11-24" }, rituals.FieldNeededBy, "2026-11-24 is in the past"},
		"ErrTooManyParties": {func(in *rituals.BlockerInput) {
			for i := range 21 {
				in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: fmt.Sprintf("C%d", i)})
			}
		}, rituals.FieldParties, "name at most 20"},
		"ErrTooManyPeople": {func(in *rituals.BlockerInput) {
			g := rituals.Party{Kind: rituals.PartyGroup, ID: "SBIG"}
			for i := range 101 {
				g.Members = append(g.Members, fmt.Sprintf("U%03d", i))
			}
			in.Parties = []rituals.Party{g}
		}, rituals.FieldParties, "That would DM 101 people"},
	} {
		t.Run(name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			err := in.Check("2026-11-25")
			if got := rituals.FieldErrors(err)[tc.field]; !strings.Contains(got, tc.want) {
				t.Fatalf("field %s error %q, want %q (err %v)", tc.field, got, tc.want, err)
			}
		})
	}
	t.Run("NeededByTodayIsFine", func(t *testing.T) {
		in := valid()
		in.NeededBy = "2026-11-25"
		if err := in.Check("2026-11-25"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBlockerAudienceAndParties(t *testing.T) {
	b := &rituals.Blocker{Reporter: "UANN", Channel: "CHOME", Parties: []rituals.Party{
		{Kind: rituals.PartyUser, ID: "UBOB"},
		{Kind: rituals.PartyGroup, ID: "SPLAT", Members: []string{"UBOB", "UCAT", "UANN"}},
		{Kind: rituals.PartyChannel, ID: "CPLAT"},
		{Kind: rituals.PartyChannel, ID: "CHOME"},
	}}
	if diff := cmp.Diff([]string{"UBOB", "UCAT", "CPLAT"}, b.Audience(false)); diff != "" {
		t.Errorf("Audience(false) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"UANN", "UBOB", "UCAT", "CPLAT"}, b.Audience(true)); diff != "" {
		t.Errorf("Audience(true) (-want +got):\n%s", diff)
	}
	for user, want := range map[string]bool{"UBOB": true, "UCAT": true, "UDAN": false, "CPLAT": false} {
		if got := b.Names(user); got != want {
			t.Errorf("Names(%s)=%v, want %v", user, got, want)
		}
	}
	if got, want := b.CardKey(), rituals.MessageKey("blocker/0/card/CHOME"); got != want {
		t.Errorf("CardKey=%q, want %q", got, want)
	}
}
