package clock

import (
	"testing"
	"time"
)

func TestFake(t *testing.T) {
	at := time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC)
	c := New(at)
	if got := c.Now(); got.Before(at) || got.Sub(at) > time.Second {
		t.Fatalf("Now=%v, want about %v", got, at)
	}
	c.Freeze()
	frozen := c.Now()
	c.Advance(time.Hour)
	if got, want := c.Now(), frozen.Add(time.Hour); !got.Equal(want) {
		t.Fatalf("Now=%v, want %v", got, want)
	}
	c.Set(at)
	if got := c.Now(); !got.Equal(at) {
		t.Fatalf("frozen Set: Now=%v, want %v", got, at)
	}
	c.Run()
	if got := c.Now(); got.Before(at) {
		t.Fatalf("Now=%v went back before %v", got, at)
	}
}
