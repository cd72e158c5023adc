package delivery

import (
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestSlackTS(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Unix(1700000000, 123456789), "1700000000.123456"},
		{time.Unix(1700000000, 1000), "1700000000.000001"},
		{time.Unix(1700000000, 0), "1700000000.000000"},
		{time.Date(2026, 11, 24, 9, 0, 0, 0, time.FixedZone("CET", 3600)), "1795507200.000000"},
	} {
		if got := slackTS(tc.at); got != tc.want {
			t.Errorf("slackTS(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
}

// The search for an earlier attempt starts at the item's first try, read
// off the real clock; an item claimed before first tries were recorded
// starts where it was queued.
func TestFirstTry(t *testing.T) {
	queued := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	tried := queued.Add(time.Hour)
	if got := firstTry(rituals.OutboxItem{CreatedAt: queued, FirstTry: tried}); !got.Equal(tried) {
		t.Errorf("first try %v, want %v", got, tried)
	}
	if got := firstTry(rituals.OutboxItem{CreatedAt: queued}); !got.Equal(queued) {
		t.Errorf("without a first try: %v, want when it was queued, %v", got, queued)
	}
}
