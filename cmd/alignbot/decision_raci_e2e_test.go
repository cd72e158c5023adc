package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// TestProposalWaitsForTheAccountableOwner drives RACI decision rights
// through Slack: `/decide [area]` by someone who is not the area's
// Accountable owner records a proposal that waits for the owner; the
// owner accepts one from the DM that asks them and sends another back
// from its card, with a reason the proposer is told.
func TestProposalWaitsForTheAccountableOwner(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // ALIGNBOT_ADMINS is Ada
	ctx := context.Background()
	ask := h.askDecide(t)
	if got := ask(adm, "rights payments accountable <@U0BOB|bob> responsible <@U0EVE|eve>"); !strings.Contains(got, "Published: *payments* — owner <@U0BOB>, responsible <@U0EVE>") {
		t.Fatalf("publish:\n%s", got)
	}

	if got := ask(ann, "[payments] Charge in EUR"); !strings.Contains(got, "D-1 is proposed to <@U0BOB>, accountable for the `payments` area") {
		t.Fatalf("the proposer is told:\n%s", got)
	}
	card := h.waitCards(general, 1)[0]
	if text := messageText(card); !strings.Contains(text, "Proposed") || !strings.Contains(text, "Owner <@U0BOB>") ||
		!strings.Contains(text, "Proposed by <@U0ANN>; waiting for <@U0BOB>") || !strings.Contains(text, "Accept") || strings.Contains(text, "Mark decided") {
		t.Fatalf("card:\n%s", text)
	}
	h.waitFor("Bob asked", func() bool { return len(fs.DMs(bob)) == 1 })
	dm := fs.DMs(bob)[0]
	if text := messageText(dm); !strings.Contains(text, "<@U0ANN> proposes *D-1*") || !strings.Contains(text, "Send back") {
		t.Fatalf("Bob's DM:\n%s", text)
	}

	t.Run("ErrTheProposerCannotAccept", func(t *testing.T) {
		// The card offers no Mark decided while it waits; the domain
		// test refuses that path too (TestProposalToTheAccountableOwner).
		next := len(fs.Ephemerals(ann)) + 1
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.accept", Value: "1"}); err != nil {
			t.Fatal(err)
		}
		if got := h.waitEphemeral(ann, next); !strings.Contains(got, "D-1 waits for <@U0BOB>, accountable for the `payments` area") {
			t.Fatalf("Accept by the proposer:\n%s", got)
		}
	})
	t.Run("AcceptedFromTheDM", func(t *testing.T) {
		next := len(fs.Ephemerals(bob)) + 1
		fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: fs.DMChannel(bob), MessageTS: dm.TS, ActionID: "decision.accept", Value: "1"})
		if got := h.waitEphemeral(bob, next); !strings.Contains(got, "You accepted D-1") {
			t.Fatalf("reply:\n%s", got)
		}
		h.waitFor("the card decided", func() bool {
			text := messageText(h.botMessages(general)[0])
			return strings.Contains(text, "Decided") && !strings.Contains(text, "waiting for")
		})
		h.waitFor("Ann told", func() bool {
			dms := fs.DMs(ann)
			return len(dms) == 1 && strings.Contains(messageText(dms[0]), "<@U0BOB> accepted your proposal D-1")
		})
	})
	t.Run("SentBackFromTheCard", func(t *testing.T) {
		ask(ann, "[payments] Charge in USD")
		card := h.waitCards(general, 2)[1]
		fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: general, MessageTS: card.TS, ActionID: "decision.send_back", Value: "2"})
		h.waitFor("the reason form", func() bool { v, ok := fs.TopView(bob); return ok && v.Open && v.CallbackID == "decision.send_back" })
		v, _ := fs.TopView(bob)
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"reason": {"value": fakeslack.TextValue("   ")}}})
		if err != nil || !strings.Contains(string(ack.Payload), "Say why you send it back") {
			t.Fatalf("an empty reason: %v %s", err, ack.Payload)
		}
		ack, err = fs.ViewSubmission(ctx, fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"reason": {"value": fakeslack.TextValue("We bill in EUR first.")}}})
		if err != nil || len(ack.Payload) > 0 {
			t.Fatalf("submit: %v %s", err, ack.Payload)
		}
		h.waitFor("the card dropped", func() bool {
			text := messageText(h.botMessages(general)[1])
			return strings.Contains(text, "Dropped") && strings.Contains(text, "sent back: We bill in EUR first.")
		})
		h.waitFor("Ann told why", func() bool {
			dms := fs.DMs(ann)
			return len(dms) == 2 && strings.Contains(messageText(dms[1]), "sent back your proposal D-2") &&
				strings.Contains(messageText(dms[1]), "We bill in EUR first.")
		})
	})
	t.Run("AnsweredFromOutsideAPrivateChannel", func(t *testing.T) {
		// Bob is not in #secret: he is asked with its ID only, and
		// answers from the DM.
		if got := h.askIn(t, ann, secret, "[payments] Secret pricing plan"); !strings.Contains(got, "D-3 is proposed to <@U0BOB>") {
			t.Fatalf("the proposer is told:\n%s", got)
		}
		h.waitFor("Bob asked", func() bool { return len(fs.DMs(bob)) == 3 }) // after D-1's and D-2's asks
		dm := fs.DMs(bob)[2]
		if text := messageText(dm); !strings.Contains(text, "*D-3* (in <#G0SECRET>)") || strings.Contains(text, "Secret pricing") || !strings.Contains(text, "Send back") {
			t.Fatalf("Bob's DM:\n%s", text)
		}
		fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: fs.DMChannel(bob), MessageTS: dm.TS, ActionID: "decision.send_back", Value: "3"})
		h.waitFor("the reason form", func() bool { v, ok := fs.TopView(bob); return ok && v.Open && v.CallbackID == "decision.send_back" })
		v, _ := fs.TopView(bob)
		if strings.Contains(fmt.Sprint(v.Blocks), "Secret pricing") {
			t.Fatalf("the form shows a private channel's text outside it: %v", v.Blocks)
		}
		if ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"reason": {"value": fakeslack.TextValue("Invite me to #secret first.")}}}); err != nil || len(ack.Payload) > 0 {
			t.Fatalf("submit: %v %s", err, ack.Payload)
		}
		h.waitFor("Ann told why", func() bool {
			dms := fs.DMs(ann)
			return len(dms) == 3 && strings.Contains(messageText(dms[2]), "Invite me to #secret first.")
		})
	})
	t.Run("TheOwnerDecidesDirectly", func(t *testing.T) {
		h.decide(bob, general, "[payments] Refund within 5 days")
		card := h.waitCards(general, 3)[2]
		if text := messageText(card); !strings.Contains(text, "*D-4*") || !strings.Contains(text, "Decided") || strings.Contains(text, "waiting for") {
			t.Fatalf("the owner's own decision:\n%s", text)
		}
	})
}

// TestTeamOwnedDecision gives an area to a user group: its members decide
// in it and edit what the group owns; anyone else is refused.
func TestTeamOwnedDecision(t *testing.T) {
	fs := newWorld(t)
	fs.AddUserGroup("S0PLAT", "platform-team", eve, bob)
	h := startBot(t, fs)
	ctx := context.Background()
	ask := h.askDecide(t)
	if got := ask(adm, "rights api accountable <!subteam^S0NOPE|@nope>"); !strings.Contains(got, "There is no user group S0NOPE") {
		t.Fatalf("an unknown group:\n%s", got)
	}
	if got := ask(adm, "rights api accountable <!subteam^S0PLAT|@platform-team> consulted <@U0ANN>"); !strings.Contains(got, "Published: *api* — owner @platform-team, consulted <@U0ANN>") {
		t.Fatalf("publish:\n%s", got)
	}
	h.decide(eve, general, "[api] Version public APIs with semver")
	card := h.waitCards(general, 1)[0]
	if text := messageText(card); !strings.Contains(text, "Decided") || !strings.Contains(text, "Owner @platform-team") {
		t.Fatalf("a member's decision:\n%s", text)
	}

	t.Run("EditedByAMember", func(t *testing.T) {
		fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: general, MessageTS: card.TS, ActionID: "decision.rationale", Value: "1"})
		h.waitFor("the rationale form", func() bool { v, ok := fs.TopView(bob); return ok && v.Open })
		v, _ := fs.TopView(bob)
		fs.ViewSubmission(ctx, fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"rationale": {"value": fakeslack.TextValue("Consumers pin majors.")}}})
		h.waitFor("the card updated", func() bool {
			return strings.Contains(messageText(h.botMessages(general)[0]), "Consumers pin majors.")
		})
		fs.BlockAction(ctx, fakeslack.Action{User: eve, Channel: general, MessageTS: card.TS, ActionID: "decision.edit", Value: "1"})
		h.waitFor("the edit form", func() bool { v, ok := fs.TopView(eve); return ok && v.Open && v.CallbackID == "decision.edit" })
		v, _ = fs.TopView(eve)
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: eve, ViewID: v.ID, Values: map[string]map[string]any{
			"title":    {"value": fakeslack.TextValue("Version public APIs with semver 2")},
			"decision": {"value": fakeslack.TextValue("Semver 2.0.0.")},
			"status":   {"value": fakeslack.StaticValue("decided")},
		}})
		if err != nil || len(ack.Payload) > 0 {
			t.Fatalf("submit: %v %s", err, ack.Payload)
		}
		h.waitFor("the team still owns it", func() bool {
			text := messageText(h.botMessages(general)[0])
			return strings.Contains(text, "Semver 2.0.0.") && strings.Contains(text, "Owner @platform-team")
		})
	})
	t.Run("ErrRefusedToANonMember", func(t *testing.T) {
		next := len(fs.Ephemerals(ann)) + 1
		fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.edit", Value: "1"})
		if got := h.waitEphemeral(ann, next); !strings.Contains(got, "Only the members of its owner (platform-team), its author or an admin can change D-1.") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	t.Run("ANonMemberProposes", func(t *testing.T) {
		if got := ask(ann, "[api] Drop v1 next quarter"); !strings.Contains(got, "D-2 is proposed to @platform-team") {
			t.Fatalf("the proposer is told:\n%s", got)
		}
		h.waitFor("the group asked in the channel", func() bool {
			for _, m := range h.botMessages(general) {
				if strings.Contains(messageText(m), "<!subteam^S0PLAT> is accountable") {
					return true
				}
			}
			return false
		})
		card := h.waitCards(general, 2)[1]
		next := len(fs.Ephemerals(bob)) + 1
		fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: general, MessageTS: card.TS, ActionID: "decision.accept", Value: "2"})
		if got := h.waitEphemeral(bob, next); !strings.Contains(got, "You accepted D-2") {
			t.Fatalf("a member accepts:\n%s", got)
		}
	})
	t.Run("AChannelOwnsADecisionFromTheForm", func(t *testing.T) {
		fs.AddChannel(fakeslack.Channel{ID: "C0PLATFORM", Name: "platform", Members: []string{eve, fs.BotUserID()}})
		h.decide(ann, general, "")
		h.waitFor("the form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open && v.CallbackID == "decision.new" })
		v, _ := fs.TopView(ann)
		form := func(team string) map[string]map[string]any {
			return map[string]map[string]any{
				"title":       {"value": fakeslack.TextValue("Run the platform on-call")},
				"decision":    {"value": fakeslack.TextValue("Weekly rotation.")},
				"owner.U0ANN": {"value": fakeslack.UserValue(ann)},
				"owner_team":  {"value": conversation(team)},
				"status":      {"value": fakeslack.StaticValue("decided")},
			}
		}
		ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID, Values: form(nobot)})
		if err != nil || !strings.Contains(string(ack.Payload), "so it cannot own this decision") {
			t.Fatalf("a channel alignbot is not in: %v %s", err, ack.Payload)
		}
		ack, err = fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID, Values: form("C0PLATFORM")})
		if err != nil || len(ack.Payload) > 0 {
			t.Fatalf("submit: %v %s", err, ack.Payload)
		}
		var card fakeslack.Message
		h.waitFor("D-3's card", func() bool {
			for _, m := range h.botMessages(general) {
				if strings.Contains(messageText(m), "*D-3*") {
					card = m
					return true
				}
			}
			return false
		})
		if text := messageText(card); !strings.Contains(text, "Run the platform on-call") || !strings.Contains(text, "Owner <#C0PLATFORM>") {
			t.Fatalf("card:\n%s", text)
		}
		if got := h.pressForEphemeral(bob, card, "decision.rationale", ""); !strings.Contains(got, "Only the members of its owner (platform)") {
			t.Fatalf("a non-member of the channel:\n%s", got)
		}
		fs.BlockAction(ctx, fakeslack.Action{User: eve, Channel: general, MessageTS: card.TS, ActionID: "decision.rationale", Value: "3"})
		h.waitFor("the rationale form", func() bool { v, ok := fs.TopView(eve); return ok && v.Open && v.CallbackID == "decision.rationale" })
	})
}

// TestExportRights publishes rights in Slack, then writes them as the
// handbook page (to stdout, and to a file with --out), JSON and CSV, with
// the names stored when they were set; bad flags are refused.
func TestExportRights(t *testing.T) {
	fs := newWorld(t)
	fs.AddUserGroup("S0PLAT", "platform-team", eve, bob)
	h := startBot(t, fs)
	ask := h.askDecide(t)
	if got := ask(adm, "rights payments accountable <@U0BOB|bob> responsible <@U0EVE|eve> <#C0RANDOM|random> consulted <!subteam^S0PLAT|@platform-team> informed <#C0GENERAL|general>"); !strings.Contains(got, "Published") {
		t.Fatalf("publish:\n%s", got)
	}
	if got := ask(adm, "rights api accountable <!subteam^S0PLAT|@platform-team>"); !strings.Contains(got, "Published") {
		t.Fatalf("publish:\n%s", got)
	}

	page := h.export("rights")
	for _, want := range []string{
		"# Decision rights\n",
		"## api\n\n| Role | Who |\n| --- | --- |\n| Accountable | @platform-team |\n| Responsible | — |\n",
		"## payments\n\n| Role | Who |\n| --- | --- |\n| Accountable | Bob Ray |\n| Responsible | Eve Cho, #random |\n| Consulted | @platform-team |\n| Informed | #general |\n",
	} {
		if !strings.Contains(page, want) {
			t.Fatalf("the handbook page lacks %q:\n%s", want, page)
		}
	}
	file := filepath.Join(t.TempDir(), "decision-rights.md")
	if got := h.export("rights", "--out", file); !strings.Contains(got, "wrote 2 decision areas to "+file) {
		t.Fatalf("--out says:\n%s", got)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != page {
		t.Fatalf("the file holds (%v):\n%s\nwant the page:\n%s", err, b, page)
	}
	var areas []map[string]any
	if err := json.Unmarshal([]byte(h.export("rights", "--format", "json")), &areas); err != nil || len(areas) != 2 {
		t.Fatalf("json: %v, %d areas", err, len(areas))
	}
	if acc := areas[1]["accountable"].(map[string]any); acc["id"] != "U0BOB" || acc["name"] != "Bob Ray" {
		t.Fatalf("json accountable: %v", acc)
	}
	if csv := h.export("rights", "--format", "csv"); !strings.Contains(csv, "T0TEAM,payments,Bob Ray,U0BOB,Eve Cho; #random,U0EVE C0RANDOM,") {
		t.Fatalf("csv:\n%s", csv)
	}

	t.Run("ErrBadFlags", func(t *testing.T) {
		for args, want := range map[string]string{
			"--format pdf":              `--format "pdf" is not one of markdown, json, csv`,
			"extra":                     `unexpected argument "extra"`,
			"--out /nonexistent/x/y.md": "write /nonexistent/x/y.md",
		} {
			var out, errOut bytes.Buffer
			argv := append(append([]string{"export", "rights"}, strings.Fields(args)...), "--db", h.db)
			if code := run(context.Background(), argv, noEnv, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), want) {
				t.Errorf("%s: exit %d, %q; want 1 and %q", args, code, errOut.String(), want)
			}
		}
	})
}

// TestProposalEscalatesToTheAccountableOwner drives a proposal in an
// area past its decide-by date under the fake clock: its owner is
// reminded on the day and the day after, and two days after, at the
// start of that day in the owner's zone, the area's Accountable owner is
// told once: that day is a Saturday, so the DM waits for Monday, 08:00 in
// the Accountable owner's zone.
func TestProposalEscalatesToTheAccountableOwner(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // 2026-11-24 23:30 UTC; Bob is in New York
	ctx := context.Background()
	ask := h.askDecide(t)
	if got := ask(adm, "rights api accountable <@U0ANN|ann>"); !strings.Contains(got, "Published") {
		t.Fatalf("publish:\n%s", got)
	}
	// Ann, accountable, asks Bob to decide by the 26th.
	h.decide(ann, general, "")
	h.waitFor("the form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
	v, _ := fs.TopView(ann)
	ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
		"title":       {"value": fakeslack.TextValue("Pick a message queue")},
		"decision":    {"value": fakeslack.TextValue("SQS or Kafka")},
		"area":        {"decision.area": fakeslack.StaticValue("api")},
		"owner.U0ANN": {"value": fakeslack.UserValue(bob)},
		"status":      {"value": fakeslack.StaticValue("proposed")},
		"decide_by":   {"value": fakeslack.DateValue("2026-11-26")},
	}})
	if err != nil || len(ack.Payload) > 0 {
		t.Fatalf("submit: %v %s", err, ack.Payload)
	}
	if text := messageText(h.waitCards(general, 1)[0]); !strings.Contains(text, "Owner <@U0BOB>") || !strings.Contains(text, "Area `api`") {
		t.Fatalf("card:\n%s", text)
	}

	at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	h.clock.Freeze()
	// Each reminder goes out in Bob's working hours: wait for it there.
	for i, day := range []string{"2026-11-26T14:00:00Z", "2026-11-27T14:00:00Z"} {
		h.clock.Set(at(day))
		h.tick()
		h.waitFor("Bob's reminder", func() bool { return len(fs.DMs(bob)) == i+1 })
	}
	h.clock.Set(at("2026-11-28T04:59:00Z")) // still the 27th in New York
	h.tick()
	if n := len(fs.DMs(ann)); n != 0 {
		t.Fatalf("Ann had %d DMs before the escalation's day", n)
	}
	h.clock.Set(at("2026-11-28T05:00:00Z")) // midnight in New York
	h.tick()
	h.tick()
	h.waitFor("the escalation held", func() bool {
		return strings.Contains(h.logs.String(), `"kind":"decision.reminder","team":"T0TEAM","channel":"U0ANN","user":"U0ANN","until":"2026-11-30T08:00:00+01:00"`)
	})
	h.clock.Set(at("2026-11-30T06:59:00Z")) // 07:59 on Monday in Berlin
	h.tick()
	h.decide(eve, general, "list") // a reply the sender sends after it looked at the outbox at 07:59
	h.waitEphemeral(eve, 1)
	if n := len(fs.DMs(ann)); n != 0 {
		t.Fatalf("Ann had %d DMs before Monday's working hours", n)
	}
	h.clock.Set(at("2026-11-30T07:00:00Z"))
	h.waitFor("the escalation", func() bool { return len(fs.DMs(ann)) == 1 })
	if text := messageText(fs.DMs(ann)[0]); !strings.Contains(text, "Escalated to you, accountable for the `api` area") ||
		!strings.Contains(text, "*D-1*") || !strings.Contains(text, "owned by <@U0BOB>, was due on 2026-11-26") {
		t.Fatalf("escalation:\n%s", text)
	}
	h.clock.Set(at("2026-11-30T14:00:00Z"))
	h.tick()
	h.clock.Run()
	// Whatever the sender still has goes out; nothing more must come.
	h.decide(eve, general, "A later decision")
	h.waitCards(general, 2)
	if n, m := len(fs.DMs(ann)), len(fs.DMs(bob)); n != 1 || m != 2 {
		t.Fatalf("Ann had %d DMs and Bob %d, want the escalation once and two reminders", n, m)
	}
}

// TestTeamOwnedActionItem gives a retro's change to a team's channel:
// the channel is told there, a member of it marks it done, and someone
// outside it (neither the retro's opener nor the item's author) is
// refused; a person and a channel at once is refused on the form.
func TestTeamOwnedActionItem(t *testing.T) {
	fs := newWorld(t)
	fs.AddUser(fakeslack.User{ID: "U0DAN", Name: "dan", RealName: "Dan Roe", TZ: "UTC"})
	h, card := startWithRetroChange(t, fs)

	if ack := h.pressAndSubmit(ann, card, "session.owner", "", map[string]map[string]any{
		"item_owner": {"value": fakeslack.UserValue(bob)}, "item_team": {"value": conversation("C0PLATFORM")},
		"item_due": {"value": fakeslack.DateValue("2026-11-30")},
	}); !strings.Contains(fmt.Sprint(ack), "Choose a person or a team's channel, not both.") {
		t.Fatalf("both at once: %v", ack)
	}
	v, _ := fs.TopView(ann)
	if ack := h.submitView(ann, v.ID, map[string]map[string]any{
		"item_team": {"value": conversation("C0PLATFORM")}, "item_due": {"value": fakeslack.DateValue("2026-11-30")},
	}); ack != nil {
		t.Fatalf("ack %v", ack)
	}
	h.waitMessageText(general, card.TS, "owner <#C0PLATFORM>, due 2026-11-30")
	h.waitFor("the channel told", func() bool {
		for _, m := range h.botMessages("C0PLATFORM") {
			if strings.Contains(messageText(m), "made this channel the owner of R-1 #1") {
				return true
			}
		}
		return false
	})
	if got := h.pressForEphemeral("U0DAN", card, "session.done", ""); !strings.Contains(got, "when a channel owns it, any member of that channel can too") {
		t.Fatalf("a non-member:\n%s", got)
	}
	h.press(eve, card, "session.done", "")
	h.waitMessageText(general, card.TS, "done by <@U0EVE>")
}

// askIn runs /decide as user in channel and returns the ephemeral reply.
func (h *harness) askIn(t *testing.T, user, channel, text string) string {
	t.Helper()
	next := len(h.fs.Ephemerals(user)) + 1
	h.decide(user, channel, text)
	return h.waitEphemeral(user, next)
}
