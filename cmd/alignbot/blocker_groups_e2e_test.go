package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// suggestGroups types query into the blocker form's group picker of
// user's modal viewID and returns the options alignbot answered with.
func (h *harness) suggestGroups(user, viewID, query string) []fakeslack.Option {
	h.t.Helper()
	opts, _, err := h.fs.BlockSuggestion(context.Background(), fakeslack.Suggest{User: user, ViewID: viewID, BlockID: "group", ActionID: "value", Value: query})
	if err != nil {
		h.t.Fatal(err)
	}
	return opts
}

func optionTexts(opts []fakeslack.Option) string {
	var out []string
	for _, o := range opts {
		out = append(out, o.Text)
	}
	return strings.Join(out, ", ")
}

// The blocker form's group field is picked by name: as the person types,
// alignbot offers the matching groups from usergroups.list, asked once a
// minute at most, and the group picked is told as a typed ID was.
func TestBlockerFormPicksGroupByName(t *testing.T) {
	fs, h := newBlockerWorld(t)
	fs.AddGroup(fakeslack.UserGroup{ID: "S0DATA", Handle: "data-eng", Name: "Data engineering", Members: []string{dan}})
	fs.AddGroup(fakeslack.UserGroup{ID: "S0PLATOLD", Handle: "platform-old", Name: "Old platform", Disabled: true, Members: []string{dan}})
	fs.AddGroup(fakeslack.UserGroup{ID: "S0EMPTY", Handle: "empty", Name: "Nobody yet"})
	h.blocker(ann, general, "")
	view := h.waitView(ann, "the blocker form")

	if got := optionTexts(h.suggestGroups(ann, view.ID, "")); got != "@platform, @data-eng · Data engineering, @empty · Nobody yet" {
		t.Fatalf("opened, the picker offers %q", got)
	}
	if got := optionTexts(h.suggestGroups(ann, view.ID, "@PLAT")); got != "@platform" {
		t.Fatalf("typing @PLAT offers %q (a disabled group is never offered)", got)
	}
	if got := optionTexts(h.suggestGroups(ann, view.ID, "engineering")); got != "@data-eng · Data engineering" {
		t.Fatalf("typing a name offers %q", got)
	}
	if got := h.suggestGroups(ann, view.ID, "nothing like it"); len(got) != 0 {
		t.Fatalf("no match offers %v", got)
	}
	if n := len(fs.Calls("usergroups.list")); n != 1 {
		t.Fatalf("usergroups.list called %d times for 4 keystrokes, want 1", n)
	}

	submit := func(groups ...fakeslack.Option) map[string]any {
		return h.submitView(ann, view.ID, map[string]map[string]any{
			"blocker": {"value": fakeslack.TextValue("The data import waits for a schema review")},
			"group":   {"value": fakeslack.ExternalValue(groups...)},
		})
	}
	data := h.suggestGroups(ann, view.ID, "data")
	if payload := submit(data...); payload != nil {
		t.Fatalf("ack=%v", payload)
	}
	card := messageText(h.waitCards(general, 1)[0])
	if !strings.Contains(card, "*Who must act:* <!subteam^S0DATA|@data-eng> (1 person)") {
		t.Fatalf("card:\n%s", card)
	}
	h.settle()
	if len(fs.DMs(dan)) != 1 {
		t.Fatalf("dan, in @data-eng, got %d DMs, want 1", len(fs.DMs(dan)))
	}

	t.Run("ErrGroupWithNobody", func(t *testing.T) {
		h.blocker(ann, general, "")
		view = h.waitView(ann, "a second blocker form")
		empty := h.suggestGroups(ann, view.ID, "empty")
		if msg := viewFieldError(t, submit(empty...), "group"); !strings.Contains(msg, "The user group @empty has nobody in it") {
			t.Fatalf("field error %q", msg)
		}
		// Slack slow to say who is in it: the form closes, and the
		// refusal comes by message, with nothing recorded.
		fs.FailNext("usergroups.users.list", 1, fakeslack.Fault{Delay: 1500 * time.Millisecond})
		h.settle()
		next := len(fs.Ephemerals(ann)) + 1
		if payload := submit(empty...); payload != nil {
			t.Fatalf("ack=%v", payload)
		}
		if got := h.waitEphemeral(ann, next); !strings.Contains(got, "has nobody in it") {
			t.Fatalf("reply:\n%s", got)
		}
		if n := len(h.exportBlockers()); n != 1 {
			t.Fatalf("%d blockers, want 1", n)
		}
	})
}

// A workspace on Slack's free plan has no user groups: the picker offers
// none, and the form takes people.
func TestBlockerFormWithoutUserGroups(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.blocker(ann, general, "")
	view := h.waitView(ann, "the blocker form")
	if got := h.suggestGroups(ann, view.ID, ""); len(got) != 0 {
		t.Fatalf("offered %v", got)
	}
	fs.FailNext("usergroups.list", 1, fakeslack.Fault{Error: "paid_teams_only"})
	h.clock.Advance(2 * time.Minute) // past the cached list
	if got := h.suggestGroups(ann, view.ID, "a"); len(got) != 0 {
		t.Fatalf("offered %v", got)
	}
	if payload := h.submitView(ann, view.ID, map[string]map[string]any{
		"blocker": {"value": fakeslack.TextValue("Waiting for the signing keys")},
		"parties": {"value": fakeslack.MultiUsersValue(bob)},
	}); payload != nil {
		t.Fatalf("ack=%v", payload)
	}
	if card := messageText(h.waitCards(general, 1)[0]); !strings.Contains(card, "*Who must act:* <@U0BOB>") {
		t.Fatalf("card:\n%s", card)
	}
}

// Over HTTP, Slack asks the options load URL (/slack/options) and reads
// the options from the response body; the command and the form come and
// go over HTTP too.
func TestBlockerGroupPickerOverHTTP(t *testing.T) {
	fs := newWorld(t)
	fs.AddUserGroup("S0PLAT", "platform", bob, eve)
	t.Parallel()
	h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{Mode: "http", SigningSecret: testSigningSecret})
	base := "http://" + h.main.HTTPAddr + "/slack/"
	urls := fakeslack.RequestURLs{Commands: base + "commands", Interactivity: base + "interactivity", Options: base + "options", SigningSecret: testSigningSecret}
	fs.SetRequestURLs(urls)
	h.blocker(ann, general, "")
	view := h.waitView(ann, "the blocker form")
	plat := h.suggestGroups(ann, view.ID, "plat")
	if got := optionTexts(plat); got != "@platform" {
		t.Fatalf("offered %q", got)
	}
	if payload := h.submitView(ann, view.ID, map[string]map[string]any{
		"blocker": {"value": fakeslack.TextValue("The release waits for a security review")},
		"group":   {"value": fakeslack.ExternalValue(plat...)},
	}); payload != nil {
		t.Fatalf("ack=%v", payload)
	}
	if card := messageText(h.waitCards(general, 1)[0]); !strings.Contains(card, "*Who must act:* <!subteam^S0PLAT|@platform> (2 people)") {
		t.Fatalf("card:\n%s", card)
	}

	t.Run("ErrWrongSignature", func(t *testing.T) {
		h.blocker(ann, general, "")
		view := h.waitView(ann, "a second form")
		urls.SigningSecret = "not-the-secret"
		fs.SetRequestURLs(urls)
		if _, _, err := fs.BlockSuggestion(context.Background(), fakeslack.Suggest{User: ann, ViewID: view.ID, BlockID: "group", ActionID: "value", Value: "plat"}); !errors.Is(err, fakeslack.ErrNoAck) {
			t.Fatalf("a request with a wrong signature: %v", err)
		}
	})
}
