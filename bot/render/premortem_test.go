package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

var sessionOpened = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// samplePremortem is an open pre-mortem with a launch day and four risks:
// one voted, one rated high, an anonymous elephant, and a plain reply.
func samplePremortem() *rituals.Session {
	s := &rituals.Session{
		Team: "T1", Number: 4, Kind: rituals.SessionPremortem, Name: "Checkout v2 & <payments>",
		Channel: "C0PLAT", Creator: "U0ANN", CreatorName: "Ann Lee", Status: rituals.SessionOpen,
		LaunchOn: "2026-12-10", CreatedAt: sessionOpened, ClosesAt: sessionOpened.Add(48 * time.Hour),
	}
	item := func(n int64, kind rituals.ItemKind, text, author string, l, i rituals.RiskLevel, tag rituals.RiskTag, votes int) *rituals.Item {
		return &rituals.Item{Team: "T1", Session: 4, Number: n, Kind: kind, Text: text, Author: author,
			Likelihood: l, Impact: i, Tag: tag, Votes: votes, CreatedAt: sessionOpened.Add(time.Duration(n) * time.Minute)}
	}
	s.Items = []*rituals.Item{
		item(1, rituals.ItemFailure, "Payments time out under Black Friday load", "U0BOB", "low", "high", "", 3),
		item(2, rituals.ItemAssumption, "Fraud checks stay under 200 ms", "U0EVE", "high", "high", rituals.TagTiger, 1),
		item(3, rituals.ItemFailure, "The date was never realistic", "", "medium", "high", rituals.TagElephant, 1),
		item(4, rituals.ItemFailure, "Search index lags behind the catalogue", "U0BOB", "", "", "", 0),
	}
	s.Items[2].Anonymous = true
	s.Items[3].SourceTS = "1700000100.000200"
	return s
}

// sampleRetro is a retro with one item of each prompt and two changes,
// one owned.
func sampleRetro() *rituals.Session {
	s := &rituals.Session{
		Team: "T1", Number: 5, Kind: rituals.SessionRetro, Name: "Checkout v2 launch",
		Channel: "C0PLAT", Creator: "U0ANN", Status: rituals.SessionOpen,
		CreatedAt: sessionOpened, ClosesAt: sessionOpened.Add(48 * time.Hour),
	}
	s.Items = []*rituals.Item{
		{Team: "T1", Session: 5, Number: 1, Kind: rituals.ItemWell, Text: "The canary caught the bug", Author: "U0BOB", Votes: 2},
		{Team: "T1", Session: 5, Number: 2, Kind: rituals.ItemDidnt, Text: "Support heard about it from customers", Author: "U0EVE", Votes: 4},
		{Team: "T1", Session: 5, Number: 3, Kind: rituals.ItemChange, Text: "Page support on every rollback", Author: "U0EVE", Votes: 3,
			Owner: "U0BOB", Due: "2026-12-01", AssignedBy: "U0ANN", AssignedAt: sessionOpened},
		{Team: "T1", Session: 5, Number: 4, Kind: rituals.ItemChange, Text: "Load test before launch", Author: "U0ANN"},
	}
	return s
}

func closed(s *rituals.Session, by string) *rituals.Session {
	s.Status, s.ClosedAt, s.ClosedBy = rituals.SessionClosed, sessionOpened.Add(48*time.Hour), by
	return s
}

func TestRenderSessionParent(t *testing.T) {
	golden(t, "premortem_parent", SessionParent(samplePremortem()))
	golden(t, "retro_parent", SessionParent(sampleRetro()))
	t.Run("ClosedHasNoButtons", func(t *testing.T) {
		blocks := SessionParent(closed(samplePremortem(), ""))
		golden(t, "premortem_parent_closed", blocks)
		for _, bl := range blocks {
			if _, ok := bl.(*slack.ActionBlock); ok {
				t.Fatal("a closed pre-mortem still has add buttons")
			}
		}
	})
}

func TestRenderSessionItems(t *testing.T) {
	pm, retro := samplePremortem(), sampleRetro()
	golden(t, "premortem_item_tiger", SessionItemCard(pm, pm.Items[1]))
	golden(t, "premortem_item_anonymous_elephant", SessionItemCard(pm, pm.Items[2]))
	golden(t, "premortem_item_reply", SessionItemCard(pm, pm.Items[3]))
	golden(t, "retro_item_action", SessionItemCard(retro, retro.Items[2]))
	t.Run("AnonymousNamesNobody", func(t *testing.T) {
		text := blocksJSON(t, SessionItemCard(pm, pm.Items[2]))
		if !strings.Contains(text, "Added anonymously") || strings.Contains(text, "<@") {
			t.Fatalf("an anonymous item's card names someone:\n%s", text)
		}
	})
	t.Run("DoneHasNoTrackButtons", func(t *testing.T) {
		it := *retro.Items[2]
		it.DoneAt, it.DoneBy = sessionOpened.Add(72*time.Hour), "U0BOB"
		golden(t, "retro_item_done", SessionItemCard(retro, &it))
	})
}

func TestRenderSessionSummary(t *testing.T) {
	pm := closed(samplePremortem(), "")
	pm.Items[1].Owner, pm.Items[1].Due, pm.Items[1].Blocker = "U0EVE", "2026-12-05", 9
	golden(t, "premortem_summary", SessionSummary(pm))
	golden(t, "retro_summary", SessionSummary(closed(sampleRetro(), "U0ANN")))

	t.Run("EmptyPremortem", func(t *testing.T) {
		s := closed(samplePremortem(), "")
		s.Items = nil
		golden(t, "premortem_summary_empty", SessionSummary(s))
	})
	t.Run("ManyRisksWithinLimits", func(t *testing.T) {
		s := closed(samplePremortem(), "")
		for i := int64(5); i <= 60; i++ {
			s.Items = append(s.Items, &rituals.Item{Session: 4, Number: i, Kind: rituals.ItemFailure, Text: strings.Repeat("Risk & <more> ", 200)})
		}
		blocks := SessionSummary(s)
		if len(blocks) > maxBlocks {
			t.Fatalf("%d blocks, Slack takes %d", len(blocks), maxBlocks)
		}
		if text := blocksJSON(t, blocks); !strings.Contains(text, "And 40 more: #") {
			t.Fatal("the risks past the first 20 are not listed")
		}
	})
}

func TestRenderSessionFollowUpAndReminder(t *testing.T) {
	pm := closed(samplePremortem(), "")
	pm.Items[0].HappenedAt, pm.Items[0].HappenedBy = sessionOpened.Add(21*24*time.Hour), "U0EVE"
	golden(t, "premortem_followup", SessionFollowUp(pm))

	retro := sampleRetro()
	_, blocks := SessionReminder(retro, retro.Items[2], retro.Items[2].Due)
	golden(t, "retro_reminder", blocks)
	_, blocks = SessionOverdueReminder(retro, retro.Items[2], 7)
	golden(t, "retro_reminder_overdue", blocks)
	t.Run("PrivateNamesNoText", func(t *testing.T) {
		retro.ChannelPrivate = true
		_, blocks := SessionReminder(retro, retro.Items[2], retro.Items[2].Due)
		_, overdue := SessionOverdueReminder(retro, retro.Items[2], 2)
		if text := blocksJSON(t, append(blocks, overdue...)); strings.Contains(text, "rollback") || strings.Contains(text, "Checkout") {
			t.Fatalf("a private retro's reminder shows its content:\n%s", text)
		}
	})
}

// A reminder held for the owner's working days says when the day was,
// as it reads on the day it arrives: never "today" of a Saturday that
// has passed.
func TestRemindersHeldOverAWeekendSayWhen(t *testing.T) {
	retro := sampleRetro()
	it := retro.Items[2]
	it.Due = "2026-12-05" // a Saturday
	for today, want := range map[rituals.Date]string{
		"2026-12-05": "is due today (2026-12-05)",
		"2026-12-06": "was due yesterday (2026-12-05)",
		"2026-12-07": "was due on 2026-12-05, 2 days ago",
	} {
		fallback, blocks := SessionReminder(retro, it, today)
		if text := blocksJSON(t, blocks); !strings.Contains(text, want) {
			t.Errorf("action item reminder on %s lacks %q:\n%s", today, want, text)
		}
		if today != it.Due && strings.Contains(fallback, "today") {
			t.Errorf("action item reminder on %s reads %q", today, fallback)
		}
	}

	d := sampleDecision()
	d.Status, d.DecideBy = rituals.StatusProposed, "2026-12-05"
	for _, tc := range []struct {
		kind  rituals.ReminderKind
		today rituals.Date
		want  string
	}{
		{rituals.ReminderDue, "2026-12-05", "is due to be decided today (2026-12-05)"},
		{rituals.ReminderDue, "2026-12-07", "was due to be decided on 2026-12-05, 2 days ago and is still open"},
		{rituals.ReminderAfter, "2026-12-06", "was due yesterday (2026-12-05) and is still open"},
		{rituals.ReminderAfter, "2026-12-07", "was due on 2026-12-05, 2 days ago and is still open"},
	} {
		_, blocks := DecisionReminder(d, tc.kind, tc.today)
		if text := blocksJSON(t, blocks); !strings.Contains(text, tc.want) {
			t.Errorf("%s reminder on %s lacks %q:\n%s", tc.kind, tc.today, tc.want, text)
		}
	}
}

func TestRenderSessionModalsAndList(t *testing.T) {
	meta := ModalMeta{Channel: "C0PLAT"}
	golden(t, "premortem_modal_failure", SessionItemModal(meta, samplePremortem(), rituals.ItemFailure))
	golden(t, "retro_modal_change", SessionItemModal(meta, sampleRetro(), rituals.ItemChange))
	golden(t, "retro_modal_owner", SessionOwnerModal(meta, sampleRetro().Items[2]))
	retro := sampleRetro()
	for _, it := range retro.Items {
		it.SessionName = retro.Name
	}
	golden(t, "retro_list", SessionList(rituals.SessionRetro, []*rituals.Session{retro}, retro.Items[2:], sessionOpened))
	golden(t, "retro_list_overdue", SessionList(rituals.SessionRetro, []*rituals.Session{retro}, retro.Items[2:], sessionOpened.AddDate(0, 0, 30)))
	golden(t, "premortem_list_empty", SessionList(rituals.SessionPremortem, nil, nil, sessionOpened))
}

// blocksJSON is blocks as the JSON sent to Slack, for looking into.
func blocksJSON(t *testing.T, blocks []slack.Block) string {
	t.Helper()
	b, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
