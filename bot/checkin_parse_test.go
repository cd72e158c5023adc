package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseCheckin(t *testing.T) {
	mon, thu := time.Monday, time.Thursday
	for _, tc := range []struct {
		in   string
		want checkinCmd
	}{
		{"", checkinCmd{Op: checkinStatus}},
		{"help", checkinCmd{Op: checkinHelp}},
		{"now", checkinCmd{Op: checkinNow}},
		{"CLOSE", checkinCmd{Op: checkinClose}},
		{"off", checkinCmd{Op: checkinOff}},
		{"answer", checkinCmd{Op: checkinAhead}},
		{"every mon 09:30", checkinCmd{Op: checkinEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{mon}, Hour: 9, Minute: 30}}},
		{"every Monday,thu 9:05 Europe/Berlin", checkinCmd{Op: checkinEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{mon, thu}, Hour: 9, Minute: 5, Zone: "Europe/Berlin"}}},
		{"every mon-wed 23:59 UTC", checkinCmd{Op: checkinEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{mon, time.Tuesday, time.Wednesday}, Hour: 23, Minute: 59, Zone: "UTC"}}},
		{"every weekdays 10:00", checkinCmd{Op: checkinEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{mon, time.Tuesday, time.Wednesday, thu, time.Friday}, Hour: 10}}},
		{"every fri-mon 10:00", checkinCmd{Op: checkinEvery, Time: rituals.WeeklyTime{Days: []time.Weekday{time.Friday, time.Saturday, time.Sunday, mon}, Hour: 10}}},
		{"window 48h", checkinCmd{Op: checkinWindow, Window: 48 * time.Hour}},
		{"window 2d", checkinCmd{Op: checkinWindow, Window: 48 * time.Hour}},
		{"window 1d 12h", checkinCmd{Op: checkinWindow, Window: 36 * time.Hour}}, // as alignbot writes it
		{"skip 2026-12-24", checkinCmd{Op: checkinSkip, Day: "2026-12-24"}},
		{"away 2026-12-31", checkinCmd{Op: checkinAway, Day: "2026-12-31"}},
	} {
		got, err := parseCheckin(tc.in)
		if err != nil {
			t.Errorf("parseCheckin(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseCheckin(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseCheckinErrors(t *testing.T) {
	for _, tc := range []struct{ in, mention string }{
		{"every", "`/checkin every mon,thu 09:30 Europe/Berlin`"},
		{"every mon", "`/checkin every mon,thu 09:30 Europe/Berlin`"},
		{"every funday 09:30", `"funday" is not a weekday`},
		{"every mon,xyz 09:30", `"xyz" is not a weekday`},
		{"every mon 25:00", `"25:00" is not a time of day`},
		{"every mon 9.30", `"9.30" is not a time of day`},
		{"every mon 09:30 Mars/Olympus", `"Mars/Olympus" is not a time zone`},
		{"every mon 09:30 CET", `"CET" is not a time zone`},
		{"every mon 09:30 Europe/Berlin extra", "`/checkin every mon,thu 09:30 Europe/Berlin`"},
		{"window", "/checkin window <duration>"},
		{"window soon", "soon"},
		{"window 30501w", "A check-in stays open from 1h to 6d; “30501w” is too long."},
		{"window 168h", "A check-in stays open from 1h to 6d; 7d is too long."},
		{"window 30m", "A check-in stays open from 1h to 6d; 30m is too short."},
		{"skip", "/checkin skip YYYY-MM-DD"},
		{"skip tomorrow", "is not a date"},
		{"away 2026-13-01", "is not a date"},
		{"now please", "takes nothing after it"},
		{"frobnicate", "I don't know `/checkin frobnicate`"},
	} {
		_, err := parseCheckin(tc.in)
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.mention) {
			t.Errorf("parseCheckin(%q) err=%v, want EINVALID mentioning %q", tc.in, err, tc.mention)
		}
	}
}
