package chart

import (
	"bytes"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func sampleWeeks() []rituals.DigestWeek {
	end := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	var weeks []rituals.DigestWeek
	for i := 0; i < rituals.DigestWeeks; i++ {
		to := end.AddDate(0, 0, -7*(rituals.DigestWeeks-1-i))
		w := rituals.DigestWeek{From: to.AddDate(0, 0, -7), To: to, Decisions: i * 3 % 7,
			BlockerAge: time.Duration(i+1) * 20 * time.Hour, HasBlocker: i != 2,
			Participation: 0.5 + float64(i)/20, HasCheckin: i%3 != 1, PulseMean: 3 + float64(i%3)/2, HasPulse: i > 3}
		weeks = append(weeks, w)
	}
	return weeks
}

func TestWeeklyIsAPNGOfTheChartSize(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	b, err := Weekly(sampleWeeks(), berlin)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != Width || got.Y != Height {
		t.Fatalf("size %v, want %dx%d", got, Width, Height)
	}
	if path := os.Getenv("ALIGNBOT_CHART_OUT"); path != "" {
		os.WriteFile(path, b, 0o644) // to look at it
	}
}

func TestWeeklyQuietWeeksDraw(t *testing.T) {
	weeks := make([]rituals.DigestWeek, rituals.DigestWeeks)
	if _, err := Weekly(weeks, time.UTC); err != nil {
		t.Fatalf("weeks with nothing to show: %v", err)
	}
	if _, err := Weekly(nil, time.UTC); err == nil {
		t.Fatal("no weeks drew a chart")
	}
}

// A channel whose hooks brought events gets a row of delivery panels; a
// channel without, the chart it always had.
func TestWeeklyWithDelivery(t *testing.T) {
	weeks := sampleWeeks()
	for i := range weeks {
		weeks[i].Delivery = rituals.DeliveryFigures{Deploys: i % 4, Pipelines: 1, Passed: 1,
			LeadTime: time.Duration(10+i*3) * time.Hour, HasLeadTime: i != 3,
			TimeToRestore: time.Duration(i+1) * time.Hour, HasTimeToRestore: i%2 == 0}
	}
	b, err := Weekly(weeks, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != Width || got.Y != DeliveryHeight {
		t.Fatalf("size %v, want %dx%d", got, Width, DeliveryHeight)
	}
	if path := os.Getenv("ALIGNBOT_CHART_OUT"); path != "" {
		os.WriteFile(path, b, 0o644) // to look at it
	}
}
