package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/web"
)

// TestDecisionPageShowsComments shows a proposal's comments on its page,
// escaped, and in its JSON document, each with who and when.
func TestDecisionPageShowsComments(t *testing.T) {
	ctx := context.Background()
	db, _ := openStore(t)
	now := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db.Now = clock
	if err := db.SaveChannel(ctx, rituals.Channel{Team: "T1", ID: "CGEN", Name: "general"}, now); err != nil {
		t.Fatal(err)
	}
	c := rituals.Caller{Team: "T1", User: "UANN", Channel: "CGEN", Location: time.UTC}
	svc := &rituals.Decisions{Store: db, Now: clock}
	if _, err := svc.Record(ctx, c, rituals.DecisionInput{Title: "Pick a queue", Text: "SQS", OwnerName: "Ann Lee",
		Status: rituals.StatusProposed, DecideBy: "2026-09-20"}); err != nil {
		t.Fatal(err)
	}
	text := "Kafka <b>if</b> we need replay & ordering."
	c.User = "UBOB"
	if _, _, err := svc.Comment(ctx, c, 1, rituals.CommentInput{Channel: "CGEN", TS: "1.000002", ThreadTS: "1.000001", UserName: "Bob Ray", Text: text}); err != nil {
		t.Fatal(err)
	}
	h := (&web.Site{Store: db, Team: "T1"}).Handler()

	page := get(t, h, "/d/1").Body.String()
	if !strings.Contains(page, `<h2 id="h-comments">Comments</h2>`) || !strings.Contains(page, "<strong>Bob Ray</strong>, <time>2026-09-14 10:00 UTC</time>") ||
		!strings.Contains(page, "Kafka &lt;b&gt;if&lt;/b&gt; we need replay &amp; ordering.") {
		t.Fatalf("page:\n%s", page)
	}
	var doc struct {
		Comments []struct {
			User, UserName, Text string
			At                   time.Time
		} `json:"comments"`
	}
	body := get(t, h, "/api/decisions/1").Body.Bytes()
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Comments) != 1 || doc.Comments[0].Text != text || !doc.Comments[0].At.Equal(now) || !strings.Contains(string(body), `"user_name": "Bob Ray"`) {
		t.Fatalf("API:\n%s", body)
	}
}
