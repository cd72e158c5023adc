package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func sampleRollup(teams int) *rituals.Rollup {
	r := &rituals.Rollup{Team: "T1", Channel: "C0LEAD", Zone: rituals.StoredZone("Europe/Berlin"), To: digestEnd, Left: []string{"C0SECRET"}}
	for i := range teams {
		g := sampleDigest()
		g.Channel = fmt.Sprintf("C0TEAM%02d", i)
		g.Delivery = rituals.DeliveryFigures{Deploys: 4, Failures: 1, FailureRate: 0.25, LeadTime: 21 * time.Hour, HasLeadTime: true}
		r.Teams = append(r.Teams, rituals.RollupTeam{Channel: g.Channel, Digest: g, CrossTeam: 1})
	}
	if teams > 1 {
		r.MovedMost = []rituals.RollupTeam{
			{Channel: r.Teams[1].Channel, Move: rituals.Move{Metric: "Check-in participation", Kind: rituals.MoveRatio, Before: 0.8, After: 0.5, Score: 3}},
			{Channel: r.Teams[0].Channel, Move: rituals.Move{Metric: "Deploys", Kind: rituals.MoveCount, Before: 1, After: 4, Score: 2}},
		}
	}
	return r
}

func TestRenderRollup(t *testing.T) {
	r := sampleRollup(2)
	blocks := Rollup(r)
	checkDigestLimits(t, blocks, RollupFallback(r))
	golden(t, "digest_rollup", blocks)
	text := blocksJSON(t, blocks)
	for _, want := range []string{
		"Check-in participation 80% → 50% (▼ 30 pts)", "Deploys 1 → 4", "Blockers: 2 open, 1 cross-team, oldest",
		"Delivery: 4 deploys, lead time 21h, change failure 25%", "1 channel left out: private channels' figures stay inside them",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the roll-up lacks %q", want)
		}
	}
	if strings.Contains(text, "C0SECRET") {
		t.Error("the roll-up names the private channel it left out")
	}
	t.Run("MostTeamsFitAMessage", func(t *testing.T) {
		big := sampleRollup(rituals.MaxRollupChannels)
		checkDigestLimits(t, Rollup(big), RollupFallback(big))
	})
	t.Run("NoTeams", func(t *testing.T) {
		empty := &rituals.Rollup{Zone: rituals.StoredZone("UTC"), To: digestEnd}
		if text := blocksJSON(t, Rollup(empty)); !strings.Contains(text, "No team to show") {
			t.Errorf("an empty roll-up says nothing of why: %s", text)
		}
	})
}
