package fakeslack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestUsergroupsList(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)

	if gs, err := api.GetUserGroupsContext(ctx); err != nil || len(gs) != 0 {
		t.Fatalf("a workspace without groups: %v, %v", gs, err)
	}
	fs.AddUserGroup("S0PLAT", "platform", "U0ANN", "U0BOB")
	fs.AddGroup(UserGroup{ID: "S0DATA", Handle: "data", Name: "Data team", Members: []string{"U0BOB"}})
	fs.AddGroup(UserGroup{ID: "S0OLD", Handle: "old", Name: "Old team", Disabled: true})

	gs, err := api.GetUserGroupsContext(ctx)
	if err != nil || len(gs) != 2 {
		t.Fatalf("usergroups.list = %+v, %v", gs, err)
	}
	if g := gs[1]; g.ID != "S0DATA" || g.Handle != "data" || g.Name != "Data team" || !g.IsUserGroup || len(g.Users) != 0 {
		t.Fatalf("group = %+v", g)
	}
	if gs[0].Name != "platform" {
		t.Fatalf("a group's name defaults to its handle: %+v", gs[0])
	}
	gs, err = api.GetUserGroupsContext(ctx, slack.GetUserGroupsOptionIncludeDisabled(true), slack.GetUserGroupsOptionIncludeUsers(true))
	if err != nil || len(gs) != 3 || gs[2].ID != "S0OLD" || gs[2].DateDelete == 0 || len(gs[0].Users) != 2 {
		t.Fatalf("with disabled and users = %+v, %v", gs, err)
	}
}

// groupModal is a modal with a multi_external_select of user groups.
func groupModal(minQuery int) slack.ModalViewRequest {
	sel := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeExternal, text("Choose groups"), "value")
	sel.MinQueryLength = &minQuery
	in := slack.NewInputBlock("group", text("Groups"), nil, sel)
	in.Optional = true
	return slack.ModalViewRequest{Type: slack.VTModal, Title: text("Groups"), Submit: text("Save"), CallbackID: "groups",
		Blocks: slack.Blocks{BlockSet: []slack.Block{in}}}
}

// openGroupModal runs a slash command and opens groupModal with its trigger.
func openGroupModal(t *testing.T, fs *Server, b *bot, minQuery int) *slack.ViewResponse {
	t.Helper()
	if _, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); err != nil {
		t.Fatal(err)
	}
	res, err := b.api.OpenViewContext(testCtx(t), b.lastSlash(t).TriggerID, groupModal(minQuery))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// answerOptions answers a block_suggestion with opts, and a submission
// with nothing.
func answerOptions(opts any) handler {
	return func(evt socketmode.Event) (any, bool) {
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeBlockSuggestion {
			return opts, true
		}
		return nil, true
	}
}

func textOption(text, value string) map[string]any {
	return map[string]any{"text": map[string]any{"type": "plain_text", "text": text}, "value": value}
}

func TestBlockSuggestion(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, answerOptions(map[string]any{"options": []any{textOption("@platform", "S0PLAT")}}))
	ctx := testCtx(t)
	res := openGroupModal(t, fs, b, 1)
	view := res.View.ID

	opts, ack, err := fs.BlockSuggestion(ctx, Suggest{User: "U0ANN", ViewID: view, ActionID: "value", Value: "pla"})
	if err != nil || len(opts) != 1 || opts[0] != (Option{Text: "@platform", Value: "S0PLAT"}) || ack == nil {
		t.Fatalf("options = %+v, %v", opts, err)
	}
	cb := b.lastInteraction(t)
	if cb.Type != slack.InteractionTypeBlockSuggestion || cb.ActionID != "value" || cb.BlockID != "group" || cb.Value != "pla" ||
		cb.View.ID != view || cb.User.ID != "U0ANN" || cb.Team.ID != fs.TeamID() {
		t.Fatalf("block_suggestion = %+v", cb)
	}

	t.Run("ErrNotAsked", func(t *testing.T) {
		for name, sg := range map[string]Suggest{
			"ShorterThanMinQuery": {User: "U0ANN", ViewID: view, ActionID: "value", Value: ""},
			"NotTheirView":        {User: "U0BOB", ViewID: view, ActionID: "value", Value: "pla"},
			"NoSuchElement":       {User: "U0ANN", ViewID: view, ActionID: "nope", Value: "pla"},
		} {
			if _, _, err := fs.BlockSuggestion(ctx, sg); err == nil {
				t.Errorf("%s: asked", name)
			}
		}
	})
	t.Run("PickedOnlyWhatWasOffered", func(t *testing.T) {
		sub := func(o Option) error {
			_, err := fs.ViewSubmission(ctx, Submit{User: "U0ANN", ViewID: view, Values: map[string]map[string]any{"group": {"value": ExternalValue(o)}}})
			return err
		}
		if err := sub(Option{Text: "@forged", Value: "S0FORGED"}); err == nil || !strings.Contains(err.Error(), "never offered") {
			t.Fatalf("a forged pick: %v", err)
		}
		if err := sub(opts[0]); err != nil {
			t.Fatal(err)
		}
		st := b.lastInteraction(t).View.State.Values["group"]["value"].SelectedOptions
		if len(st) != 1 || st[0].Value != "S0PLAT" {
			t.Fatalf("submitted = %+v", st)
		}
	})
}

func TestBlockSuggestionRefusals(t *testing.T) {
	long := strings.Repeat("x", 76)
	many := []any{}
	for i := range 101 {
		many = append(many, textOption(fmt.Sprint("g", i), fmt.Sprint("S", i)))
	}
	for name, answer := range map[string]any{
		"TooManyOptions": map[string]any{"options": many},
		"TextTooLong":    map[string]any{"options": []any{textOption(long, "S1")}},
		"ValueTooLong":   map[string]any{"options": []any{textOption("g", strings.Repeat("S", 151))}},
		"EmptyValue":     map[string]any{"options": []any{textOption("g", "")}},
		"Mrkdwn":         map[string]any{"options": []any{map[string]any{"text": map[string]any{"type": "mrkdwn", "text": "*g*"}, "value": "S1"}}},
		"NoOptions":      nil,
	} {
		t.Run(name, func(t *testing.T) {
			fs := newServer(t, Options{AllowRefusals: true})
			b := startBot(t, fs, answerOptions(answer))
			ctx := testCtx(t)
			res := openGroupModal(t, fs, b, 0)
			if _, _, err := fs.BlockSuggestion(ctx, Suggest{User: "U0ANN", ViewID: res.View.ID, ActionID: "value"}); err == nil {
				t.Fatal("options accepted")
			}
			if r := fs.Refusals(); len(r) != 1 || r[0].Method != "block_suggestion" {
				t.Fatalf("refusals = %v", r)
			}
		})
	}
}

func TestBlockSuggestionOverHTTP(t *testing.T) {
	var got struct {
		sig, payload string
	}
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, "shh")
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		r.ParseForm()
		sv.Write([]byte(r.Form.Encode()))
		got.sig, got.payload = r.Header.Get("X-Slack-Signature"), r.Form.Get("payload")
		if err := sv.Ensure(); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"options":[{"text":{"type":"plain_text","text":"@data"},"value":"S0DATA"}]}`)
	}))
	t.Cleanup(app.Close)
	fs := newServer(t, Options{HTTP: RequestURLs{Options: app.URL, SigningSecret: "shh"}})
	b := startBot(t, fs, ackAll)
	ctx := testCtx(t)
	res := openGroupModal(t, fs, b, 1)
	opts, _, err := fs.BlockSuggestion(ctx, Suggest{User: "U0ANN", ViewID: res.View.ID, ActionID: "value", Value: "da"})
	if err != nil || len(opts) != 1 || opts[0].Value != "S0DATA" {
		t.Fatalf("options = %+v, %v", opts, err)
	}
	if !strings.HasPrefix(got.sig, "v0=") || !strings.Contains(got.payload, `"type":"block_suggestion"`) {
		t.Fatalf("request: %+v", got)
	}
	if n := len(b.seen()); n != 1 {
		t.Fatalf("%d requests over the socket, want only the slash command", n)
	}
}
