package render

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestDescribeWorkdays(t *testing.T) {
	days := func(ds ...time.Weekday) rituals.Workdays {
		w, _ := rituals.NewWorkdays(ds)
		return w
	}
	for want, w := range map[string]rituals.Workdays{
		"Monday to Friday":              rituals.DefaultWorkdays,
		"Sunday to Thursday":            days(time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday),
		"Wednesday, Saturday to Monday": days(time.Saturday, time.Sunday, time.Monday, time.Wednesday),
		"Monday, Tuesday, Thursday":     days(time.Monday, time.Tuesday, time.Thursday),
		"Sunday":                        days(time.Sunday),
		"every day":                     1<<7 - 1,
	} {
		if got := DescribeWorkdays(w); got != want {
			t.Errorf("DescribeWorkdays(%v) = %q, want %q", w.Days(), got, want)
		}
	}
	if got := DescribeWorkdays(0); got != "Monday to Friday" {
		t.Errorf("the zero set reads %q, want the default", got)
	}
}
