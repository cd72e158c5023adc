package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

var digestEnd = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) // Fri 16:00 in Berlin

func sampleDigestRef() rituals.DigestRef {
	return rituals.DigestRef{Channel: "C0PLAT", End: digestEnd.UnixMilli(), Zone: rituals.StoredZone("Europe/Berlin")}
}

// sampleDigest is a week with an entry of every kind.
func sampleDigest() *rituals.Digest {
	day := 24 * time.Hour
	ago := func(d time.Duration) time.Time { return digestEnd.Add(-d) }
	scale := &rituals.Pulse{Number: 3, Kind: rituals.PulseScale, Question: "How clear are our top priorities this week?", ClosedAt: ago(day), Anonymous: true, Threshold: 5}
	return &rituals.Digest{
		Team: "T1", Channel: "C0PLAT", Zone: rituals.StoredZone("Europe/Berlin"), From: ago(7 * day), To: digestEnd, Today: "2026-11-27",
		Decided: []*rituals.Decision{
			{Number: 12, Title: "API versioning strategy", Owner: "U0ANN", CreatedAt: ago(6 * day), DecidedAt: ago(2 * day)},
			{Number: 13, Title: "Use semver for <public> APIs & SDKs", Owner: "U0BOB", CreatedAt: ago(day), DecidedAt: ago(day)},
		},
		Due: []*rituals.Decision{
			{Number: 9, Title: "Pick a message queue", Owner: "U0BOB", Status: rituals.StatusProposed, DecideBy: "2026-11-25"},
			{Number: 14, Title: "Freeze the schema", Owner: "U0ANN", Status: rituals.StatusProposed, DecideBy: "2026-12-02"},
		},
		Opened:   []*rituals.Blocker{{Number: 7, Text: "Need staging API keys", Reporter: "U0ANN", CreatedAt: ago(3 * day), EscalatedAt: ago(day)}},
		Resolved: []*rituals.Blocker{{Number: 5, Text: "DNS for the new domain", Reporter: "U0EVE", CreatedAt: ago(9 * day), ResolvedAt: ago(2 * day)}},
		Open: []*rituals.Blocker{
			{Number: 2, Text: "Security review", Reporter: "U0BOB", CreatedAt: ago(20 * day)},
			{Number: 7, Text: "Need staging API keys", Reporter: "U0ANN", CreatedAt: ago(3 * day), EscalatedAt: ago(day)},
		},
		Checkin: &rituals.Checkin{Channel: "C0PLAT", ScheduledFor: ago(2 * day), ClosedAt: ago(day), Zone: rituals.StoredZone("Europe/Berlin"), Members: 4, Answered: 3},
		Pulses: []*rituals.PulseReport{
			{Pulse: scale, All: rituals.PulseGroup{Asked: 10, Answered: 7, Shown: true, Mean: 3.9},
				Previous: &rituals.PulseReport{Pulse: &rituals.Pulse{Number: 1, Kind: rituals.PulseScale}, All: rituals.PulseGroup{Asked: 10, Answered: 6, Shown: true, Mean: 3.5}}},
			{Pulse: &rituals.Pulse{Number: 4, Kind: rituals.PulseYesNo, Question: "Did the launch go well?", ClosedAt: ago(day), Anonymous: true, Threshold: 5},
				All: rituals.PulseGroup{Asked: 6, Answered: 3}},
		},
		Actions: []*rituals.Item{{Session: 4, Number: 2, Kind: rituals.ItemChange, Text: "Write the runbook", Owner: "U0EVE", Due: "2026-12-04"}},
		Risks: []*rituals.Item{{Session: 3, Number: 1, Kind: rituals.ItemFailure, Text: "The migration locks the table", Votes: 4,
			Likelihood: rituals.LevelMedium, Impact: rituals.LevelHigh, Tag: rituals.TagTiger}},
		LeadTime:      rituals.Metric[time.Duration]{Value: 4 * day, Before: 2 * day, Has: true, HadBefore: true},
		TimeToResolve: rituals.Metric[time.Duration]{Value: 7 * day, Has: true},
		Participation: rituals.Metric[float64]{Value: 0.75, Before: 0.5, Has: true, HadBefore: true},
		ResponseRate:  rituals.Metric[float64]{Value: 10.0 / 16, Before: 0.7, Has: true, HadBefore: true},
	}
}

// checkDigestLimits fails when blocks break a message's Block Kit limits.
func checkDigestLimits(t *testing.T, blocks []slack.Block, text string) {
	t.Helper()
	if len(blocks) > maxBlocks {
		t.Fatalf("%d blocks, Slack takes %d", len(blocks), maxBlocks)
	}
	if n := len([]rune(text)); n > MaxMessageText {
		t.Fatalf("fallback text of %d characters", n)
	}
	for _, b := range blocks {
		s, ok := b.(*slack.SectionBlock)
		if !ok {
			continue
		}
		if s.Text != nil && len([]rune(s.Text.Text)) > maxSectionText {
			t.Fatalf("section of %d characters", len([]rune(s.Text.Text)))
		}
		if len(s.Fields) > 10 {
			t.Fatalf("%d fields", len(s.Fields))
		}
	}
}

func TestRenderDigest(t *testing.T) {
	g := sampleDigest()
	blocks := Digest(g, sampleDigestRef(), "https://acme.slack.com/archives/C0PLAT/p100")
	checkDigestLimits(t, blocks, DigestFallback(g))
	golden(t, "digest", blocks)
	if got, want := DigestFallback(g), "Weekly digest, week to Fri 27 Nov: 2 decisions made; 2 proposals due (1 overdue); blockers 1 opened, 1 resolved, 2 still open; 2 pulses closed; last check-in 3 of 4 answered."; got != want {
		t.Fatalf("fallback:\n%s\nwant\n%s", got, want)
	}

	t.Run("FallbackSingular", func(t *testing.T) {
		g := sampleDigest()
		g.Decided, g.Due, g.Pulses = g.Decided[:1], g.Due[:1], g.Pulses[:1]
		got := DigestFallback(g)
		for _, want := range []string{"1 decision made;", "1 proposal due (", "1 pulse closed"} {
			if !strings.Contains(got, want) {
				t.Errorf("fallback %q lacks %q", got, want)
			}
		}
	})

	t.Run("DeliveryFigures", func(t *testing.T) {
		g := sampleDigest()
		g.ReviewSLA = 24 * time.Hour
		g.Delivery = rituals.DeliveryFigures{Deploys: 4, Failures: 1, FailureRate: 0.25, LeadTime: 21*time.Hour + 30*time.Minute, HasLeadTime: true,
			TimeToRestore: 105 * time.Minute, HasTimeToRestore: true, ReviewTime: 30 * time.Hour, Reviewed: 3, WithinSLA: 1,
			Pipelines: 4, Passed: 3, Metrics: []rituals.TeamMetric{{Name: "nps", Value: 44, Unit: "points"}, {Name: "p95_latency", Value: 230.5, Unit: "ms"}}}
		g.DeliveryBefore = rituals.DeliveryFigures{Deploys: 2, LeadTime: 30 * time.Hour, HasLeadTime: true, Pipelines: 2, Passed: 2,
			Metrics: []rituals.TeamMetric{{Name: "nps", Value: 41, Unit: "points"}}}
		blocks := Digest(g, sampleDigestRef(), "")
		checkDigestLimits(t, blocks, DigestFallback(g))
		golden(t, "digest_delivery", blocks)
		text := blocksJSON(t, blocks)
		for _, want := range []string{"4 deploys · change: ▲ 2", "25% (1 of 4)", "median 21h · change: ▼ 8h", "25% (1 of 4) · change: ▲ 25 pts", "1 of 3 within 1d", "75% (3 of 4) · change: ▼ 25 pts", "44 points · change: ▲ 3", "230.5 ms · change: —"} {
			if !strings.Contains(text, want) {
				t.Errorf("the delivery section lacks %q", want)
			}
		}
		if strings.Contains(blocksJSON(t, Digest(sampleDigest(), sampleDigestRef(), "")), "Delivery") {
			t.Error("a channel without hooks shows a Delivery section")
		}
	})

	t.Run("OverdueActionsFlagged", func(t *testing.T) {
		g := sampleDigest()
		g.Actions = append(g.Actions, &rituals.Item{Session: 4, Number: 3, Kind: rituals.ItemChange, Text: "Page support", Owner: "U0BOB", Due: "2026-11-26"},
			&rituals.Item{Session: 4, Number: 4, Kind: rituals.ItemChange, Text: "Load test", Owner: "U0ANN", Due: "2026-11-27"})
		var text string
		for _, b := range Digest(g, sampleDigestRef(), "") {
			if s, ok := b.(*slack.SectionBlock); ok && s.BlockID == "digest.actions" {
				text = s.Text.Text + "\n"
			}
		}
		for _, want := range []string{"Write the runbook · <@U0EVE> · due 2026-12-04\n", "Page support · <@U0BOB> · due 2026-11-26 · :warning: *overdue*\n",
			"Load test · <@U0ANN> · due 2026-11-27\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("the action items lack %q:\n%s", want, text)
			}
		}
	})

	t.Run("QuietWeekIsShort", func(t *testing.T) {
		q := &rituals.Digest{Team: "T1", Channel: "C0PLAT", Zone: rituals.StoredZone("Europe/Berlin"), From: digestEnd.AddDate(0, 0, -7), To: digestEnd, Today: "2026-11-27"}
		blocks := Digest(q, sampleDigestRef(), "")
		golden(t, "digest_quiet", blocks)
		if len(blocks) > 6 || DigestFallback(q) != "Weekly digest, week to Fri 27 Nov: a quiet week." {
			t.Fatalf("%d blocks; fallback %q", len(blocks), DigestFallback(q))
		}
	})

	t.Run("BusyWeekCappedWithShowAll", func(t *testing.T) {
		g := busyDigest(400)
		blocks := Digest(g, sampleDigestRef(), "")
		checkDigestLimits(t, blocks, DigestFallback(g))
		golden(t, "digest_busy", blocks)
		var buttons []string
		for _, b := range blocks {
			if s, ok := b.(*slack.SectionBlock); ok && s.Accessory != nil && s.Accessory.ButtonElement != nil {
				m, err := DecodeDigestMore(s.Accessory.ButtonElement.Value)
				if err != nil || m.Ref != sampleDigestRef() {
					t.Fatalf("button value %q: %v", s.Accessory.ButtonElement.Value, err)
				}
				buttons = append(buttons, m.List)
				if !strings.Contains(s.Text.Text, "_…and 395 more_") {
					t.Fatalf("capped list:\n%s", s.Text.Text)
				}
			}
		}
		if want := []string{listDecided, listDue, listOpened, listResolved, listOpen, listPulses, listActions}; fmt.Sprint(buttons) != fmt.Sprint(want) {
			t.Fatalf("Show all on %v, want %v", buttons, want)
		}
	})

	t.Run("FullListFitsAMessage", func(t *testing.T) {
		title, blocks := DigestFullList(busyDigest(40), listDecided)
		checkDigestLimits(t, blocks, title)
		golden(t, "digest_full_list", blocks)
		if text := blocksJSON(t, blocks); !strings.Contains(text, "D-1040") || !strings.Contains(text, "D-1001") {
			t.Fatal("the full list lacks entries")
		}
		_, huge := DigestFullList(busyDigest(3000), listDecided)
		checkDigestLimits(t, huge, "")
		last := huge[len(huge)-1].(*slack.ContextBlock).ContextElements.Elements[0].(*slack.TextBlockObject).Text
		if !strings.Contains(last, "more not shown here") {
			t.Fatalf("last block of an oversized list: %s", last)
		}
	})
}

// busyDigest is a week with n entries in every list, each as long as a
// title may be.
func busyDigest(n int) *rituals.Digest {
	g := sampleDigest()
	g.Decided, g.Due, g.Opened, g.Resolved, g.Open, g.Pulses, g.Actions = nil, nil, nil, nil, nil, nil, nil
	long := strings.Repeat("word & <more> ", 20)
	for i := 1; i <= n; i++ {
		at := digestEnd.Add(-time.Duration(i) * time.Minute)
		g.Decided = append(g.Decided, &rituals.Decision{Number: int64(1000 + i), Title: long, Owner: "U0ANN", CreatedAt: at, DecidedAt: at})
		g.Due = append(g.Due, &rituals.Decision{Number: int64(2000 + i), Title: long, Owner: "U0BOB", Status: rituals.StatusProposed, DecideBy: "2026-11-30"})
		b := &rituals.Blocker{Number: int64(i), Text: long, Reporter: "U0EVE", CreatedAt: at.Add(-48 * time.Hour), ResolvedAt: at}
		g.Opened, g.Resolved = append(g.Opened, b), append(g.Resolved, b)
		g.Open = append(g.Open, &rituals.Blocker{Number: int64(500 + i), Text: long, Reporter: "U0EVE", CreatedAt: at})
		g.Pulses = append(g.Pulses, &rituals.PulseReport{Pulse: &rituals.Pulse{Number: int64(i), Kind: rituals.PulseText, Question: long, ClosedAt: at},
			All: rituals.PulseGroup{Asked: 10, Answered: 9, Shown: true}})
		g.Actions = append(g.Actions, &rituals.Item{Session: 9, Number: int64(i), Kind: rituals.ItemChange, Text: long})
	}
	return g
}

// A risk with one vote reads "1 vote".
func TestDigestRiskCountsVotes(t *testing.T) {
	for votes, want := range map[int]string{0: "· 0 votes", 1: "· 1 vote", 2: "· 2 votes"} {
		got := digestRisk(&rituals.Item{Session: 3, Number: 1, Text: "The vendor slips", Votes: votes})
		if !strings.HasSuffix(got, want) {
			t.Errorf("%d votes: %q, want it to end %q", votes, got, want)
		}
	}
}
