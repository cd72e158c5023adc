package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// The blocker tests' extra world: a #platform channel, a @platform user
// group (Bob, Eve and Ann), and Dan, who is in #general and nothing else.
const (
	platform, platformGroup = "C0PLATFORM", "S0PLAT"
	dan                     = "U0DAN"
)

func newBlockerWorld(t *testing.T) (*fakeslack.Server, *harness) {
	t.Helper()
	fs := newWorld(t)
	fs.AddUser(fakeslack.User{ID: dan, Name: "dan", RealName: "Dan Fox", TZ: "Asia/Tokyo"})
	fs.AddChannel(fakeslack.Channel{ID: general, Name: "general", Members: []string{ann, bob, eve, adm, dan, fs.BotUserID()}})
	fs.AddChannel(fakeslack.Channel{ID: platform, Name: "platform", Members: []string{bob, fs.BotUserID()}})
	fs.AddUserGroup(platformGroup, "platform", bob, eve, ann)
	return fs, startBotAnyTime(t, fs) // escalation levels, not working time
}

func (h *harness) blocker(user, channel, text string) *fakeslack.Ack {
	h.t.Helper()
	return h.slash(user, channel, "/blocker", text)
}

// askBlocker runs /blocker and returns the ephemeral reply it brings. It
// first lets earlier replies arrive, so it counts from the right one.
func (h *harness) askBlocker(user, channel, text string) string {
	h.t.Helper()
	h.settle()
	next := len(h.fs.Ephemerals(user)) + 1
	h.blocker(user, channel, text)
	return h.waitEphemeral(user, next)
}

// settle waits until the outbox has nothing left to send, so counts of
// what reached Slack are final.
func (h *harness) settle() {
	h.t.Helper()
	h.waitFor("the outbox to drain", func() bool {
		n, _, err := h.main.DB.OutboxStats(context.Background())
		return err == nil && n == 0
	})
}

// exportBlockers returns `alignbot export blockers --format json`.
func (h *harness) exportBlockers() []map[string]any {
	h.t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal([]byte(h.export("blockers", "--format", "json")), &bs); err != nil {
		h.t.Fatal(err)
	}
	return bs
}

// submitView submits user's open modal viewID with values, as Slack's
// client would, and returns the ack's payload (nil: the modal closed).
func (h *harness) submitView(user, viewID string, values map[string]map[string]any) map[string]any {
	h.t.Helper()
	ack, err := h.fs.ViewSubmission(context.Background(), fakeslack.Submit{User: user, ViewID: viewID, Values: values})
	if err != nil {
		h.t.Fatal(err)
	}
	var payload map[string]any
	if len(ack.Payload) > 0 {
		if err := jsonUnmarshal(ack.Payload, &payload); err != nil {
			h.t.Fatal(err)
		}
	}
	return payload
}

// viewFieldError returns the error a submission's ack shows on field,
// failing the test when it shows none.
func viewFieldError(t *testing.T, payload map[string]any, field string) string {
	t.Helper()
	errs, _ := payload["errors"].(map[string]any)
	msg, _ := errs[field].(string)
	if payload["response_action"] != "errors" || msg == "" {
		t.Fatalf("ack=%v, want an error on %q", payload, field)
	}
	return msg
}

// waitView waits for user's top modal to be open and returns it.
func (h *harness) waitView(user, what string) fakeslack.View {
	h.t.Helper()
	h.waitFor(what, func() bool { v, ok := h.fs.TopView(user); return ok && v.Open })
	v, _ := h.fs.TopView(user)
	return v
}

// cardLink is the permalink of a message, as the fake Slack makes it.
func cardLink(m fakeslack.Message) string {
	return "/archives/" + m.Channel + "/p" + strings.Replace(m.TS, ".", "", 1)
}

func TestBlockerTellsEachPartyOnce(t *testing.T) {
	fs, h := newBlockerWorld(t)
	ack := h.blocker(ann, general, "Waiting on <@U0BOB> and <!subteam^S0PLAT|@platform> in <#C0PLATFORM|platform> for the schema review & <sign-off>")

	card := h.waitCards(general, 1)[0]
	text := messageText(card)
	for _, want := range []string{"Blocker B-1", "schema review &amp; &lt;sign-off&gt;", "Reported by <@U0ANN>",
		"*Who must act:* <@U0BOB>, <!subteam^S0PLAT|@platform> (3 people), <#C0PLATFORM>", "I'm on it", "Resolve"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if got := h.waitEphemeral(ann, 1); !strings.Contains(got, "Reported *B-1*. I'm telling 2 people and <#C0PLATFORM>, with a link to its card.") {
		t.Errorf("reply to the reporter:\n%s", got)
	}
	h.settle()
	link := cardLink(card)
	for user, want := range map[string]string{
		bob: "needs you",                             // named, and in the group: told once
		eve: "needs @\u2060platform (you are in it)", // named, not pinged: only the card mentions the group
	} {
		dms := fs.DMs(user)
		if len(dms) != 1 || !strings.Contains(messageText(dms[0]), want) || !strings.Contains(messageText(dms[0]), link) {
			t.Errorf("%s got %d DMs, want one saying %q and linking %s: %+v", user, len(dms), want, link, dms)
		}
	}
	if n := len(fs.DMs(ann)); n != 0 {
		t.Errorf("the reporter got %d DMs about her own blocker", n)
	}
	posts := h.botMessages(platform)
	if len(posts) != 1 || !strings.Contains(messageText(posts[0]), "needs this channel") || !strings.Contains(messageText(posts[0]), link) {
		t.Fatalf("#platform got %d posts, want one linking the card: %+v", len(posts), posts)
	}

	t.Run("RedeliveredEnvelopeRecordsOnce", func(t *testing.T) {
		if _, err := fs.Resend(context.Background(), ack.EnvelopeID); err != nil {
			t.Fatalf("the redelivered envelope was not acked: %v", err)
		}
		h.askBlocker(eve, general, "list") // lets anything the redelivery caused happen first
		h.settle()
		if got := len(h.exportBlockers()); got != 1 {
			t.Fatalf("%d blockers, want 1", got)
		}
		if len(h.botMessages(general)) != 1 || len(fs.DMs(bob)) != 1 || len(fs.DMs(eve)) != 1 || len(h.botMessages(platform)) != 1 {
			t.Fatal("the redelivery posted or DMed again")
		}
	})
}

func TestBlockerUserGroupOf40WithinRateLimits(t *testing.T) {
	fs, h := newBlockerWorld(t)
	// Slack's limits, enforced: a 429 would show in the calls.
	fs.SetChannelPostRate(1, 3)
	fs.SetWorkspacePostLimit(300)
	fs.SetRateLimit("usergroups.users.list", 20)
	fs.SetRateLimit("users.info", 100)
	fs.SetRateLimit("conversations.info", 50)
	var team []string
	for i := range 40 {
		u := fmt.Sprintf("U0T%02d", i)
		fs.AddUser(fakeslack.User{ID: u, Name: u})
		team = append(team, u)
	}
	fs.AddUser(fakeslack.User{ID: "U0CIBOT", Name: "ci-bot", IsBot: true})
	fs.AddUserGroup("S0BIG", "eng", append(team, "U0CIBOT")...)

	h.blocker(ann, general, "Waiting on <!subteam^S0BIG|@eng> to approve the release")
	card := h.waitCards(general, 1)[0]
	h.waitFor("40 DMs", func() bool {
		for _, u := range team {
			if len(fs.DMs(u)) == 0 {
				return false
			}
		}
		return true
	})
	h.settle()
	for _, u := range team {
		if dms := fs.DMs(u); len(dms) != 1 || !strings.Contains(messageText(dms[0]), cardLink(card)) {
			t.Fatalf("%s got %d DMs, want one linking the card", u, len(dms))
		}
	}
	if n := len(fs.DMs("U0CIBOT")); n != 0 {
		t.Fatalf("the group's bot got %d DMs", n)
	}
	for _, m := range []string{"chat.postMessage", "chat.getPermalink", "usergroups.users.list", "users.info"} {
		for _, c := range fs.Calls(m) {
			if c.Status == 429 {
				t.Fatalf("%s drew a 429: the bot tripped Slack's rate limit", m)
			}
		}
	}
	if !strings.Contains(messageText(card), "(40 people)") {
		t.Fatalf("card:\n%s", messageText(card))
	}
}

func TestBlockerBadInput(t *testing.T) {
	fs, h := newBlockerWorld(t)
	for text, want := range map[string]string{
		strings.Repeat("x", 3001):          "That blocker is 3001 characters long; the form holds 3000.",
		"list everything":                  "`/blocker list` takes a number from 1 to 100",
		"resolve":                          "takes a blocker ID and an optional note",
		"resolve D-1":                      `"D-1" is not an ID; write it like B-12 or 12.`,
		"resolve B-99":                     "There is no blocker B-99",
		"sla banana":                       "“banana” is not a duration: write it like 2d, 1d 12h or 4h. A blocker's SLA is from 1h to 90d.",
		"Stuck on <!subteam^S0NONE|@none>": "There is no user group S0NONE in this workspace.",
		"Stuck on <#G0NOBOT|>":             "I can't post in <#G0NOBOT>, which you named as who must act",
		"Stuck on <@U0NOBODY>":             "There is no person <@U0NOBODY> in this workspace.",
		"Stuck on <@U0ANN> " + strings.Repeat("x", 3000): "characters long; the limit is 3000",
	} {
		if got := h.askBlocker(ann, general, text); !strings.Contains(got, want) {
			t.Errorf("/blocker %s:\n%s\nwant it to say %q", clipTest(text), got, want)
		}
	}
	if got := h.askBlocker(ann, nobot, "Stuck on <@U0BOB>"); !strings.Contains(got, "Add me to it") {
		t.Errorf("in a channel the bot is not in:\n%s", got)
	}
	help := h.askBlocker(eve, general, "help")
	for _, want := range []string{"/blocker <text>", "/blocker list", "/blocker resolve <ID> [note]", "/blocker sla [duration]", "Report as blocker"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	h.settle()
	if got := len(h.exportBlockers()); got != 0 {
		t.Fatalf("refused commands recorded %d blockers", got)
	}
	if got := len(h.botMessages(general)) + len(fs.DMs(bob)); got != 0 {
		t.Fatalf("refused commands posted %d messages", got)
	}

	t.Run("PrivateStaysInside", func(t *testing.T) {
		h.blocker(ann, secret, "Secret launch waits on <@U0BOB>")
		h.waitCards(secret, 1)
		if got := h.askBlocker(ann, general, "resolve B-1"); !strings.Contains(got, "There is no blocker B-1 that you can see from this channel") {
			t.Fatalf("resolve from another channel:\n%s", got)
		}
		if got := h.askBlocker(ann, general, "list"); strings.Contains(got, "B-1") || strings.Contains(got, "Secret") {
			t.Fatalf("list in #general shows the private blocker:\n%s", got)
		}
	})
}

func TestBlockerModal(t *testing.T) {
	fs, h := newBlockerWorld(t)
	h.blocker(ann, general, "")
	view := h.waitView(ann, "the blocker form")
	if view.CallbackID != "blocker.new" || view.Title != "Report a blocker" {
		t.Fatalf("opened %q %q", view.CallbackID, view.Title)
	}
	submit := func(values map[string]map[string]any) map[string]any { return h.submitView(ann, view.ID, values) }
	fieldError := func(payload map[string]any, field string) string { return viewFieldError(t, payload, field) }
	base := func() map[string]map[string]any {
		return map[string]map[string]any{
			"blocker": {"value": fakeslack.TextValue("The iOS release waits for the signing keys")},
			"parties": {"value": fakeslack.MultiUsersValue(bob)},
		}
	}
	t.Run("ErrBlankDescription", func(t *testing.T) {
		v := base()
		v["blocker"] = map[string]any{"value": fakeslack.TextValue("  \n ")}
		if msg := fieldError(submit(v), "blocker"); !strings.Contains(msg, "What is blocked is required.") {
			t.Fatalf("error %q", msg)
		}
	})
	t.Run("ErrNoParty", func(t *testing.T) {
		v := base()
		delete(v, "parties")
		if msg := fieldError(submit(v), "parties"); !strings.Contains(msg, "Name who must act") {
			t.Fatalf("error %q", msg)
		}
	})
	t.Run("ErrNeededByPast", func(t *testing.T) {
		v := base()
		v["needed_by"] = map[string]any{"value": fakeslack.DateValue("2026-11-24")} // yesterday in Berlin
		fieldError(submit(v), "needed_by")
	})
	if got := len(h.exportBlockers()); got != 0 {
		t.Fatalf("refused submissions recorded %d blockers", got)
	}

	t.Run("Valid", func(t *testing.T) {
		v := base()
		v["group"] = map[string]any{"value": fakeslack.ExternalValue(h.suggestGroups(ann, view.ID, "plat")...)}
		v["channels"] = map[string]any{"value": fakeslack.MultiConversationsValue(platform)}
		v["impact"] = map[string]any{"value": fakeslack.TextValue("The December release slips.")}
		v["needed_by"] = map[string]any{"value": fakeslack.DateValue("2026-12-10")}
		if payload := submit(v); payload != nil {
			t.Fatalf("ack=%v, want an empty ack that closes the form", payload)
		}
		card := messageText(h.waitCards(general, 1)[0])
		for _, want := range []string{"signing keys", "The December release slips.", "*Needed by:* 2026-12-10", "<@U0BOB>", "<!subteam^S0PLAT|@platform> (3 people)", "<#C0PLATFORM>"} {
			if !strings.Contains(card, want) {
				t.Errorf("card lacks %q:\n%s", want, card)
			}
		}
		h.settle()
		if len(fs.DMs(bob)) != 1 || len(fs.DMs(eve)) != 1 || len(h.botMessages(platform)) != 1 || len(fs.DMs(ann)) != 0 {
			t.Fatalf("told bob %d, eve %d, #platform %d, ann %d times; want 1, 1, 1, 0",
				len(fs.DMs(bob)), len(fs.DMs(eve)), len(h.botMessages(platform)), len(fs.DMs(ann)))
		}
		bs := h.exportBlockers()
		if len(bs) != 1 || bs[0]["needed_by"] != "2026-12-10" || bs[0]["impact"] != "The December release slips." {
			t.Fatalf("export %v", bs)
		}
	})
}

func TestBlockerFromMessageShortcut(t *testing.T) {
	fs, h := newBlockerWorld(t)
	ctx := context.Background()
	ts, err := fs.PostUserMessage(ctx, bob, general, "Deploys are stuck until <@U0EVE> rotates the token; <#C0PLATFORM|platform> knows", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Shortcut(ctx, fakeslack.Shortcut{User: ann, Channel: general, MessageTS: ts, CallbackID: "report_blocker"}); err != nil {
		t.Fatal(err)
	}
	view := h.waitView(ann, "the prefilled form")
	raw, _ := json.Marshal(view.Blocks)
	form := string(raw)
	if view.CallbackID != "blocker.new" || !strings.Contains(form, `"initial_value":"Deploys are stuck until \u003c@U0EVE\u003e rotates the token`) ||
		!strings.Contains(form, `"initial_users":["U0EVE"]`) || !strings.Contains(form, `"initial_conversations":["C0PLATFORM"]`) {
		t.Fatalf("form %q:\n%s", view.CallbackID, form)
	}
	// Submitted as it opened: the people and channel it mentions are chosen.
	if payload := h.submitView(ann, view.ID, nil); payload != nil {
		t.Fatalf("ack=%v", payload)
	}
	card := h.waitCards(general, 1)[0]
	link := "/archives/" + general + "/p" + strings.Replace(ts, ".", "", 1)
	if !strings.Contains(messageText(card), "Reported from <") || !strings.Contains(messageText(card), link) {
		t.Fatalf("card does not link the message %s:\n%s", link, messageText(card))
	}
	h.settle()
	if len(fs.DMs(eve)) != 1 || len(h.botMessages(platform)) != 1 {
		t.Fatalf("eve got %d DMs and #platform %d posts, want 1 and 1", len(fs.DMs(eve)), len(h.botMessages(platform)))
	}
	if bs := h.exportBlockers(); len(bs) != 1 || !strings.Contains(bs[0]["source"].(string), link) || bs[0]["reporter_id"] != ann {
		t.Fatalf("export %v", bs)
	}
}
