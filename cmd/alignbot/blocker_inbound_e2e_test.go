package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// The inbound tests' world, on top of the blocker world: #payments raises
// blockers; #sre claims the @sre group (Eve) as its team; #data claims
// Dan, a person; #random has nothing to do with any of it.
const (
	payments, sre, data = "C0PAY", "C0SRE", "C0DATA"
	sreGroup            = "S0SRE"
)

func newInboundWorld(t *testing.T) (*fakeslack.Server, *harness) {
	t.Helper()
	fs := newWorld(t)
	fs.AddUser(fakeslack.User{ID: dan, Name: "dan", RealName: "Dan Fox", TZ: "Asia/Tokyo"})
	bot := fs.BotUserID()
	fs.AddChannel(fakeslack.Channel{ID: platform, Name: "platform", Members: []string{bob, bot}})
	fs.AddChannel(fakeslack.Channel{ID: payments, Name: "payments", Members: []string{ann, adm, bot}})
	fs.AddChannel(fakeslack.Channel{ID: sre, Name: "sre", Members: []string{eve, adm, bot}})
	fs.AddChannel(fakeslack.Channel{ID: data, Name: "data", Members: []string{dan, adm, bot}})
	fs.AddUserGroup(sreGroup, "sre", eve)
	fs.AddUserGroup(platformGroup, "platform", bob)
	h := startBotAnyTime(t, fs) // escalation levels, not working time
	if got := h.askBlocker(adm, sre, "team <!subteam^S0SRE|@sre>"); !strings.Contains(got, "Done: blockers other channels raise that name <!subteam^S0SRE|@sre> now show here") {
		t.Fatalf("claim @sre:\n%s", got)
	}
	if got := h.askBlocker(adm, data, "team <@U0DAN>"); !strings.Contains(got, "Done: blockers other channels raise that name <@U0DAN> now show here") {
		t.Fatalf("claim Dan:\n%s", got)
	}
	return fs, h
}

// raiseInbound reports, from #payments, B-1 against #platform, @sre and
// Dan, and from the private #secret, B-2 against #platform.
func (h *harness) raiseInbound() {
	h.t.Helper()
	h.blocker(ann, payments, "Need a DB migration window from <#C0PLATFORM|platform>, on-call cover from <!subteam^S0SRE|@sre> and the export from <@U0DAN>")
	h.waitCards(payments, 1)
	h.blocker(ann, secret, "Vendor contract renewal needs <#C0PLATFORM|platform>")
	h.waitCards(secret, 1)
	h.settle()
}

func TestBlockerInboundList(t *testing.T) {
	_, h := newInboundWorld(t)
	h.raiseInbound()

	for _, ch := range []string{platform, sre, data} {
		got := h.askBlocker(adm, ch, "list")
		if !strings.Contains(got, "Waiting on this team") || !strings.Contains(got, "*B-1* · from <#C0PAY> · open") ||
			!strings.Contains(got, "within its 3d SLA") || !strings.Contains(got, "Need a DB migration window") {
			t.Fatalf("%s's list lacks B-1 from #payments:\n%s", ch, got)
		}
		if strings.Contains(got, "Vendor contract") {
			t.Fatalf("%s's list leaks the private blocker's text:\n%s", ch, got)
		}
	}
	got := h.askBlocker(bob, platform, "list")
	if !strings.Contains(got, "*B-2* · from a private channel · open") || strings.Contains(got, secret) {
		t.Fatalf("#platform's list shows the private B-2 other than by ID:\n%s", got)
	}
	if !strings.Contains(got, "No open blockers in this channel") {
		t.Fatalf("#platform's own blockers:\n%s", got)
	}
	for _, ch := range []string{payments, random} {
		if got := h.askBlocker(adm, ch, "list"); strings.Contains(got, "Waiting on this team") {
			t.Fatalf("%s lists blockers waiting on it:\n%s", ch, got)
		}
	}
	if got := h.askBlocker(ann, payments, "list"); !strings.Contains(got, "1 blocker open in this channel") {
		t.Fatalf("#payments' own list:\n%s", got)
	}

	t.Run("TeamShownAndRemoved", func(t *testing.T) {
		if got := h.askBlocker(eve, sre, "team"); !strings.Contains(got, "This channel's team: <!subteam^S0SRE|@sre>") {
			t.Fatalf("team:\n%s", got)
		}
		if got := h.askBlocker(adm, sre, "team remove <!subteam^S0SRE|@sre>"); !strings.Contains(got, "Done: blockers that name <!subteam^S0SRE|@sre> no longer show here") {
			t.Fatalf("remove:\n%s", got)
		}
		if got := h.askBlocker(adm, sre, "list"); strings.Contains(got, "Waiting on this team") {
			t.Fatalf("#sre still lists B-1 after giving up @sre:\n%s", got)
		}
		if got := h.askBlocker(adm, sre, "team"); !strings.Contains(got, "This channel has claimed no user group or people") {
			t.Fatalf("team after removing:\n%s", got)
		}
	})
}

// TestBlockerTeamRefusals shows each bad /blocker team and escalate-to
// refused with a sentence, and nothing written.
func TestBlockerTeamRefusals(t *testing.T) {
	_, h := newInboundWorld(t)
	for _, tc := range []struct{ user, channel, text, want string }{
		{eve, sre, "team <!subteam^S0PLAT|@platform>", "Only alignbot's admins can change this channel's team."},
		{adm, sre, "team <!subteam^S0NOPE|@nope>", "There is no user group S0NOPE in this workspace."},
		{adm, sre, "team <#C0PLATFORM|platform>", "is a channel: a blocker that names it shows there already"},
		{adm, sre, "team platform", "`/blocker team` takes user groups or people as mentions"},
		{adm, sre, "team remove <@U0BOB>", "This channel has not claimed <@U0BOB>"},
		{adm, sre, "team <@U0NOPE>", "There is no person <@U0NOPE> in this workspace."},
		{eve, sre, "escalate-to <@U0ADM>", "Only alignbot's admins can change where this channel's blockers escalate."},
		{adm, sre, "escalate-to <#G0NOBOT|>", "I can't post in <#G0NOBOT>"},
		{adm, sre, "escalate-to <#C0SRE|sre>", "That is this channel"},
		{adm, sre, "escalate-to <!subteam^S0PLAT|@platform>", "Escalate to one person or one channel"},
		{adm, sre, "escalate-to <@U0BOB> <@U0EVE>", "takes one person or one channel"},
	} {
		if got := h.askBlocker(tc.user, tc.channel, tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("/blocker %s:\n%s\nwant %q", tc.text, got, tc.want)
		}
	}
	if got := h.askBlocker(eve, sre, "team"); !strings.Contains(got, "This channel's team: <!subteam^S0SRE|@sre>.") {
		t.Fatalf("a refusal changed the team:\n%s", got)
	}
	if got := h.askBlocker(eve, sre, "escalate-to"); !strings.Contains(got, "This channel has no escalation target") {
		t.Fatalf("a refusal set a target:\n%s", got)
	}
	if n := len(h.botMessages(sre)); n != 0 {
		t.Fatalf("refusals posted %d messages in #sre", n)
	}
}

// TestBlockerEscalationClimbs drives escalation through both levels under
// the fake clock: past #payments' 1d SLA to the parties and reporter, past
// twice it to its target, Ada, each exactly once; never again after.
func TestBlockerEscalationClimbs(t *testing.T) {
	fs, h := newInboundWorld(t)
	h.askBlocker(adm, payments, "sla 24h")
	if got := h.askBlocker(adm, payments, "escalate-to <@U0ADM>"); !strings.Contains(got, "Done: a blocker here still open after 2d, twice this channel's SLA, now goes to <@U0ADM> too, once.") {
		t.Fatalf("escalate-to:\n%s", got)
	}
	if got := h.askBlocker(ann, payments, "escalate-to"); !strings.Contains(got, "open for 2d, it goes to <@U0ADM> too") {
		t.Fatalf("escalate-to shown:\n%s", got)
	}
	h.blocker(ann, payments, "Need a DB migration window from <@U0BOB>")
	card := h.waitCards(payments, 1)[0]
	h.settle()
	before := map[string]int{ann: len(fs.DMs(ann)), bob: len(fs.DMs(bob)), adm: len(fs.DMs(adm))}
	delta := func(user string) int { return len(fs.DMs(user)) - before[user] }

	h.clock.Advance(24*time.Hour - time.Minute)
	h.tickAndSettle()
	if delta(ann)+delta(bob)+delta(adm) != 0 {
		t.Fatal("escalated before the SLA passed")
	}
	h.clock.Advance(time.Minute)
	h.tickAndSettle()
	h.tickAndSettle()
	if delta(ann) != 1 || delta(bob) != 1 || delta(adm) != 0 {
		t.Fatalf("first level: ann %d, bob %d, ada %d DMs; want 1, 1, 0", delta(ann), delta(bob), delta(adm))
	}
	h.clock.Advance(24*time.Hour - time.Minute)
	h.tickAndSettle()
	if delta(adm) != 0 {
		t.Fatal("climbed to the target before twice the SLA")
	}
	h.clock.Advance(time.Minute)
	h.tickAndSettle()
	h.tickAndSettle()
	if delta(ann) != 1 || delta(bob) != 1 || delta(adm) != 1 {
		t.Fatalf("second level: ann %d, bob %d, ada %d DMs; want 1, 1, 1", delta(ann), delta(bob), delta(adm))
	}
	dms := fs.DMs(adm)
	if got := messageText(dms[len(dms)-1]); !strings.Contains(got, "more than twice that channel's SLA of 1d") ||
		!strings.Contains(got, "<#C0PAY> escalates such blockers to you") || !strings.Contains(got, cardLink(card)) {
		t.Fatalf("Ada's escalation:\n%s", got)
	}
	got := messageText(h.botMessages(payments)[0])
	if !strings.Contains(got, ":rotating_light: *Escalated*") || !strings.Contains(got, ":rotating_light: *Escalated to <@U0ADM>*") {
		t.Fatalf("card:\n%s", got)
	}
	if n := updatesOf(fs, card.TS); n != 2 {
		t.Fatalf("%d card updates, want 2: one a level", n)
	}
	if got := h.askBlocker(ann, payments, "list"); !strings.Contains(got, ":rotating_light: escalated to <@U0ADM>") {
		t.Fatalf("list:\n%s", got)
	}
	if got := h.askDigest(ann, payments); !strings.Contains(got, ":rotating_light: *escalated* to <@U0ADM>") {
		t.Fatalf("digest:\n%s", got)
	}
	if got := h.askBlocker(bob, platform, "list"); strings.Contains(got, "Waiting on this team") {
		t.Fatalf("#platform lists a blocker that names Bob, not #platform:\n%s", got)
	}
	if got := h.openHome(ann); !strings.Contains(got, ":rotating_light: escalated to <@U0ADM>") {
		t.Fatalf("Ann's Home:\n%s", got)
	}
	if bs := h.exportBlockers(); bs[0]["escalated_to"] != adm || bs[0]["escalated_to_target_at"] == nil {
		t.Fatalf("export %v", bs[0])
	}
	h.clock.Advance(7 * 24 * time.Hour)
	h.tickAndSettle()
	h.tickAndSettle()
	if delta(ann) != 1 || delta(bob) != 1 || delta(adm) != 1 || updatesOf(fs, card.TS) != 2 {
		t.Fatal("a level fired again")
	}
	if got := h.askBlocker(adm, payments, "escalate-to none"); !strings.Contains(got, "and no further") {
		t.Fatalf("escalate-to none:\n%s", got)
	}

	t.Run("ToAChannel", func(t *testing.T) {
		if got := h.askBlocker(adm, payments, "escalate-to <#C0SRE|sre>"); !strings.Contains(got, "now goes to <#C0SRE> too, once") {
			t.Fatalf("escalate-to #sre:\n%s", got)
		}
		h.askBlocker(ann, payments, "Need the fraud rules reviewed by <@U0BOB>") // B-2
		before := len(h.botMessages(sre))
		h.clock.Advance(48*time.Hour + time.Minute)
		h.tickAndSettle()
		h.tickAndSettle()
		posts := h.botMessages(sre)
		if len(posts) != before+1 || !strings.Contains(messageText(posts[before]), "<#C0PAY> escalates such blockers to this channel") ||
			!strings.Contains(messageText(posts[before]), "Need the fraud rules reviewed") {
			t.Fatalf("#sre got %d posts, want the escalation of B-2", len(posts)-before)
		}
	})
}

// answerCheckin presses Answer on channel's open check-in as user,
// submits values and returns the ack's payload (nil: the form closed).
func (h *harness) answerCheckin(user, channel string, values map[string]map[string]any) map[string]any {
	h.t.Helper()
	p := h.checkinPrompts(channel)[0]
	var value string
	for _, b := range p.Blocks {
		if b["type"] == "actions" {
			value = b["elements"].([]any)[0].(map[string]any)["value"].(string)
		}
	}
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, Channel: channel, MessageTS: p.TS, ActionID: "checkin.answer", Value: value}); err != nil {
		h.t.Fatal(err)
	}
	v := h.waitView(user, "the answer form")
	return h.submitView(user, v.ID, values)
}

// TestBlockerInboundCheckin shows the blockers other teams need in each
// acting channel's check-in agenda, apart from its own, and nowhere else;
// and a check-in's blocker lines naming their own parties.
func TestBlockerInboundCheckin(t *testing.T) {
	_, h := newInboundWorld(t)
	h.raiseInbound()
	h.blocker(bob, platform, "Platform's own: waiting on <@U0EVE> for the certificate")
	h.waitCards(platform, 1)
	h.clock.Advance(4 * 24 * time.Hour) // B-1 and B-2 past their 3d SLA
	h.tickAndSettle()

	for _, ch := range []string{platform, sre, data, payments, random} {
		h.slash(adm, ch, "/checkin", "now")
		h.waitFor("the check-in in "+ch, func() bool { return len(h.checkinPrompts(ch)) == 1 })
	}
	for _, ch := range []string{platform, sre, data} {
		got := messageText(h.checkinPrompts(ch)[0])
		if !strings.Contains(got, "_Blockers other teams need from you_\n• *B-1* · from <#C0PAY> · open 4d · :rotating_light: past its 3d SLA, escalated · Need a DB migration window") {
			t.Fatalf("%s's agenda lacks B-1:\n%s", ch, got)
		}
		if strings.Contains(got, "Vendor contract") {
			t.Fatalf("%s's agenda leaks the private blocker:\n%s", ch, got)
		}
	}
	got := messageText(h.checkinPrompts(platform)[0])
	if !strings.Contains(got, "*B-2* · from a private channel · open 4d") || strings.Contains(got, secret) {
		t.Fatalf("#platform's agenda shows the private B-2 other than by ID:\n%s", got)
	}
	if own := strings.Index(got, "*B-3* Platform's own"); own < 0 || own > strings.Index(got, "Blockers other teams need from you") {
		t.Fatalf("#platform's own blocker is not listed first, apart:\n%s", got)
	}
	for _, ch := range []string{payments, random} {
		if got := messageText(h.checkinPrompts(ch)[0]); strings.Contains(got, "other teams need from you") {
			t.Fatalf("%s's agenda lists inbound blockers:\n%s", ch, got)
		}
	}

	t.Run("LinesNamingWhomNobodyCanTellAreRefused", func(t *testing.T) {
		for line, want := range map[string]string{
			"Need a slot from <!subteam^S0NOPE|@nope>": "There is no user group S0NOPE in this workspace.",
			"Need keys from <#G0NOBOT|>":               "I can't post in <#G0NOBOT>, which a blocker line names.",
		} {
			payload := h.answerCheckin(ann, payments, map[string]map[string]any{
				"outcomes": {"value": fakeslack.TextValue("Shipped refunds.")},
				"blockers": {"value": fakeslack.TextValue(line)},
			})
			if msg := viewFieldError(t, payload, "blockers"); !strings.Contains(msg, want) {
				t.Errorf("%q: error %q, want %q", line, msg, want)
			}
		}
	})
	t.Run("LinesNameTheirOwnParties", func(t *testing.T) {
		if payload := h.answerCheckin(ann, payments, map[string]map[string]any{
			"outcomes":        {"value": fakeslack.TextValue("Shipped refunds.")},
			"blockers":        {"value": fakeslack.TextValue("Need a load test slot from <!subteam^S0SRE|@sre>\nNeed the ledger schema from <#C0DATA|data>\nCard network certification")},
			"blocker_parties": {"value": fakeslack.MultiUsersValue(bob)},
		}); payload != nil {
			t.Fatalf("answer refused: %v", payload)
		}
		h.slash(adm, payments, "/checkin", "close")
		h.waitFor("the close", func() bool { return len(h.exportBlockers()) == 6 })
		h.settle()
		who := map[string]string{}
		for _, b := range h.exportBlockers()[3:] {
			who[b["text"].(string)] = fmt.Sprint(b["parties"])
		}
		for text, want := range map[string]string{
			"Need a load test slot from <!subteam^S0SRE|@sre>": "S0SRE",
			"Need the ledger schema from <#C0DATA|data>":       "C0DATA",
			"Card network certification":                       "U0BOB",
		} {
			if !strings.Contains(who[text], want) || (want != "U0BOB" && strings.Contains(who[text], "U0BOB")) {
				t.Errorf("%q names %s, want only %s", text, who[text], want)
			}
		}
		if got := h.askBlocker(eve, sre, "list"); !strings.Contains(got, "Need a load test slot") {
			t.Fatalf("#sre does not list the check-in's line naming @sre:\n%s", got)
		}
		if got := h.askBlocker(dan, data, "list"); !strings.Contains(got, "Need the ledger schema") || strings.Contains(got, "load test") {
			t.Fatalf("#data's list:\n%s", got)
		}
	})
}

// TestBlockerInboundDigest shows each acting channel's digest counting
// the blockers other teams need from it apart from its own, a private
// one without its text, and no such count where none is needed.
func TestBlockerInboundDigest(t *testing.T) {
	_, h := newInboundWorld(t)
	h.raiseInbound()
	h.clock.Advance(2 * 24 * time.Hour)
	if got := h.askBlocker(dan, payments, "resolve B-1 Window booked"); !strings.Contains(got, "Resolved *B-1*") {
		t.Fatalf("resolve:\n%s", got)
	}
	h.askBlocker(bob, platform, "Platform's own: waiting on <@U0EVE> for the certificate")

	got := h.askDigest(bob, platform)
	for _, want := range []string{"*Blockers this week*", "• raised here: 1 opened, 0 resolved, 1 still open",
		"• other teams need from you: 2 opened, 1 resolved, 1 still open, the oldest for 2d",
		"*Blockers other teams need from you, still open* (1)\n• *B-2* · from a private channel · open 2d · within its 3d SLA ("} {
		if !strings.Contains(got, want) {
			t.Fatalf("#platform's digest lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Vendor contract") {
		t.Fatalf("#platform's digest leaks the private blocker:\n%s", got)
	}
	for _, ch := range []string{sre, data} {
		if got := h.askDigest(adm, ch); !strings.Contains(got, "• other teams need from you: 1 opened, 1 resolved, 0 still open") {
			t.Fatalf("%s's digest:\n%s", ch, got)
		}
	}
	for _, ch := range []string{payments, random} {
		if got := h.askDigest(adm, ch); strings.Contains(got, "other teams need") {
			t.Fatalf("%s's digest counts blockers others need from it:\n%s", ch, got)
		}
	}
}

// askDigest returns user's /digest preview of channel, once earlier
// replies have arrived.
func (h *harness) askDigest(user, channel string) string {
	h.t.Helper()
	h.settle()
	return h.ask(user, channel, "/digest", "preview")
}
