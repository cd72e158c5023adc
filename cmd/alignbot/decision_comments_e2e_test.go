package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// TestProposalCommentPeriod drives a proposal's comment period through
// Slack: replies in its card's thread are its comments (the bot's own
// reply and a redelivered reply are not counted twice), `/decide show`
// and its history list them, two days before its decide-by date the
// consulted person who has not commented is reminded once and the one
// who has is not, and every export carries them.
func TestProposalCommentPeriod(t *testing.T) {
	fs := newWorld(t)
	const cy = "U0CY"
	fs.AddUser(fakeslack.User{ID: cy, Name: "cy", RealName: "Cy Park", TZ: "UTC"})
	fs.SetMembers(general, ann, bob, eve, adm, cy, fs.BotUserID())
	h := startBot(t, fs) // 2026-11-24 23:30 UTC, the 25th in Ann's Berlin
	ctx := context.Background()
	ask := h.askDecide(t)
	if got := ask(adm, "rights payments accountable <@U0BOB|bob> consulted <@U0EVE|eve> <@U0ADM|adm> <@U0CY|cy>"); !strings.Contains(got, "Published: *payments*") {
		t.Fatalf("publish:\n%s", got)
	}
	if got := ask(ann, "[payments] Charge in EUR"); !strings.Contains(got, "D-1 is proposed to <@U0BOB>") || !strings.Contains(got, "by 2026-12-02") {
		t.Fatalf("the proposer is told:\n%s", got)
	}
	card := h.waitCards(general, 1)[0]
	h.settle() // the consulted are pinged in its thread: the bot's reply, no comment

	eveSays := "I'd rather charge in USD first: most customers pay in USD.\n\n  And <@U0BOB> agreed last week & said so."
	ts, err := fs.PostUserMessage(ctx, eve, general, eveSays, card.TS)
	if err != nil {
		t.Fatal(err)
	}
	// Slack sends the same message again as a new event: still one comment.
	if _, err := fs.Event(ctx, map[string]any{"type": "message", "channel": general, "channel_type": "channel", "user": eve,
		"text": eveSays, "ts": ts, "thread_ts": card.TS}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("word ", 2100) // 10,500 characters
	next := len(fs.Ephemerals(ann)) + 1
	if _, err := fs.PostUserMessage(ctx, ann, general, long, card.TS); err != nil {
		t.Fatal(err)
	}
	if got := h.waitEphemeral(ann, next); !strings.Contains(got, "its first 10,000 characters are recorded as your comment") {
		t.Fatalf("the author of an oversized reply is told:\n%s", got)
	}
	if _, err := fs.PostUserMessage(ctx, bob, general, "Outside the thread, no comment.", ""); err != nil {
		t.Fatal(err)
	}
	h.waitComments(1, 2)
	h.waitLog("duplicate request ignored", 1)
	h.settle()

	show := ask(ann, "show D-1")
	thread := "https://acme.slack.com/archives/" + general + "/p" + strings.Replace(card.TS, ".", "", 1)
	for _, want := range []string{"*Comments* — 2 comments in <" + thread + "|its thread>", "<@U0EVE> · 2026-11-24 23:30 UTC",
		"I'd rather charge in USD first", "<@U0BOB> agreed last week &amp; said so.", "cut at 10,000 characters"} {
		if !strings.Contains(show, want) {
			t.Fatalf("/decide show lacks %q:\n%s", want, show)
		}
	}
	next = len(fs.Ephemerals(ann)) + 1
	if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.history", Value: "1"}); err != nil {
		t.Fatal(err)
	}
	if got := h.waitEphemeral(ann, next); !strings.Contains(got, "has not been changed") || !strings.Contains(got, "*Comments* — 2 comments") {
		t.Fatalf("history:\n%s", got)
	}

	t.Run("ConsultedRemindedOnceTwoDaysBefore", func(t *testing.T) {
		at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
		h.clock.Freeze()
		defer h.clock.Run()
		h.clock.Set(at("2026-11-29T12:00:00Z")) // three days before
		h.tick()
		h.settle()
		if n := len(fs.DMs(adm)); n != 0 {
			t.Fatalf("Ada has %d DMs before the day", n)
		}
		h.clock.Set(at("2026-11-30T05:00:00Z")) // two days before, before Ada's and Cy's working hours (UTC)
		h.tick()
		h.tick()
		// Cy comments while her reminder waits for her working hours: it
		// is not sent.
		h.replyInThread(cy, card, "Fine with EUR.")
		h.waitComments(1, 3)
		h.clock.Set(at("2026-11-30T09:00:00Z"))
		h.waitFor("Ada reminded", func() bool { return len(fs.DMs(adm)) == 1 })
		h.settle()
		if n := len(fs.DMs(cy)); n != 0 {
			t.Fatalf("Cy, who commented before her reminder went, got %d DMs", n)
		}
		text := messageText(fs.DMs(adm)[0])
		if !strings.Contains(text, "You are consulted on the `payments` area") || !strings.Contains(text, "*D-1* “Charge in EUR”") ||
			!strings.Contains(text, "to be decided by 2026-12-02") || !strings.Contains(text, "<"+thread+"|its thread>") {
			t.Fatalf("reminder:\n%s", text)
		}
		h.clock.Set(at("2026-12-01T09:00:00Z"))
		h.tick()
		h.settle()
		if n := len(fs.DMs(adm)); n != 1 {
			t.Fatalf("Ada has %d reminders, want 1", n)
		}
		for _, m := range fs.DMs(eve) {
			if strings.Contains(messageText(m), "consulted") {
				t.Fatalf("Eve, who commented, was reminded:\n%s", messageText(m))
			}
		}
	})

	t.Run("Exported", func(t *testing.T) {
		d := h.exportJSON()[0]
		cs, _ := d["comments"].([]any) // Eve's, Ann's and Cy's
		if len(cs) != 3 {
			t.Fatalf("exported comments %v", d["comments"])
		}
		first := cs[0].(map[string]any)
		if first["text"] != eveSays || first["user_id"] != eve || first["user_name"] != "Eve Cho" || first["ts"] != ts {
			t.Fatalf("first comment %v", first)
		}
		if second := cs[1].(map[string]any); second["clipped"] != true || len(second["text"].(string)) != 10000 {
			t.Fatalf("second comment clipped %v, %d characters", second["clipped"], len(second["text"].(string)))
		}
		md := h.export("decisions", "--format", "markdown")
		if !strings.Contains(md, "Comments: 3\n  - 2026-11-24 23:30 UTC, Eve Cho (U0EVE): I'd rather charge in USD first") {
			t.Fatalf("markdown:\n%s", md)
		}
		// Importing the log elsewhere keeps the proposal, and says the
		// comments stay behind.
		file := filepath.Join(t.TempDir(), "log.md")
		if err := os.WriteFile(file, []byte(md), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		if code := run(ctx, []string{"import", "decisions", "--db", testdb.New(t), "--team", "T0TEAM", file}, noEnv, &out, &errOut); code != 0 ||
			!strings.Contains(out.String(), "1 of 1 decisions imported") || !strings.Contains(out.String(), "3 comments not imported") {
			t.Fatalf("import: exit %d: %s%s", code, out.String(), errOut.String())
		}
		dir := t.TempDir()
		h.export("decisions", "--format", "madr", "--out", dir)
		madr, err := os.ReadFile(filepath.Join(dir, "0001-charge-in-eur.md"))
		if err != nil || !strings.Contains(string(madr), "## Comments\n\n* **Eve Cho**, 2026-11-24 23:30 UTC: I'd rather charge in USD first") {
			t.Fatalf("MADR: %v\n%s", err, madr)
		}
	})
}

// TestMarkDecidedShowsComments shows Mark decided telling its owner how
// many comments the proposal's thread holds, with a link to it; once
// decided, replies in the thread are conversation, not comments.
func TestMarkDecidedShowsComments(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	card := proposeDecision(t, h, "Pick a message queue", bob, "2026-12-10")
	h.replyInThread(eve, card, "SQS is enough for now.")
	h.replyInThread(ann, card, "Kafka if we need replay.")
	h.waitComments(1, 2)
	if _, err := fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: general, MessageTS: card.TS, ActionID: "decision.decide", Value: "1"}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the final-text form", func() bool { v, ok := fs.TopView(bob); return ok && v.Open && v.CallbackID == "decision.decide" })
	v, _ := fs.TopView(bob)
	thread := "https://acme.slack.com/archives/" + general + "/p" + strings.Replace(card.TS, ".", "", 1)
	if got := blocksText(v.Blocks); !strings.Contains(got, "2 comments in <"+thread+"|its thread>: read them before you decide.") {
		t.Fatalf("the form:\n%s", got)
	}
	h.submitView(bob, v.ID, map[string]map[string]any{"decision": {"value": fakeslack.TextValue("Use SQS.")}})
	h.waitFor("the card decided", func() bool { return strings.Contains(messageText(h.botMessages(general)[0]), "Decided") })

	h.replyInThread(eve, card, "Good call.")
	h.waitLog("thread reply not a comment", 1)
	if got := h.ask(ann, general, "/decide", "show D-1"); !strings.Contains(got, "*Comments* — 2 comments") || strings.Contains(got, "Good call.") {
		t.Fatalf("a reply after the decision counted:\n%s", got)
	}
}

// TestCommentEditedDeletedAndBroadcast follows Slack's own events for a
// reply in a proposal's thread: one also sent to the channel is a
// comment too, an edit changes the comment, a deletion removes it, and
// an edit to someone else's reply, or to the card itself, changes
// nothing.
func TestCommentEditedDeletedAndBroadcast(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	card := proposeDecision(t, h, "Pick a message queue", bob, "2026-12-10")
	event := func(ev map[string]any) {
		t.Helper()
		ev["type"], ev["channel"], ev["channel_type"] = "message", general, "channel"
		if _, err := fs.Event(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	reply := func(user, text, ts string) map[string]any {
		return map[string]any{"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": card.TS}
	}
	ts, err := fs.PostUserMessage(ctx, eve, general, "SQS is enuogh.", card.TS)
	if err != nil {
		t.Fatal(err)
	}
	event(map[string]any{"subtype": "thread_broadcast", "user": ann, "text": "Kafka, for replay.", "ts": "1796574700.000100",
		"thread_ts": card.TS, "root": map[string]any{"ts": card.TS}})
	h.waitComments(1, 2) // before the edits, which must find Eve's
	event(map[string]any{"subtype": "message_changed", "hidden": true, "ts": "1796574701.000100",
		"message": reply(eve, "SQS is enough.", ts), "previous_message": reply(eve, "SQS is enuogh.", ts)})
	// Ann cannot edit Eve's reply; an edit of the card is no comment's.
	event(map[string]any{"subtype": "message_changed", "hidden": true, "ts": "1796574702.000100",
		"message": reply(ann, "Hijacked.", ts), "previous_message": reply(eve, "SQS is enough.", ts)})
	event(map[string]any{"subtype": "message_changed", "hidden": true, "ts": "1796574703.000100",
		"message": map[string]any{"type": "message", "user": ann, "text": "Edited card", "ts": card.TS, "thread_ts": card.TS}})
	h.waitLog("comment edited", 1)
	h.waitLog("reply change not applied to a comment", 1)
	h.waitComments(1, 2)
	show := h.ask(bob, general, "/decide", "show D-1")
	if !strings.Contains(show, "*Comments* — 2 comments") || !strings.Contains(show, "“SQS is enough.”") || !strings.Contains(show, "“Kafka, for replay.”") ||
		strings.Contains(show, "enuogh") || strings.Contains(show, "Hijacked") {
		t.Fatalf("after the edit:\n%s", show)
	}
	event(map[string]any{"subtype": "message_deleted", "hidden": true, "ts": "1796574704.000100", "deleted_ts": ts,
		"previous_message": reply(eve, "SQS is enough.", ts)})
	h.waitLog("comment deleted", 1)
	if show := h.ask(bob, general, "/decide", "show D-1"); !strings.Contains(show, "*Comments* — 1 comment in") || strings.Contains(show, "SQS is enough.") {
		t.Fatalf("after the deletion:\n%s", show)
	}
}

// waitComments waits until decision n has count comments recorded: a
// reply is acked before it is handled.
func (h *harness) waitComments(n int64, count int) {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("%d comments on D-%d", count, n), func() bool {
		cs, err := h.main.DB.DecisionComments(context.Background(), "T0TEAM", n)
		return err == nil && len(cs) == count
	})
}

// waitLog waits until the bot has logged msg n times.
func (h *harness) waitLog(msg string, n int) {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("%d× %q in the logs", n, msg), func() bool {
		return strings.Count(h.logs.String(), `"msg":"`+msg+`"`) >= n
	})
}
