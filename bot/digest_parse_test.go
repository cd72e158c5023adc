package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseDigest(t *testing.T) {
	for _, tc := range []struct {
		text string
		want digestCmd
	}{
		{"", digestCmd{Op: digestStatus}},
		{"  ", digestCmd{Op: digestStatus}},
		{"help", digestCmd{Op: digestHelp}},
		{"NOW", digestCmd{Op: digestNow}},
		{"preview", digestCmd{Op: digestPreview}},
		{"off", digestCmd{Op: digestOff}},
		{"every fri 16:00", digestCmd{Op: digestEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Friday}, Hour: 16}}},
		{"every Monday 9:05 Europe/Berlin", digestCmd{Op: digestEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Monday}, Hour: 9, Minute: 5, Zone: "Europe/Berlin"}}},
		{"every sun 23:59 UTC", digestCmd{Op: digestEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Sunday}, Hour: 23, Minute: 59, Zone: "UTC"}}},
		// Several weekdays, read as /checkin every reads them.
		{"every mon,thu 16:00", digestCmd{Op: digestEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Monday, time.Thursday}, Hour: 16}}},
		{"every Monday,Friday 09:30 Europe/Berlin", digestCmd{Op: digestEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Monday, time.Friday}, Hour: 9, Minute: 30, Zone: "Europe/Berlin"}}},
		{"every weekdays 08:00", digestCmd{Op: digestEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, Hour: 8}}},
		{"hook github", digestCmd{Op: digestHook, Source: "github"}},
		{"HOOK GitLab", digestCmd{Op: digestHook, Source: "gitlab"}},
		{"hook events", digestCmd{Op: digestHook, Source: "events"}},
		{"hook remove github", digestCmd{Op: digestUnhook, Source: "github"}},
		{"sla review 24h", digestCmd{Op: digestReviewSLA, SLA: rituals.Duration(24 * time.Hour)}},
		{"sla review 1d 12h", digestCmd{Op: digestReviewSLA, SLA: rituals.Duration(36 * time.Hour)}},
		{"sla review off", digestCmd{Op: digestReviewSLA}},
		{"rollup", digestCmd{Op: digestRollupStatus}},
		{"rollup all", digestCmd{Op: digestRollupAll}},
		{"roll-up OFF", digestCmd{Op: digestRollupOff}},
		{"rollup <#C0PAY|payments> <#C0PLAT|platform> <#G0SEC>", digestCmd{Op: digestRollup, Channels: []string{"C0PAY", "C0PLAT", "G0SEC"}}},
	} {
		got, err := parseDigest(tc.text)
		if err != nil {
			t.Errorf("parseDigest(%q): %v", tc.text, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseDigest(%q) (-want +got):\n%s", tc.text, diff)
		}
	}
}

func TestParseDigestErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"ErrUnknownWeekday", "every funday 16:00", `"funday" is not a weekday`},
		{"ErrHourOutOfRange", "every fri 25:00", `"25:00" is not a time of day`},
		{"ErrMinuteOutOfRange", "every fri 16:60", `"16:60" is not a time of day`},
		{"ErrUnknownZone", "every fri 16:00 Mars/Olympus", `"Mars/Olympus" is not a time zone`},
		{"ErrLocalZone", "every fri 16:00 Local", `"Local" is not a time zone`},
		{"ErrTooManyArgs", "every fri 16:00 UTC please", "Write it like `/digest every fri 16:00"},
		{"ErrTooFewArgs", "every fri", "Write it like `/digest every fri 16:00"},
		{"ErrEmptyWeekdayInList", "every mon,,fri 16:00", `"" is not a weekday`},
		{"ErrBadWeekdayInList", "every mon,funday 16:00", `"funday" is not a weekday`},
		{"ErrBadRangeEnd", "every mon-someday 16:00", `"someday" is not a weekday`},
		{"ErrOversizedWeekdays", "every " + strings.Repeat("mon,", 2000) + "x 16:00", `"x" is not a weekday`},
		{"ErrArgsAfterNow", "now please", "`/digest now` takes nothing after it"},
		{"ErrArgsAfterPreview", "preview all", "`/digest preview` takes nothing after it"},
		{"ErrArgsAfterOff", "off now", "`/digest off` takes nothing after it"},
		{"ErrUnknownSubcommand", "weekly", "I don't know `/digest weekly`"},
		{"ErrHookNoSource", "hook", "Name one source"},
		{"ErrHookTwoSources", "hook github gitlab", "Name one source"},
		{"ErrHookUnknownSource", "hook bitbucket", "not “bitbucket”"},
		{"ErrUnhookNoSource", "hook remove", "Name one source"},
		{"ErrSLANoKind", "sla 24h", "The digest has one SLA, for reviews"},
		{"ErrRollupPlainName", "rollup #payments", "“#payments” is not a channel"},
		{"ErrRollupPerson", "rollup <@U0ANN>", "is not a channel"},
		{"ErrRollupTooMany", "rollup" + strings.Repeat(" <#C0AAA>", 31), "at most 30 channels; you named 31"},
		{"ErrSLANoValue", "sla review", "The digest has one SLA, for reviews"},
		{"ErrSLANotADuration", "sla review soon", "is not a duration"},
		{"ErrSLATooShort", "sla review 10m", "A review SLA is from 1h to 30d; 10m is too short"},
		{"ErrOversized", strings.Repeat("x", 5000), "I don't know `/digest " + strings.Repeat("x", 29) + "…`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDigest(tc.text)
			if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.want) {
				t.Fatalf("parseDigest(%q) = %v, want EINVALID saying %q", clipForTest(tc.text), err, tc.want)
			}
		})
	}
}

func clipForTest(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
