package fakeslack

import (
	"testing"

	"github.com/slack-go/slack"
)

// postPrompt posts a message with an Approve button and a priority menu.
func postPrompt(t *testing.T, api *slack.Client) string {
	t.Helper()
	approve := slack.NewButtonBlockElement("approve", "decision-7", text("Approve"))
	prio := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, text("Priority"), "priority",
		slack.NewOptionBlockObject("high", text("High"), nil), slack.NewOptionBlockObject("low", text("Low"), nil))
	_, ts, err := api.PostMessageContext(testCtx(t), "C0GENERAL", slack.MsgOptionText("Decide", false),
		slack.MsgOptionBlocks(section("Decide?"), slack.NewActionBlock("", approve, prio)))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestBlockActionAndResponseURL(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	ts := postPrompt(t, b.api)
	ctx := testCtx(t)

	if _, err := fs.BlockAction(ctx, Action{User: "U0BOB", Channel: "C0GENERAL", MessageTS: ts, ActionID: "approve"}); err != nil {
		t.Fatal(err)
	}
	cb := b.lastInteraction(t)
	act := cb.ActionCallback.BlockActions[0]
	if cb.Type != slack.InteractionTypeBlockActions || act.ActionID != "approve" || act.Value != "decision-7" || act.BlockID == "" ||
		cb.Container.Type != "message" || cb.Container.MessageTs != ts || cb.Container.ChannelID != "C0GENERAL" ||
		cb.Channel.ID != "C0GENERAL" || cb.Message.Timestamp != ts || len(cb.Message.Blocks.BlockSet) != 2 ||
		cb.User.ID != "U0BOB" || cb.TriggerID == "" || cb.ResponseURL == "" {
		t.Fatalf("block_actions = %+v", cb)
	}

	if _, err := fs.BlockAction(ctx, Action{User: "U0BOB", Channel: "C0GENERAL", MessageTS: ts, ActionID: "priority", Value: "low"}); err != nil {
		t.Fatal(err)
	}
	if opt := b.lastInteraction(t).ActionCallback.BlockActions[0].SelectedOption; opt.Value != "low" || opt.Text.Text != "Low" {
		t.Fatalf("selected_option = %+v", opt)
	}
	for name, a := range map[string]Action{
		"UnknownAction": {User: "U0BOB", Channel: "C0GENERAL", MessageTS: ts, ActionID: "nope"},
		"UnknownOption": {User: "U0BOB", Channel: "C0GENERAL", MessageTS: ts, ActionID: "priority", Value: "mid"},
		"WrongValue":    {User: "U0BOB", Channel: "C0GENERAL", MessageTS: ts, ActionID: "approve", Value: "forged"},
		"NoMessage":     {User: "U0BOB", Channel: "C0GENERAL", MessageTS: "1.000001", ActionID: "approve"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := fs.BlockAction(ctx, a); err == nil {
				t.Fatal("BlockAction succeeded")
			}
		})
	}

	url := cb.ResponseURL
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(url, slack.ResponseTypeEphemeral), slack.MsgOptionText("only you", false)); err != nil {
		t.Fatal(err)
	}
	if e := fs.Ephemerals("U0BOB"); len(e) != 1 || e[0].Text != "only you" || e[0].ResponseType != "ephemeral" || e[0].Channel != "C0GENERAL" {
		t.Fatalf("ephemerals = %+v", e)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(url, slack.ResponseTypeInChannel), slack.MsgOptionText("everyone", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionReplaceOriginal(url), slack.MsgOptionText("Approved", false)); err != nil {
		t.Fatal(err)
	}
	msgs := fs.Messages("C0GENERAL")
	if len(msgs) != 2 || msgs[0].Text != "Approved" || len(msgs[0].Blocks) != 0 || msgs[1].Text != "everyone" || msgs[1].ResponseType != "in_channel" {
		t.Fatalf("messages = %+v", msgs)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionDeleteOriginal(url)); err != nil {
		t.Fatal(err)
	}
	if msgs := fs.Messages("C0GENERAL"); len(msgs) != 1 {
		t.Fatalf("after delete_original: %+v", msgs)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(url, slack.ResponseTypeEphemeral), slack.MsgOptionText("fifth", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(url, slack.ResponseTypeEphemeral), slack.MsgOptionText("sixth", false)); err == nil {
		t.Fatal("sixth use of a response_url succeeded")
	}
	if calls := fs.Calls("response_url"); len(calls) != 6 || calls[5].Status != 404 || calls[5].Error != "expired_url" {
		t.Fatalf("response_url calls = %+v", calls)
	}
}

func TestSlashResponseURL(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	ctx := testCtx(t)
	if _, err := fs.SlashCommand(ctx, Slash{User: "U0ANN", Channel: "G0SECRET", Command: "/decide"}); err != nil {
		t.Fatal(err)
	}
	url := b.lastSlash(t).ResponseURL
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(url, slack.ResponseTypeEphemeral),
		slack.MsgOptionBlocks(section("Working on it"))); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionReplaceOriginal(url), slack.MsgOptionText("Done", false)); err != nil {
		t.Fatal(err)
	}
	if e := fs.Ephemerals("U0ANN"); len(e) != 1 || e[0].Text != "Done" || e[0].Channel != "G0SECRET" {
		t.Fatalf("ephemerals = %+v", e)
	}
	if len(fs.Ephemerals("U0BOB")) != 0 {
		t.Fatal("Bob saw Ann's ephemeral")
	}
}

func TestShortcuts(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	ts := postPrompt(t, b.api)
	ctx := testCtx(t)
	if _, err := fs.Shortcut(ctx, Shortcut{User: "U0ANN", CallbackID: "new_decision"}); err != nil {
		t.Fatal(err)
	}
	if cb := b.lastInteraction(t); cb.Type != slack.InteractionTypeShortcut || cb.CallbackID != "new_decision" || cb.TriggerID == "" || cb.ResponseURL != "" {
		t.Fatalf("shortcut = %+v", cb)
	}
	if _, err := fs.Shortcut(ctx, Shortcut{User: "U0ANN", Channel: "C0GENERAL", MessageTS: ts, CallbackID: "log_this"}); err != nil {
		t.Fatal(err)
	}
	if cb := b.lastInteraction(t); cb.Type != slack.InteractionTypeMessageAction || cb.Message.Timestamp != ts || cb.Channel.ID != "C0GENERAL" || cb.ResponseURL == "" {
		t.Fatalf("message shortcut = %+v", cb)
	}
}
