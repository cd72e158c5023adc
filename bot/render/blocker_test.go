package render

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

var blockerNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func sampleBlocker() *rituals.Blocker {
	reported := time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)
	return &rituals.Blocker{
		Team: "T1", Number: 7, Channel: "C0PLAT",
		Text:     "Waiting on <!subteam^S0DATA|@data> & <@U0BOB> for the <events> schema review",
		Reporter: "U0ANN", ReporterName: "Ann Lee",
		Parties: []rituals.Party{
			{Kind: rituals.PartyGroup, ID: "S0DATA", Name: "@data", Members: []string{"U0BOB", "U0CAT"}},
			{Kind: rituals.PartyUser, ID: "U0BOB"},
			{Kind: rituals.PartyChannel, ID: "C0DATA", Name: "data"},
		},
		Status: rituals.BlockerOpen, CreatedAt: reported, UpdatedAt: reported,
	}
}

func TestRenderBlockerCard(t *testing.T) {
	golden(t, "blocker_card", BlockerCard(sampleBlocker(), blockerNow))

	t.Run("AckedOverdueEscalated", func(t *testing.T) {
		b := sampleBlocker()
		b.Impact, b.NeededBy, b.Source = "The December launch slips.", "2026-11-27", "https://example.slack.com/archives/C0PLAT/p1"
		b.Acks = []rituals.Ack{{User: "U0CAT", At: blockerNow.Add(-time.Hour)}}
		b.OverdueAt, b.EscalatedAt = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), blockerNow
		golden(t, "blocker_card_marked", BlockerCard(b, blockerNow))
	})
	t.Run("ResolvedHasNoButtons", func(t *testing.T) {
		b := sampleBlocker()
		b.Status, b.ResolvedBy, b.Resolution = rituals.BlockerResolved, "U0BOB", "Schema approved in <RFC-9>."
		b.ResolvedAt = blockerNow
		b.TimeToResolve = b.ResolvedAt.Sub(b.CreatedAt)
		blocks := BlockerCard(b, blockerNow)
		golden(t, "blocker_card_resolved", blocks)
		for _, bl := range blocks {
			if _, ok := bl.(*slack.ActionBlock); ok {
				t.Fatal("a resolved card still has buttons")
			}
		}
	})
	t.Run("LongTextWithinLimits", func(t *testing.T) {
		b := sampleBlocker()
		b.Text = strings.Repeat("All words <kept> & escaped. ", 107) // ~3,000 characters
		b.Impact = b.Text
		blocks := BlockerCard(b, blockerNow)
		var body strings.Builder
		for _, bl := range blocks {
			if s, ok := bl.(*slack.SectionBlock); ok {
				if n := len([]rune(s.Text.Text)); n > maxSectionText {
					t.Fatalf("section of %d characters", n)
				}
				body.WriteString(s.Text.Text)
			}
		}
		if len(blocks) > maxBlocks || !strings.Contains(body.String(), Mrkdwn(b.Text)) {
			t.Fatalf("%d blocks, or the card lost part of the text", len(blocks))
		}
	})
}

func TestRenderBlockerList(t *testing.T) {
	b2 := sampleBlocker()
	b2.Number, b2.Text, b2.CreatedAt = 9, "Need a prod DB replica", blockerNow.Add(-90*time.Minute)
	b2.Parties, b2.NeededBy, b2.OverdueAt = []rituals.Party{{Kind: rituals.PartyUser, ID: "U0EVE"}}, "2026-11-27", blockerNow
	b1 := sampleBlocker()
	b1.EscalatedAt, b1.Acks = blockerNow, []rituals.Ack{{User: "U0BOB"}}
	golden(t, "blocker_list", BlockerList([]*rituals.Blocker{b1, b2}, blockerNow))

	t.Run("EmptySaysSo", func(t *testing.T) {
		blocks := BlockerList(nil, blockerNow)
		if len(blocks) != 1 || !strings.Contains(blocks[0].(*slack.SectionBlock).Text.Text, "No open blockers") {
			t.Fatalf("blocks=%+v", blocks)
		}
	})
	t.Run("HundredFitInOneMessage", func(t *testing.T) {
		var bs []*rituals.Blocker
		for range rituals.MaxListLimit {
			b := sampleBlocker()
			b.Text = strings.Repeat("x", rituals.MaxBlockerText)
			bs = append(bs, b)
		}
		if n := len(BlockerList(bs, blockerNow)); n > maxBlocks {
			t.Fatalf("%d blocks, limit %d", n, maxBlocks)
		}
	})
}

func TestRenderBlockerNotices(t *testing.T) {
	link := "https://example.slack.com/archives/C0PLAT/p1764059400000100"
	b := sampleBlocker()
	render := func(event, to string) []slack.Block {
		_, blocks := BlockerNotice(b, rituals.BlockerNoticeData{Event: event, SLA: "72h"}, to, link, blockerNow)
		return blocks
	}
	golden(t, "blocker_notice_named", render(rituals.NoticeReported, "U0BOB"))
	golden(t, "blocker_notice_group", render(rituals.NoticeReported, "U0CAT"))
	golden(t, "blocker_notice_channel", render(rituals.NoticeReported, "C0DATA"))
	golden(t, "blocker_notice_escalated_reporter", render(rituals.NoticeEscalated, "U0ANN"))
	golden(t, "blocker_notice_escalated_group", render(rituals.NoticeEscalated, "U0CAT"))
	b.Status, b.ResolvedBy, b.Resolution = rituals.BlockerResolved, "U0BOB", "Approved."
	golden(t, "blocker_notice_resolved", render(rituals.NoticeResolved, "U0ANN"))
}

func TestRenderBlockerModals(t *testing.T) {
	golden(t, "blocker_modal_new", BlockerModal(ModalMeta{Channel: "C0PLAT", ReplyURL: "https://hooks.example/r"}, BlockerForm{}))
	text := "Waiting on <@U0BOB> and <!subteam^S0DATA|@data> in <#C0DATA|data>"
	golden(t, "blocker_modal_from_message", BlockerModal(ModalMeta{Channel: "C0PLAT", Source: "https://example.slack.com/archives/C0PLAT/p1"},
		BlockerForm{Text: text, Parties: []rituals.Party{ // as parseMentions finds them in text
			{Kind: rituals.PartyUser, ID: "U0BOB"},
			{Kind: rituals.PartyGroup, ID: "S0DATA", Name: "@data"},
			{Kind: rituals.PartyChannel, ID: "C0DATA", Name: "data"},
		}}))
	golden(t, "blocker_modal_resolve", ResolveModal(ModalMeta{Channel: "C0PLAT", Number: 7}, sampleBlocker()))
}

// TestRenderBlockersOthersNeed renders what a channel sees of the
// blockers other channels need from it, and the second escalation level:
// the card, the list and the notice to the escalation target.
func TestRenderBlockersOthersNeed(t *testing.T) {
	within := sampleBlocker()
	within.Channel, within.SLA, within.CreatedAt = "C0PAY", 72*time.Hour, blockerNow.Add(-30*time.Hour)
	past := sampleBlocker()
	past.Number, past.Channel, past.SLA = 8, "C0PAY", 24*time.Hour
	climbed := sampleBlocker()
	climbed.Number, climbed.Channel, climbed.SLA = 9, "C0PAY", 24*time.Hour
	climbed.EscalatedAt, climbed.ClimbedAt, climbed.ClimbedTo = blockerNow.Add(-24*time.Hour), blockerNow, "U0LEAD"
	private := sampleBlocker()
	private.Number, private.Channel, private.ChannelPrivate, private.SLA = 10, "G0SEC", true, 72*time.Hour
	golden(t, "blocker_waiting_on_team", WaitingOnTeam([]*rituals.Blocker{within, past, climbed, private.SeenFrom("C0PLAT")}, "C0PLAT", blockerNow))
	golden(t, "blocker_card_climbed", BlockerCard(climbed, blockerNow))
	_, notice := BlockerNotice(climbed, rituals.BlockerNoticeData{Event: rituals.NoticeClimbed, SLA: "1d"}, "U0LEAD",
		"https://example.slack.com/archives/C0PAY/p1764059400000100", blockerNow)
	golden(t, "blocker_notice_climbed", notice)

	t.Run("PrivateShowsOnlyItsID", func(t *testing.T) {
		line := InboundLine(private.SeenFrom("C0PLAT"), "C0PLAT", blockerNow)
		if strings.Contains(line, private.Text) || strings.Contains(line, "G0SEC") || !strings.Contains(line, "*B-10* · from a private channel") {
			t.Fatalf("line %q", line)
		}
		if line := InboundLine(private, "C0PLAT", blockerNow); strings.Contains(line, private.Text) {
			t.Fatalf("an unstripped private blocker shows its text: %q", line)
		}
	})
	t.Run("NoneRendersNothing", func(t *testing.T) {
		if blocks := WaitingOnTeam(nil, "C0PLAT", blockerNow); blocks != nil {
			t.Fatalf("blocks %+v", blocks)
		}
	})
}
