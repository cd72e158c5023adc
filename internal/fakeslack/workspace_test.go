package fakeslack

import (
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestFileUpload(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	content := "id,title\n7,Ship it\n"
	f, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "decisions.csv", FileSize: len(content), Content: content, Title: "Decisions",
		Channel: "C0GENERAL", InitialComment: "Export attached",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := fs.File(f.ID); !ok || string(got) != content || f.Title != "Decisions" {
		t.Fatalf("File(%s) = %q, %v; summary %+v", f.ID, got, ok, f)
	}
	msgs := fs.Messages("C0GENERAL")
	if len(msgs) != 1 || msgs[0].Text != "Export attached" || len(msgs[0].FileIDs) != 1 || msgs[0].FileIDs[0] != f.ID {
		t.Fatalf("messages = %+v", msgs)
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: "F0NOPE"}}}); err == nil {
		t.Fatal("completing an unknown upload succeeded")
	}
}

func TestUsersAndConversations(t *testing.T) {
	fs := newServer(t, Options{})
	fs.AddUser(User{ID: "U0GONE", Name: "gone", Deleted: true})
	fs.AddUserGroup("S0LEADS", "leads", "U0ANN", "U0BOB")
	api := newAPI(fs)
	ctx := testCtx(t)

	ann, err := api.GetUserInfoContext(ctx, "U0ANN")
	_, wantOffset := time.Now().In(mustLoad(t, "Europe/Paris")).Zone()
	if err != nil || ann.TZ != "Europe/Paris" || ann.TZOffset != wantOffset || ann.RealName != "Ann Archer" || ann.Profile.DisplayName != "ann" || ann.IsBot {
		t.Fatalf("users.info = %+v, %v", ann, err)
	}
	if _, err := api.GetUserInfoContext(ctx, "U0NOBODY"); err == nil || err.Error() != "user_not_found" {
		t.Fatalf("unknown user: %v", err)
	}
	users, err := api.GetUsersContext(ctx, slack.GetUsersOptionLimit(2))
	if err != nil || len(users) != 4 || len(fs.Calls("users.list")) != 2 {
		t.Fatalf("users.list = %d users in %d calls, %v", len(users), len(fs.Calls("users.list")), err)
	}
	if m, err := api.GetUserGroupMembersContext(ctx, "S0LEADS"); err != nil || len(m) != 2 {
		t.Fatalf("usergroups.users.list = %v, %v", m, err)
	}
	if _, err := api.GetUserGroupMembersContext(ctx, "S0NOPE"); err == nil || err.Error() != "no_such_subteam" {
		t.Fatalf("unknown group: %v", err)
	}

	info, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "G0SECRET", IncludeNumMembers: true})
	if err != nil || !info.IsPrivate || !info.IsMember || info.Name != "secret" || info.NumMembers != 2 {
		t.Fatalf("conversations.info = %+v, %v", info, err)
	}
	if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "G0CLOSED"}); err == nil || err.Error() != "channel_not_found" {
		t.Fatalf("private channel without the bot: %v", err)
	}
	var members []string
	cursor := ""
	for {
		page, next, err := api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: "C0GENERAL", Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, page...)
		if cursor = next; cursor == "" {
			break
		}
	}
	if len(members) != 3 {
		t.Fatalf("members = %v", members)
	}
	if _, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0GONE"}}); err == nil || err.Error() != "user_disabled" {
		t.Fatalf("deactivated user: %v", err)
	}
	im, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0BOB"}, ReturnIM: true})
	if err != nil || !im.IsIM || im.User != "U0BOB" || already {
		t.Fatalf("conversations.open = %+v, %v, %v", im, already, err)
	}
	if _, _, already, _ := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0BOB"}}); !already {
		t.Fatal("second open is not already_open")
	}
}

func TestReactions(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	_, ts, _ := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("x", false))
	ref := slack.NewRefToMessage("C0GENERAL", ts)
	if err := api.AddReactionContext(ctx, "white_check_mark", ref); err != nil {
		t.Fatal(err)
	}
	if err := api.AddReactionContext(ctx, "white_check_mark", ref); err == nil || err.Error() != "already_reacted" {
		t.Fatalf("second reaction: %v", err)
	}
	if m := fs.Messages("C0GENERAL"); len(m[0].Reactions["white_check_mark"]) != 1 {
		t.Fatalf("reactions = %v", m[0].Reactions)
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
