package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestPremortemFromStartToRankedSummary(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	parent := h.openSession(ann, general, "/premortem", "Checkout v2 close in 72h")
	text := messageText(parent)
	for _, want := range []string{"Pre-mortem PM-1: Checkout v2",
		"*Pre-mortem: Checkout v2.* Imagine it is six weeks after launch and it failed. What went wrong?",
		"Add failure mode", "Add assumption"} {
		if !strings.Contains(text, want) {
			t.Fatalf("parent lacks %q:\n%s", want, text)
		}
	}

	// Three risks through the form, one of them an anonymous elephant.
	if ack := h.pressAndSubmit(bob, parent, "session.add.failure", "", riskForm("Payments time out under load", "low", "high", "none", false)); ack != nil {
		t.Fatalf("ack %v", ack)
	}
	h.pressAndSubmit(eve, parent, "session.add.assumption", "", riskForm("Fraud checks stay under 200 ms", "high", "high", "tiger", false))
	h.pressAndSubmit(eve, parent, "session.add.failure", "", riskForm("The date was never realistic", "medium", "high", "elephant", true))
	t.Run("ErrAnonymousTiger", func(t *testing.T) {
		ack := h.pressAndSubmit(ann, parent, "session.add.failure", "", riskForm("Vendor lock-in", "low", "low", "tiger", true))
		if msg := viewFieldError(t, ack, "anonymous_item"); !strings.Contains(msg, "Only an elephant") {
			t.Fatalf("error %q", msg)
		}
	})
	// A plain reply is a fourth failure mode; a bare +1 is conversation.
	h.replyInThread(bob, parent, "Search index lags behind the catalogue")
	h.replyInThread(ann, parent, "+1")
	cards := h.waitBotReplies(parent, 4)
	h.settle()
	if got := len(h.botReplies(parent)); got != 4 {
		t.Fatalf("%d items in the thread, want 4: a bare +1 is not an item", got)
	}
	if c := messageText(cards[2]); !strings.Contains(c, ":elephant: elephant") || !strings.Contains(c, "Added anonymously") || strings.Contains(c, eve) {
		t.Fatalf("elephant card:\n%s", c)
	}
	if c := messageText(cards[3]); !strings.Contains(c, "*Failure mode #4*") || !strings.Contains(c, "Search index lags") || !strings.Contains(c, "From <@U0BOB>'s reply") {
		t.Fatalf("reply card:\n%s", c)
	}

	// Votes: one per person, toggled; the count shows on the item.
	h.press(ann, cards[0], "session.vote", "")
	h.press(bob, cards[0], "session.vote", "")
	h.waitMessageText(general, cards[0].TS, "+1 (2)")
	h.press(bob, cards[0], "session.vote", "") // taken back
	h.waitMessageText(general, cards[0].TS, "+1 (1)")
	h.press(ann, cards[3], "session.vote", "")
	h.press(eve, cards[3], "session.vote", "")
	h.waitMessageText(general, cards[3].TS, "+1 (2)")

	if got := h.askRitual(bob, general, "/premortem", "close R-1"); !strings.Contains(got, "Only Ann Lee, who opened PM-1, or an admin") {
		t.Fatalf("close by another:\n%s", got)
	}
	if got := h.askRitual(ann, general, "/premortem", "close 1"); !strings.Contains(got, "Closed *PM-1*") {
		t.Fatalf("close:\n%s", got)
	}
	replies := h.waitBotReplies(parent, 5)
	summary := replies[4]
	if !summary.ReplyBroadcast {
		t.Fatal("the summary is not broadcast to the channel")
	}
	sum := messageText(summary)
	if !strings.Contains(sum, "Pre-mortem PM-1: ranked risks") ||
		!inOrder(sum, "*1.* Search index lags", "*2.* Payments time out", "*3.* Fraud checks", "*4.* The date was never realistic") ||
		!strings.Contains(sum, "Make blocker") || !strings.Contains(sum, "Assign owner") {
		t.Fatalf("summary, want votes first, then likelihood × impact:\n%s", sum)
	}
	h.waitMessageText(general, parent.TS, "Closed")
	if strings.Contains(messageText(h.messageNow(general, parent.TS)), "Add failure mode") {
		t.Fatal("the closed parent still offers Add failure mode")
	}

	t.Run("VoteAfterCloseRefusedPolitely", func(t *testing.T) {
		before := messageText(h.messageNow(general, cards[1].TS))
		got := h.pressForEphemeral(eve, cards[1], "session.vote", "")
		if !strings.Contains(got, "PM-1 is closed, so it takes no more votes") {
			t.Fatalf("reply:\n%s", got)
		}
		if after := messageText(h.messageNow(general, cards[1].TS)); after != before {
			t.Fatal("a vote after close changed the count")
		}
	})
	t.Run("ReplyAfterCloseRefusedPolitely", func(t *testing.T) {
		h.settle()
		next := len(fs.Ephemerals(bob)) + 1
		h.replyInThread(bob, parent, "One more: the CDN")
		if got := h.waitEphemeral(bob, next); !strings.Contains(got, "PM-1 is closed, so it takes no more items") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	t.Run("ExportKeepsNoAuthorForTheElephant", func(t *testing.T) {
		out := h.exportRituals()
		if len(out) != 1 || out[0]["id"] != "PM-1" || out[0]["kind"] != "premortem" || out[0]["status"] != "closed" {
			t.Fatalf("exported %v", out)
		}
		its := exportedItems(out[0])
		if e := its[3]; e["author_id"] != "" || e["anonymous"] != true || e["tag"] != "elephant" {
			t.Fatalf("elephant exported as %v", e)
		}
		if p := its[4]; p["votes"] != 2.0 || p["rank"] != 1.0 || p["author_id"] != bob {
			t.Fatalf("the reply exported as %v", p)
		}
		if p := its[1]; p["votes"] != 1.0 || p["score"] != 3.0 {
			t.Fatalf("the first risk exported as %v", p)
		}
		for _, line := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(line, `"user":"U0EVE"`) && strings.Contains(line, `"item":3`) {
				t.Fatalf("a log line ties Eve to the anonymous elephant:\n%s", line)
			}
		}
	})
}

func TestPremortemRiskToBlockerAndOwner(t *testing.T) {
	fs := newWorld(t)
	h := startBotAnyTime(t, fs) // the escalation comes on a Saturday; 2026-11-24 23:30 UTC: already the 25th in Berlin, Ann's zone
	ctx := context.Background()
	parent := h.openSession(ann, general, "/premortem", "Checkout v2")
	h.replyInThread(bob, parent, "Fraud checks block real orders")
	h.waitBotReplies(parent, 1) // replies are handled at once: wait, so they are numbered in order
	h.replyInThread(eve, parent, "The payment provider rate-limits us")
	h.waitBotReplies(parent, 2)
	h.askRitual(ann, general, "/premortem", "close R-1")
	summary := h.waitBotReplies(parent, 3)[2]

	got := h.pressForEphemeral(eve, summary, "session.blocker", "item.1")
	if !strings.Contains(got, "Reported *B-1* from PM-1 #1") {
		t.Fatalf("reply:\n%s", got)
	}
	card := h.waitCards(general, 2)[1]
	if c := messageText(card); !strings.Contains(c, "Blocker B-1") || !strings.Contains(c, "Fraud checks block real orders") ||
		!strings.Contains(c, "Reported by <@U0EVE>") || !strings.Contains(c, "*Who must act:* <#C0GENERAL>") {
		t.Fatalf("blocker card:\n%s", c)
	}
	h.waitMessageText(general, summary.TS, ":construction: B-1")
	if bs := h.exportBlockers(); len(bs) != 1 || bs[0]["reporter_id"] != eve || !strings.Contains(bs[0]["impact"].(string), "pre-mortem PM-1") {
		t.Fatalf("blockers %v", bs)
	}

	t.Run("ErrOthersCannotAssign", func(t *testing.T) {
		got := h.pressForEphemeral(bob, summary, "session.owner", "item.2")
		if !strings.Contains(got, "Only Ann Lee, who opened PM-1, whoever added or owns PM-1 #2, or an admin") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	t.Run("ErrDueInThePast", func(t *testing.T) {
		ack := h.pressAndSubmit(ann, summary, "session.owner", "item.2", map[string]map[string]any{
			"item_owner": {"value": fakeslack.UserValue(bob)}, "item_due": {"value": fakeslack.DateValue("2026-11-24")},
		})
		if msg := viewFieldError(t, ack, "item_due"); !strings.Contains(msg, "is in the past") {
			t.Fatalf("error %q", msg)
		}
		fs.CloseView(ctx, ann, fs.Views(ann)[len(fs.Views(ann))-1].ID)
	})
	// Bob, in New York, owns the mitigation of #2, due on the 27th.
	if ack := h.pressAndSubmit(ann, summary, "session.owner", "item.2", map[string]map[string]any{
		"item_owner": {"value": fakeslack.UserValue(bob)}, "item_due": {"value": fakeslack.DateValue("2026-11-27")},
	}); ack != nil {
		t.Fatalf("ack %v", ack)
	}
	h.waitMessageText(general, summary.TS, "owner <@U0BOB>, due 2026-11-27")
	h.waitFor("the owner told", func() bool { return len(fs.DMs(bob)) == 1 })
	if dm := messageText(fs.DMs(bob)[0]); !strings.Contains(dm, "<@U0ANN> made you the owner of PM-1 #2 of pre-mortem Checkout v2") {
		t.Fatalf("DM:\n%s", dm)
	}

	h.clock.Freeze()
	h.clock.Set(at("2026-11-27T04:00:00Z")) // still the 26th in New York
	h.tickAndSettle()
	if n := len(fs.DMs(bob)); n != 1 {
		t.Fatalf("%d DMs: reminded before the due day", n)
	}
	h.clock.Set(at("2026-11-27T14:00:00Z")) // 09:00 on the 27th in New York
	h.tickAndSettle()
	h.tickAndSettle()
	h.waitFor("the due-day reminder", func() bool { return len(fs.DMs(bob)) >= 2 })
	h.clock.Set(at("2026-11-28T14:00:00Z"))
	h.tickAndSettle()
	if n := len(fs.DMs(bob)); n != 2 {
		t.Fatalf("%d DMs, want the notice and one reminder", n)
	}
	if dm := messageText(fs.DMs(bob)[1]); !strings.Contains(dm, "Your action item *PM-1 #2*") || !strings.Contains(dm, "is due today (2026-11-27)") {
		t.Fatalf("reminder:\n%s", dm)
	}
}

func TestPremortemClosedByTheStageOnceAndFollowedUp(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.clock.Freeze()
	parent := h.openSession(ann, general, "/premortem", "Search revamp launch 2026-12-01")
	if text := messageText(parent); !strings.Contains(text, "launch 2026-12-01; two weeks later I ask which risks happened") {
		t.Fatalf("parent:\n%s", text)
	}
	h.replyInThread(bob, parent, "Relevance drops for long-tail queries")
	h.waitBotReplies(parent, 1)

	h.clock.Advance(48*time.Hour - time.Minute)
	h.tickAndSettle()
	if n := len(h.botReplies(parent)); n != 1 {
		t.Fatalf("%d replies: closed before 48 h", n)
	}
	h.clock.Advance(2 * time.Minute)
	h.tickAndSettle()
	h.tickAndSettle()
	if n := len(h.botReplies(parent)); n != 2 {
		t.Fatalf("%d replies after two ticks, want the item and one summary", n)
	}
	if sum := messageText(h.botReplies(parent)[1]); !strings.Contains(sum, "*1.* Relevance drops") {
		t.Fatalf("summary:\n%s", sum)
	}
	if p := messageText(h.messageNow(general, parent.TS)); !strings.Contains(p, "when its time was up") {
		t.Fatalf("parent:\n%s", p)
	}

	// Two weeks after the launch day, at 10:00 in Ann's Berlin: 09:00 UTC.
	h.clock.Set(at("2026-12-15T08:59:00Z"))
	h.tickAndSettle()
	if n := len(h.botMessages(general)); n != 1 {
		t.Fatalf("%d top-level messages: followed up early", n)
	}
	h.clock.Set(at("2026-12-15T09:00:00Z"))
	h.tickAndSettle()
	h.tickAndSettle()
	msgs := h.botMessages(general)
	if len(msgs) != 2 {
		t.Fatalf("%d top-level messages, want the pre-mortem and one follow-up", len(msgs))
	}
	follow := msgs[1]
	if text := messageText(follow); !strings.Contains(text, "Pre-mortem vs reality: Search revamp") ||
		!strings.Contains(text, "*Which of them happened?*") || !strings.Contains(text, "Relevance drops for long-tail queries") {
		t.Fatalf("follow-up:\n%s", text)
	}
	h.press(bob, follow, "session.happened", "")
	h.waitMessageText(general, follow.TS, "*It happened*, says <@U0BOB>")
	if its := exportedItems(h.exportRituals()[0]); its[1]["happened_by"] != bob {
		t.Fatalf("exported %v", its[1])
	}
	h.clock.Advance(24 * time.Hour)
	h.tickAndSettle()
	if n := len(h.botMessages(general)); n != 2 {
		t.Fatalf("%d top-level messages after another day, want no second follow-up", n)
	}
}

func TestPremortemRefusalsAndPrivacy(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	for _, tc := range []struct{ text, want string }{
		{"", "Start a pre-mortem"}, // bare: the status, with a button to start one
		{`""`, "Name the launch: `/premortem &lt;launch&gt; [close in 2d] [launch YYYY-MM-DD]`"},
		{"launch 2026-12-10", "Name the launch:"},
		{"close in 48h", "Give the name first"},
		{"Checkout close in soon", "“soon” is not a duration: write it like 2d, 1d 12h or 4h. A pre-mortem or retro stays open from 1h to 30d."},
		{"help", "imagine the launch failed, before it does"},
	} {
		if got := h.askRitual(ann, general, "/premortem", tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("/premortem %q replied:\n%s\nwant %q", tc.text, got, tc.want)
		}
	}
	if got := h.askRitual(ann, general, "/retro", `""`); !strings.Contains(got, "Name what the retro looks back on: `/retro &lt;name&gt; [close in 2d]`") {
		t.Errorf("/retro replied:\n%s", got)
	}
	if n := len(h.botMessages(general)); n != 0 {
		t.Fatalf("refused commands posted %d messages", n)
	}

	t.Run("RedeliveredEnvelopeRecordsOnce", func(t *testing.T) {
		ack := h.slash(ann, general, "/premortem", "Checkout v2")
		h.waitCards(general, 1)
		if _, err := fs.Resend(context.Background(), ack.EnvelopeID); err != nil {
			t.Fatal(err)
		}
		h.settle()
		if n, out := len(h.botMessages(general)), h.exportRituals(); n != 1 || len(out) != 1 {
			t.Fatalf("%d parents and %d exported after a redelivery, want 1", n, len(out))
		}
	})
	t.Run("PrivateStaysInside", func(t *testing.T) {
		h.openSession(ann, secret, "/premortem", "Secret launch")
		if got := h.askRitual(bob, general, "/premortem", "list"); strings.Contains(got, "Secret launch") || !strings.Contains(got, "PM-1") {
			t.Fatalf("list in #general:\n%s", got)
		}
		if got := h.askRitual(adm, general, "/premortem", "close R-2"); !strings.Contains(got, "no pre-mortem PM-2 that you can see") {
			t.Fatalf("close from #general:\n%s", got)
		}
		if got := h.askRitual(ann, secret, "/premortem", "list"); !strings.Contains(got, "Secret launch") {
			t.Fatalf("list in #secret:\n%s", got)
		}
	})
}
