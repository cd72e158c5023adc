package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

var homeAt = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func item[T any](e T, hidden bool) rituals.HomeItem[T] {
	return rituals.HomeItem[T]{Entry: e, Hidden: hidden}
}

// sampleHome has one entry of every kind and state App Home shows.
func sampleHome() *rituals.Home {
	proposal := func(n int64, title string, by rituals.Date) *rituals.Decision {
		d := sampleDecision()
		d.Number, d.Title, d.Status, d.DecideBy = n, title, rituals.StatusProposed, by
		return d
	}
	hiddenProposal := &rituals.Decision{Team: "T1", Number: 15, Channel: "G0SECRET", ChannelPrivate: true,
		Status: rituals.StatusProposed, DecideBy: "2026-12-03", Owner: "U0ANN"}
	mine := func(b *rituals.Blocker, reported bool, via rituals.Party) rituals.BlockerFor {
		return rituals.BlockerFor{Blocker: b, Reported: reported, Via: via}
	}
	overdue := sampleBlocker()
	overdue.Number, overdue.NeededBy, overdue.OverdueAt, overdue.EscalatedAt = 8, "2026-11-27", homeAt.Add(-12*time.Hour), homeAt.Add(-time.Hour)
	viaChannel := sampleBlocker()
	viaChannel.Number = 9
	hiddenBlocker := &rituals.Blocker{Team: "T1", Number: 10, Channel: "G0SECRET", ChannelPrivate: true, Reporter: "U0BOB",
		Status: rituals.BlockerOpen, CreatedAt: homeAt.Add(-50 * time.Hour)}
	checkin := func(ch string, closes time.Duration) *rituals.Checkin {
		return &rituals.Checkin{Team: "T1", Channel: ch, ScheduledFor: homeAt.Add(-2 * time.Hour), ClosesAt: homeAt.Add(closes)}
	}
	pulse := &rituals.Pulse{Team: "T1", Number: 3, Channel: "C0PLAT", Question: "How clear are our top priorities this week?",
		Status: rituals.PulseOpen, ClosesAt: homeAt.Add(36 * time.Hour)}
	hiddenPulse := &rituals.Pulse{Team: "T1", Number: 4, Channel: "G0SECRET", ChannelPrivate: true, Status: rituals.PulseOpen,
		ClosesAt: homeAt.Add(40 * time.Hour)}
	revisit := sampleDecision()
	revisit.Number, revisit.RevisitBy = 5, "2026-11-28"
	retro := &rituals.Session{Team: "T1", Number: 4, Kind: rituals.SessionRetro, Name: "Q4 launch", Channel: "C0PLAT"}
	action := &rituals.Item{Team: "T1", Session: 4, Number: 3, Kind: rituals.ItemChange, Text: "Write the runbook", Owner: "U0ANN", Due: "2026-11-28"}
	recent := sampleDecision()
	recent2 := proposal(16, "Retire the v1 endpoints", "2026-12-20")
	recent2.Channel = "C0RANDOM"
	return &rituals.Home{
		Team: "T1", User: "U0ANN", At: homeAt, Today: "2026-11-28",
		Proposed: rituals.HomeList[*rituals.Decision]{Items: []rituals.HomeItem[*rituals.Decision]{
			item(proposal(13, "Pick a <message> queue & a schema registry", "2026-11-26"), false),
			item(proposal(14, "Move the standup", "2026-11-28"), false),
			item(hiddenProposal, true),
			item(proposal(16, "Retire the v1 endpoints", "2026-12-20"), false),
		}},
		Blockers: rituals.HomeList[rituals.BlockerFor]{Items: []rituals.HomeItem[rituals.BlockerFor]{
			item(mine(sampleBlocker(), true, rituals.Party{}), false),
			item(mine(overdue, false, sampleBlocker().Parties[0]), false),
			item(mine(viaChannel, false, sampleBlocker().Parties[2]), false),
			item(mine(hiddenBlocker, false, rituals.Party{Kind: rituals.PartyUser, ID: "U0ANN"}), true),
		}},
		Checkins: rituals.HomeList[*rituals.Checkin]{Items: []rituals.HomeItem[*rituals.Checkin]{
			item(checkin("C0PLAT", 3*time.Hour), false), item(checkin("G0SECRET", 20*time.Hour), false),
		}},
		Pulses: rituals.HomeList[*rituals.Pulse]{Items: []rituals.HomeItem[*rituals.Pulse]{item(pulse, false), item(hiddenPulse, true)}},
		Held: rituals.HomeList[rituals.HeldReminder]{Items: []rituals.HomeItem[rituals.HeldReminder]{
			item(rituals.HeldReminder{At: homeAt.Add(-time.Hour), Reminder: rituals.ReminderDue, Decision: proposal(13, "Pick a <message> queue & a schema registry", "2026-11-26")}, false),
			item(rituals.HeldReminder{At: homeAt.Add(-2 * time.Hour), Reminder: rituals.ReminderRevisit, Decision: revisit}, false),
			item(rituals.HeldReminder{At: homeAt.Add(-3 * time.Hour), Reminder: rituals.ReminderDue, Decision: hiddenProposal}, true),
			item(rituals.HeldReminder{At: homeAt.Add(-4 * time.Hour), Pulse: pulse}, false),
			item(rituals.HeldReminder{At: homeAt.Add(-5 * time.Hour), Checkin: checkin("C0PLAT", 3*time.Hour)}, false),
			item(rituals.HeldReminder{At: homeAt.Add(-6 * time.Hour), Session: retro, Item: action}, false),
		}},
		Recent: []*rituals.Decision{recent2, recent},
	}
}

func TestRenderHome(t *testing.T) {
	golden(t, "home_full", HomeView(sampleHome()))

	t.Run("NothingWaiting", func(t *testing.T) {
		h := &rituals.Home{Team: "T1", User: "U0EVE", At: homeAt, Today: "2026-11-28"}
		v := HomeView(h)
		golden(t, "home_empty", v)
		text := viewText(t, v)
		for _, want := range []string{"Nothing waiting for you", "Record decision", "Report blocker", "None yet"} {
			if !strings.Contains(text, want) {
				t.Errorf("empty Home lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("FirstOpeningShowsTheTour", func(t *testing.T) {
		h := sampleHome()
		h.Tour = true
		v := HomeView(h)
		golden(t, "home_tour", v)
		text := viewText(t, v)
		tour := strings.Index(text, "Welcome to alignbot")
		if tour < 0 || tour > strings.Index(text, "*D-15*") {
			t.Errorf("the tour is not above the items:\n%s", text)
		}
		for _, want := range []string{"`/decide", "`/blocker", "`/alignbot`"} {
			if !strings.Contains(text, want) {
				t.Errorf("the tour lacks %q", want)
			}
		}
		if strings.Contains(viewText(t, HomeView(sampleHome())), "Welcome to alignbot") {
			t.Error("the tour shows without Tour")
		}
	})
	t.Run("HiddenEntriesSayNothingOfThemselves", func(t *testing.T) {
		text := viewText(t, HomeView(sampleHome()))
		for _, want := range []string{"*D-15* · _in <#G0SECRET>, which you are not in_ · decide by 2026-12-03",
			"*B-10* · _in <#G0SECRET>, which you are not in_ · open 2d 2h · needs you",
			"*P-4* · asked _in <#G0SECRET>, which you are not in_"} {
			if !strings.Contains(text, want) {
				t.Errorf("Home lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("BusyPersonStaysWithinLimits", func(t *testing.T) {
		h := busyHome(25)
		v := HomeView(h)
		golden(t, "home_busy", v)
		checkHomeLimits(t, v)
		text := viewText(t, v)
		for _, want := range []string{"…and 15 more: D-11, D-12", "See one with `/decide show D-11`",
			"…and 15 more, in <#C0CH0> (8), <#C0CH1> (7). `/blocker list` in a channel lists its open blockers.",
			"…and 15 more, in <#C0CH0> (8), <#C0CH1> (7). Each channel's check-in thread has an Answer button.",
			"…and 15 more: P-11, P-12", "…and 15 more held back."} {
			if !strings.Contains(text, want) {
				t.Errorf("Home lacks %q", want)
			}
		}
	})
	t.Run("LongestEntriesStayWithinLimits", func(t *testing.T) {
		h := busyHome(500)
		checkHomeLimits(t, HomeView(h))
	})
	t.Run("ActionItemsFlagOverdue", func(t *testing.T) {
		h := &rituals.Home{Team: "T1", User: "U0ANN", At: homeAt, Today: "2026-11-28"}
		h.Actions.Items = []rituals.HomeItem[*rituals.Item]{
			item(&rituals.Item{Session: 4, Number: 2, Kind: rituals.ItemChange, Text: "Write the runbook", Owner: "U0ANN", Due: "2026-11-27", Channel: "C0PLAT"}, false),
			item(&rituals.Item{Session: 5, Number: 1, Kind: rituals.ItemFailure, Owner: "U0ANN", Due: "2026-11-28", Channel: "G0SECRET", ChannelPrivate: true}, true),
			item(&rituals.Item{Session: 4, Number: 3, Kind: rituals.ItemChange, Text: "Page support", Owner: "C0PLAT", Due: "2026-12-01", Channel: "C0PLAT"}, false),
		}
		h.Actions.More, h.Actions.MoreIDs = 1, []string{"R-6 #1"}
		v := HomeView(h)
		golden(t, "home_actions", v)
		text := viewText(t, v)
		for _, want := range []string{"*Action items you own* (4)",
			"*R-4 #2* · Write the runbook · <#C0PLAT> · due 2026-11-27 · :warning: *overdue*\n",
			"*PM-5 #1* · _in <#G0SECRET>, which you are not in_ · due 2026-11-28\n",
			"*R-4 #3* · Page support · <#C0PLAT> · due 2026-12-01 · owned by <#C0PLAT> (you are in it)",
			"…and 1 more: R-6 #1."} {
			if !strings.Contains(text, want) {
				t.Errorf("Home lacks %q:\n%s", want, text)
			}
		}
		busy := busyHome(500)
		for range rituals.HomeListCap {
			busy.Actions.Items = append(busy.Actions.Items, item(&rituals.Item{Session: 4, Number: 2, Kind: rituals.ItemChange,
				Text: strings.Repeat("<&> ", rituals.MaxItemText/4), Owner: "C0PLAT", Due: "2026-11-27", Channel: "C0PLAT"}, false))
		}
		busy.Actions.More = 490
		for i := range 490 {
			busy.Actions.MoreIDs = append(busy.Actions.MoreIDs, fmt.Sprintf("R-%d #1", i+10))
		}
		checkHomeLimits(t, HomeView(busy))
	})
}

// busyHome is a Home whose every list holds n entries, with the longest
// texts entries may have: the first HomeListCap shown, the rest counted.
func busyHome(n int) *rituals.Home {
	h := &rituals.Home{Team: "T1", User: "U0ANN", At: homeAt, Today: "2026-11-28"}
	long := strings.Repeat("<&> ", rituals.MaxTitle/4)
	for i := range n {
		ch := fmt.Sprintf("C0CH%d", i%2)
		d := &rituals.Decision{Team: "T1", Number: int64(i + 1), Title: long, Channel: ch, Status: rituals.StatusProposed,
			DecideBy: "2026-11-20", Owner: "U0ANN", Date: "2026-11-01"}
		b := &rituals.Blocker{Team: "T1", Number: int64(i + 1), Text: strings.Repeat("x ", rituals.MaxBlockerText/2), Channel: ch,
			Reporter: "U0BOB", Status: rituals.BlockerOpen, CreatedAt: homeAt.Add(-time.Hour), NeededBy: "2026-11-27",
			OverdueAt: homeAt, EscalatedAt: homeAt}
		c := &rituals.Checkin{Team: "T1", Channel: ch, ScheduledFor: homeAt.Add(time.Duration(-i) * time.Hour), ClosesAt: homeAt.Add(time.Hour)}
		p := &rituals.Pulse{Team: "T1", Number: int64(i + 1), Channel: ch, Question: strings.Repeat("q", rituals.MaxPulseQuestion),
			ClosesAt: homeAt.Add(time.Hour)}
		via := rituals.Party{Kind: rituals.PartyGroup, ID: "S0LONGGROUP", Name: strings.Repeat("g", 80)}
		if i < rituals.HomeListCap {
			h.Proposed.Items = append(h.Proposed.Items, item(d, false))
			h.Blockers.Items = append(h.Blockers.Items, item(rituals.BlockerFor{Blocker: b, Via: via}, false))
			h.Checkins.Items = append(h.Checkins.Items, item(c, false))
			h.Pulses.Items = append(h.Pulses.Items, item(p, false))
			h.Held.Items = append(h.Held.Items, item(rituals.HeldReminder{At: homeAt, Reminder: rituals.ReminderDue, Decision: d}, false))
			h.Recent = append(h.Recent, d)
			continue
		}
		for _, more := range []*int{&h.Proposed.More, &h.Blockers.More, &h.Checkins.More, &h.Pulses.More, &h.Held.More} {
			*more++
		}
		h.Proposed.MoreIDs = append(h.Proposed.MoreIDs, d.ID())
		h.Pulses.MoreIDs = append(h.Pulses.MoreIDs, p.ID())
	}
	counts := []rituals.ChannelCount{{Channel: "C0CH0", N: (n - rituals.HomeListCap + 1) / 2}, {Channel: "C0CH1", N: (n - rituals.HomeListCap) / 2}}
	h.Blockers.MoreIn, h.Checkins.MoreIn = counts, counts
	return h
}

// checkHomeLimits checks a Home view against Slack's limits as the fake
// Slack enforces them: 100 blocks, 3000 characters a section, 2000 a
// context element, 150 a header.
func checkHomeLimits(t *testing.T, v slack.HomeTabViewRequest) {
	t.Helper()
	if n := len(v.Blocks.BlockSet); n > 100 {
		t.Fatalf("%d blocks; a Home holds 100", n)
	}
	for i, b := range v.Blocks.BlockSet {
		switch b := b.(type) {
		case *slack.SectionBlock:
			if n := len([]rune(b.Text.Text)); n > maxSectionText {
				t.Fatalf("block %d: section of %d characters", i, n)
			}
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if tx, ok := e.(*slack.TextBlockObject); ok && len([]rune(tx.Text)) > maxContextText {
					t.Fatalf("block %d: context of %d characters", i, len([]rune(tx.Text)))
				}
			}
		}
	}
}

// viewText is every text v shows, a line each.
func viewText(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	for _, shown := range textObjects(t, v) {
		b.WriteString(shown.text + "\n")
	}
	return b.String()
}

func TestRenderHomeModals(t *testing.T) {
	golden(t, "decision_modal_home", DecisionModal(ModalMeta{Home: true}, rituals.DecisionInput{Owner: "U0ANN", Status: rituals.StatusDecided}, nil))
	golden(t, "blocker_modal_home", BlockerModal(ModalMeta{Home: true}, BlockerForm{}))

	t.Run("FormsOpenedInAChannelHaveNoPicker", func(t *testing.T) {
		for _, b := range DecisionModal(ModalMeta{Channel: "C0PLAT"}, rituals.DecisionInput{}, nil).Blocks.BlockSet {
			if in, ok := b.(*slack.InputBlock); ok && in.BlockID == FieldHomeChannel {
				t.Fatal("a form opened in a channel asks for a channel")
			}
		}
	})
}
