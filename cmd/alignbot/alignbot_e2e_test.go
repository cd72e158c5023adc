package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// /alignbot shows what alignbot does, every command and the channel's
// checklist; a checklist button answers with the command that sets the
// setting up, and once it is run the checklist shows it done.
func TestAlignbotOverviewAndChecklist(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()

	overview := []string{"keeps your team's decision log", "`/decide`", "`/blocker`", "`/checkin`", "`/pulse`",
		"`/premortem`", "`/retro`", "`/digest`", "Get started in <#C0GENERAL>", "*Check-in:* none yet.", "*Digest:* none yet.",
		"escalated after 3d open (the default).", "*Decision areas:* none yet.", "Schedule check-in"}
	for _, text := range []string{"", "help"} {
		got := h.ask(ann, general, "/alignbot", text)
		for _, want := range overview {
			if !strings.Contains(got, want) {
				t.Errorf("/alignbot %s lacks %q:\n%s", text, want, got)
			}
		}
	}
	if got := h.ask(ann, general, "/alignbot", "frobnicate"); !strings.Contains(got, "`/alignbot` takes nothing, `help` or `workdays`, not `frobnicate`") {
		t.Errorf("/alignbot frobnicate = %q", got)
	}

	t.Run("NotInThePrivateChannel", func(t *testing.T) {
		if got := h.ask(ann, nobot, "/alignbot", ""); !strings.Contains(got, "I'm not in this channel yet") || !strings.Contains(got, "`/invite @alignbot`") {
			t.Errorf("/alignbot in a private channel without alignbot:\n%s", got)
		}
		if got := h.ask(ann, general, "/alignbot", ""); strings.Contains(got, "/invite") {
			t.Errorf("/alignbot where alignbot is tells to invite it:\n%s", got)
		}
	})
	t.Run("ButtonGivesTheCommand", func(t *testing.T) {
		eph := h.fs.Ephemerals(ann)[0]
		next := len(fs.Ephemerals(ann)) + 1
		if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: general, MessageTS: eph.TS, BlockID: "alignbot.setup.checkin", ActionID: "alignbot.setup", Value: "checkin"}); err != nil {
			t.Fatal(err)
		}
		if got := h.waitEphemeral(ann, next); !strings.Contains(got, "`/checkin every mon 09:30`") {
			t.Fatalf("the check-in button answered %q", got)
		}
	})
	t.Run("DoneOnceSetUp", func(t *testing.T) {
		h.ask(adm, general, "/checkin", "every mon 09:30 Europe/Berlin")
		h.ask(adm, general, "/blocker", "sla 2d")
		text := h.ask(ann, general, "/alignbot", "")
		for _, want := range []string{":white_check_mark: *Check-in:* the next one opens Mon 30 Nov 09:30 (Europe/Berlin).",
			"escalated after 2d open.", "*Digest:* none yet."} {
			if !strings.Contains(text, want) {
				t.Errorf("/alignbot lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Schedule check-in") {
			t.Errorf("/alignbot still offers to schedule the check-in:\n%s", text)
		}
	})
}

// Added to a channel, alignbot posts one welcome there with the checklist,
// even when Slack delivers the event twice; someone else joining posts
// nothing.
func TestAlignbotWelcomesOnJoin(t *testing.T) {
	const launch = "C0LAUNCH"
	fs := newWorld(t)
	fs.AddChannel(fakeslack.Channel{ID: launch, Name: "launch", Members: []string{ann}})
	h := startBot(t, fs)
	ctx := context.Background()

	fs.SetMembers(launch, ann, fs.BotUserID())
	ack, err := fs.Event(ctx, map[string]any{"type": "member_joined_channel", "user": fs.BotUserID(),
		"channel": launch, "channel_type": "C", "inviter": ann, "team": fs.TeamID()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Resend(ctx, ack.EnvelopeID); err != nil {
		t.Fatal(err)
	}
	msgs := h.waitCards(launch, 1)
	text := messageText(msgs[0])
	for _, want := range []string{"Hi! I'm *alignbot*", "`/alignbot`", "Get started in <#C0LAUNCH>", "Schedule check-in", "Schedule digest"} {
		if !strings.Contains(text, want) {
			t.Errorf("welcome lacks %q:\n%s", want, text)
		}
	}

	next := len(fs.Ephemerals(ann)) + 1
	if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: launch, MessageTS: msgs[0].TS, BlockID: "alignbot.setup.digest", ActionID: "alignbot.setup", Value: "digest"}); err != nil {
		t.Fatal(err)
	}
	if got := h.waitEphemeral(ann, next); !strings.Contains(got, "`/digest every fri 16:00`") {
		t.Fatalf("the welcome's digest button answered %q", got)
	}

	fs.SetMembers(launch, ann, bob, fs.BotUserID())
	if _, err := fs.Event(ctx, map[string]any{"type": "member_joined_channel", "user": bob,
		"channel": launch, "channel_type": "C", "team": fs.TeamID()}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("Bob's join to be handled", func() bool {
		n, _, err := h.main.DB.InboxStats(ctx)
		return err == nil && n == 0
	})
	h.settle()
	if got := len(h.botMessages(launch)); got != 1 {
		t.Fatalf("%d bot messages in #launch, want the one welcome", got)
	}
}

// The first time someone opens App Home it starts with a short tour above
// their items; once they open it again, it does not.
func TestHomeTourOnFirstOpening(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.blocker(bob, general, "Waiting on <@U0ANN> for the DNS change") // B-1
	h.waitCards(general, 1)
	h.settle()

	first := h.openHome(ann)
	tour := strings.Index(first, "Welcome to alignbot")
	if tour < 0 || !strings.Contains(first, "`/alignbot`") {
		t.Fatalf("no tour on the first opening:\n%s", first)
	}
	if items := strings.Index(first, "*B-1*"); items < tour {
		t.Fatalf("the tour is not above the items:\n%s", first)
	}
	h.clock.Advance(time.Minute)
	if _, err := fs.OpenHome(context.Background(), ann); err != nil {
		t.Fatal(err)
	}
	h.waitHome(ann, []string{"*B-1*", "2026-11-24 23:31 UTC"}, "Welcome to alignbot")
}

// Counts read right: one decision is "1 decision", not "1 decisions".
func TestCountsReadRight(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.decide(ann, general, "Use semver for public APIs")
	h.waitCards(general, 1)
	text := h.ask(ann, general, "/decide", "list")
	if !strings.Contains(text, "*The last decision in this channel*") {
		t.Errorf("/decide list of one:\n%s", text)
	}
	eph := fs.Ephemerals(ann)
	if got := eph[len(eph)-1].Text; got != "1 decision in this channel" {
		t.Errorf("/decide list of one reads %q", got)
	}
	h.ask(ann, general, "/decide", "search semver")
	eph = fs.Ephemerals(ann)
	if got := eph[len(eph)-1].Text; got != "1 decision matches" {
		t.Errorf("/decide search with one match reads %q", got)
	}
}
