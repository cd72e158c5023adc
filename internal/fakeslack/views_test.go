package fakeslack

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

func text(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// decisionModal is a modal with a required title input and an optional owner.
func decisionModal(title string) slack.ModalViewRequest {
	titleInput := slack.NewInputBlock("title_block", text("Title"), nil,
		slack.NewPlainTextInputBlockElement(nil, "title_input"))
	owner := slack.NewInputBlock("owner_block", text("Owner"), nil,
		slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, "owner_input"))
	owner.Optional = true
	return slack.ModalViewRequest{
		Type: slack.VTModal, Title: text(title), Submit: text("Save"), Close: text("Cancel"),
		CallbackID: "decision_modal", PrivateMetadata: "C0GENERAL",
		Blocks: slack.Blocks{BlockSet: []slack.Block{titleInput, owner}},
	}
}

// openModal runs /decide and opens the decision modal with its trigger.
func openModal(t *testing.T, fs *Server, b *bot) *slack.ViewResponse {
	t.Helper()
	if _, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); err != nil {
		t.Fatal(err)
	}
	res, err := b.api.OpenViewContext(testCtx(t), b.lastSlash(t).TriggerID, decisionModal("Log decision"))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestViewSubmission(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	res := openModal(t, fs, b)
	if !strings.HasPrefix(res.View.ID, "V") || res.View.Hash == "" || res.View.RootViewID != res.View.ID || res.View.CallbackID != "decision_modal" {
		t.Fatalf("views.open answer = %+v", res.View)
	}
	id := res.View.ID

	b.setHandler(func(evt socketmode.Event) (any, bool) {
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || cb.Type != slack.InteractionTypeViewSubmission {
			return nil, true
		}
		switch cb.View.State.Values["title_block"]["title_input"].Value {
		case "bad":
			return slack.NewErrorsViewSubmissionResponse(map[string]string{"title_block": "Too vague"}), true
		case "more":
			return slack.NewUpdateViewSubmissionResponse(ptr(decisionModal("Add details"))), true
		}
		return nil, true
	})
	ctx := testCtx(t)

	if _, err := fs.ViewSubmission(ctx, Submit{User: "U0ANN", ViewID: id, Values: map[string]map[string]any{
		"title_block": {"title_input": TextValue("bad")}}}); err != nil {
		t.Fatal(err)
	}
	cb := b.lastInteraction(t)
	if cb.View.ID != id || cb.View.CallbackID != "decision_modal" || cb.View.PrivateMetadata != "C0GENERAL" || cb.TriggerID == "" ||
		cb.View.State.Values["owner_block"]["owner_input"].Type != "users_select" {
		t.Fatalf("view_submission = %+v", cb.View)
	}
	if v, _ := fs.View(id); !v.Open || v.Errors["title_block"] != "Too vague" {
		t.Fatalf("after errors: %+v", v)
	}

	oldHash := res.View.Hash
	if _, err := fs.ViewSubmission(ctx, Submit{User: "U0ANN", ViewID: id, Values: map[string]map[string]any{
		"title_block": {"title_input": TextValue("more")}, "owner_block": {"owner_input": UserValue("U0BOB")}}}); err != nil {
		t.Fatal(err)
	}
	if got := b.lastInteraction(t).View.State.Values["owner_block"]["owner_input"].SelectedUser; got != "U0BOB" {
		t.Fatalf("selected_user = %q", got)
	}
	if v, _ := fs.View(id); !v.Open || v.Title != "Add details" || v.Hash == oldHash || len(v.Errors) != 0 {
		t.Fatalf("after update: %+v", v)
	}

	if _, err := fs.ViewSubmission(ctx, Submit{User: "U0ANN", ViewID: id, Values: map[string]map[string]any{
		"title_block": {"title_input": TextValue("Ship Friday")}}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := fs.View(id); v.Open {
		t.Fatal("empty ack left the view open")
	}
	if _, ok := fs.TopView("U0ANN"); ok {
		t.Fatal("closed view is still on top")
	}
	for name, sub := range map[string]Submit{
		"Closed":        {User: "U0ANN", ViewID: id, Values: map[string]map[string]any{"title_block": {"title_input": TextValue("x")}}},
		"NotTheirs":     {User: "U0BOB", ViewID: id},
		"RequiredEmpty": {User: "U0ANN", ViewID: openModal(t, fs, b).View.ID},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := fs.ViewSubmission(ctx, sub); err == nil {
				t.Fatal("ViewSubmission succeeded")
			}
		})
	}
}

func TestViewsUpdateAndHash(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	res := openModal(t, fs, b)
	ctx := testCtx(t)
	up, err := b.api.UpdateViewContext(ctx, decisionModal("Edited"), "", res.View.Hash, res.View.ID)
	if err != nil || up.View.ID != res.View.ID || up.View.Hash == res.View.Hash {
		t.Fatalf("views.update = %+v, %v", up, err)
	}
	if _, err := b.api.UpdateViewContext(ctx, decisionModal("Again"), "", res.View.Hash, res.View.ID); err == nil || err.Error() != "hash_conflict" {
		t.Fatalf("stale hash: %v", err)
	}
	if _, err := b.api.UpdateViewContext(ctx, decisionModal("Again"), "", "", "V0NOPE"); err == nil || err.Error() != "not_found" {
		t.Fatalf("unknown view: %v", err)
	}
	if _, err := fs.BlockAction(ctx, Action{User: "U0ANN", ViewID: res.View.ID, ActionID: "owner_input", Value: "U0BOB"}); err != nil {
		t.Fatal(err)
	}
	cb := b.lastInteraction(t)
	if cb.Container.Type != "view" || cb.Container.ViewID != res.View.ID || cb.View.ID != res.View.ID || cb.ResponseURL != "" ||
		cb.ActionCallback.BlockActions[0].SelectedUser != "U0BOB" {
		t.Fatalf("block_actions in a view = %+v", cb)
	}
}

func TestTriggers(t *testing.T) {
	fs := newServer(t, Options{TriggerTTL: 100 * time.Millisecond})
	b := startBot(t, fs, ackAll)
	ctx := testCtx(t)
	trigger := func() string {
		if _, err := fs.SlashCommand(ctx, Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); err != nil {
			t.Fatal(err)
		}
		return b.lastSlash(t).TriggerID
	}
	tr := trigger()
	if _, err := b.api.OpenViewContext(ctx, tr, decisionModal("One")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.api.OpenViewContext(ctx, tr, decisionModal("Two")); err == nil || err.Error() != "exchanged_trigger_id" {
		t.Fatalf("reused trigger: %v", err)
	}
	if _, err := b.api.OpenViewContext(ctx, "123.456.abc", decisionModal("Two")); err == nil || err.Error() != "invalid_trigger_id" {
		t.Fatalf("made-up trigger: %v", err)
	}
	tr = trigger()
	time.Sleep(150 * time.Millisecond)
	if _, err := b.api.OpenViewContext(ctx, tr, decisionModal("Late")); err == nil || err.Error() != "expired_trigger_id" {
		t.Fatalf("expired trigger: %v", err)
	}
	if _, err := b.api.PushViewContext(ctx, trigger(), decisionModal("Pushed")); err != nil {
		t.Fatal(err)
	}
	if top, _ := fs.TopView("U0ANN"); top.Title != "Pushed" || top.PreviousViewID == "" {
		t.Fatalf("top view = %+v", top)
	}
}

func TestViewValidation(t *testing.T) {
	fs := newServer(t, Options{AllowRefusals: true})
	api := newAPI(fs)
	ctx := testCtx(t)
	var many []slack.Block
	for range 101 {
		many = append(many, slack.NewDividerBlock())
	}
	huge := decisionModal("Big")
	huge.PrivateMetadata = strings.Repeat("x", 3001)
	noSubmit := decisionModal("No submit")
	noSubmit.Submit = nil
	for name, v := range map[string]slack.ModalViewRequest{
		"TitleTooLong":       decisionModal(strings.Repeat("t", 25)),
		"TooManyBlocks":      {Type: slack.VTModal, Title: text("Many"), Blocks: slack.Blocks{BlockSet: many}},
		"PrivateMetadata":    huge,
		"InputWithoutSubmit": noSubmit,
		"NoTitle":            {Type: slack.VTModal, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := api.OpenViewContext(ctx, "1.2.x", v)
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != "invalid_arguments" || len(se.ResponseMetadata.Messages) == 0 {
				t.Fatalf("err = %#v, want invalid_arguments with messages", err)
			}
		})
	}
	t.Run("TooLarge", func(t *testing.T) {
		var blocks []slack.Block
		for range 90 {
			blocks = append(blocks, section(strings.Repeat("é", 2900)))
		}
		_, err := api.OpenViewContext(ctx, "1.2.x", slack.ModalViewRequest{Type: slack.VTModal, Title: text("Big"), Blocks: slack.Blocks{BlockSet: blocks}})
		if err == nil || err.Error() != "view_too_large" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("InputInHome", func(t *testing.T) {
		home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: decisionModal("x").Blocks}
		if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ANN", View: home}); err == nil || err.Error() != "invalid_arguments" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Home", func(t *testing.T) {
		home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, CallbackID: "home", Blocks: slack.Blocks{BlockSet: []slack.Block{section("Hi")}}}
		first, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ANN", View: home})
		if err != nil {
			t.Fatal(err)
		}
		second, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ANN", View: home, Hash: &first.View.Hash})
		if err != nil || second.View.ID != first.View.ID {
			t.Fatalf("republish = %+v, %v", second, err)
		}
		if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ANN", View: home, Hash: &first.View.Hash}); err == nil || err.Error() != "hash_conflict" {
			t.Fatalf("stale hash: %v", err)
		}
		if h, ok := fs.Home("U0ANN"); !ok || h.CallbackID != "home" || len(h.Blocks) != 1 {
			t.Fatalf("Home = %+v", h)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestHomeAndClose(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	ctx := testCtx(t)
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section("Your decisions")}}}
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ANN", View: home}); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.OpenHome(ctx, "U0ANN"); err != nil {
		t.Fatal(err)
	}
	reqs := b.seen()
	ev, ok := reqs[len(reqs)-1].Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || ev.User != "U0ANN" || ev.Tab != "home" || ev.Channel != fs.DMChannel("U0ANN") || ev.View.Type != slack.VTHomeTab {
		t.Fatalf("app_home_opened = %+v", ev)
	}

	if _, err := fs.SlashCommand(ctx, Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); err != nil {
		t.Fatal(err)
	}
	modal := decisionModal("Closable")
	modal.NotifyOnClose = true
	res, err := b.api.OpenViewContext(ctx, b.lastSlash(t).TriggerID, modal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.CloseView(ctx, "U0ANN", res.View.ID); err != nil {
		t.Fatal(err)
	}
	if cb := b.lastInteraction(t); cb.Type != slack.InteractionTypeViewClosed || cb.View.ID != res.View.ID {
		t.Fatalf("view_closed = %+v", cb)
	}
	if v, _ := fs.View(res.View.ID); v.Open {
		t.Fatal("closed view still open")
	}
}
