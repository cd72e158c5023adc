package rituals_test

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// FuzzPremortemInput checks the typed parts of pre-mortems and retros: a
// risk level is one of three or refused with a plain sentence, and a
// retro reply's kind comes with the text it was typed with, less its
// marker.
func FuzzPremortemInput(f *testing.F) {
	for _, s := range []string{"low", " H ", "med", "severe", "well: shipped on time", "+ fast reviews", "+1", "-> write runbooks", "didn’t: flaky CI", "no marker", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if level, err := rituals.ParseRiskLevel(s); err != nil {
			refused(t, "ParseRiskLevel", s, err)
		} else if level != rituals.LevelLow && level != rituals.LevelMedium && level != rituals.LevelHigh {
			t.Fatalf("ParseRiskLevel(%q) = %q", s, level)
		}
		for _, kind := range []rituals.SessionKind{rituals.SessionPremortem, rituals.SessionRetro} {
			item, rest := kind.ReplyKind(s)
			if !strings.Contains(s, rest) || rest != strings.TrimSpace(rest) {
				t.Fatalf("%s reply %q gave %q, not part of it", kind, s, rest)
			}
			switch {
			case kind == rituals.SessionPremortem && item != rituals.ItemFailure,
				kind == rituals.SessionRetro && item != rituals.ItemWell && item != rituals.ItemDidnt && item != rituals.ItemChange:
				t.Fatalf("%s reply %q is a %q", kind, s, item)
			}
		}
	})
}
