package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

func TestDecideRecordsAndPostsCard(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)

	h.decide(ann, general, "Use semver for public APIs")
	cards := h.waitCards(general, 1)
	card := messageText(cards[0])
	for _, want := range []string{"Use semver for public APIs", "*D-1*", "2026-11-25", "Decided", "<@U0ANN>", "Edit", "Add rationale"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if got := cards[0].Metadata["event_type"]; got != "alignbot_outbox" {
		t.Errorf("card metadata event_type=%v, want alignbot_outbox", got)
	}
	if n := len(fs.Calls("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage called %d times, want 1", n)
	}

	t.Run("ExportMarkdownIsTheSeedTemplate", func(t *testing.T) {
		want := "# Decision Log\n" +
			"## 2026-11-25 — Use semver for public APIs\n" +
			"Owner: Ann Lee\n" +
			"Decision: Use semver for public APIs\n" +
			"Rationale:\n" +
			"Impact:\n"
		if got := h.export("decisions", "--format", "markdown"); got != want {
			t.Fatalf("export:\n%s\nwant:\n%s", got, want)
		}
	})
}

func TestDecideModal(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()

	h.decide(ann, general, "")
	h.waitFor("the decision form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
	view, _ := fs.TopView(ann)
	if view.CallbackID != "decision.new" || view.Title != "Record a decision" {
		t.Fatalf("opened %q %q", view.CallbackID, view.Title)
	}

	submit := func(values map[string]map[string]any) map[string]any {
		t.Helper()
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: view.ID, Values: values})
		if err != nil {
			t.Fatal(err)
		}
		var payload map[string]any
		if len(ack.Payload) > 0 {
			if err := jsonUnmarshal(ack.Payload, &payload); err != nil {
				t.Fatal(err)
			}
		}
		return payload
	}
	fieldError := func(payload map[string]any, field string) string {
		t.Helper()
		if payload["response_action"] != "errors" {
			t.Fatalf("ack=%v, want response_action errors", payload)
		}
		errs, _ := payload["errors"].(map[string]any)
		msg, _ := errs[field].(string)
		if msg == "" {
			t.Fatalf("errors=%v lack field %q", errs, field)
		}
		return msg
	}
	base := func() map[string]map[string]any {
		return map[string]map[string]any{
			"title":    {"value": fakeslack.TextValue("API versioning strategy")},
			"decision": {"value": fakeslack.TextValue("Use semver for public APIs; internal services use deploy-driven versioning.")},
		}
	}

	t.Run("ErrBlankTitle", func(t *testing.T) {
		v := base()
		v["title"] = map[string]any{"value": fakeslack.TextValue("   ")}
		if msg := fieldError(submit(v), "title"); !strings.Contains(msg, "title is required") {
			t.Fatalf("title error %q", msg)
		}
	})
	t.Run("ErrBlankDecision", func(t *testing.T) {
		v := base()
		v["decision"] = map[string]any{"value": fakeslack.TextValue(" \n ")}
		fieldError(submit(v), "decision")
	})
	t.Run("ErrProposedWithoutDecideBy", func(t *testing.T) {
		v := base()
		v["status"] = map[string]any{"value": fakeslack.StaticValue("proposed")}
		if msg := fieldError(submit(v), "decide_by"); !strings.Contains(msg, "decide-by date") {
			t.Fatalf("decide_by error %q", msg)
		}
	})
	t.Run("ErrDecideByInPast", func(t *testing.T) {
		v := base()
		v["status"] = map[string]any{"value": fakeslack.StaticValue("proposed")}
		v["decide_by"] = map[string]any{"value": fakeslack.DateValue("2026-01-01")}
		fieldError(submit(v), "decide_by")
	})
	t.Run("ErrBadLink", func(t *testing.T) {
		v := base()
		v["links"] = map[string]any{"value": fakeslack.TextValue("https://tracker.example/1\nnot a link")}
		fieldError(submit(v), "links")
	})
	if got := len(h.exportJSON()); got != 0 {
		t.Fatalf("refused submissions recorded %d decisions", got)
	}
	if v, _ := fs.View(view.ID); !v.Open {
		t.Fatal("a refused submission closed the form")
	}

	t.Run("Valid", func(t *testing.T) {
		v := base()
		v["rationale"] = map[string]any{"value": fakeslack.TextValue("Backward compatibility for public contracts. Internal services iterate faster.")}
		v["impact"] = map[string]any{"value": fakeslack.TextValue("Product teams will update contract tests by 2026-05-01.")}
		v["owner.U0ANN"] = map[string]any{"value": fakeslack.UserValue(bob)}
		v["links"] = map[string]any{"value": fakeslack.TextValue("https://tracker.example/RFC-7")}
		if payload := submit(v); payload != nil {
			t.Fatalf("ack=%v, want an empty ack that closes the form", payload)
		}
		card := messageText(h.waitCards(general, 1)[0])
		for _, want := range []string{"API versioning strategy", "<@U0BOB>", "Backward compatibility", "contract tests", "https://tracker.example/RFC-7"} {
			if !strings.Contains(card, want) {
				t.Errorf("card lacks %q:\n%s", want, card)
			}
		}
		want := "# Decision Log\n" +
			"## 2026-11-25 — API versioning strategy\n" +
			"Owner: Bob Ray\n" +
			"Decision: Use semver for public APIs; internal services use deploy-driven versioning.\n" +
			"Rationale: Backward compatibility for public contracts. Internal services iterate faster.\n" +
			"Impact: Product teams will update contract tests by 2026-05-01.\n" +
			"Links: https://tracker.example/RFC-7\n"
		if got := h.export("decisions"); got != want {
			t.Fatalf("export:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("ProposedWithDate", func(t *testing.T) {
		h.decide(ann, general, "")
		h.waitFor("a second form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open && v.ID != view.ID })
		view, _ = fs.TopView(ann)
		v := base()
		v["title"] = map[string]any{"value": fakeslack.TextValue("Pick a queue")}
		v["status"] = map[string]any{"value": fakeslack.StaticValue("proposed")}
		v["decide_by"] = map[string]any{"value": fakeslack.DateValue("2026-12-10")}
		if payload := submit(v); payload != nil {
			t.Fatalf("ack=%v", payload)
		}
		card := messageText(h.waitCards(general, 2)[1])
		if !strings.Contains(card, "Proposed") || !strings.Contains(card, "Decide by 2026-12-10") {
			t.Fatalf("card:\n%s", card)
		}
	})
}

// TestFormThatCannotOpenInTimeIsSaid covers a modal whose trigger dies
// before the form can open: Slack honours a trigger for 3 s from the
// click, so a form opened later fails, and the person is told to ask
// again instead of waiting for a form that never comes.
func TestFormThatCannotOpenInTimeIsSaid(t *testing.T) {
	want := "too busy to open the form within the 3 seconds Slack allows, and nothing was changed. Please run `/decide` again."

	t.Run("SlackRefusesTheStaleTrigger", func(t *testing.T) {
		// Slack's clock runs out between the click and views.open.
		fs := newWorldWith(t, fakeslack.Options{TriggerTTL: time.Nanosecond})
		h := startBot(t, fs)
		h.decide(ann, general, "")
		if got := h.waitEphemeral(ann, 1); !strings.Contains(got, want) {
			t.Fatalf("told %q, want %q", got, want)
		}
		calls := fs.Calls("views.open")
		if len(calls) != 1 || calls[0].Error != "expired_trigger_id" {
			t.Fatalf("views.open calls %+v, want one refused as expired", calls)
		}
		if _, ok := fs.TopView(ann); ok {
			t.Fatal("a form opened")
		}
	})

	t.Run("HandledAfterItsTriggerDied", func(t *testing.T) {
		// The request waited in the inbox past its trigger: the bot does
		// not try a trigger it knows is dead.
		fs := newWorld(t)
		t.Parallel()
		h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{}, func(m *Main) { m.TriggerTTL = time.Nanosecond })
		h.decide(ann, general, "")
		if got := h.waitEphemeral(ann, 1); !strings.Contains(got, want) {
			t.Fatalf("told %q, want %q", got, want)
		}
		if calls := fs.Calls("views.open"); len(calls) != 0 {
			t.Fatalf("views.open called %d times with a dead trigger", len(calls))
		}
	})

	t.Run("AButtonIsClickedAgain", func(t *testing.T) {
		fs := newWorld(t)
		t.Parallel()
		h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{}, func(m *Main) { m.TriggerTTL = time.Nanosecond })
		h.decide(ann, general, "Ship on Thursdays")
		card := h.waitCards(general, 1)[0]
		if _, err := fs.BlockAction(context.Background(), fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.rationale", Value: "1"}); err != nil {
			t.Fatal(err)
		}
		got := h.waitEphemeral(ann, 1)
		if !strings.Contains(got, "too busy to open the form") || !strings.Contains(got, "Please click the button again.") {
			t.Fatalf("told %q", got)
		}
	})
}

// TestDecideDoesNotWaitLongForTheOwnersName covers Slack slow to say who
// someone is (users.info's budget spent by a pulse to a big channel): the
// decision is recorded without the owner's name rather than held, and
// the card still names them.
func TestDecideDoesNotWaitLongForTheOwnersName(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	fs.FailNext("users.info", 1, fakeslack.Fault{Delay: 12 * time.Second})
	start := time.Now()
	h.decide(ann, general, "Keep the release train weekly")
	card := messageText(h.waitCards(general, 1)[0])
	if waited := time.Since(start); waited > 8*time.Second {
		t.Fatalf("the card came %v after the command: the lookup held it", waited.Round(time.Millisecond))
	}
	if !strings.Contains(card, "<@U0ANN>") {
		t.Fatalf("card does not name its owner:\n%s", card)
	}
	if !strings.Contains(h.logs.String(), "owner lookup failed; recording without their name and zone") {
		t.Fatal("the failed lookup was not logged")
	}
}
