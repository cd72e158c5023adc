package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseAlignbot(t *testing.T) {
	for _, text := range []string{"", "  ", "help", "HELP "} {
		if cmd, err := parseAlignbot(text); err != nil || cmd.Workdays {
			t.Errorf("parseAlignbot(%q) = %+v, %v, want the overview", text, cmd, err)
		}
	}
	_, err := parseAlignbot("setup everything")
	if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), "`setup everything`") {
		t.Errorf("parseAlignbot(setup everything) = %v, want EINVALID quoting it", err)
	}
}

// TestParseAlignbotWorkdays reads `/alignbot workdays` with the weekday
// parser of `/checkin every`, and refuses what is not a set of days.
func TestParseAlignbotWorkdays(t *testing.T) {
	days := func(ds ...time.Weekday) rituals.Workdays {
		w, err := rituals.NewWorkdays(ds)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	sunThu := days(time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday)
	for text, want := range map[string]alignbotCmd{
		"workdays":                          {Workdays: true},
		"WORKDAYS  ":                        {Workdays: true},
		"workdays default":                  {Workdays: true, Reset: true},
		"workdays Default":                  {Workdays: true, Reset: true},
		"workdays sun-thu":                  {Workdays: true, Days: sunThu},
		"workdays mon,tue,wed,thu":          {Workdays: true, Days: days(time.Monday, time.Tuesday, time.Wednesday, time.Thursday)},
		"workdays mon, tue, wed":            {Workdays: true, Days: days(time.Monday, time.Tuesday, time.Wednesday)},
		"workdays weekdays":                 {Workdays: true, Days: rituals.DefaultWorkdays},
		"workdays fri-mon":                  {Workdays: true, Days: days(time.Friday, time.Saturday, time.Sunday, time.Monday)},
		"workdays mon,mon,monday":           {Workdays: true, Days: days(time.Monday)},
		"workdays sunday,monday,tuesday,th": {},
	} {
		got, err := parseAlignbot(text)
		if want == (alignbotCmd{}) {
			if rituals.ErrorCode(err) != rituals.EINVALID {
				t.Errorf("parseAlignbot(%q) = %+v, %v, want EINVALID", text, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("parseAlignbot(%q) = %+v, %v, want %+v", text, got, err, want)
		}
	}
	for name, tc := range map[string]struct{ text, says string }{
		"ErrNotAWeekday":  {"workdays sun-thurz", `"thurz" is not a weekday`},
		"ErrEmptyDay":     {"workdays mon,,tue", `"" is not a weekday`},
		"ErrOnlyCommas":   {"workdays ,", `"" is not a weekday`},
		"ErrTooLong":      {"workdays " + strings.Repeat("mon,", 40) + "tue", "too long"},
		"ErrHugeWordCut":  {"workdays " + strings.Repeat("x", 5000), "too long"},
		"ErrBadWordClips": {"workdays " + strings.Repeat("y", 60), `"yyyyyyyyyyyyyyyyyyy…" is not a weekday`},
		"ErrUnknownVerb":  {"weekend sat", "takes nothing, `help` or `workdays`"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseAlignbot(tc.text)
			if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), tc.says) {
				t.Fatalf("parseAlignbot(%.40q) = %v, want EINVALID saying %q", tc.text, err, tc.says)
			}
			if len(rituals.ErrorMessage(err)) > 600 {
				t.Fatalf("the error is %d characters long", len(rituals.ErrorMessage(err)))
			}
		})
	}
}
