package bot

import (
	"strconv"
	"testing"
	"time"
)

func TestPostedWithin(t *testing.T) {
	now := time.Now().Unix()
	for _, c := range []struct {
		ts   string
		want bool
	}{
		{strconv.FormatInt(now, 10) + ".000100", true},
		{strconv.FormatInt(now-60, 10) + ".000100", false},
		{"", false},
		{"not-a-ts", false},
	} {
		if got := postedWithin(c.ts, 30*time.Second); got != c.want {
			t.Errorf("postedWithin(%q) = %v, want %v", c.ts, got, c.want)
		}
	}
}
