package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestDecideListSearchShow(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)

	// One at a time, so the IDs are known: concurrent commands are
	// numbered in the order they commit.
	h.decide(ann, general, "Adopt a single decisions log") // D-1
	h.waitCards(general, 1)
	h.decide(bob, general, "Price the team plan per seat") // D-2
	h.waitCards(general, 2)
	h.decide(ann, secret, "Secret pricing change for the enterprise plan") // D-3
	h.waitCards(secret, 1)
	h.decide(bob, random, "Pricing page goes live in December") // D-4
	h.waitCards(random, 1)

	ask := func(user, channel, text string) string {
		t.Helper()
		next := len(fs.Ephemerals(user)) + 1
		h.decide(user, channel, text)
		return h.waitEphemeral(user, next)
	}

	t.Run("ListNewestFirstOnlyThisChannel", func(t *testing.T) {
		got := ask(eve, general, "list")
		i1, i2 := strings.Index(got, "*D-1*"), strings.Index(got, "*D-2*")
		if i1 < 0 || i2 < 0 || i2 > i1 {
			t.Fatalf("list:\n%s\nwant D-2 then D-1", got)
		}
		if strings.Contains(got, "D-3") || strings.Contains(got, "D-4") {
			t.Fatalf("list shows other channels:\n%s", got)
		}
	})
	t.Run("ListN", func(t *testing.T) {
		got := ask(eve, general, "list 1")
		if !strings.Contains(got, "*D-2*") || strings.Contains(got, "*D-1*") {
			t.Fatalf("list 1:\n%s", got)
		}
	})
	t.Run("ListEmptyChannel", func(t *testing.T) {
		fs.AddChannel(fakeslack.Channel{ID: "C0EMPTY", Name: "empty", Members: []string{eve, fs.BotUserID()}})
		if got := ask(eve, "C0EMPTY", "list"); !strings.Contains(got, "No decisions have been recorded in this channel yet") {
			t.Fatalf("list:\n%s", got)
		}
	})
	t.Run("SearchFromAnotherChannelHidesPrivate", func(t *testing.T) {
		got := ask(bob, random, "search pricing")
		if !strings.Contains(got, "D-4") || !strings.Contains(got, "D-2") {
			t.Fatalf("search lacks the public matches:\n%s", got)
		}
		if strings.Contains(got, "D-3") || strings.Contains(got, "Secret") || strings.Contains(got, "enterprise") {
			t.Fatalf("search from #random leaked the private decision:\n%s", got)
		}
	})
	t.Run("SearchByMemberInOtherChannelStillHidesPrivate", func(t *testing.T) {
		// Ann is in #secret, but a search from #general must not show it
		// to the channel's context either.
		if got := ask(ann, general, "search enterprise"); strings.Contains(got, "D-3") {
			t.Fatalf("search from #general showed the private decision:\n%s", got)
		}
	})
	t.Run("SearchInsidePrivateChannel", func(t *testing.T) {
		if got := ask(ann, secret, "search enterprise"); !strings.Contains(got, "D-3") {
			t.Fatalf("search in #secret:\n%s", got)
		}
	})
	t.Run("SearchNoMatch", func(t *testing.T) {
		if got := ask(bob, random, `search "zebra*" OR`); !strings.Contains(got, "No decision matches") {
			t.Fatalf("search:\n%s", got)
		}
	})
	t.Run("ShowWithOrWithoutPrefix", func(t *testing.T) {
		for _, id := range []string{"D-2", "2", "d-2"} {
			got := ask(eve, general, "show "+id)
			if !strings.Contains(got, "Price the team plan per seat") || !strings.Contains(got, "Edit") {
				t.Fatalf("show %s:\n%s", id, got)
			}
		}
	})
	t.Run("ShowFromElsewhereSaysWhere", func(t *testing.T) {
		if got := ask(eve, random, "show D-1"); !strings.Contains(got, "Recorded in <#C0GENERAL>") {
			t.Fatalf("show:\n%s", got)
		}
	})
	t.Run("ShowPrivateFromElsewhereIsNotFound", func(t *testing.T) {
		got := ask(ann, general, "show D-3")
		if !strings.Contains(got, "There is no decision D-3 that you can see from this channel") || strings.Contains(got, "Secret") {
			t.Fatalf("show:\n%s", got)
		}
	})
	t.Run("ShowMissing", func(t *testing.T) {
		if got := ask(eve, general, "show D-99"); !strings.Contains(got, "no decision D-99") {
			t.Fatalf("show:\n%s", got)
		}
	})
	t.Run("Help", func(t *testing.T) {
		got := ask(eve, general, "help")
		for _, want := range []string{"/decide <text>", "/decide list [N]", "/decide search <words>", "/decide show <ID>"} {
			if !strings.Contains(got, want) {
				t.Fatalf("help lacks %q:\n%s", want, got)
			}
		}
	})
	t.Run("BadArguments", func(t *testing.T) {
		for text, want := range map[string]string{
			"list 0":      "from 1 to 100",
			"list 500":    "from 1 to 100",
			"list lots":   "from 1 to 100",
			"search":      "what to search for",
			"show":        "`/decide show` takes one ID, e.g. `/decide show D-12`.",
			"show B-1":    "not an ID",
			"show 1 2":    "`/decide show` takes one ID",
			"supersede 1": "Say what replaces D-1",
		} {
			if got := ask(eve, general, text); !strings.Contains(got, want) {
				t.Errorf("/decide %s:\n%s\nwant it to say %q", text, got, want)
			}
		}
	})
	if got := len(h.exportJSON()); got != 4 {
		t.Fatalf("%d decisions after queries, want 4: a query wrote something", got)
	}
	if got := len(h.botMessages(general)); got != 2 {
		t.Fatalf("%d bot messages in #general, want the 2 cards: a query posted in the channel", got)
	}
}

func TestDecideSameEnvelopeTwice(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ack := h.decide(ann, general, "Ship on Thursdays")
	h.waitCards(general, 1)
	again, err := fs.Resend(context.Background(), ack.EnvelopeID)
	if err != nil {
		t.Fatalf("the redelivered envelope was not acked: %v", err)
	}
	if again.EnvelopeID != ack.EnvelopeID {
		t.Fatalf("resent %s, acked %s", ack.EnvelopeID, again.EnvelopeID)
	}
	// Let anything the redelivery might cause happen, then count.
	h.decide(ann, general, "A later decision")
	h.waitCards(general, 2)
	if got := len(h.exportJSON()); got != 2 {
		t.Fatalf("%d decisions, want 2: the redelivery recorded a second one", got)
	}
	if got := len(fs.Calls("chat.postMessage")); got != 2 {
		t.Fatalf("%d posts, want 2", got)
	}
}

func TestDecideLongAndOversizedText(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)

	var b strings.Builder
	for i := 0; b.Len() < 4000; i++ {
		fmt.Fprintf(&b, "w%d & <more> ", i)
	}
	long := strings.TrimSpace(b.String()[:4000])
	h.decide(ann, general, long)
	card := messageText(h.waitCards(general, 1)[0])
	if len(fs.Calls("chat.postMessage")) != 1 || !fs.Calls("chat.postMessage")[0].OK {
		t.Fatalf("the card post failed: %+v", fs.Calls("chat.postMessage"))
	}
	if !strings.Contains(strings.ReplaceAll(card, "\n", ""), strings.ReplaceAll(mrkdwnForTest(long), "\n", "")) {
		t.Fatal("the card lost part of the 4,000-character decision")
	}
	ds := h.exportJSON()
	if ds[0]["decision"] != long {
		t.Fatal("the stored decision is not the whole text")
	}
	// The first 150 characters, less a space the cut may end on.
	if title := ds[0]["title"].(string); len([]rune(title)) < 149 || len([]rune(title)) > 150 || !strings.HasPrefix(long, title) {
		t.Fatalf("title %q: want the first 150 characters", title)
	}

	t.Run("ErrOversized", func(t *testing.T) {
		h.decide(ann, general, strings.Repeat("x", 10001))
		if got := h.waitEphemeral(ann, 1); !strings.Contains(got, "10001 characters long; the limit is 10000") {
			t.Fatalf("reply:\n%s", got)
		}
		if got := len(h.exportJSON()); got != 1 {
			t.Fatalf("%d decisions, want 1", got)
		}
	})
}

// mrkdwnForTest escapes like Slack's mrkdwn, for texts without tokens.
func mrkdwnForTest(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func TestDecideWhereTheBotCannotPost(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.decide(ann, nobot, "Move standup to 10:00")
	if got := h.waitEphemeral(ann, 1); !strings.Contains(got, "Add me to it") {
		t.Fatalf("reply:\n%s", got)
	}
	h.decide(ann, nobot, "")
	if got := h.waitEphemeral(ann, 2); !strings.Contains(got, "Add me to it") {
		t.Fatalf("reply to the form request:\n%s", got)
	}
	if _, ok := fs.TopView(ann); ok {
		t.Fatal("a form opened for a channel its result could never be posted to")
	}
	if got := len(h.exportJSON()); got != 0 {
		t.Fatalf("%d decisions recorded", got)
	}
}

func TestDecideEditAndRationale(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	h.decide(ann, general, "Use semver for public APIs")
	card := h.waitCards(general, 1)[0]

	click := func(user, action string) {
		t.Helper()
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: general, MessageTS: card.TS, ActionID: action, Value: "1"}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("ErrForbiddenForOthers", func(t *testing.T) {
		click(eve, "decision.edit")
		got := h.waitEphemeral(eve, 1)
		if !strings.Contains(got, "Only its owner (Ann Lee), its author or an admin can change D-1") {
			t.Fatalf("reply:\n%s", got)
		}
		click(eve, "decision.rationale")
		h.waitEphemeral(eve, 2)
		if _, ok := fs.TopView(eve); ok {
			t.Fatal("a form opened for someone who may not edit")
		}
	})

	t.Run("OwnerEdits", func(t *testing.T) {
		click(ann, "decision.edit")
		h.waitFor("the edit form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
		v, _ := fs.TopView(ann)
		if v.Title != "Edit D-1" || !strings.Contains(blocksText(v.Blocks), "Title") {
			t.Fatalf("form %q", v.Title)
		}
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
			"title":  {"value": fakeslack.TextValue("Use semver for all public APIs")},
			"impact": {"value": fakeslack.TextValue("SDK teams tag releases")},
		}})
		if err != nil || len(ack.Payload) > 0 {
			t.Fatalf("submit: %v %s", err, ack.Payload)
		}
		h.waitFor("the card to update", func() bool {
			return strings.Contains(messageText(fs.Messages(general)[0]), "Use semver for all public APIs")
		})
		got := messageText(fs.Messages(general)[0])
		if !strings.Contains(got, "SDK teams tag releases") {
			t.Fatalf("card after edit:\n%s", got)
		}
		if len(h.botMessages(general)) != 1 {
			t.Fatal("the edit posted a new card instead of updating the old one")
		}
	})

	t.Run("AdminAddsRationale", func(t *testing.T) {
		click(adm, "decision.rationale")
		h.waitFor("the rationale form", func() bool { v, ok := fs.TopView(adm); return ok && v.Open })
		v, _ := fs.TopView(adm)
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: adm, ViewID: v.ID, Values: map[string]map[string]any{
			"rationale": {"value": fakeslack.TextValue("  ")},
		}})
		if err != nil || !strings.Contains(string(ack.Payload), "rationale is required") {
			t.Fatalf("blank rationale: %v %s", err, ack.Payload)
		}
		ack, err = fs.ViewSubmission(ctx, fakeslack.Submit{User: adm, ViewID: v.ID, Values: map[string]map[string]any{
			"rationale": {"value": fakeslack.TextValue("Consumers pin major versions.")},
		}})
		if err != nil || len(ack.Payload) > 0 {
			t.Fatalf("submit: %v %s", err, ack.Payload)
		}
		h.waitFor("the rationale on the card", func() bool {
			return strings.Contains(messageText(fs.Messages(general)[0]), "Consumers pin major versions.")
		})
	})

	ds := h.exportJSON()
	if ds[0]["version"].(float64) != 3 {
		t.Fatalf("version=%v, want 3 after two edits", ds[0]["version"])
	}
}
