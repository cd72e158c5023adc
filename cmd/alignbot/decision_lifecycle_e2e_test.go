package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// proposeDecision records a proposal through the form, as Ann, owned by
// owner and due on decideBy, and returns its card.
func proposeDecision(t *testing.T, h *harness, title, owner, decideBy string) fakeslack.Message {
	t.Helper()
	before := len(h.botMessages(general))
	h.decide(ann, general, "")
	h.waitFor("the form", func() bool { v, ok := h.fs.TopView(ann); return ok && v.Open })
	v, _ := h.fs.TopView(ann)
	ack, err := h.fs.ViewSubmission(context.Background(), fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
		"title":       {"value": fakeslack.TextValue(title)},
		"decision":    {"value": fakeslack.TextValue("Proposal: " + title)},
		"owner.U0ANN": {"value": fakeslack.UserValue(owner)},
		"status":      {"value": fakeslack.StaticValue("proposed")},
		"decide_by":   {"value": fakeslack.DateValue(decideBy)},
	}})
	if err != nil || len(ack.Payload) > 0 {
		t.Fatalf("submit: %v %s", err, ack.Payload)
	}
	return h.waitCards(general, before+1)[before]
}

// tick runs the scheduler once at the fake clock's time.
func (h *harness) tick() {
	h.t.Helper()
	if err := h.main.Runner.Tick(context.Background(), h.clock.Now()); err != nil {
		h.t.Fatal(err)
	}
}

func TestProposalRemindersAndMarkDecided(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // 2026-11-24 23:30 UTC; Bob is in New York
	ctx := context.Background()
	card := proposeDecision(t, h, "Pick a message queue", bob, "2026-11-26")
	if text := messageText(card); !strings.Contains(text, "Proposed") || !strings.Contains(text, "Decide by 2026-11-26") || !strings.Contains(text, "Mark decided") {
		t.Fatalf("proposal card:\n%s", text)
	}

	at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	h.clock.Freeze()
	h.clock.Set(at("2026-11-25T15:00:00Z")) // 10:00 in New York, the day before
	h.tick()
	if len(fs.DMs(bob)) != 0 {
		t.Fatal("Bob was reminded before the due day")
	}
	h.clock.Set(at("2026-11-26T14:00:00Z")) // 09:00 in New York, the due day
	h.tick()
	h.tick()
	h.waitFor("the due-day reminder", func() bool { return len(fs.DMs(bob)) == 1 })
	if text := messageText(fs.DMs(bob)[0]); !strings.Contains(text, "D-1") || !strings.Contains(text, "due to be decided today") {
		t.Fatalf("reminder:\n%s", text)
	}
	h.clock.Set(at("2026-11-27T14:00:00Z")) // the day after
	h.tick()
	h.waitFor("the day-after reminder", func() bool { return len(fs.DMs(bob)) == 2 })
	if text := messageText(fs.DMs(bob)[1]); !strings.Contains(text, "was due yesterday") {
		t.Fatalf("reminder:\n%s", text)
	}
	h.clock.Set(at("2026-11-28T14:00:00Z"))
	h.tick()
	h.clock.Run()

	t.Run("ErrOthersCannotDecide", func(t *testing.T) {
		next := len(fs.Ephemerals(eve)) + 1
		fs.BlockAction(ctx, fakeslack.Action{User: eve, Channel: general, MessageTS: card.TS, ActionID: "decision.decide", Value: "1"})
		if got := h.waitEphemeral(eve, next); !strings.Contains(got, "Only its owner (Bob Ray), its author or an admin") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	t.Run("OwnerMarksDecided", func(t *testing.T) {
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: general, MessageTS: card.TS, ActionID: "decision.decide", Value: "1"}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the final-text form", func() bool { v, ok := fs.TopView(bob); return ok && v.Open && v.CallbackID == "decision.decide" })
		v, _ := fs.TopView(bob)
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"decision": {"value": fakeslack.TextValue("  ")},
		}})
		if err != nil || !strings.Contains(string(ack.Payload), "final decision is required") {
			t.Fatalf("blank final text: %v %s", err, ack.Payload)
		}
		if _, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"decision": {"value": fakeslack.TextValue("Use SQS for work queues.")},
		}}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the card marked decided", func() bool {
			text := messageText(h.botMessages(general)[0])
			return strings.Contains(text, "Decided") && strings.Contains(text, "Use SQS for work queues.")
		})
		d := h.exportJSON()[0]
		if d["status"] != "decided" || d["decided_at"] == nil {
			t.Fatalf("exported %v", d)
		}
		decided, _ := time.Parse(time.RFC3339, d["decided_at"].(string))
		created, _ := time.Parse(time.RFC3339, d["created_at"].(string))
		if decided.Sub(created) < 3*24*time.Hour {
			t.Fatalf("lead time %v, want the days between proposing and deciding", decided.Sub(created))
		}
		if n := len(fs.DMs(bob)); n != 2 {
			t.Fatalf("%d reminders: a decided proposal is still reminded", n)
		}
	})
}

func TestDropDeprecateAndHistory(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	proposal := proposeDecision(t, h, "Adopt GraphQL", ann, "2026-12-15")
	h.decide(ann, general, "Use semver for public APIs")
	decided := h.waitCards(general, 2)[1]

	more := func(user string, card fakeslack.Message, value string) {
		t.Helper()
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: general, MessageTS: card.TS, ActionID: "decision.more", Value: value}); err != nil {
			t.Fatal(err)
		}
	}
	confirm := func(user string) {
		t.Helper()
		h.waitFor("the confirmation", func() bool { v, ok := fs.TopView(user); return ok && v.Open && v.CallbackID == "decision.status" })
		v, _ := fs.TopView(user)
		if _, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: user, ViewID: v.ID}); err != nil {
			t.Fatal(err)
		}
	}
	more(ann, proposal, "drop:1")
	confirm(ann)
	h.waitFor("the proposal dropped", func() bool { return strings.Contains(messageText(h.botMessages(general)[0]), "Dropped") })

	more(ann, decided, "deprecate:2")
	confirm(ann)
	h.waitFor("the decision deprecated", func() bool { return strings.Contains(messageText(h.botMessages(general)[1]), "Deprecated") })

	t.Run("HistoryKeepsEveryVersion", func(t *testing.T) {
		// A deprecated decision has nothing left to do but show its
		// history: a History button, since an overflow needs two entries.
		next := len(fs.Ephemerals(eve)) + 1
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: eve, Channel: general, MessageTS: decided.TS, ActionID: "decision.history"}); err != nil {
			t.Fatal(err)
		}
		got := h.waitEphemeral(eve, next)
		for _, want := range []string{"History of D-2", "1 earlier versions", "*v1*", "by <@U0ANN>", "status was “decided”", "*v2* · current"} {
			if !strings.Contains(got, want) {
				t.Fatalf("history lacks %q:\n%s", want, got)
			}
		}
	})
	t.Run("ShowOffersHistory", func(t *testing.T) {
		next := len(fs.Ephemerals(eve)) + 1
		h.decide(eve, general, "show D-2")
		if got := h.waitEphemeral(eve, next); !strings.Contains(got, "History") {
			t.Fatalf("show:\n%s", got)
		}
	})
}

func TestRevisitReminder(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	h.decide(ann, general, "")
	h.waitFor("the form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
	v, _ := fs.TopView(ann)
	if _, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
		"title":      {"value": fakeslack.TextValue("Keep the monolith")},
		"decision":   {"value": fakeslack.TextValue("No microservices this year.")},
		"revisit_by": {"value": fakeslack.DateValue("2027-01-15")},
	}}); err != nil {
		t.Fatal(err)
	}
	h.waitCards(general, 1)
	h.clock.Freeze()
	h.clock.Set(time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC)) // 10:00 in Berlin
	h.tick()
	h.tick()
	h.waitFor("the revisit reminder", func() bool { return len(fs.DMs(ann)) == 1 })
	if text := messageText(fs.DMs(ann)[0]); !strings.Contains(text, "Time to revisit") || !strings.Contains(text, "Keep the monolith") {
		t.Fatalf("reminder:\n%s", text)
	}
}
