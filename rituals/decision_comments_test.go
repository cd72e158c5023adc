package rituals_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// reply is a reply of ts in the thread of the card in channel.
func reply(channel, ts, text string) rituals.CommentInput {
	return rituals.CommentInput{Channel: channel, TS: ts, ThreadTS: "1.000001", Text: text}
}

// TestProposalComments records the replies in a proposal's thread as its
// comments, exactly and once; replies elsewhere, without words, or once
// it is decided are not comments, and a reply longer than a decision's
// text keeps its first MaxComment characters, marked clipped.
func TestProposalComments(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "api", Owner: "U2", Consulted: []string{"U3"}, Informed: []string{"C7"}}))(t)
	d := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "SQS", Area: "api"}))(t)
	w.sent(t)

	text := "  I'd rather *Kafka*:\n\n  we replay events.  "
	_, cm, err := w.decisions.Comment(ctx, caller("U3"), d.Number, reply(channel, "5.000001", text))
	ok(t, err)
	if cm.Text != text || cm.User != "U3" || cm.Clipped || !cm.At.Equal(friday) {
		t.Fatalf("comment %+v, want the text exactly, by U3, at %v", cm, friday)
	}
	t.Run("ErrDuplicateForTheSameReply", func(t *testing.T) {
		c := caller("U3")
		c.RequestID = "Ev2" // another event for the same message
		if _, _, err := w.decisions.Comment(ctx, c, d.Number, reply(channel, "5.000001", text)); !errors.Is(err, rituals.ErrDuplicate) {
			t.Fatalf("err=%v, want ErrDuplicate", err)
		}
	})
	t.Run("ErrNotACommentInAnInformedChannel", func(t *testing.T) {
		_, _, err := w.decisions.Comment(ctx, callerIn("U3", "C7"), d.Number, reply("C7", "6.000001", "Agreed"))
		wantCode(t, err, rituals.ECONFLICT)
	})
	t.Run("ErrNoWords", func(t *testing.T) {
		_, _, err := w.decisions.Comment(ctx, caller("U3"), d.Number, reply(channel, "7.000001", " \n "))
		wantCode(t, err, rituals.EINVALID)
		_, _, err = w.decisions.Comment(ctx, caller(""), d.Number, reply(channel, "7.000002", "hi"))
		wantCode(t, err, rituals.EINVALID)
	})
	t.Run("ErrNoSuchDecision", func(t *testing.T) {
		_, _, err := w.decisions.Comment(ctx, caller("U3"), 99, reply(channel, "7.000003", "hi"))
		wantCode(t, err, rituals.ENOTFOUND)
	})
	t.Run("OversizedIsClipped", func(t *testing.T) {
		long := strings.Repeat("é", rituals.MaxComment) + " and the end"
		_, cm, err := w.at(friday.Add(time.Minute)).decisions.Comment(ctx, caller("U1"), d.Number, reply(channel, "8.000001", long))
		ok(t, err)
		if !cm.Clipped || cm.Text != strings.Repeat("é", rituals.MaxComment) {
			t.Fatalf("clipped %v, %d characters", cm.Clipped, len([]rune(cm.Text)))
		}
	})
	_, cs, err := w.decisions.Comments(ctx, caller("U5"), d.Number)
	ok(t, err)
	if got := []string{cs[0].User, cs[1].User}; len(cs) != 2 || !cmp.Equal(got, []string{"U3", "U1"}) || cs[0].Text != text || !cs[1].Clipped {
		t.Fatalf("comments %+v", cs)
	}
	t.Run("EditedAndDeletedWhileProposed", func(t *testing.T) {
		must2(w.at(friday.Add(2*time.Minute)).decisions.Comment(ctx, caller("U3"), d.Number, reply(channel, "5.000002", "Typo heer")))(t)
		_, err := w.decisions.EditComment(ctx, caller("U1"), d.Number, reply(channel, "5.000002", "Not mine to edit"))
		wantCode(t, err, rituals.ENOTFOUND)
		_, err = w.decisions.EditComment(ctx, caller("U3"), d.Number, reply(channel, "5.000002", "  "))
		wantCode(t, err, rituals.EINVALID)
		must(w.decisions.EditComment(ctx, caller("U3"), d.Number, reply(channel, "5.000002", "Typo here")))(t)
		if _, cs, _ := w.decisions.Comments(ctx, caller("U3"), d.Number); len(cs) != 3 || cs[2].Text != "Typo here" {
			t.Fatalf("after the edit %+v", cs)
		}
		ok(t, w.decisions.DeleteComment(ctx, caller("U3"), d.Number, channel, "5.000002"))
		wantCode(t, w.decisions.DeleteComment(ctx, caller("U3"), d.Number, channel, "5.000002"), rituals.ENOTFOUND)
		if _, cs, _ := w.decisions.Comments(ctx, caller("U3"), d.Number); len(cs) != 2 {
			t.Fatalf("%d comments after the deletion, want 2", len(cs))
		}
	})
	t.Run("ErrNotACommentOnceDecided", func(t *testing.T) {
		must(w.decisions.Accept(ctx, caller("U2"), d.Number))(t)
		_, _, err := w.decisions.Comment(ctx, caller("U3"), d.Number, reply(channel, "9.000001", "Late view"))
		wantCode(t, err, rituals.ECONFLICT)
		if _, cs, _ := w.decisions.Comments(ctx, caller("U3"), d.Number); len(cs) != 2 {
			t.Fatalf("%d comments after a late reply, want 2", len(cs))
		}
		// Edits once decided change nothing; a deletion still removes.
		_, err = w.decisions.EditComment(ctx, caller("U3"), d.Number, reply(channel, "5.000001", "Rewritten history"))
		wantCode(t, err, rituals.ECONFLICT)
		ok(t, w.decisions.DeleteComment(ctx, caller("U3"), d.Number, channel, "5.000001"))
		if _, cs, _ := w.decisions.Comments(ctx, caller("U3"), d.Number); len(cs) != 1 || cs[0].User != "U1" {
			t.Fatalf("after the deletion %+v", cs)
		}
	})
}

// TestConsultedReminder reminds, two days before a proposal's decide-by
// date, each person consulted on its area (a group's members included)
// who has not commented: once, whatever the ticks; not the one who
// commented, nor its owner. A proposal made on its reminder day, or in an
// area consulting nobody, reminds nobody. Every tick runs twice.
func TestConsultedReminder(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "api", Owner: "U2", Consulted: []string{"U3", platformTeam, "U2"}}))(t)
	must(w.rights.Add(ctx, caller("U2"), rituals.Right{Area: "ops", Owner: "U2"}))(t)
	d := must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a queue", Text: "SQS",
		Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-03-09"}))(t)
	must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a pager", Text: "PD",
		Area: "ops", Status: rituals.StatusProposed, DecideBy: "2026-03-09"}))(t)
	must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a CI", Text: "CI",
		Status: rituals.StatusProposed, DecideBy: "2026-03-09"}))(t)
	w.sent(t)
	must2(w.decisions.Comment(ctx, caller("U4"), d.Number, reply(channel, "5.000001", "Fine by me")))(t)

	if got := ofKind(w.tickTwice(t, time.Date(2026, 3, 6, 23, 59, 0, 0, time.UTC)), rituals.KindDecisionReminder); len(got) > 0 {
		t.Fatalf("reminded %q before the day", recipients(got))
	}
	got := w.tickTwice(t, time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC))
	if diff := cmp.Diff([]string{"U3", "U5"}, recipients(got)); diff != "" {
		t.Fatalf("reminded (-want +got):\n%s", diff)
	}
	for _, it := range got {
		var data rituals.ReminderData
		decode(t, it, &data)
		if it.Kind != rituals.KindDecisionReminder || it.Ref != d.Number || !it.Reminder || it.User != it.Channel ||
			data.Kind != rituals.ReminderComment || data.To != it.Channel {
			t.Fatalf("reminder %+v (%+v), want a capped comment reminder about %s", it, data, d.ID())
		}
	}
	if got := ofKind(w.tickTwice(t, time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)), rituals.KindDecisionReminder); len(got) > 0 {
		t.Fatalf("reminded %q again", recipients(got))
	}

	t.Run("NotWhenProposedOnTheReminderDay", func(t *testing.T) {
		w.at(time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC))
		must(w.decisions.Record(ctx, caller("U1"), rituals.DecisionInput{Title: "Pick a cache", Text: "Redis",
			Area: "api", Status: rituals.StatusProposed, DecideBy: "2026-03-16"}))(t)
		w.sent(t)
		if got := commentReminders(t, w.tickTwice(t, time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC))); len(got) > 0 {
			t.Fatalf("reminded %q of a proposal made that day", recipients(got))
		}
	})
}

// commentReminders returns the comment reminders among items.
func commentReminders(tb testing.TB, items []rituals.OutboxItem) []rituals.OutboxItem {
	tb.Helper()
	var out []rituals.OutboxItem
	for _, it := range ofKind(items, rituals.KindDecisionReminder) {
		var data rituals.ReminderData
		decode(tb, it, &data)
		if data.Kind == rituals.ReminderComment {
			out = append(out, it)
		}
	}
	return out
}
