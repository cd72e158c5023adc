package main

import (
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// wantReply fails the test unless got holds every one of want and none of
// never.
func wantReply(t *testing.T, what, got string, want []string, never ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
	for _, n := range never {
		if strings.Contains(got, n) {
			t.Errorf("%s shows %q:\n%s", what, n, got)
		}
	}
}

// TestBlockerShow shows a blocker's card to the caller alone, says which
// channel it was reported in when asked from another, and keeps a private
// channel's blockers inside it.
func TestBlockerShow(t *testing.T) {
	_, h := newBlockerWorld(t)
	h.blocker(bob, general, "Waiting on <@U0EVE> for the DNS change")
	h.waitCards(general, 1)
	h.blocker(ann, secret, "Waiting on <@U0BOB> for the secret contract")
	h.waitCards(secret, 1)
	h.settle()
	posts := len(h.botMessages(general))

	for _, id := range []string{"B-1", "b1", "1"} {
		wantReply(t, "/blocker show "+id, h.askBlocker(ann, general, "show "+id),
			[]string{"Blocker B-1", "for the DNS change", "Reported by", "*Who must act:* <@U0EVE>", "Resolve"}, "Reported in")
	}
	wantReply(t, "show from #random", h.askBlocker(eve, random, "show B-1"), []string{"Reported in <#C0GENERAL>", "Blocker B-1"})
	wantReply(t, "show of a private blocker", h.askBlocker(ann, general, "show B-2"),
		[]string{"There is no blocker B-2 that you can see from this channel."}, "secret contract")
	for _, tc := range []struct{ text, want string }{
		{"show", "`/blocker show` takes one ID, e.g. `/blocker show B-7`."},
		{"show B-1 B-2", "`/blocker show` takes one ID, e.g. `/blocker show B-7`."},
		{"show banana", `"banana" is not an ID; write it like B-12 or 12.`},
		{"show B-0", `"B-0" is not an ID`},
		{"show B-99", "There is no blocker B-99."},
		{"show " + strings.Repeat("B", 4000), "is not an ID"},
		{"list 0", "`/blocker list` takes a number from 1 to 100"},
		{"list many", "To report a blocker that starts with “list”, use the form"},
	} {
		if got := h.askBlocker(ann, general, tc.text); !strings.Contains(got, tc.want) || len(got) > 500 {
			t.Errorf("/blocker %s: %q, want %q", clipTest(tc.text), got, tc.want)
		}
	}

	// close is resolve's name in the shared verbs, and list takes a count.
	h.blocker(ann, general, "Waiting on <@U0BOB> for the budget")
	h.waitCards(general, posts+1)
	wantReply(t, "/blocker list 1", h.askBlocker(ann, general, "list 1"),
		[]string{"B-1", "The 1 oldest of 2; `/blocker list` shows them all."}, "B-3")
	wantReply(t, "/blocker close", h.askBlocker(eve, general, "close B-1 DNS is live"), []string{"Resolved *B-1*"})
	if n := len(h.botMessages(general)); n != posts+1 {
		t.Fatalf("%d messages in #general, want %d: show and list post nothing", n, posts+1)
	}
}

// TestSessionShowAndPrefixes shows pre-mortems and retros by their own
// IDs, PM-n and R-n, and refuses to show or close one with the other's
// command, naming the right one.
func TestSessionShowAndPrefixes(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	pm := h.openSession(ann, general, "/premortem", "Checkout v2")
	if !strings.Contains(messageText(pm), "Pre-mortem PM-1: Checkout v2") {
		t.Fatalf("parent:\n%s", messageText(pm))
	}
	retro := h.openSession(ann, general, "/retro", "Q3 incident")
	h.openSession(ann, secret, "/premortem", "Secret launch")
	h.replyInThread(bob, pm, "Payments time out under load")
	h.replyInThread(eve, retro, "change: Load test before every launch")
	h.waitBotReplies(pm, 1)
	h.waitBotReplies(retro, 1)

	t.Run("Open", func(t *testing.T) {
		for _, id := range []string{"PM-1", "pm1", "R-1", "1"} { // how pre-mortems were shown before
			wantReply(t, "/premortem show "+id, h.askRitual(bob, general, "/premortem", "show "+id),
				[]string{"Pre-mortem PM-1: Checkout v2", "Opened by <@U0ANN>", "1 item so far; its summary comes when it closes."},
				"Payments time out", "Opened in")
		}
		wantReply(t, "/retro show R-2", h.askRitual(bob, general, "/retro", "show R-2"), []string{"Retro R-2: Q3 incident", "1 item so far"})
		wantReply(t, "show from #random", h.askRitual(bob, random, "/premortem", "show PM-1"), []string{"Opened in <#C0GENERAL>", "PM-1"})
	})
	t.Run("ErrOtherKind", func(t *testing.T) {
		for _, tc := range []struct{ command, text, want string }{
			{"/retro", "close PM-1", "PM-1 is a pre-mortem; close it with `/premortem close PM-1`."},
			{"/retro", "close R-1", "PM-1 is a pre-mortem; close it with `/premortem close PM-1`."},
			{"/retro", "close 1", "PM-1 is a pre-mortem; close it with `/premortem close PM-1`."},
			{"/retro", "show PM-1", "PM-1 is a pre-mortem; show it with `/premortem show PM-1`."},
			{"/premortem", "close R-2", "R-2 is a retro; close it with `/retro close R-2`."},
			{"/premortem", "close PM-2", "There is no pre-mortem PM-2 that you can see from this channel; R-2 is a retro."},
		} {
			if got := h.askRitual(ann, general, tc.command, tc.text); got != ":warning: "+tc.want+"\n" {
				t.Errorf("%s %s: %q, want %q", tc.command, tc.text, got, tc.want)
			}
		}
		wantReply(t, "/premortem list", h.askRitual(ann, general, "/premortem", "list"), []string{"*1 pre-mortem open in this channel*", "*PM-1* Checkout v2"})
		wantReply(t, "/retro list", h.askRitual(ann, general, "/retro", "list"), []string{"*1 retro open in this channel*", "*R-2* Q3 incident"})
	})
	t.Run("ErrNotVisibleOrMalformed", func(t *testing.T) {
		for _, tc := range []struct{ command, text, want string }{
			{"/premortem", "show PM-3", "There is no pre-mortem PM-3 that you can see from this channel."},
			{"/premortem", "close PM-3", "There is no pre-mortem PM-3 that you can see from this channel."},
			{"/retro", "show R-99", "There is no retro R-99 that you can see from this channel."},
			{"/retro", "show", "`/retro show` takes one ID, e.g. `/retro show R-4`. To name one that starts with “show”, put the name in quotes."},
			{"/premortem", "show PM-1 now", "`/premortem show` takes one ID, e.g. `/premortem show PM-4`."},
			{"/retro", "show banana", `"banana" is not a retro ID; write it like R-4 or 4.`},
			{"/retro", "show " + strings.Repeat("9", 4000), "is not a retro ID"},
			{"/retro", "list 500", "`/retro list` takes a number from 1 to 100"},
		} {
			got := h.askRitual(ann, general, tc.command, tc.text)
			if !strings.Contains(got, tc.want) || strings.Contains(got, "Secret") || len(got) > 500 {
				t.Errorf("%s %s: %q, want %q", tc.command, clipTest(tc.text), got, tc.want)
			}
		}
	})
	t.Run("ClosedShowsItsSummary", func(t *testing.T) {
		if got := h.askRitual(ann, general, "/retro", "close R-2"); !strings.Contains(got, "Closed *R-2*") {
			t.Fatalf("close:\n%s", got)
		}
		h.waitBotReplies(retro, 2)
		wantReply(t, "/retro show R-2", h.askRitual(eve, general, "/retro", "show R-2"),
			[]string{"Retro R-2: Q3 incident", "closed", "by <@U0ANN>", "*What we will change: action items*", "Load test before every launch", "Assign owner"})
		if got := h.askRitual(ann, general, "/premortem", "close PM-1"); !strings.Contains(got, "Closed *PM-1*") {
			t.Fatalf("close:\n%s", got)
		}
		h.waitBotReplies(pm, 2)
		wantReply(t, "/premortem show PM-1", h.askRitual(bob, general, "/premortem", "show PM-1"),
			[]string{"Pre-mortem PM-1: Checkout v2", "ranked by votes", "Payments time out under load", "Make blocker"})
	})
	if out := h.exportRituals(); len(out) != 3 || out[0]["id"] != "PM-1" || out[1]["id"] != "R-2" || out[2]["id"] != "PM-3" {
		t.Fatalf("exported IDs %v %v %v", out[0]["id"], out[1]["id"], out[2]["id"])
	}
}

// TestPulseShow shows a pulse: while open, who sent it and how many have
// answered; once closed, its results as its anonymity allows.
func TestPulseShow(t *testing.T) {
	fs, h, _ := pulseWorld(t)
	priv := "G0PRIV"
	fs.AddChannel(fakeslack.Channel{ID: priv, Name: "priv", Private: true, Members: []string{fs.BotUserID(), ann, "U0ENG01", "U0ENG02", "U0ENG03"}})
	h.sendPulse(ann, team, "", pulseValues("Do you know who decides the things that affect your work this week?",
		"kind", fakeslack.StaticValue("yesno"), "threshold", fakeslack.TextValue("3")))
	h.waitPrompt(bob, "P-1")

	wantReply(t, "show while open", h.pulseReply(bob, team, "show P-1"),
		[]string{"*P-1* · open until", "0 of 10 answered", "Sent by <@U0ANN>", "Its results are shown when it closes"}, "Sent from")
	h.answer(bob, "P-1", 0, "*Yes*")
	h.answer("U0ENG01", "P-1", 0, "*Yes*")
	h.answer("U0ENG02", "P-1", 1, "*No*")
	h.pulseReply(ann, team, "close P-1")
	h.results(team, 1)
	wantReply(t, "show once closed", h.pulseReply(bob, team, "show P-1"), []string{"Pulse results: P-1", "67% · Yes (2)"}, "U0ENG0")
	wantReply(t, "show from #general", h.pulseReply(ann, general, "show 1"), []string{"Sent from <#C0TEAM>", "Pulse results: P-1"})

	h.sendPulse(ann, priv, "", pulseValues("Secret question?", "threshold", fakeslack.TextValue("3")))
	h.waitPrompt("U0ENG01", "P-2")
	for _, tc := range []struct{ text, want string }{
		{"show P-2", "There is no pulse P-2 that you can see from this channel."},
		{"show", "`/pulse show` takes one ID, e.g. `/pulse show P-3`."},
		{"show P-1 now", "`/pulse show` takes one ID"},
		{"show banana", `"banana" is not an ID; write it like P-12 or 12.`},
		{"show P-99", "There is no pulse P-99."},
		{"show " + strings.Repeat("x", 4000), "is not an ID"},
	} {
		if got := h.pulseReply(bob, team, tc.text); !strings.Contains(got, tc.want) || strings.Contains(got, "Secret") || len(got) > 500 {
			t.Errorf("/pulse %s: %q, want %q", clipTest(tc.text), got, tc.want)
		}
	}
}

// TestDigestEveryOnSeveralWeekdays schedules the digest as /checkin every
// takes its days: it comes out on each of them, once, and on no other.
func TestDigestEveryOnSeveralWeekdays(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // Tue 24 Nov 23:30 UTC
	h.clock.Freeze()
	if got := h.ask(ann, general, "/digest", "every mon,thu 16:00"); !strings.Contains(got, "Only alignbot's admins can change this channel's digest.") {
		t.Fatalf("by a member: %s", got)
	}
	if got := h.ask(adm, general, "/digest", "every mon,,thu 16:00"); !strings.Contains(got, `"" is not a weekday.`) {
		t.Fatalf("an empty weekday: %s", got)
	}
	want := "every Monday, Thursday at 16:00 (UTC); the next one Thu 26 Nov 16:00 (UTC)"
	if got := h.ask(adm, general, "/digest", "every thu,mon 16:00 UTC"); !strings.Contains(got, "The digest here now comes out "+want+".") {
		t.Fatalf("confirmation: %s", got)
	}
	if got := h.ask(eve, general, "/digest", ""); !strings.Contains(got, "This channel's digest comes out "+want+".") {
		t.Fatalf("status: %s", got)
	}
	var days []string
	for day := at("2026-11-25T15:59:00Z"); day.Before(at("2026-12-04T00:00:00Z")); day = day.AddDate(0, 0, 1) {
		for _, tick := range []time.Time{day, day.Add(time.Minute), day.Add(2 * time.Hour)} {
			before := len(h.digests(general))
			h.settle()
			h.clock.Set(tick)
			h.tick()
			h.tick()
			h.settle()
			if n := len(h.digests(general)); n > before {
				days = append(days, tick.Format("Mon 2 Jan 15:04"))
			}
		}
	}
	if got, want := strings.Join(days, "; "), "Thu 26 Nov 16:00; Mon 30 Nov 16:00; Thu 3 Dec 16:00"; got != want {
		t.Fatalf("digests came out %q, want %q", got, want)
	}
	if text := messageText(h.digests(general)[1]); !strings.Contains(text, "Mon 23 Nov 16:00 – Mon 30 Nov 16:00 (UTC)") {
		t.Fatalf("Monday's digest:\n%s", text)
	}
}

// TestRolesAndRightsTakePeopleAlike names people and user groups the same
// ways in /pulse roles and /decide rights, commas and labels included:
// both take them, and both refuse a plain name with the same sentence.
func TestRolesAndRightsTakePeopleAlike(t *testing.T) {
	_, h, _ := pulseWorld(t)
	if got := h.pulseReply(adm, team, "roles <@U0ANN|ann>, <!subteam^S0PM|@pm>,<@U0BOB> = product"); !strings.Contains(got,
		"<@U0ANN> <!subteam^S0PM> <@U0BOB> = *product*") {
		t.Fatalf("/pulse roles: %q", got)
	}
	if got := h.ask(adm, team, "/decide", "rights api accountable <@U0ANN|ann> consulted <@U0BOB>, <!subteam^S0PM|@pm>,<@U0ENG01>"); !strings.Contains(got,
		"Published: *api* — owner <@U0ANN>, consulted <@U0BOB> @pm <@U0ENG01>") {
		t.Fatalf("/decide rights: %q", got)
	}
	for _, tc := range []struct{ command, text, want string }{
		{"/pulse", "roles bob = product", "“bob” cannot be given a role: that takes people or user groups, as mentions like @ann or @platform-team."},
		{"/decide", "rights api accountable <@U0ANN> consulted bob", "“bob” cannot be consulted: that takes people or user groups, as mentions like @ann or @platform-team."},
		{"/pulse", "roles <#C0TEAM|team> = product", "“<#C0TEAM|team>” cannot be given a role: that takes people or user groups"},
		{"/decide", "rights api accountable <@U0ANN> consulted <#C0TEAM|team>", "“<#C0TEAM|team>” cannot be consulted: that takes people or user groups"},
		{"/pulse", "roles " + strings.Repeat("<@U0ANN>", 500) + " = product", "cannot be given a role"},
		{"/pulse", "roles <@U0ANN> = product", "Only alignbot's admins"},
	} {
		user := adm
		if strings.Contains(tc.want, "admins") {
			user = bob
		}
		if got := h.ask(user, team, tc.command, tc.text); !strings.Contains(got, tc.want) || len(got) > 600 {
			t.Errorf("%s %s: %q, want %q", tc.command, clipTest(tc.text), got, tc.want)
		}
	}
}

// TestDurationsReadAndWrittenOneWay sets durations as people type them and
// checks the replies write them as every reply does: 168h reads back 7d.
func TestDurationsReadAndWrittenOneWay(t *testing.T) {
	_, h := newBlockerWorld(t)
	if got := h.askBlocker(adm, general, "sla 168h"); !strings.Contains(got, "open for 7d.") || strings.Contains(got, "168h") {
		t.Fatalf("/blocker sla 168h: %q", got)
	}
	if got := h.askBlocker(adm, general, "sla"); !strings.Contains(got, "open for 7d (this channel's own)") {
		t.Fatalf("/blocker sla: %q", got)
	}
	if got := h.askBlocker(adm, general, "sla 36h"); !strings.Contains(got, "open for 1d 12h.") {
		t.Fatalf("/blocker sla 36h: %q", got)
	}
	if got := h.ask(adm, general, "/checkin", "window 48h"); !strings.Contains(got, "2d") || strings.Contains(got, "48h") {
		t.Fatalf("/checkin window 48h: %q", got)
	}
	if got := h.ask(adm, general, "/digest", "sla review 1440m"); !strings.Contains(got, "within 1d;") {
		t.Fatalf("/digest sla review 1440m: %q", got)
	}
}
