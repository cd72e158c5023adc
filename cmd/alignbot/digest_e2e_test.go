package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/chart"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/rituals"
)

// digests returns the weekly digests the bot posted in channel.
func (h *harness) digests(channel string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.botMessages(channel) {
		if strings.HasPrefix(m.Text, "Weekly digest") {
			out = append(out, m)
		}
	}
	return out
}

// charts returns the bot's messages in channel that share a file.
func (h *harness) charts(channel string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.botMessages(channel) {
		if len(m.FileIDs) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// checkChart checks that m shares one PNG of the chart's size.
func (h *harness) checkChart(m fakeslack.Message) {
	h.t.Helper()
	if len(m.FileIDs) != 1 {
		h.t.Fatalf("chart message shares %d files", len(m.FileIDs))
	}
	data, ok := h.fs.File(m.FileIDs[0])
	if !ok {
		h.t.Fatalf("file %s was never uploaded", m.FileIDs[0])
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		h.t.Fatalf("the chart is not a PNG: %v", err)
	}
	if size := img.Bounds().Size(); size.X != chart.Width || size.Y != chart.Height {
		h.t.Fatalf("chart of %v, want %dx%d", size, chart.Width, chart.Height)
	}
}

// markDecided presses Mark decided on card as user and gives the final text.
func (h *harness) markDecided(user string, card fakeslack.Message, n int) {
	h.t.Helper()
	ctx := context.Background()
	if _, err := h.fs.BlockAction(ctx, fakeslack.Action{User: user, Channel: card.Channel, MessageTS: card.TS, ActionID: "decision.decide", Value: itoa(n)}); err != nil {
		h.t.Fatal(err)
	}
	h.waitFor("the final-text form", func() bool { v, ok := h.fs.TopView(user); return ok && v.Open && v.CallbackID == "decision.decide" })
	v, _ := h.fs.TopView(user)
	if payload := h.submitView(user, v.ID, map[string]map[string]any{"decision": {"value": fakeslack.TextValue("Decided after all.")}}); payload != nil {
		h.t.Fatalf("mark decided refused: %v", payload)
	}
	h.settle()
}

// report runs /blocker text as user in #general and waits for its card,
// so the blocker is dated before the clock moves on.
func (h *harness) report(user, text string) {
	h.t.Helper()
	before := len(h.botMessages(general))
	h.blocker(user, general, text)
	h.waitCards(general, before+1)
}

// at moves the clock to s, once everything queued went out.
func (h *harness) at(s string) {
	h.t.Helper()
	h.settle()
	h.clock.Set(at(s))
}

// TestDigestWeekWithEveryKindOfEntry drives a fortnight through Slack:
// proposals decided, blockers reported and resolved, two check-ins, a
// pulse, a retro and a pre-mortem, and entries in other channels; then
// checks every section of the digest against numbers worked out by hand.
func TestDigestWeekWithEveryKindOfEntry(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)

	// The clock runs (retries need it to), so each step lands a few
	// seconds after the time set; the times are picked so that no
	// duration shown sits on the edge of a whole hour.
	// Every step happens between 13:00 and 17:00 UTC: working hours in
	// Berlin, New York and UTC alike, so no reminder waits for the morning.
	// The week before: [Fri 20 Nov 16:00, Fri 27 Nov 16:00) UTC.
	h.at("2026-11-25T14:00:00Z")
	d1 := proposeDecision(t, h, "Pick a message queue", bob, "2026-11-26")
	h.report(ann, "<@U0EVE> we need API keys for staging") // B-1
	h.at("2026-11-25T15:00:00Z")
	h.slash(adm, general, "/checkin", "now")
	h.waitFor("the first check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	h.replyInThread(ann, h.checkinPrompts(general)[0], "Shipped the importer.")
	h.waitFor("Ann's reply counted", func() bool {
		return strings.Contains(messageText(h.checkinPrompts(general)[0]), "1 answered so far")
	})
	h.at("2026-11-25T16:00:00Z")
	h.slash(adm, general, "/checkin", "close") // 1 of 4: 25%
	h.at("2026-11-25T17:01:00Z")
	h.askBlocker(ann, general, "resolve B-1") // 3h 1m to resolve
	h.at("2026-11-26T14:00:00Z")
	h.markDecided(bob, d1, 1) // lead time 1d

	// This week: [Fri 27 Nov 16:00, Fri 4 Dec 16:00) UTC.
	h.at("2026-11-28T14:00:00Z")
	d2 := proposeDecision(t, h, "Freeze the schema", bob, "2026-11-30")
	d3 := proposeDecision(t, h, "Pick a CDN", bob, "2026-12-02")
	h.report(ann, "<@U0BOB> the schema review") // B-2
	h.at("2026-11-28T15:00:00Z")
	cards := len(h.botMessages(general))
	h.decide(ann, general, "Use semver for public APIs") // D-4, decided at once
	h.waitCards(general, cards+1)
	proposeDecision(t, h, "Choose the on-call tool", eve, "2026-12-03")
	proposeDecision(t, h, "Rename the service", ann, "2026-12-08")
	h.at("2026-11-29T13:00:00Z")
	h.report(ann, "<@U0EVE> the DNS change") // B-3
	h.at("2026-11-29T14:30:00Z")
	h.markDecided(bob, d3, 3) // lead time 1d 0h 30m
	h.at("2026-11-29T17:31:00Z")
	h.askBlocker(eve, general, "resolve B-3") // 4h 31m
	h.at("2026-11-30T14:31:00Z")
	h.askBlocker(bob, general, "resolve B-2")       // 2d 0h 31m
	h.report(ann, "<@U0BOB> the security sign-off") // B-4, still open
	h.at("2026-12-01T14:30:00Z")
	h.markDecided(bob, d2, 2) // lead time 3d 0h 30m
	retro := h.openSession(ann, general, "/retro", "Checkout v2 launch")
	h.pressAndSubmit(bob, retro, "session.add.change", "", map[string]map[string]any{
		"item_text":  {"value": fakeslack.TextValue("Load test before every launch")},
		"item_owner": {"value": fakeslack.UserValue(bob)},
		"item_due":   {"value": fakeslack.DateValue("2026-12-10")},
	})
	h.waitBotReplies(retro, 1)
	pm := h.openSession(ann, general, "/premortem", "Billing v2")
	h.pressAndSubmit(eve, pm, "session.add.failure", "", riskForm("Payments time out under load", "medium", "high", "tiger", false))
	h.waitBotReplies(pm, 1)
	h.at("2026-12-02T14:00:00Z")
	h.slash(adm, general, "/checkin", "now")
	h.waitFor("the second check-in", func() bool { return len(h.checkinPrompts(general)) == 2 })
	second := h.checkinPrompts(general)[1]
	for _, u := range []string{ann, bob, eve} {
		h.replyInThread(u, second, "Moved the migration along.")
	}
	h.waitFor("three replies counted", func() bool {
		return strings.Contains(messageText(h.checkinPrompts(general)[1]), "3 answered so far")
	})
	h.at("2026-12-02T16:00:00Z")
	h.slash(adm, general, "/checkin", "close") // 3 of 4: 75%
	h.at("2026-12-02T16:30:00Z")
	h.sendPulse(adm, general, "", pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3")))
	h.answer(ann, "P-1", 3, "4")
	h.answer(bob, "P-1", 3, "4")
	h.answer(eve, "P-1", 4, "5")
	h.waitPrompts("P-1", adm)
	h.at("2026-12-03T16:00:00Z")
	h.pulseReply(adm, general, "close P-1") // 3 of 4 answered, mean 4.3
	h.tick()                                // B-4 has been open past the 72h SLA: escalated

	// Elsewhere: another channel's decision, a private channel's blocker.
	h.decide(bob, random, "Random channel decision")
	h.blocker(ann, secret, "Secret blocker <@U0ANN>")

	h.at("2026-12-04T16:00:00Z")
	h.slash(adm, general, "/digest", "now")
	h.waitFor("the digest and its chart", func() bool { return len(h.digests(general)) == 1 && len(h.charts(general)) == 1 })
	h.settle()
	text := messageText(h.digests(general)[0])
	for _, want := range []string{
		"Weekly digest — week to Fri 4 Dec",
		"<#C0GENERAL> · Fri 27 Nov 16:00 – Fri 4 Dec 16:00 (UTC)",
		// Median of 3d 30m and 1d 30m; the week before, 1d.
		"*Decision lead time* (proposed → decided)\nmedian 2d · change: ▲ 1d",
		// Median of 2d 31m and 4h 31m is 1d 2h 31m; the week before, 3h 1m.
		"*Blocker time to resolve* (reported → resolved)\nmedian 1d 2h · change: ▲ 23h",
		// 3 of 4; the week before, 1 of 4.
		"*Check-in participation* (last check-in)\n75% · change: ▲ 50 pts",
		// 3 of 4 asked; no pulse closed the week before.
		"*Pulse response rate* (pulses closed this week)\n75% · change: —",
		"*Decisions made* (3)\n• *D-4* Use semver for public APIs · <@U0ANN>\n• *D-3* Pick a CDN · <@U0BOB> · proposed 1d before\n• *D-2* Freeze the schema · <@U0BOB> · proposed 3d before\n",
		"*Proposals due in the next 7 days* (2)\n• *D-5* Choose the on-call tool · <@U0EVE> · decide by 2026-12-03 · :warning: *overdue*\n• *D-6* Rename the service · <@U0ANN> · decide by 2026-12-08\n",
		"*Blockers opened* (3)\n• *B-2*", "• *B-3* <@U0EVE> the DNS change",
		"• *B-4* <@U0BOB> the security sign-off · reported by <@U0ANN> · open 4d 1h · :rotating_light: *escalated*",
		"*Blockers resolved* (2)\n• *B-2* <@U0BOB> the schema review · resolved in 2d\n• *B-3* <@U0EVE> the DNS change · resolved in 4h\n",
		"*Blockers still open* (1)\n• *B-4*",
		"*Pulses closed* (1)\n• *P-1* How clear are our top priorities this week? · 3 of 4 answered (75%) · mean 4.3\n",
		"*Open action items* (1)\n• *R-1 #1* Load test before every launch · <@U0BOB> · due 2026-12-10\n",
		"*Last check-in* — Wed 2 Dec 2026: 3 of 4 answered (75%) · <https://acme.slack.com" + cardLink(second) + "|its thread>",
		"*Top pre-mortem risks* (1)\n• *PM-2 #1* Payments time out under load · 0 votes · likelihood medium × impact high · tiger",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lacks %q", want)
		}
	}
	for _, leak := range []string{"D-1*", "B-1*", "Random channel decision", "Secret blocker", "D-7", "B-5"} {
		if strings.Contains(text, leak) {
			t.Errorf("the digest shows %q", leak)
		}
	}
	if t.Failed() {
		t.Fatalf("digest:\n%s", text)
	}
	if fb := h.digests(general)[0].Text; !strings.Contains(fb, "3 decisions made; 2 proposals due (1 overdue); blockers 3 opened, 2 resolved, 1 still open; 1 pulse closed; last check-in 3 of 4 answered") {
		t.Fatalf("fallback text: %s", fb)
	}
	h.checkChart(h.charts(general)[0])
}

func TestDigestQuietWeekAndPreview(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	got := h.ask(eve, random, "/digest", "preview")
	for _, want := range []string{"Weekly digest — week to", ":zzz: *A quiet week.*", "change: —", "A preview only you see"} {
		if !strings.Contains(got, want) {
			t.Fatalf("preview lacks %q:\n%s", want, got)
		}
	}
	h.settle()
	if n := len(h.botMessages(random)); n != 0 {
		t.Fatalf("a preview put %d messages in the channel", n)
	}
	for _, u := range []string{ann, bob, adm} {
		if n := len(fs.Ephemerals(u)); n != 0 {
			t.Fatalf("%s saw %d ephemerals of Eve's preview", u, n)
		}
	}

	h.slash(adm, random, "/digest", "now")
	h.waitFor("the quiet digest and its chart", func() bool { return len(h.digests(random)) == 1 && len(h.charts(random)) == 1 })
	d := h.digests(random)[0]
	if len(d.Blocks) > 6 || !strings.Contains(messageText(d), "A quiet week") || !strings.HasSuffix(d.Text, "a quiet week.") {
		t.Fatalf("a quiet week's digest of %d blocks:\n%s", len(d.Blocks), messageText(d))
	}
	h.checkChart(h.charts(random)[0])
}

// TestDigestBusyWeek fills a week past what one message holds: each list
// is cut to its first entries with "and N more", and Show all lists every
// entry to the person who asks.
func TestDigestBusyWeek(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	now := h.clock.Now()
	teamID := fs.TeamID()
	err := h.main.DB.InTx(ctx, func(tx rituals.Tx) error {
		for i := 1; i <= 60; i++ {
			at := now.Add(-time.Duration(i) * time.Hour)
			n, err := tx.NextNumber(ctx, teamID, "D")
			if err != nil {
				return err
			}
			d := &rituals.Decision{Team: teamID, Number: n, Date: rituals.DateOf(at), Title: fmt.Sprintf("Busy decision %d", n), Text: "Decided.",
				Owner: ann, Author: ann, Channel: general, Status: rituals.StatusDecided, DecidedAt: at, Version: 1, CreatedAt: at, UpdatedAt: at}
			if err := tx.CreateDecision(ctx, d); err != nil {
				return err
			}
			b := &rituals.Blocker{Team: teamID, Number: int64(i), Channel: general, Reporter: bob, Text: fmt.Sprintf("Busy blocker %d", i),
				Status: rituals.BlockerOpen, CreatedAt: at, UpdatedAt: at, Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: eve}}}
			if err := tx.CreateBlocker(ctx, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.slash(adm, general, "/digest", "now")
	h.waitFor("the busy digest", func() bool { return len(h.digests(general)) == 1 && len(h.charts(general)) == 1 })
	d := h.digests(general)[0]
	text := messageText(d)
	if len(d.Blocks) > 50 {
		t.Fatalf("%d blocks", len(d.Blocks))
	}
	for _, want := range []string{"*Decisions made* (60)", "*Blockers opened* (60)", "*Blockers still open* (60)", "_…and 55 more_", "Show all 60"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the busy digest lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "Busy decision"); n != 5 {
		t.Fatalf("the busy digest lists %d decisions, want the first 5:\n%s", n, text)
	}

	h.settle()
	next := len(fs.Ephemerals(bob)) + 1
	var value string
	for _, b := range d.Blocks {
		if b["block_id"] == "digest.decided" {
			value, _ = b["accessory"].(map[string]any)["value"].(string)
		}
	}
	if _, err := fs.BlockAction(ctx, fakeslack.Action{User: bob, Channel: general, MessageTS: d.TS, ActionID: "digest.more", BlockID: "digest.decided", Value: value}); err != nil {
		t.Fatal(err)
	}
	all := h.waitEphemeral(bob, next)
	for n := 1; n <= 60; n++ {
		if !strings.Contains(all, fmt.Sprintf("*D-%d* Busy decision %d ", n, n)) {
			t.Fatalf("Show all lacks D-%d:\n%s", n, all)
		}
	}
	if !strings.Contains(all, "Decisions made (60) — week to") {
		t.Fatalf("Show all:\n%s", all)
	}

}

func TestDigestScheduleRunsOnceAndStops(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // Tue 24 Nov 23:30 UTC
	h.clock.Freeze()
	if got := h.ask(adm, general, "/digest", ""); !strings.Contains(got, "This channel has no weekly digest") {
		t.Fatalf("status before: %s", got)
	}
	got := h.ask(adm, general, "/digest", "every fri 16:00 Europe/Berlin")
	if !strings.Contains(got, "every Friday at 16:00 (Europe/Berlin); the next one Fri 27 Nov 16:00 (Europe/Berlin)") {
		t.Fatalf("confirmation: %s", got)
	}
	if got := h.ask(eve, general, "/digest", ""); !strings.Contains(got, "This channel's digest comes out every Friday at 16:00 (Europe/Berlin); the next one Fri 27 Nov 16:00 (Europe/Berlin)") {
		t.Fatalf("status: %s", got)
	}
	// The zone defaults to the caller's: Ada's is UTC.
	if got := h.ask(adm, random, "/digest", "every mon 09:00"); !strings.Contains(got, "(UTC)") {
		t.Fatalf("Ada's zone: %s", got)
	}

	h.at("2026-11-27T14:59:00Z")
	h.tick()
	h.settle()
	if n := len(h.digests(general)); n != 0 {
		t.Fatal("a digest before 16:00 in Berlin")
	}
	h.at("2026-11-27T15:00:00Z")
	h.tick()
	h.tick()
	h.waitFor("the scheduled digest and chart", func() bool { return len(h.digests(general)) == 1 && len(h.charts(general)) == 1 })
	h.at("2026-11-27T15:05:00Z")
	h.tick()
	h.settle()
	if n, c := len(h.digests(general)), len(h.charts(general)); n != 1 || c != 1 {
		t.Fatalf("%d digests and %d charts after more ticks, want one each", n, c)
	}
	if text := messageText(h.digests(general)[0]); !strings.Contains(text, "Fri 20 Nov 16:00 – Fri 27 Nov 16:00 (Europe/Berlin)") {
		t.Fatalf("scheduled digest:\n%s", text)
	}
	h.checkChart(h.charts(general)[0])

	if got := h.ask(adm, general, "/digest", "off"); !strings.Contains(got, "The weekly digest here is off.") {
		t.Fatalf("off: %s", got)
	}
	if got := h.ask(adm, general, "/digest", "off"); !strings.Contains(got, "no digest schedule to turn off") {
		t.Fatalf("off twice: %s", got)
	}
	h.at("2026-12-04T15:00:00Z")
	h.tick()
	h.settle()
	if n := len(h.digests(general)); n != 1 {
		t.Fatalf("%d digests after off", n)
	}
}

// TestDigestChartUploadedOnceInTheWindowOfDoubt drops the connection
// after Slack completed the upload: the retry finds the shared chart and
// uploads nothing again.
func TestDigestChartUploadedOnceInTheWindowOfDoubt(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	fs.FailNext("files.completeUploadExternal", 1, fakeslack.Fault{Drop: true, After: true})
	h.slash(adm, general, "/digest", "now")
	h.waitFor("the digest", func() bool { return len(h.digests(general)) == 1 && len(h.charts(general)) == 1 })
	h.settle()
	if n := len(h.charts(general)); n != 1 {
		t.Fatalf("%d charts shared, want 1", n)
	}
	if n := len(fs.Calls("files.completeUploadExternal")); n != 1 {
		t.Fatalf("%d completeUploadExternal calls, want 1: the retry must look first", n)
	}
	if n := len(fs.Calls("conversations.history")); n == 0 {
		t.Fatal("the retry never looked for the earlier upload")
	}
	h.checkChart(h.charts(general)[0])
}

func TestDigestBadInput(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	for _, tc := range []struct{ name, user, text, want string }{
		{"ErrUnknownWeekday", adm, "every funday 16:00", `"funday" is not a weekday`},
		{"ErrHour25", adm, "every fri 25:00", `"25:00" is not a time of day`},
		{"ErrUnknownZone", adm, "every fri 16:00 Mars/Olympus", `"Mars/Olympus" is not a time zone`},
		{"ErrTooManyArgs", adm, "every fri 16:00 UTC and more", "Write it like `/digest every fri 16:00 Europe/Berlin`"},
		{"ErrBadWeekdayInList", adm, "every mon,funday 16:00", `"funday" is not a weekday`},
		{"ErrEmptyEvery", adm, "every", "Write it like `/digest every fri 16:00 Europe/Berlin`"},
		{"ErrOversized", adm, strings.Repeat("every ", 700), "Write it like"},
		{"ErrUnknownSubcommand", adm, "monthly", "I don't know `/digest monthly`"},
		{"ErrNowWithArgs", adm, "now please", "`/digest now` takes nothing after it"},
		{"ErrUnauthorisedEvery", ann, "every fri 16:00", "Only alignbot's admins can change this channel's digest."},
		{"ErrUnauthorisedOff", ann, "off", "Only alignbot's admins can change this channel's digest."},
		{"ErrUnauthorisedNow", ann, "now", "Only alignbot's admins can change this channel's digest."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.ask(tc.user, general, "/digest", tc.text); !strings.Contains(got, tc.want) {
				t.Fatalf("reply %q, want %q", got, tc.want)
			}
		})
	}
	if got := h.ask(adm, general, "/digest", ""); !strings.Contains(got, "no weekly digest") {
		t.Fatalf("a refused command wrote a schedule: %s", got)
	}
	h.settle()
	if n := len(h.botMessages(general)); n != 0 {
		t.Fatalf("refused commands posted %d messages", n)
	}
	if got := h.ask(eve, general, "/digest", "help"); !strings.Contains(got, "`/digest every <weekdays> <HH:MM> [zone]`") || !strings.Contains(got, "`/digest preview`") {
		t.Fatalf("help:\n%s", got)
	}
}
