package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/rituals"
)

// publishes counts the App Home publishes Slack accepted for user.
func (h *harness) publishes(user string) int {
	n := 0
	for _, c := range h.fs.Calls("views.publish") {
		if c.OK && c.Params["user_id"] == user {
			n++
		}
	}
	return n
}

// openHome opens user's Home tab, as Slack's client does, and returns the
// text of the Home published in answer.
func (h *harness) openHome(user string) string {
	h.t.Helper()
	before := h.publishes(user)
	if _, err := h.fs.OpenHome(context.Background(), user); err != nil {
		h.t.Fatal(err)
	}
	h.waitFor(user+"'s App Home", func() bool { return h.publishes(user) > before })
	return h.homeText(user)
}

// homeText is user's published Home, blocks flattened.
func (h *harness) homeText(user string) string {
	v, _ := h.fs.Home(user)
	return blocksText(v.Blocks)
}

// waitHome waits until user's published Home has every one of want, and
// none of unwanted, and returns its text.
func (h *harness) waitHome(user string, want []string, unwanted ...string) string {
	h.t.Helper()
	ok := func(text string) bool {
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		for _, u := range unwanted {
			if strings.Contains(text, u) {
				return false
			}
		}
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.fs.WaitFor(ctx, func() bool { return ok(h.homeText(user)) }); err != nil {
		h.t.Fatalf("%s's Home never showed %q without %q:\n%s\nlogs:\n%s", user, want, unwanted, h.homeText(user), h.logs.String())
	}
	return h.homeText(user)
}

// pressHome clicks a button of user's Home.
func (h *harness) pressHome(user, actionID string) {
	h.t.Helper()
	v, ok := h.fs.Home(user)
	if !ok {
		h.t.Fatalf("%s has no Home", user)
	}
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, ViewID: v.ID, ActionID: actionID}); err != nil {
		h.t.Fatal(err)
	}
}

func conversation(id string) map[string]any {
	return map[string]any{"type": "conversations_select", "selected_conversation": id}
}

func TestHomePublishedWhenOpened(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	text := h.openHome(eve)
	for _, want := range []string{"Your alignment board", "Record decision", "Report blocker", "Nothing waiting for you",
		"Latest decisions in your channels", "None yet"} {
		if !strings.Contains(text, want) {
			t.Errorf("Eve's Home lacks %q:\n%s", want, text)
		}
	}
	if v, _ := fs.Home(eve); v.CallbackID != "home" || v.Type != "home" {
		t.Fatalf("home view %+v", v)
	}

	t.Run("EachOpenPublishesAgain", func(t *testing.T) {
		before := h.publishes(eve)
		h.openHome(eve)
		if got := h.publishes(eve); got != before+1 {
			t.Fatalf("%d publishes after opening again, want %d", got, before+1)
		}
	})
	t.Run("MessagesTabPublishesNothing", func(t *testing.T) {
		before := len(fs.Calls("views.publish"))
		if _, err := fs.Event(context.Background(), map[string]any{"type": "app_home_opened", "user": ann, "tab": "messages",
			"channel": fs.DMChannel(ann)}); err != nil {
			t.Fatal(err)
		}
		h.settle()
		if got := len(fs.Calls("views.publish")); got != before {
			t.Fatalf("%d publishes for the Messages tab", got-before)
		}
	})
	t.Run("RedeliveredEventPublishesOnce", func(t *testing.T) {
		before := h.publishes(adm)
		ack, err := fs.OpenHome(context.Background(), adm)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fs.Resend(context.Background(), ack.EnvelopeID); err != nil {
			t.Fatal(err)
		}
		h.waitFor("Ada's Home", func() bool { return h.publishes(adm) > before })
		h.settle()
		if got := h.publishes(adm) - before; got != 1 {
			t.Fatalf("%d publishes for one event delivered twice", got)
		}
	})
}

func TestHomeShowsEveryKind(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // 18:30 in New York: Bob's working hours
	ctx := context.Background()

	proposeDecision(t, h, "Pick a message queue", bob, "2026-11-26") // D-1
	h.decide(ann, general, "Adopt semver for public APIs")           // D-2
	h.decide(ann, random, "Move the standup to 10:00")               // D-3
	h.waitCards(random, 1)
	h.askBlocker(ann, general, "Waiting on <@U0BOB> for the schema review") // B-1
	h.askBlocker(bob, general, "Need API keys from <@U0EVE>")               // B-2
	h.slash(adm, general, "/checkin", "now")
	h.waitFor("the check-in", func() bool { return len(h.checkinPrompts(general)) == 1 })
	h.sendPulse(ann, general, "", pulseValues("Ship on Friday?", "kind", fakeslack.StaticValue("yesno"),
		"audience", fakeslack.StaticValue("people"), "people", fakeslack.MultiUsersValue(bob, eve),
		"anonymous", fakeslack.CheckboxesValue())) // P-1
	h.waitPrompt(bob, "P-1")

	// Three reminders reach Bob this week; the fourth, about D-1, is folded.
	var msgs []rituals.Outgoing
	for i := 1; i <= 3; i++ {
		data, _ := json.Marshal(rituals.NoticeData{Text: fmt.Sprintf("Reminder %d", i)})
		msgs = append(msgs, rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindNotice, Channel: bob, User: bob, Data: data, Reminder: true})
	}
	data, _ := json.Marshal(rituals.ReminderData{Kind: rituals.ReminderDue})
	msgs = append(msgs, rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindDecisionReminder, Channel: bob, User: bob, Ref: 1,
		Data: data, Reminder: true})
	if err := h.main.DB.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
		t.Fatal(err)
	}
	h.main.Sender.Notify()
	h.waitFor("the fourth reminder folded", func() bool { return strings.Contains(h.logs.String(), "outbox item folded") })
	h.settle()

	text := h.openHome(bob)
	for _, want := range []string{
		"*Decisions you own, still proposed* (1)", "*D-1* · Pick a message queue · <#C0GENERAL> · decide by 2026-11-26",
		"*Blockers you reported or must act on* (2)", "*B-1* · Waiting on <@U0BOB> for the schema review · <#C0GENERAL> · open 0m · needs you",
		"*B-2* · Need API keys from <@U0EVE> · <#C0GENERAL> · open 0m · you reported it",
		"*Check-ins waiting for your answer* (1)", "Weekly check-in in <#C0GENERAL> · closes",
		"*Pulses waiting for your answer* (1)", "*P-1* · “Ship on Friday?”",
		"*Reminders held back this week* (1)", ":bell: *D-1* “Pick a message queue”: to be decided (decide by 2026-11-26)",
		"*Latest decisions in your channels* (3)", "Move the standup to 10:00", "Adopt semver for public APIs",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Bob's Home lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("Bob's Home:\n%s", text)
	}
	if strings.Contains(text, "Nothing waiting") {
		t.Fatal("a busy Home says nothing waits")
	}
}

func TestHomePrivateChannelMemberAndNonMember(t *testing.T) {
	fs := newWorld(t) // #secret holds Ann and the bot
	h := startBot(t, fs)
	h.decide(ann, secret, "Acquire Initech") // D-1
	h.waitCards(secret, 1)
	h.decide(ann, general, "Publish the roadmap") // D-2
	h.waitCards(general, 1)
	h.blocker(ann, secret, "Waiting on <@U0BOB> to sign the Initech term sheet") // B-1
	h.waitCards(secret, 2)
	h.settle()

	annText := h.openHome(ann)
	for _, want := range []string{"Acquire Initech", "Publish the roadmap", "Initech term sheet", "you reported it"} {
		if !strings.Contains(annText, want) {
			t.Errorf("Ann, in #secret, does not see %q:\n%s", want, annText)
		}
	}
	bobText := h.openHome(bob)
	if !strings.Contains(bobText, "Publish the roadmap") || !strings.Contains(bobText, "*B-1* · _in <#G0SECRET>, which you are not in_ · open 0m · needs you") {
		t.Errorf("Bob's Home lacks the public decision or the blocker naming him:\n%s", bobText)
	}
	for _, secretText := range []string{"Acquire Initech", "Initech", "*D-1*"} {
		if strings.Contains(bobText, secretText) {
			t.Errorf("Bob, not in #secret, sees %q:\n%s", secretText, bobText)
		}
	}

	t.Run("LeavingTheChannelHidesItAtOnce", func(t *testing.T) {
		fs.SetMembers(secret, fs.BotUserID())
		if _, err := fs.Event(context.Background(), map[string]any{"type": "member_left_channel", "user": ann,
			"channel": secret, "channel_type": "G", "team": fs.TeamID()}); err != nil {
			t.Fatal(err)
		}
		h.waitHome(ann, []string{"Publish the roadmap", "*B-1* · _in <#G0SECRET>, which you are not in_ · open 0m · you reported it"},
			"Acquire Initech", "term sheet")
	})
	t.Run("JoiningShowsIt", func(t *testing.T) {
		fs.SetMembers(secret, fs.BotUserID(), bob)
		if _, err := fs.Event(context.Background(), map[string]any{"type": "member_joined_channel", "user": bob,
			"channel": secret, "channel_type": "G", "team": fs.TeamID()}); err != nil {
			t.Fatal(err)
		}
		h.waitHome(bob, []string{"Acquire Initech", "Initech term sheet"})
	})
}

func TestHomeRefreshedWhenItemsChange(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	h.openHome(ann)

	t.Run("BlockerReportedAndResolved", func(t *testing.T) {
		h.blocker(bob, general, "Waiting on <@U0ANN> and <@U0EVE> for the DNS change") // B-1
		h.waitHome(ann, []string{"*B-1* · Waiting on <@U0ANN> and <@U0EVE> for the DNS change", "needs you"})
		h.ask(ann, general, "/blocker", "resolve B-1 done")
		h.waitHome(ann, []string{"Nothing waiting for you"}, "B-1")
		h.settle()
		if n := h.publishes(eve) + h.publishes(bob); n != 0 {
			t.Fatalf("%d publishes for people who never opened App Home", n)
		}
	})
	t.Run("ProposalOwnedAndDecided", func(t *testing.T) {
		card := proposeDecision(t, h, "Pick a message queue", ann, "2026-11-27") // D-1
		h.waitHome(ann, []string{"*D-1* · Pick a message queue · <#C0GENERAL> · decide by 2026-11-27"})
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.decide", Value: "1"}); err != nil {
			t.Fatal(err)
		}
		v := h.waitView(ann, "the Mark decided form")
		h.submitView(ann, v.ID, map[string]map[string]any{"decision": {"value": fakeslack.TextValue("Kafka.")}})
		h.waitHome(ann, []string{"Pick a message queue · <@U0ANN> · <#C0GENERAL>"}, "Decisions you own")
	})
	t.Run("CheckinOpenedAndAnsweredFromHome", func(t *testing.T) {
		h.slash(adm, general, "/checkin", "now")
		h.waitHome(ann, []string{"Weekly check-in in <#C0GENERAL>"})
		h.pressHome(ann, "checkin.answer")
		v := h.waitView(ann, "the answer form")
		if payload := h.submitView(ann, v.ID, map[string]map[string]any{"outcomes": {"value": fakeslack.TextValue("Shipped search.")}}); payload != nil {
			t.Fatalf("answer refused: %v", payload)
		}
		h.waitHome(ann, []string{"Nothing waiting for you"}, "Weekly check-in")
	})
	t.Run("PulseSentAndAnswered", func(t *testing.T) {
		h.sendPulse(bob, general, "", pulseValues("Ship on Friday?", "kind", fakeslack.StaticValue("yesno"),
			"audience", fakeslack.StaticValue("people"), "people", fakeslack.MultiUsersValue(ann, eve),
			"anonymous", fakeslack.CheckboxesValue())) // P-1
		h.waitHome(ann, []string{"*P-1* · “Ship on Friday?”"})
		h.answer(ann, "P-1", 0, "Yes")
		h.waitHome(ann, []string{"Nothing waiting for you"}, "P-1")
	})
}

// A blocker escalated by the scheduler, with nothing else changing,
// shows as escalated on the Homes of those it names.
func TestHomeRefreshedWhenBlockerEscalated(t *testing.T) {
	fs := newWorld(t)
	h := startBotAnyTime(t, fs) // its Home, not working time
	h.openHome(ann)
	h.blocker(bob, general, "Waiting on <@U0ANN> for the signing keys") // B-1
	h.waitHome(ann, []string{"*B-1* · Waiting on <@U0ANN> for the signing keys"}, "escalated")
	h.clock.Advance(72*time.Hour + time.Minute)
	h.tickAndSettle()
	h.waitHome(ann, []string{"*B-1* · Waiting on <@U0ANN> for the signing keys", ":rotating_light: escalated"})
}

func TestHomeButtonsOpenTheForms(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.openHome(ann)

	t.Run("RecordDecision", func(t *testing.T) {
		h.pressHome(ann, "home.decide")
		v := h.waitView(ann, "the decision form")
		if v.CallbackID != "decision.new" || v.Blocks[0]["block_id"] != "channel" {
			t.Fatalf("form %q starting with %v", v.CallbackID, v.Blocks[0])
		}
		payload := h.submitView(ann, v.ID, map[string]map[string]any{
			"channel":  {"value": conversation(random)},
			"title":    {"value": fakeslack.TextValue("Adopt semver")},
			"decision": {"value": fakeslack.TextValue("Public APIs use semver.")},
		})
		if payload != nil {
			t.Fatalf("form refused: %v", payload)
		}
		card := h.waitCards(random, 1)[0]
		if text := messageText(card); !strings.Contains(text, "Adopt semver") || !strings.Contains(text, "D-1") {
			t.Fatalf("card:\n%s", text)
		}
		h.waitHome(ann, []string{"*D-1* · 2026-11-25 · Adopt semver · <@U0ANN> · <#C0RANDOM>"})
	})
	t.Run("ReportBlocker", func(t *testing.T) {
		h.pressHome(ann, "home.blocker")
		v := h.waitView(ann, "the blocker form")
		payload := h.submitView(ann, v.ID, map[string]map[string]any{
			"channel": {"value": conversation(secret)},
			"blocker": {"value": fakeslack.TextValue("Waiting on <@U0BOB> for the budget")},
		})
		if payload != nil {
			t.Fatalf("form refused: %v", payload)
		}
		card := h.waitCards(secret, 1)[0]
		if text := messageText(card); !strings.Contains(text, "Blocker B-1") || !strings.Contains(text, "for the budget") {
			t.Fatalf("card:\n%s", text)
		}
		h.waitHome(ann, []string{"*B-1* · Waiting on <@U0BOB> for the budget · <#G0SECRET>", "you reported it"})
	})
	for _, tc := range []struct {
		name, user, channel, want string
	}{
		{"ErrBotNotInChannel", ann, nobot, "I can't post in that channel. Add me to it"},
		{"ErrPersonNotInChannel", bob, secret, "You are not in #secret; choose a channel you are in."},
		{"ErrUnknownChannel", ann, "C0NOPE", "I can't post in that channel."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := fs.Home(tc.user); !ok {
				h.openHome(tc.user)
			}
			posted := len(h.botMessages(tc.channel))
			forms := map[string]map[string]map[string]any{
				"home.decide": {"channel": {"value": conversation(tc.channel)}, "title": {"value": fakeslack.TextValue("Something")},
					"decision": {"value": fakeslack.TextValue("Something")}},
				"home.blocker": {"channel": {"value": conversation(tc.channel)}, "blocker": {"value": fakeslack.TextValue("Waiting on <@U0EVE>")}},
			}
			for _, button := range []string{"home.decide", "home.blocker"} {
				before := len(fs.Views(tc.user))
				h.pressHome(tc.user, button)
				h.waitFor("the form", func() bool { return len(fs.Views(tc.user)) > before })
				v, _ := fs.TopView(tc.user)
				payload := h.submitView(tc.user, v.ID, forms[button])
				if msg := viewFieldError(t, payload, "channel"); !strings.Contains(msg, tc.want) {
					t.Fatalf("%s: error %q, want %q", button, msg, tc.want)
				}
				if _, err := fs.CloseView(context.Background(), tc.user, v.ID); err != nil {
					t.Fatal(err)
				}
			}
			h.settle()
			if n := len(h.botMessages(tc.channel)); n != posted {
				t.Fatalf("%d new messages in %s after refused forms", n-posted, tc.channel)
			}
		})
	}
}

func TestHomeBusyPersonOverTheCaps(t *testing.T) {
	fs := newWorld(t)
	const n = rituals.HomeListCap + 3
	var channels []string
	for i := range n {
		ch := fmt.Sprintf("C0TEAM%02d", i)
		fs.AddChannel(fakeslack.Channel{ID: ch, Name: fmt.Sprintf("team%02d", i), Members: []string{bob, adm, fs.BotUserID()}})
		channels = append(channels, ch)
	}
	h := startBot(t, fs) // 18:30 in New York: Bob's working hours
	ctx := context.Background()
	by := func(user, channel string) rituals.Caller {
		return rituals.Caller{Team: fs.TeamID(), User: user, Channel: channel, Location: time.UTC}
	}
	svc := h.main.Bot.Services
	var reminders []rituals.Outgoing
	for i := range 3 {
		data, _ := json.Marshal(rituals.NoticeData{Text: fmt.Sprintf("Reminder %d", i)})
		reminders = append(reminders, rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindNotice, Channel: bob, User: bob, Data: data, Reminder: true})
	}
	long := strings.Repeat("Long & <title> ", 9)
	for i := range n {
		d, err := svc.Decisions.Record(ctx, by(ann, general), rituals.DecisionInput{Title: fmt.Sprintf("%s%d", long, i),
			Text: "To be decided.", Owner: bob, Status: rituals.StatusProposed, DecideBy: "2026-11-27"})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(rituals.ReminderData{Kind: rituals.ReminderDue})
		reminders = append(reminders, rituals.Outgoing{Team: fs.TeamID(), Kind: rituals.KindDecisionReminder, Channel: bob, User: bob,
			Ref: d.Number, Data: data, Reminder: true})
		if _, err := svc.Blockers.Report(ctx, by(ann, random), rituals.BlockerInput{Text: strings.Repeat("blocked ", 300),
			Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: bob}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Checkins.OpenNow(ctx, rituals.Caller{Team: fs.TeamID(), User: adm, Channel: channels[i], Admin: true,
			AdminsOnly: true, Location: time.UTC}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Pulses.Create(ctx, by(ann, general), rituals.PulseInput{Question: fmt.Sprintf("%s%d?", strings.Repeat("q", 280), i),
			Kind: rituals.PulseYesNo, Audience: rituals.AudiencePeople, People: []string{bob, eve}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range reminders {
		// A lane of their own: Bob's DMs wait for the blockers' cards,
		// posted into #random one a second.
		reminders[i].Lane = "reminders:" + bob
	}
	if err := h.main.DB.InTx(ctx, func(tx rituals.Tx) error { return tx.Enqueue(ctx, reminders...) }); err != nil {
		t.Fatal(err)
	}
	h.main.Sender.Notify()
	h.waitFor("the reminders folded", func() bool { return strings.Count(h.logs.String(), "outbox item folded") == n })
	h.waitFor("the pulses sent", func() bool {
		ps, err := h.main.DB.PulsesAwaiting(ctx, fs.TeamID(), bob, h.clock.Now())
		return err == nil && len(ps) == n
	})

	text := h.openHome(bob) // the fake Slack refuses a view over Slack's limits
	for _, want := range []string{
		"*Decisions you own, still proposed* (13)", "…and 3 more: D-11, D-12, D-13. See one with `/decide show D-11`.",
		"*Blockers you reported or must act on* (13)", "…and 3 more, in <#C0RANDOM> (3). `/blocker list` in a channel lists its open blockers.",
		"*Check-ins waiting for your answer* (13)", "…and 3 more, in ",
		"*Pulses waiting for your answer* (13)", "…and 3 more: P-", // closing first: launched in any order
		"*Reminders held back this week* (13)", "…and 3 more held back.",
		"*Latest decisions in your channels* (10)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Bob's Home lacks %q", want)
		}
	}
	v, _ := fs.Home(bob)
	if len(v.Blocks) > 100 {
		t.Errorf("%d blocks", len(v.Blocks))
	}
	if t.Failed() {
		t.Fatalf("Bob's Home:\n%s", text)
	}
}
