package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// TestBlockerShortcutOnALongMessage runs "Report as blocker" on a message
// of about 39,000 characters, most of them mentions: the form holds its
// first 3,000 characters, names only the people mentioned there, and
// says that the message was cut.
func TestBlockerShortcutOnALongMessage(t *testing.T) {
	fs, h := newBlockerWorld(t)
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("Waiting on <@U0EVE> for the token. ")
	for i := 0; b.Len() < 39000; i++ {
		fmt.Fprintf(&b, "<@U%08d> ", i)
	}
	long := b.String()
	ts, err := fs.PostUserMessage(ctx, bob, general, long, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Shortcut(ctx, fakeslack.Shortcut{User: ann, Channel: general, MessageTS: ts, CallbackID: "report_blocker"}); err != nil {
		t.Fatal(err)
	}
	view := h.waitView(ann, "the prefilled form")
	var blocks []struct {
		Type    string `json:"type"`
		BlockID string `json:"block_id"`
		Element struct {
			InitialValue string   `json:"initial_value"`
			InitialUsers []string `json:"initial_users"`
		} `json:"element"`
	}
	raw, _ := json.Marshal(view.Blocks)
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	var text string
	var users []string
	for _, bl := range blocks {
		switch bl.BlockID {
		case "blocker":
			text = bl.Element.InitialValue
		case "parties":
			users = bl.Element.InitialUsers
		}
	}
	if n := utf8.RuneCountInString(text); n > 3000 || n < 2900 || !strings.HasPrefix(long, text) {
		t.Fatalf("the form holds %d characters of the message, want its first 3,000 or a little less:\n%.200s…", n, text)
	}
	if mentioned := strings.Count(text, "<@"); len(users) != mentioned || users[0] != eve {
		t.Fatalf("the form names %d people, want the %d its text mentions, Eve first", len(users), mentioned)
	}
	if note := fmt.Sprintf("The message is %d characters long; the form holds 3000", utf8.RuneCountInString(long)); !strings.Contains(string(raw), note) {
		t.Fatalf("the form does not say the message was cut (%q):\n%.2000s", note, raw)
	}
}
