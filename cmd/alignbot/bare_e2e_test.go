package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// /blocker with text that names nobody opens the form filled with the
// text, so the person picks who must act; submitted, it reports the
// blocker as typed.
func TestBlockerNamingNobodyOpensTheForm(t *testing.T) {
	fs, h := newBlockerWorld(t)
	const typed = "Waiting on the vendor for the signing keys & <certs>"
	h.blocker(ann, general, "  "+typed+"  ")
	view := h.waitView(ann, "the prefilled blocker form")
	raw, _ := json.Marshal(view.Blocks)
	if view.CallbackID != "blocker.new" || !strings.Contains(string(raw), `"initial_value":"Waiting on the vendor for the signing keys \u0026 \u003ccerts\u003e"`) {
		t.Fatalf("form %q:\n%s", view.CallbackID, raw)
	}
	if got := len(fs.Ephemerals(ann)); got != 0 {
		t.Fatalf("%d replies besides the form, want none: %s", got, messageText(fs.Ephemerals(ann)[0]))
	}
	t.Run("ErrStillNobody", func(t *testing.T) {
		if msg := viewFieldError(t, h.submitView(ann, view.ID, nil), "parties"); !strings.Contains(msg, "Name who must act") {
			t.Fatalf("error %q", msg)
		}
	})
	if payload := h.submitView(ann, view.ID, map[string]map[string]any{"parties": {"value": fakeslack.MultiUsersValue(bob)}}); payload != nil {
		t.Fatalf("ack=%v, want the form closed", payload)
	}
	card := messageText(h.waitCards(general, 1)[0])
	if !strings.Contains(card, "signing keys &amp; &lt;certs&gt;") || !strings.Contains(card, "<@U0BOB>") {
		t.Fatalf("card:\n%s", card)
	}
	h.settle()
	if bs := h.exportBlockers(); len(bs) != 1 || bs[0]["text"] != typed {
		t.Fatalf("export %v, want one blocker reading %q", bs, typed)
	}
	if len(fs.DMs(bob)) != 1 {
		t.Fatalf("bob got %d DMs, want 1", len(fs.DMs(bob)))
	}

	t.Run("ErrTooLongForTheForm", func(t *testing.T) {
		if got := h.askBlocker(ann, general, strings.Repeat("é", 3001)); !strings.Contains(got, "That blocker is 3001 characters long; the form holds 3000.") {
			t.Fatalf("reply %q", got)
		}
	})
	t.Run("ErrNotInTheChannel", func(t *testing.T) {
		if got := h.askBlocker(ann, nobot, "Waiting on the vendor"); !strings.Contains(got, "/invite @alignbot") {
			t.Fatalf("reply %q", got)
		}
	})
}

// pressOnReply presses a button of user's n-th ephemeral reply in channel.
func (h *harness) pressOnReply(user, channel string, n int, blockID, actionID string) {
	h.t.Helper()
	eph := h.fs.Ephemerals(user)[n-1]
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, Channel: channel, MessageTS: eph.TS, BlockID: blockID, ActionID: actionID}); err != nil {
		h.t.Fatal(err)
	}
}

// pressOnStatus runs command bare as user in channel, presses a button of
// the status it replies with, and returns the status's number among
// user's ephemeral replies: the button's answer comes next.
func (h *harness) pressOnStatus(user, channel, command, blockID, actionID string) int {
	h.t.Helper()
	n := len(h.fs.Ephemerals(user)) + 1
	h.slash(user, channel, command, "")
	h.waitEphemeral(user, n)
	h.pressOnReply(user, channel, n, blockID, actionID)
	return n
}

// opened waits for the n-th modal Slack opened for user, by views.open,
// and returns it.
func (h *harness) opened(user string, n int) fakeslack.View {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("modal #%d for %s", n, user), func() bool { return len(h.fs.Views(user)) >= n })
	return h.fs.Views(user)[n-1]
}

// With no text, or only spaces, every command opens its form or shows its
// status with buttons, and never an error; each button does its step.
func TestBareCommandsNeverDeadEnd(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	for _, bare := range []string{"", "  \t "} {
		t.Run(fmt.Sprintf("Forms%q", bare), func(t *testing.T) {
			for cmd, callback := range map[string]string{"/decide": "decision.new", "/blocker": "blocker.new", "/pulse": "pulse.new"} {
				n := len(fs.Views(bob)) + 1
				opens := len(fs.Calls("views.open"))
				h.slash(bob, general, cmd, bare)
				if v := h.opened(bob, n); v.CallbackID != callback {
					t.Errorf("%s %q opened %q, want %q", cmd, bare, v.CallbackID, callback)
				}
				if got := len(fs.Calls("views.open")) - opens; got != 1 {
					t.Errorf("%s %q made %d views.open calls, want 1", cmd, bare, got)
				}
			}
		})
		t.Run(fmt.Sprintf("Statuses%q", bare), func(t *testing.T) {
			for cmd, want := range map[string][]string{
				"/alignbot":  {"Get started in <#C0GENERAL>", "Schedule check-in"},
				"/checkin":   {"No check-in is scheduled here.", "Answer ahead", "Schedule check-in"},
				"/digest":    {"This channel has no weekly digest.", "Schedule digest", "Post now", "Preview"},
				"/premortem": {"No pre-mortem is open in this channel.", "Start a pre-mortem"},
				"/retro":     {"No retro is open in this channel.", "Start a retro"},
			} {
				got := h.ask(bob, general, cmd, bare)
				for _, w := range want {
					if !strings.Contains(got, w) {
						t.Errorf("%s %q lacks %q:\n%s", cmd, bare, w, got)
					}
				}
			}
		})
	}

	t.Run("CheckinButtons", func(t *testing.T) {
		n := h.pressOnStatus(ann, general, "/checkin", "checkin.next", "alignbot.setup")
		if got := h.waitEphemeral(ann, n+1); !strings.Contains(got, "`/checkin every mon 09:30`") {
			t.Fatalf("Schedule check-in answered %q", got)
		}
		views := len(fs.Views(ann)) + 1
		h.pressOnReply(ann, general, n, "checkin.next", "checkin.ahead")
		v := h.opened(ann, views)
		if v.CallbackID != "checkin.ahead" {
			t.Fatalf("Answer ahead opened %q", v.CallbackID)
		}
		if payload := h.submitView(ann, v.ID, map[string]map[string]any{"outcomes": {"value": fakeslack.TextValue("Written ahead from the button.")}}); payload != nil {
			t.Fatalf("ack=%v", payload)
		}
		h.settle()
		h.ask(adm, general, "/checkin", "every mon 09:30 Europe/Berlin")
		h.slash(adm, general, "/checkin", "now")
		h.waitFor("the check-in opened", func() bool { return len(h.checkinPrompts(general)) == 1 })
		prompt := h.checkinPrompts(general)[0]
		h.waitFor("the answer given ahead", func() bool {
			r := h.threadReplies(general, prompt.TS)
			return len(r) == 1 && strings.Contains(messageText(r[0]), "Written ahead from the button.")
		})

		// One open: the status offers to answer it.
		n = len(fs.Ephemerals(bob)) + 1
		if got := h.ask(bob, general, "/checkin", ""); !strings.Contains(got, "One is open now") || !strings.Contains(got, "Change schedule") || strings.Contains(got, "Answer ahead") {
			t.Fatalf("status with one open:\n%s", got)
		}
		views = len(fs.Views(bob)) + 1
		h.pressOnReply(bob, general, n, "checkin.next", "checkin.answer")
		if v := h.opened(bob, views); v.CallbackID != "checkin.answer" {
			t.Fatalf("Answer opened %q", v.CallbackID)
		}
	})

	t.Run("DigestButtons", func(t *testing.T) {
		h.decide(ann, general, "Use semver for public APIs")
		h.waitFor("the decision's card", func() bool { return len(h.botMessages(general)) >= 2 })
		h.settle()
		n := h.pressOnStatus(adm, general, "/digest", "digest.next", "alignbot.setup")
		if got := h.waitEphemeral(adm, n+1); !strings.Contains(got, "`/digest every fri 16:00`") {
			t.Fatalf("Schedule digest answered %q", got)
		}
		h.pressOnReply(adm, general, n, "digest.next", "digest.preview")
		if got := h.waitEphemeral(adm, n+2); !strings.Contains(got, "A preview only you see") || !strings.Contains(got, "Use semver for public APIs") {
			t.Fatalf("Preview answered:\n%s", got)
		}
		if len(h.digests(general)) != 0 {
			t.Fatal("Preview posted a digest")
		}
		h.pressOnReply(adm, general, n, "digest.next", "digest.now")
		h.waitFor("the digest posted", func() bool { return len(h.digests(general)) == 1 })

		t.Run("ErrNotAnAdmin", func(t *testing.T) {
			n := h.pressOnStatus(bob, general, "/digest", "digest.next", "digest.now")
			if got := h.waitEphemeral(bob, n+1); !strings.Contains(got, "admins") {
				t.Fatalf("Post now by a non-admin answered %q", got)
			}
			h.settle()
			if len(h.digests(general)) != 1 {
				t.Fatal("a non-admin's Post now posted a digest")
			}
		})
	})
	t.Run("ErrNotInTheChannel", func(t *testing.T) {
		n := h.pressOnStatus(ann, nobot, "/checkin", "checkin.next", "checkin.ahead")
		if got := h.waitEphemeral(ann, n+1); !strings.Contains(got, "/invite @alignbot") {
			t.Fatalf("Answer ahead where alignbot is not answered %q", got)
		}
	})

	t.Run("SessionButtons", func(t *testing.T) {
		for kind, name := range map[string]string{"premortem": "Billing v2", "retro": "Sprint 42"} {
			views := len(fs.Views(eve)) + 1
			h.pressOnStatus(eve, general, "/"+kind, "session.next", "session.start")
			v := h.opened(eve, views)
			if v.CallbackID != "session.start" {
				t.Fatalf("Start on /%s opened %q", kind, v.CallbackID)
			}
			form := func(closeIn string) map[string]map[string]any {
				return map[string]map[string]any{"session_name": {"value": fakeslack.TextValue(name)}, "session_close_in": {"value": fakeslack.TextValue(closeIn)}}
			}
			if msg := viewFieldError(t, h.submitView(eve, v.ID, form("soon")), "session_close_in"); !strings.Contains(msg, "“soon” is not a duration") {
				t.Errorf("/%s form, close in soon: %q", kind, msg)
			}
			if msg := viewFieldError(t, h.submitView(eve, v.ID, form("60d")), "session_close_in"); !strings.Contains(msg, "60d is too long") {
				t.Errorf("/%s form, close in 60d: %q", kind, msg)
			}
			blank := form("")
			blank["session_name"] = map[string]any{"value": fakeslack.TextValue(" \n ")}
			if msg := viewFieldError(t, h.submitView(eve, v.ID, blank), "session_name"); !strings.Contains(msg, "Name ") {
				t.Errorf("/%s form, blank name: %q", kind, msg)
			}
			if kind == "premortem" {
				past := form("3d")
				past["session_launch"] = map[string]any{"value": fakeslack.DateValue("2026-11-01")}
				if msg := viewFieldError(t, h.submitView(eve, v.ID, past), "session_launch"); !strings.Contains(msg, "is in the past") {
					t.Errorf("past launch day: %q", msg)
				}
			}
			h.settle()
			before := len(h.botMessages(general))
			if payload := h.submitView(eve, v.ID, form("3d")); payload != nil {
				t.Fatalf("/%s form refused: %v", kind, payload)
			}
			if parent := messageText(h.waitCards(general, before+1)[before]); !strings.Contains(parent, name) {
				t.Fatalf("/%s form started:\n%s", kind, parent)
			}
		}
		if got := h.ask(eve, general, "/retro", ""); !strings.Contains(got, "*1 retro open in this channel*") || !strings.Contains(got, "Sprint 42") || !strings.Contains(got, "Start a retro") {
			t.Fatalf("status with one open:\n%s", got)
		}
		if got := h.exportRituals(); len(got) != 2 {
			t.Fatalf("%d exported, want the pre-mortem and the retro the forms started", len(got))
		}
		t.Run("ErrNotInTheChannel", func(t *testing.T) {
			n := h.pressOnStatus(ann, nobot, "/retro", "session.next", "session.start")
			if got := h.waitEphemeral(ann, n+1); !strings.Contains(got, "/invite @alignbot") {
				t.Fatalf("Start where alignbot is not answered %q", got)
			}
		})
	})
}

// Each command's help shows examples from the channel's own data where
// there is some (`/decide show D-2`, the channel's latest), and the
// generic ones where there is none.
func TestHelpShowsTheChannelsOwnExamples(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	generic := map[string][]string{
		"/decide":    {"`/decide show D-12`"},
		"/blocker":   {"`/blocker resolve B-7 Schema approved`"},
		"/pulse":     {"`/pulse results <ID>`"},
		"/premortem": {"`/premortem show PM-4`"},
		"/retro":     {"`/retro show R-4`"},
		"/checkin":   {"`/checkin skip YYYY-MM-DD`"},
		"/digest":    {"`/digest every fri 16:00 Europe/Berlin`"},
	}
	for cmd, want := range generic {
		got := h.ask(eve, general, cmd, "help")
		for _, w := range want {
			if !strings.Contains(got, w) || strings.Contains(got, "In this channel, e.g.") {
				t.Errorf("%s help with no data lacks %q, or shows the channel's examples:\n%s", cmd, w, got)
			}
		}
	}

	h.decide(ann, general, "Use semver for public APIs")
	h.decide(ann, general, "Ship on Tuesdays")
	h.waitCards(general, 2)
	h.decide(ann, secret, "A secret decision, the latest of all")
	h.waitCards(secret, 1)
	h.ask(adm, general, "/decide", "rights add api <@U0BOB>")
	h.blocker(ann, general, "Waiting on <@U0BOB> for the keys")
	h.waitCards(general, 3)
	h.sendPulse(ann, general, "", pulseValues("How sure are we of the launch date?"))
	h.openSession(eve, general, "/retro", "Sprint 42")
	h.openSession(eve, general, "/premortem", "Billing v2")
	h.ask(adm, general, "/checkin", "every mon 09:30 Europe/Berlin")
	h.ask(adm, general, "/digest", "every fri 16:00 Europe/Berlin")
	h.settle()

	for cmd, want := range map[string][]string{
		"/decide":    {"`/decide show D-2`", "In this channel, e.g. `/decide [api] &lt;text&gt;`"},
		"/blocker":   {"`/blocker resolve B-1 Schema approved`"},
		"/pulse":     {"In this channel, e.g. `/pulse results P-1`"},
		"/retro":     {"`/retro close <ID>`", "`/retro show R-1`"},
		"/premortem": {"`/premortem show PM-2`"},
		"/checkin":   {"In this channel, e.g. `/checkin skip 2026-11-30`"},
		"/digest":    {"In this channel, e.g. `/digest every fri 16:00 Europe/Berlin`"},
	} {
		got := h.ask(eve, general, cmd, "help")
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s help lacks %q:\n%s", cmd, w, got)
			}
		}
		if cmd == "/decide" && (strings.Contains(got, "D-12") || strings.Contains(got, "D-3")) {
			t.Errorf("/decide help shows a generic ID or another channel's:\n%s", got)
		}
	}
	// Another channel has no data of its own: its help stays generic.
	if got := h.ask(ann, secret, "/blocker", "help"); !strings.Contains(got, "B-7") {
		t.Errorf("/blocker help in a channel with no blocker:\n%s", got)
	}
}
