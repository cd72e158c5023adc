package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
)

// checkinPrompts returns the check-in parents the bot posted in channel.
func (h *harness) checkinPrompts(channel string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.botMessages(channel) {
		if strings.HasPrefix(m.Text, "Weekly alignment check-in") {
			out = append(out, m)
		}
	}
	return out
}

// threadReplies returns the replies in the thread of parent.
func (h *harness) threadReplies(channel, parent string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.fs.Messages(channel) {
		if m.ThreadTS == parent && m.TS != parent {
			out = append(out, m)
		}
	}
	return out
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCheckinFiresOnLocalTimeAcrossDST(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.clock.Freeze()
	got := h.ask(adm, general, "/checkin", "every mon 09:30 Europe/Berlin")
	if !strings.Contains(got, "every Monday at 09:30 (Europe/Berlin)") || !strings.Contains(got, "next one opens Mon 30 Nov 09:30 (Europe/Berlin)") {
		t.Fatalf("confirmation:\n%s", got)
	}
	for _, tc := range []struct {
		before, fire, close string
	}{
		// Winter time: 09:30 in Berlin is 08:30 UTC.
		{"2027-03-22T08:29:00Z", "2027-03-22T08:30:00Z", "2027-03-23T08:30:00Z"},
		// Summer time from 28 March 2027: 09:30 in Berlin is 07:30 UTC.
		{"2027-03-29T07:29:00Z", "2027-03-29T07:30:00Z", "2027-03-30T07:30:00Z"},
	} {
		before := len(h.checkinPrompts(general))
		h.clock.Set(at(tc.before))
		h.tick()
		h.settle()
		if n := len(h.checkinPrompts(general)); n != before {
			t.Fatalf("a check-in opened at %s, before 09:30 in Berlin", tc.before)
		}
		h.clock.Set(at(tc.fire))
		h.tick()
		h.tick()
		h.waitFor("the check-in at "+tc.fire, func() bool { return len(h.checkinPrompts(general)) == before+1 })
		if p := h.checkinPrompts(general)[before]; !strings.Contains(messageText(p), "Weekly alignment check-in — Mon") {
			t.Fatalf("prompt:\n%s", messageText(p))
		}
		h.clock.Set(at(tc.close))
		h.tick()
		h.settle()
	}
	if n := len(h.checkinPrompts(general)); n != 2 {
		t.Fatalf("%d check-ins, want one on each Monday", n)
	}
}

// ask runs a slash command and returns the reply only the person saw.
func (h *harness) ask(user, channel, command, text string) string {
	h.t.Helper()
	next := len(h.fs.Ephemerals(user)) + 1
	h.slash(user, channel, command, text)
	return h.waitEphemeral(user, next)
}

func TestCheckinFromOpenToSummary(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	h.blocker(ann, general, "<@U0EVE> we need API keys for staging")
	h.waitCards(general, 1)
	proposeDecision(t, h, "Pick a message queue", bob, "2026-11-27")

	// A working day in Europe: 09:00 in Berlin, open for eight hours.
	h.clock.Freeze()
	h.clock.Set(at("2026-11-25T08:00:00Z"))
	h.ask(adm, general, "/checkin", "window 8h")
	h.slash(adm, general, "/checkin", "now")
	h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	prompt := h.checkinPrompts(general)[0]
	text := messageText(prompt)
	for _, want := range []string{"1. Last week's outcomes", "2. Blockers requiring cross-team action", "*B-1* <@U0EVE> we need API keys for staging · who must act: <@U0EVE>",
		"3. Decisions to be made", "*D-1* Pick a message queue · <@U0BOB> · decide by 2026-11-27", "Answer"} {
		if !strings.Contains(text, want) {
			t.Fatalf("prompt lacks %q:\n%s", want, text)
		}
	}
	if got := h.ask(adm, general, "/checkin", "now"); !strings.Contains(got, "A check-in is already open here") {
		t.Fatalf("a second /checkin now: %s", got)
	}
	h.ask(adm, general, "/checkin", "away 2026-12-31") // Ada is away: not reminded, not missing

	clickAnswer := func(user string) fakeslack.View {
		t.Helper()
		p := h.checkinPrompts(general)[0]
		var value string
		for _, b := range p.Blocks {
			if b["type"] == "actions" {
				value = b["elements"].([]any)[0].(map[string]any)["value"].(string)
			}
		}
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: general, MessageTS: p.TS, ActionID: "checkin.answer", Value: value}); err != nil {
			t.Fatal(err)
		}
		return h.waitView(user, "the answer form")
	}

	t.Run("ErrOutcomesRequired", func(t *testing.T) {
		v := clickAnswer(bob)
		payload := h.submitView(bob, v.ID, map[string]map[string]any{"outcomes": {"value": fakeslack.TextValue("   ")}})
		if msg := viewFieldError(t, payload, "outcomes"); !strings.Contains(msg, "outcomes is required") {
			t.Fatalf("error %q", msg)
		}
	})
	v, _ := fs.TopView(bob)
	h.submitView(bob, v.ID, map[string]map[string]any{
		"outcomes":        {"value": fakeslack.TextValue("Shipped the importer.")},
		"blockers":        {"value": fakeslack.TextValue("- Waiting on infra for the DNS change")},
		"blocker_parties": {"value": fakeslack.MultiUsersValue(eve)},
		"decisions":       {"value": fakeslack.TextValue("Pick a CDN")},
	})
	h.waitFor("Bob's answer in the thread", func() bool { return len(h.threadReplies(general, prompt.TS)) == 1 })
	if got := messageText(h.threadReplies(general, prompt.TS)[0]); !strings.Contains(got, "<@U0BOB> answered") || !strings.Contains(got, "Shipped the importer.") {
		t.Fatalf("answer:\n%s", got)
	}

	t.Run("ReanswerReplacesTheReply", func(t *testing.T) {
		v := clickAnswer(bob)
		if !strings.Contains(fmt.Sprint(v.Blocks), "Shipped the importer.") {
			t.Fatal("the form is not filled with Bob's earlier answer")
		}
		h.submitView(bob, v.ID, map[string]map[string]any{
			"outcomes":        {"value": fakeslack.TextValue("Shipped the importer and the exporter.")},
			"blockers":        {"value": fakeslack.TextValue("Waiting on infra for the DNS change")},
			"blocker_parties": {"value": fakeslack.MultiUsersValue(eve)},
			"decisions":       {"value": fakeslack.TextValue("Pick a CDN")},
		})
		h.waitFor("the answer replaced", func() bool {
			r := h.threadReplies(general, prompt.TS)
			return len(r) == 1 && strings.Contains(messageText(r[0]), "and the exporter")
		})
	})

	if _, err := fs.PostUserMessage(ctx, eve, general, "Mostly reviews this week; nothing blocked.", prompt.TS); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the prompt to count two", func() bool { return strings.Contains(messageText(h.checkinPrompts(general)[0]), "2 answered so far") })

	closes := at("2026-11-25T16:00:00Z")
	t.Run("ReminderReachesExactlyTheNonResponders", func(t *testing.T) {
		h.clock.Set(closes.Add(-2*time.Hour + time.Minute))
		h.tick()
		h.tick()
		h.waitFor("Ann's reminder", func() bool { return len(fs.DMs(ann)) == 1 })
		h.settle()
		for _, u := range []string{bob, eve, adm} {
			for _, m := range fs.DMs(u) {
				if strings.Contains(messageText(m), "haven't answered") {
					t.Fatalf("%s was reminded though they took part or are away", u)
				}
			}
		}
	})

	h.clock.Set(closes.Add(time.Minute))
	h.tick()
	h.tick()
	h.clock.Run() // retries (a DM waiting for its card) need time to pass
	h.waitFor("the summary", func() bool {
		for _, r := range h.threadReplies(general, prompt.TS) {
			if strings.Contains(messageText(r), "Check-in closed") {
				return true
			}
		}
		return false
	})
	h.settle()
	var summary fakeslack.Message
	for _, r := range h.threadReplies(general, prompt.TS) {
		if strings.Contains(messageText(r), "Check-in closed") {
			summary = r
		}
	}
	st := messageText(summary)
	for _, want := range []string{"2 of 3 answered", "<@U0BOB>: Shipped the importer and the exporter.", "<@U0EVE>, in the thread: Mostly reviews",
		"Blockers recorded*: *B-2*", "Decisions to be made*: *D-2*"} {
		if !strings.Contains(st, want) {
			t.Fatalf("summary lacks %q:\n%s", want, st)
		}
	}
	if !summary.ReplyBroadcast {
		t.Fatal("the summary was not broadcast to the channel")
	}
	if text := messageText(h.checkinPrompts(general)[0]); !strings.Contains(text, "Closed · 2 of 3 answered") || strings.Contains(text, "Answer\n") {
		t.Fatalf("closed prompt:\n%s", text)
	}

	t.Run("EntriesFollowTheirRules", func(t *testing.T) {
		var b2 map[string]any
		for _, b := range h.exportBlockers() {
			if fmt.Sprint(b["number"]) == "2" {
				b2 = b
			}
		}
		if b2 == nil || b2["reporter_id"] != bob || !strings.Contains(fmt.Sprint(b2["parties"]), eve) {
			t.Fatalf("B-2 = %v", b2)
		}
		h.waitFor("Eve told of B-2", func() bool {
			for _, m := range fs.DMs(eve) {
				if strings.Contains(messageText(m), "B-2") {
					return true
				}
			}
			return false
		})
		var d2 map[string]any
		for _, d := range h.exportJSON() {
			if d["number"].(float64) == 2 {
				d2 = d
			}
		}
		if d2 == nil || d2["status"] != "proposed" || d2["owner_id"] != bob || d2["decide_by"] != "2026-12-02" {
			t.Fatalf("D-2 = %v", d2)
		}
	})
	t.Run("AnswerAfterCloseRefused", func(t *testing.T) {
		dm := fs.DMs(ann)[0]
		next := len(fs.Ephemerals(ann)) + 1
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: dm.Channel, MessageTS: dm.TS, ActionID: "checkin.answer",
			Value: dm.Blocks[1]["elements"].([]any)[0].(map[string]any)["value"].(string)}); err != nil {
			t.Fatal(err)
		}
		if got := h.waitEphemeral(ann, next); !strings.Contains(got, "This check-in has closed") {
			t.Fatalf("reply:\n%s", got)
		}
	})
}

func TestCheckinBadInput(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	for text, want := range map[string]string{
		"every funday 09:30":              `"funday" is not a weekday. Write it like ` + "`/checkin every mon,thu 09:30 Europe/Berlin`",
		"every mon 9h30":                  `"9h30" is not a time of day. Write it like`,
		"every mon 09:30 Europe/Atlantis": `"Europe/Atlantis" is not a time zone. Write it like`,
		"window 30m":                      "A check-in stays open from 1h to 6d; 30m is too short.",
		"window soon":                     "“soon” is not a duration",
		"window 168h":                     "A check-in stays open from 1h to 6d; 7d is too long.",
		"skip 2020-01-01":                 "is in the past",
		"close":                           "No check-in is open here",
		"off":                             "no check-in schedule to turn off",
	} {
		if got := h.ask(adm, general, "/checkin", text); !strings.Contains(got, want) {
			t.Errorf("/checkin %s:\n%s\nwant %q", text, got, want)
		}
	}
	if got := h.ask(ann, general, "/checkin", "every mon 09:30"); !strings.Contains(got, "Only alignbot's admins") {
		t.Errorf("a non-admin scheduled check-ins:\n%s", got)
	}
	if got := h.ask(ann, nobot, "/checkin", "answer"); !strings.Contains(got, "Add me to it") {
		t.Errorf("answer ahead where the bot is not:\n%s", got)
	}
}

func TestCheckinRestartDuringAnOpenOneStillCloses(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.ask(adm, general, "/checkin", "window 2h")
	h.slash(adm, general, "/checkin", "now")
	h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	prompt := h.checkinPrompts(general)[0]
	h.settle()
	h.stop()

	// Down over the close; the clock moves on meanwhile.
	clk := clock.New(h.clock.Now().Add(3 * time.Hour))
	h2 := startBotOn(t, fs, h.db, clk)
	h2.waitFor("the summary after the restart", func() bool {
		for _, r := range h2.threadReplies(general, prompt.TS) {
			if strings.Contains(messageText(r), "nobody answered (0 of 4)") {
				return true
			}
		}
		return false
	})
}

func TestCheckinAnswerAheadSkipAndStatus(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.slash(bob, general, "/checkin", "answer")
	v := h.waitView(bob, "the answer-ahead form")
	h.submitView(bob, v.ID, map[string]map[string]any{"outcomes": {"value": fakeslack.TextValue("Written ahead: shipped search.")}})
	h.settle()

	h.ask(adm, general, "/checkin", "every mon 09:30 Europe/Berlin")
	if got := h.ask(adm, general, "/checkin", "skip 2026-11-30"); !strings.Contains(got, "No check-in here on 2026-11-30") {
		t.Fatalf("skip: %s", got)
	}
	if got := h.ask(eve, general, "/checkin", ""); !strings.Contains(got, "every Monday at 09:30 (Europe/Berlin), open 1d") || !strings.Contains(got, "Skipping: 2026-11-30") {
		t.Fatalf("status:\n%s", got)
	}
	h.clock.Freeze()
	h.clock.Set(at("2026-11-30T08:30:00Z"))
	h.tick()
	h.settle()
	if n := len(h.checkinPrompts(general)); n != 0 {
		t.Fatal("a check-in opened on a skipped day")
	}
	h.clock.Set(at("2026-12-07T08:30:00Z"))
	h.tick()
	h.waitFor("the next Monday's check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	prompt := h.checkinPrompts(general)[0]
	h.waitFor("the answer given ahead", func() bool {
		r := h.threadReplies(general, prompt.TS)
		return len(r) == 1 && strings.Contains(messageText(r[0]), "Written ahead: shipped search.")
	})
}
