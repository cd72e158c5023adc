package rituals_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// TestPulseTakesAnswers pins when a pulse takes answers: open, and before
// its close; the refusal says why.
func TestPulseTakesAnswers(t *testing.T) {
	closes := monday
	for _, tc := range []struct {
		name    string
		status  rituals.PulseStatus
		at      time.Time
		mention string // "" for answers taken
	}{
		{"Open", rituals.PulseOpen, closes.Add(-time.Second), ""},
		{"ErrAtItsClose", rituals.PulseOpen, closes, "has closed"},
		{"ErrClosed", rituals.PulseClosed, closes.Add(-time.Hour), "has closed"},
		{"ErrCanceled", rituals.PulseCanceled, closes.Add(-time.Hour), "was canceled"},
		{"ErrPending", rituals.PulsePending, closes.Add(-time.Hour), "still being sent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &rituals.Pulse{Number: 4, Channel: channel, Status: tc.status, ClosesAt: closes}
			err := p.TakesAnswers(tc.at)
			switch {
			case tc.mention == "" && err != nil:
				t.Fatalf("TakesAnswers: %v, want nil", err)
			case tc.mention != "" && (rituals.ErrorCode(err) != rituals.ECONFLICT || !strings.Contains(err.Error(), tc.mention)):
				t.Fatalf("TakesAnswers: %v, want ECONFLICT saying %q", err, tc.mention)
			}
		})
	}
}

// TestPulseChoices pins what a person picks from, and how a scale's ends
// carry their words.
func TestPulseChoices(t *testing.T) {
	scale := &rituals.Pulse{Kind: rituals.PulseScale, ScaleLow: "Murky", ScaleHigh: "Crystal"}
	var labels []string
	for i := -1; i <= 5; i++ {
		labels = append(labels, scale.ChoiceLabel(i))
	}
	if diff := cmp.Diff([]string{"", "1 · Murky", "2", "3", "4", "5 · Crystal", ""}, labels); diff != "" {
		t.Fatalf("scale labels (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		p    *rituals.Pulse
		want []string
	}{
		{&rituals.Pulse{Kind: rituals.PulseYesNo}, []string{"Yes", "No"}},
		{&rituals.Pulse{Kind: rituals.PulseChoice, Options: []string{"A", "B"}}, []string{"A", "B"}},
		{&rituals.Pulse{Kind: rituals.PulseText}, nil},
	} {
		if diff := cmp.Diff(tc.want, tc.p.Choices()); diff != "" {
			t.Errorf("%s choices (-want +got):\n%s", tc.p.Kind, diff)
		}
	}
	if got := (&rituals.Pulse{Kind: rituals.PulseScale}).ChoiceLabel(0); got != "1" {
		t.Errorf("unlabelled scale's first label %q, want 1", got)
	}
}
