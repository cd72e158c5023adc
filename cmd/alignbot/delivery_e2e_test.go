package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/rituals"
)

func TestPostInTheWindowOfDoubtLandsOnce(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	// Slack takes the post, but the answer never arrives.
	fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Drop: true, After: true})
	h.decide(ann, general, "Ship on Thursdays")
	h.waitFor("the card recorded as sent", func() bool { return strings.Contains(h.logs.String(), "earlier attempt found in slack") })
	h.decide(ann, general, "A later decision")
	h.waitCards(general, 2)
	if got := len(h.botMessages(general)); got != 2 {
		t.Fatalf("%d cards, want 2: the card in doubt was posted again", got)
	}
	if len(fs.Calls("conversations.history")) == 0 {
		t.Fatal("the resend did not look in the channel's history first")
	}

	t.Run("TheCardFoundIsTheOneEdited", func(t *testing.T) {
		card := h.botMessages(general)[0]
		if _, err := fs.BlockAction(context.Background(), fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.rationale", Value: "1"}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the rationale form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
		v, _ := fs.TopView(ann)
		if _, err := fs.ViewSubmission(context.Background(), fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
			"rationale": {"value": fakeslack.TextValue("Fewer weekend incidents.")},
		}}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the found card updated", func() bool {
			return strings.Contains(messageText(h.botMessages(general)[0]), "Fewer weekend incidents.")
		})
	})
}

func Test429HoldsBackOnlyThatMethod(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second})
	h.decide(ann, general, "Use semver for public APIs")
	h.waitFor("the 429", func() bool { c := fs.Calls("chat.postMessage"); return len(c) == 1 && c[0].Status == 429 })
	limited := fs.Calls("chat.postMessage")[0].At

	// Meanwhile, other methods flow: a modal opens, a reply arrives.
	h.decide(bob, general, "")
	h.decide(eve, general, "help")
	h.waitFor("the modal", func() bool { _, ok := fs.TopView(bob); return ok })
	h.waitEphemeral(eve, 1)
	if opened := fs.Calls("views.open")[0].At; opened.Sub(limited) >= 2*time.Second {
		t.Fatalf("views.open waited %v behind a chat.postMessage 429", opened.Sub(limited))
	}

	cards := h.waitCards(general, 1)
	posts := fs.Calls("chat.postMessage")
	if len(posts) != 2 || len(cards) != 1 {
		t.Fatalf("%d posts and %d cards, want the 429 and one card", len(posts), len(cards))
	}
	if wait := posts[1].At.Sub(limited); wait < 2*time.Second {
		t.Fatalf("the retry went %v after the 429, before its Retry-After of 2 s", wait)
	}
}

func TestServerErrorsAndADroppedSocketLoseNothing(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	fs.FailNext("chat.postMessage", 4, fakeslack.Fault{Status: http.StatusServiceUnavailable})
	fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusBadGateway})
	for i, ch := range []string{general, random, secret} {
		h.decide(ann, ch, fmt.Sprintf("Decision %d through a 5xx burst", i))
	}
	fs.DropConnections()
	h.waitFor("the bot to reconnect", func() bool { return fs.Connections() == 1 && h.main.Bot.Connected() })
	h.decide(ann, general, "Decision after the reconnect")

	h.waitCards(general, 2)
	h.waitCards(random, 1)
	h.waitCards(secret, 1)
	if got := len(h.exportJSON()); got != 4 {
		t.Fatalf("%d decisions, want 4", got)
	}
	if got := len(h.botMessages(general)) + len(h.botMessages(random)) + len(h.botMessages(secret)); got != 4 {
		t.Fatalf("%d cards, want 4, each once", got)
	}
	if n := len(fs.Calls("apps.connections.open")); n < 2 {
		t.Fatalf("apps.connections.open called %d times: the bot did not reconnect", n)
	}

	for _, reason := range []string{"refresh_requested", "warning", "link_disabled"} {
		t.Run("Disconnect_"+reason, func(t *testing.T) {
			opened := len(fs.Calls("apps.connections.open"))
			fs.Disconnect(reason)
			h.waitFor("a new connection", func() bool {
				return len(fs.Calls("apps.connections.open")) > opened && fs.Connections() == 1 && h.main.Bot.Connected()
			})
			next := len(fs.Ephemerals(eve)) + 1
			h.decide(eve, general, "help")
			h.waitEphemeral(eve, next)
		})
	}
}

func TestRemindersHeldForWorkingHoursAndCapped(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // 23:30 UTC: 00:30 in Berlin, 18:30 in New York
	ctx := context.Background()
	notice := func(user, text string, reminder bool) rituals.Outgoing {
		data, _ := json.Marshal(rituals.NoticeData{Text: text})
		return rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindNotice, Channel: user, User: user, Data: data, Reminder: reminder}
	}
	var msgs []rituals.Outgoing
	for i := 1; i <= 5; i++ {
		msgs = append(msgs, notice(bob, fmt.Sprintf("Reminder %d for Bob", i), true))
	}
	msgs = append(msgs, notice(bob, "A prompt for Bob, not a reminder", false), notice(ann, "Reminder for Ann", true))
	if err := h.main.DB.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
		t.Fatal(err)
	}
	h.main.Sender.Notify()

	h.waitFor("Bob's DMs", func() bool { return len(fs.DMs(bob)) >= 4 })
	texts := func(ms []fakeslack.Message) (s []string) {
		for _, m := range ms {
			s = append(s, m.Text)
		}
		return s
	}
	want := "Reminder 1 for Bob|Reminder 2 for Bob|Reminder 3 for Bob|A prompt for Bob, not a reminder"
	h.waitFor("everything for Bob settled", func() bool {
		return strings.Join(texts(fs.DMs(bob)), "|") == want && strings.Count(h.logs.String(), "outbox item folded") == 2
	})
	if len(fs.DMs(ann)) != 0 {
		t.Fatal("Ann got a reminder at 00:30 her time")
	}
	// 08:00 in Berlin is 07:00 UTC: eight hours on, Ann's reminder goes.
	h.clock.Advance(8 * time.Hour)
	h.waitFor("Ann's reminder at 08:00 Berlin", func() bool { return len(fs.DMs(ann)) == 1 })
	if got := strings.Join(texts(fs.DMs(bob)), "|"); got != want {
		t.Fatalf("Bob's DMs: %q, want the first three reminders and the prompt", got)
	}
}
