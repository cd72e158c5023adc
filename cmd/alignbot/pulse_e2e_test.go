package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestPulseFormRefusesBadInput(t *testing.T) {
	fs, h, _ := pulseWorld(t)
	view := h.openPulseForm(ann, team, "")
	for _, tc := range []struct {
		name, field, want string
		values            map[string]map[string]any
	}{
		{"ErrBlankQuestion", "question", "question is required", pulseValues("   ")},
		{"ErrOversizedQuestion", "question", "the limit is 300", pulseValues(strings.Repeat("Why? ", 61))},
		{"ErrMalformedChoiceList", "choices", "at least 2 options", pulseValues("Which?",
			"kind", fakeslack.StaticValue("choice"), "choices", fakeslack.TextValue("Only one option"))},
		{"ErrChoiceListed twice", "choices", "listed twice", pulseValues("Which?",
			"kind", fakeslack.StaticValue("choice"), "choices", fakeslack.TextValue("Ops\nDev\nops"))},
		{"ErrOpenForZero", "open_for", "A pulse stays open from 1h to 30d; 0m is too short.", pulseValues("Q?", "open_for", fakeslack.TextValue("0h"))},
		{"ErrOpenForGibberish", "open_for", "not a duration", pulseValues("Q?", "open_for", fakeslack.TextValue("a while"))},
		{"ErrThresholdBelowThree", "threshold", "never be below 3", pulseValues("Q?", "threshold", fakeslack.TextValue("2"))},
		{"ErrNoPeopleChosen", "people", "Choose the people", pulseValues("Q?", "audience", fakeslack.StaticValue("people"))},
		{"ErrTooFewPeopleToStayAnonymous", "people", "could never show its results", pulseValues("Q?",
			"audience", fakeslack.StaticValue("people"), "people", fakeslack.MultiUsersValue(bob, eve))},
		{"ErrRepeatOnlyForAdmins", "repeat", "Only alignbot's admins", pulseValues("Q?", "repeat", fakeslack.StaticValue("weekly"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if msg := viewFieldError(t, h.submitView(ann, view.ID, tc.values), tc.field); !strings.Contains(msg, tc.want) {
				t.Fatalf("%s error %q, want it to say %q", tc.field, msg, tc.want)
			}
		})
	}
	if v, _ := fs.View(view.ID); !v.Open {
		t.Fatal("a refused form was closed")
	}
	noPulses(t, h)

	t.Run("SubcommandErrors", func(t *testing.T) {
		for _, tc := range []struct{ text, want string }{
			{"close", "`/pulse close` takes one ID, e.g. `/pulse close P-3`."},
			{"results P-9", "There is no pulse P-9"},
			{"close banana", "is not an ID"},
			{"roles @eng=engineering", "“@eng” cannot be given a role: that takes people or user groups"},
			{"list lots", "a number from 1 to 100"},
		} {
			if got := h.pulseReply(bob, team, tc.text); !strings.Contains(got, tc.want) {
				t.Errorf("/pulse %s: %q, want %q", tc.text, got, tc.want)
			}
		}
		if n := len(h.botMessages(team)); n != 0 {
			t.Fatalf("refused commands posted %d messages in the channel", n)
		}
	})
	t.Run("ValidIsSent", func(t *testing.T) {
		if payload := h.submitView(ann, view.ID, pulseValues("Q?", "threshold", fakeslack.TextValue("3"))); payload != nil {
			t.Fatalf("ack=%v", payload)
		}
		if got := h.waitEphemeral(ann, 1); !strings.Contains(got, "Pulse *P-1* is on its way to this channel's members") {
			t.Fatalf("confirmation %q", got)
		}
	})
}

func TestPulseAsksExactlyItsAudience(t *testing.T) {
	fs, h, humans := pulseWorld(t)
	onlyAsked := func(t *testing.T, id string, want ...string) {
		t.Helper()
		for _, u := range want {
			h.waitPrompt(u, id)
		}
		asked := map[string]bool{}
		for _, u := range want {
			asked[u] = true
		}
		for _, u := range append(append([]string{eve, adm, otherBot, deactived}, humans...), fs.BotUserID()) {
			if n := len(h.prompts(u, id)); (asked[u] && n != 1) || (!asked[u] && n != 0) {
				t.Errorf("%s got %d DMs for %s", u, n, id)
			}
		}
	}
	t.Run("ChannelMembers", func(t *testing.T) {
		h.sendPulse(ann, team, "", pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3")))
		onlyAsked(t, "P-1", humans...)
	})
	t.Run("UserGroup", func(t *testing.T) {
		h.sendPulse(bob, team, "<!subteam^S0PM|@pm> Is the roadmap realistic?", pulseValues("Is the roadmap realistic?",
			"threshold", fakeslack.TextValue("3")))
		onlyAsked(t, "P-2", "U0PM01", "U0PM02", "U0PM03")
	})
	t.Run("ChosenPeople", func(t *testing.T) {
		h.sendPulse(ann, team, "", pulseValues("Ship on Friday?", "kind", fakeslack.StaticValue("yesno"),
			"audience", fakeslack.StaticValue("people"), "people", fakeslack.MultiUsersValue(eve, adm, otherBot, deactived),
			"anonymous", fakeslack.CheckboxesValue()))
		onlyAsked(t, "P-3", eve, adm)
	})
	t.Run("ErrUnknownGroupTellsTheCreator", func(t *testing.T) {
		h.sendPulse(ann, team, "<!subteam^S0NOPE|@nope>", pulseValues("Anyone?", "threshold", fakeslack.TextValue("3")))
		h.waitFor("the notice to Ann", func() bool {
			for _, m := range fs.DMs(ann) {
				if strings.Contains(m.Text, "P-4") && strings.Contains(m.Text, "was not sent") && strings.Contains(m.Text, "no user group S0NOPE") {
					return true
				}
			}
			return false
		})
	})
}

func TestPulseToABigChannelGoesOncePerPersonThroughRateLimits(t *testing.T) {
	fs := newWorld(t)
	people := addPeople(fs, "p", 200)
	fs.AddUser(fakeslack.User{ID: otherBot, Name: "helper", IsBot: true})
	fs.AddChannel(fakeslack.Channel{ID: "C0BIG", Name: "everyone", Members: append(append([]string{fs.BotUserID(), otherBot}, people...), ann)})
	h := startBot(t, fs)
	fs.FailNext("chat.postMessage", 2, fakeslack.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	fs.FailNext("chat.postMessage", 2, fakeslack.Fault{Status: http.StatusServiceUnavailable})
	fs.FailNext("chat.postMessage", 1, fakeslack.Fault{Drop: true, After: true})

	h.sendPulse(ann, "C0BIG", "", pulseValues("If we shipped nothing for 30 days, which projects would we miss most?",
		"kind", fakeslack.StaticValue("text")))
	everyone := append(people, ann)
	// The race detector slows SQLite tenfold: allow a minute, and look at
	// every DM only once enough posts have gone through.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := fs.WaitFor(ctx, func() bool {
		if len(fs.Calls("chat.postMessage")) < len(everyone) {
			return false
		}
		for _, u := range everyone {
			if len(h.prompts(u, "P-1")) == 0 {
				return false
			}
		}
		return true
	})
	if err != nil {
		t.Fatalf("not everyone got a DM: %v", err)
	}
	for _, u := range append(everyone, otherBot) {
		if n, want := len(h.prompts(u, "P-1")), map[bool]int{true: 0, false: 1}[u == otherBot]; n != want {
			t.Fatalf("%s got %d DMs, want %d", u, n, want)
		}
	}
	if n := len(fs.Calls("users.info")); n > 20 {
		t.Errorf("%d users.info calls: a big audience should be read with users.list", n)
	}
	if n := len(fs.Calls("users.list")); n == 0 {
		t.Error("users.list was never called")
	}
}

func TestPulseAnswersChangeUntilClose(t *testing.T) {
	fs, h, _ := pulseWorld(t)
	h.sendPulse(ann, team, "", pulseValues("Do you know who decides the things that affect your work this week?",
		"kind", fakeslack.StaticValue("yesno"), "threshold", fakeslack.TextValue("3")))

	h.answer(bob, "P-1", 0, "*Yes*")
	dm := h.prompts(bob, "P-1")[0]
	if !strings.Contains(fmt.Sprint(dm.Blocks), "style:primary") {
		t.Errorf("the chosen button is not marked:\n%v", dm.Blocks)
	}
	h.answer(bob, "P-1", 1, "*No*")
	if n := len(fs.DMs(bob)); n != 1 {
		t.Fatalf("Bob has %d DMs: an answer must update the DM, not add one", n)
	}
	h.answer("U0ENG01", "P-1", 0, "*Yes*")
	h.answer("U0ENG02", "P-1", 0, "*Yes*")

	h.pulseReply(ann, team, "close P-1")
	results := h.results(team, 1)
	for _, want := range []string{"3 of 10 answered (30%)", "67% · Yes (2)", "33% · No (1)", "*67% yes*"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q:\n%s", want, results)
		}
	}

	t.Run("LateClickIsTurnedAwayPolitely", func(t *testing.T) {
		before := fmt.Sprint(h.exportPulses()[0]["results"])
		dm := h.prompts(bob, "P-1")[0]
		if _, err := fs.BlockAction(context.Background(), fakeslack.Action{User: bob, Channel: fs.DMChannel(bob),
			MessageTS: dm.TS, ActionID: "pulse.answer.0"}); err != nil {
			t.Fatal(err)
		}
		if got := h.waitEphemeral(bob, 1); !strings.Contains(got, "This pulse has closed") {
			t.Fatalf("late click answered %q", got)
		}
		if p := h.exportPulses()[0]; p["answered"] != 3.0 || fmt.Sprint(p["results"]) != before {
			t.Fatalf("late click changed the results: %v", p)
		}
		if !strings.Contains(messageText(h.prompts(bob, "P-1")[0]), "Your answer: *No*") {
			t.Fatal("the late click changed Bob's DM")
		}
	})

	t.Run("FreeTextInAForm", func(t *testing.T) {
		h.sendPulse(ann, team, "", pulseValues("Which projects would we miss most?", "kind", fakeslack.StaticValue("text"),
			"threshold", fakeslack.TextValue("3")))
		h.answerText("U0PM01", "P-2", "The billing rewrite")
		h.answerText("U0PM01", "P-2", "On second thought: search")
		forms := fs.Views("U0PM01")
		if !strings.Contains(fmt.Sprint(forms[len(forms)-1].Blocks), "initial_value:The billing rewrite") {
			t.Error("the change form did not show the answer being changed")
		}
		h.answerText("U0PM02", "P-2", "Mobile")
		h.answerText("U0PM03", "P-2", "Data platform")
		h.pulseReply(ann, team, "close P-2")
		results := h.results(team, 2)
		if !strings.Contains(results, "On second thought: search") || strings.Contains(results, "billing") {
			t.Fatalf("results:\n%s", results)
		}
		if strings.Contains(results, "U0PM0") {
			t.Fatalf("anonymous free text shown with names:\n%s", results)
		}
	})
}

func TestPulseRemindsNonRespondersOnce(t *testing.T) {
	fs, h, humans := pulseWorld(t)
	h.sendPulse(ann, team, "", pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3")))
	h.answer(bob, "P-1", 3, "*4*")
	h.answer("U0OPS01", "P-1", 4, "*5")
	h.waitPrompts("P-1", humans...)
	reminders := func(u string) (n int) {
		for _, m := range fs.DMs(u) {
			if strings.HasPrefix(m.Text, "Reminder: Pulse P-1") {
				n++
			}
		}
		return n
	}
	h.clock.Advance(23 * time.Hour)
	h.tick()
	if n := reminders(ann); n != 0 {
		t.Fatalf("a reminder went %d times a day before its time", n)
	}
	h.clock.Advance(time.Hour + time.Minute)
	h.tick()
	h.tick()
	for _, u := range humans {
		if u != bob && u != "U0OPS01" {
			h.waitFor("a reminder to "+u, func() bool { return reminders(u) == 1 })
		}
	}
	if !strings.Contains(messageText(fs.DMs(ann)[len(fs.DMs(ann))-1]), "answer it here") {
		t.Error("the reminder does not link to the pulse's DM")
	}
	h.clock.Advance(time.Hour)
	h.tick()
	h.pulseReply(eve, general, "help") // something after, to be sure nothing else was queued
	for _, u := range humans {
		want := 1
		if u == bob || u == "U0OPS01" {
			want = 0
		}
		if n := reminders(u); n != want {
			t.Errorf("%s got %d reminders, want %d", u, n, want)
		}
	}
}

func TestPulseHeldReminderHoldsNothingElseBack(t *testing.T) {
	fs, h, humans := pulseWorld(t)
	// Open 30h30m from 13:00 UTC: the reminder is due at 19:30 UTC, past
	// 19:00 in Berlin (Ann is held until morning) but not in New York.
	h.sendPulse(eve, team, "", pulseValues("Ship on Friday?", "kind", fakeslack.StaticValue("yesno"),
		"threshold", fakeslack.TextValue("3"), "open_for", fakeslack.TextValue("30h30m")))
	h.waitPrompts("P-1", humans...)
	h.clock.Advance(6*time.Hour + 31*time.Minute)
	h.tick()
	h.waitFor("Bob's reminder", func() bool {
		ms := fs.DMs(bob)
		return len(ms) == 2 && strings.HasPrefix(ms[1].Text, "Reminder: Pulse P-1")
	})
	h.waitFor("Ann's reminder held", func() bool {
		return strings.Contains(h.logs.String(), `"msg":"reminder held for working hours","component":"sender"`)
	})
	h.answer(ann, "P-1", 0, "*Yes*") // shown at once, not after the held reminder
	if n := len(fs.DMs(ann)); n != 1 {
		t.Fatalf("Ann has %d DMs at 20:31 her time, want only the pulse", n)
	}
}
