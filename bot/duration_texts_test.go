package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// durationToken finds what reads as a duration in a sentence: "7d",
// "1d 12h", "168h", "90 m".
var durationToken = regexp.MustCompile(`\b\d+ ?[wdhmWDHM](?: \d+[hmHM])*\b`)

// oddDurations returns the durations text writes otherwise than
// rituals.Duration does: "168h" where alignbot says "7d", "90m" for
// "1h 30m", "1w" for "7d".
func oddDurations(text string) []string {
	var odd []string
	for _, tok := range durationToken.FindAllString(text, -1) {
		d, err := rituals.ParseDuration(tok, rituals.DurationBounds{What: "any", Min: rituals.Duration(time.Minute), Max: rituals.Duration(rituals.MaxDuration)})
		if err == nil && d.String() != tok {
			odd = append(odd, tok+" (alignbot writes "+d.String()+")")
		}
	}
	return odd
}

func blocksText(blocks []slack.Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		if s, ok := bl.(*slack.SectionBlock); ok && s.Text != nil {
			b.WriteString(s.Text.Text + "\n")
		}
	}
	return b.String()
}

func TestOddDurationsFindsHoursForDays(t *testing.T) {
	if got := oddDurations("escalated after 168h, or 7d, or 1d 12h, not 36h, nor 90m, nor 1w; a 24-hour time, 24 hours, D-12, 09:30"); strings.Join(got, "; ") !=
		"168h (alignbot writes 7d); 36h (alignbot writes 1d 12h); 90m (alignbot writes 1h 30m); 1w (alignbot writes 7d)" {
		t.Fatalf("oddDurations: %q", got)
	}
}

// TestTextsWriteDurationsOneWay checks every help text and usage line,
// and the refusals of every setting that takes a duration, for a duration
// written otherwise than replies write it ("168h" beside "7d").
func TestTextsWriteDurationsOneWay(t *testing.T) {
	texts := map[string]string{
		"/decide help": blocksText(render.DecideHelp()), "/blocker help": blocksText(render.BlockerHelp()),
		"/pulse help": blocksText(render.PulseHelp()), "/premortem help": blocksText(render.SessionHelp(rituals.SessionPremortem)),
		"/retro help": blocksText(render.SessionHelp(rituals.SessionRetro)), "/digest help": render.DigestUsage,
		"/checkin help": render.CheckinUsage, "rights usage": render.RightsUsage, "roles usage": render.PulseRolesUsage,
		"premortem usage": rituals.PremortemUsage, "retro usage": rituals.RetroUsage, "/checkin every": everyUsage,
		"/digest every": digestEveryUsage, "/digest sla": reviewSLAUsage, "/digest hook": hookUsage, "/digest rollup": rollupUsage,
	}
	refusals := map[string]func() error{
		"/blocker sla":          func() error { _, err := parseBlocker("sla soon"); return err },
		"/blocker sla too long": func() error { _, err := parseBlocker("sla 3000h"); return err },
		"/checkin window":       func() error { _, err := parseCheckin("window"); return err },
		"/checkin window short": func() error { _, err := parseCheckin("window 10m"); return err },
		"/premortem close in":   func() error { _, err := parseSession(rituals.SessionPremortem, "X close in 1000h"); return err },
		"/digest sla review":    func() error { _, err := parseDigest("sla review 1000h"); return err },
		"pulse open for":        func() error { _, err := rituals.ParseDuration("1000h", rituals.PulseOpenForBounds); return err },
	}
	for name, f := range refusals {
		err := f()
		if err == nil {
			t.Fatalf("%s: no refusal", name)
		}
		texts[name] = rituals.ErrorMessage(err)
	}
	for name, text := range texts {
		if odd := oddDurations(text); len(odd) > 0 {
			t.Errorf("%s writes %s:\n%s", name, strings.Join(odd, ", "), text)
		}
	}
}
