package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// A thread reply is never in the channel's history: a reply whose answer
// was lost must be looked for in its thread, or it is posted twice.
func TestThreadReplyInDoubtLandsOnce(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	parent := h.openSession(ann, general, "/premortem", "Checkout v2 close in 72h")
	// Slack takes the item's post, but the answer never arrives.
	fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Drop: true, After: true})
	h.replyInThread(bob, parent, "Search index lags behind the catalogue")
	h.waitBotReplies(parent, 1)
	h.settle()
	if got := len(h.botReplies(parent)); got != 1 {
		t.Fatalf("%d items in the thread, want 1: the reply in doubt was posted again", got)
	}
	if len(fs.Calls("conversations.replies")) == 0 {
		t.Fatal("the resend did not look in the thread first")
	}
	if !strings.Contains(h.logs.String(), "earlier attempt found in slack") {
		t.Fatal("the reply was not recorded as found")
	}
}

// A busy channel moves far past an attempt in doubt before it is retried:
// the search goes back to the first attempt, however many pages that is.
func TestPostInDoubtFoundPastABusyChannel(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	// Slack takes the card's post but its answer is lost, and 450 messages
	// from people follow it before the bot looks for it.
	fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Drop: true, After: true})
	search := fs.Hold("conversations.history")
	defer search()
	h.decide(ann, general, "Ship on Thursdays")
	h.waitFor("the search for the card in doubt", func() bool { return len(fs.Calls("conversations.history")) == 1 })
	for i := range 450 {
		if _, err := fs.PostUserMessage(t.Context(), bob, general, fmt.Sprintf("chatter %d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	search()
	h.settle()
	if got := len(h.botMessages(general)); got != 1 {
		t.Fatalf("%d cards, want 1: the card in doubt was posted again", got)
	}
	if !strings.Contains(h.logs.String(), "earlier attempt found in slack") {
		t.Fatal("the card was not recorded as found")
	}
}
