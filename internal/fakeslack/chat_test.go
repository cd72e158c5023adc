package fakeslack

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

var tsPattern = regexp.MustCompile(`^\d{10}\.\d{6}$`)

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func TestChatRoundTrip(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)

	meta := slack.SlackMetadata{EventType: "decision_logged", EventPayload: map[string]any{"id": float64(7)}}
	ch, parent, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("Decision", false),
		slack.MsgOptionBlocks(section("*Ship it*")), slack.MsgOptionMetadata(meta))
	if err != nil || ch != "C0GENERAL" || !tsPattern.MatchString(parent) {
		t.Fatalf("PostMessage = %q, %q, %v", ch, parent, err)
	}
	_, reply, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("details", false), slack.MsgOptionTS(parent))
	if err != nil || reply <= parent {
		t.Fatalf("reply = %q, %v; want a ts after %s", reply, err, parent)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C0GENERAL", parent, slack.MsgOptionText("Decision (edited)", false)); err != nil {
		t.Fatal(err)
	}

	msgs := fs.Messages("C0GENERAL")
	if len(msgs) != 2 {
		t.Fatalf("messages = %+v", msgs)
	}
	if m := msgs[0]; m.Text != "Decision (edited)" || len(m.Blocks) != 0 || !m.Edited || m.BotID != "B0BOT" || m.User != "U0BOT" ||
		m.Metadata["event_type"] != "decision_logged" {
		t.Fatalf("parent = %+v; want edited text, blocks removed, metadata kept", m)
	}
	if msgs[1].ThreadTS != parent {
		t.Fatalf("reply thread_ts = %q, want %q", msgs[1].ThreadTS, parent)
	}

	link, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: "C0GENERAL", Ts: parent})
	if want := "https://acme.slack.com/archives/C0GENERAL/p" + strings.Replace(parent, ".", "", 1); err != nil || link != want {
		t.Fatalf("permalink = %q, %v; want %q", link, err, want)
	}
	link, _ = api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: "C0GENERAL", Ts: reply})
	if !strings.HasSuffix(link, "?thread_ts="+parent+"&cid=C0GENERAL") {
		t.Fatalf("reply permalink = %q", link)
	}

	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C0GENERAL", IncludeAllMetadata: true})
	if err != nil || len(hist.Messages) != 1 || hist.Messages[0].Timestamp != parent || hist.Messages[0].ReplyCount != 1 ||
		hist.Messages[0].Metadata.EventType != "decision_logged" {
		t.Fatalf("history = %+v, %v; want the parent only, with reply_count and metadata", hist, err)
	}
	replies, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C0GENERAL", Timestamp: reply})
	if err != nil || len(replies) != 2 || replies[0].Timestamp != parent || replies[1].Timestamp != reply || replies[1].ParentUserId != "U0BOT" {
		t.Fatalf("replies = %+v, %v", replies, err)
	}

	_, dmTS, err := api.PostMessageContext(ctx, "U0ANN", slack.MsgOptionText("psst", false))
	if err != nil {
		t.Fatal(err)
	}
	dm, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0ANN"}})
	if err != nil || dm.ID != fs.DMChannel("U0ANN") {
		t.Fatalf("conversations.open = %+v, %v", dm, err)
	}
	if d := fs.DMs("U0ANN"); len(d) != 1 || d[0].TS != dmTS || d[0].Channel != dm.ID {
		t.Fatalf("DMs = %+v", d)
	}
	if _, _, err := api.DeleteMessageContext(ctx, dm.ID, dmTS); err != nil || len(fs.DMs("U0ANN")) != 0 {
		t.Fatalf("delete: %v, DMs %+v", err, fs.DMs("U0ANN"))
	}
}

func TestHistoryPaging(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	var sent []string
	for i := range 5 {
		_, ts, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText(string(rune('a'+i)), false))
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, ts)
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		h, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C0GENERAL", Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Messages {
			got = append(got, m.Timestamp)
		}
		cursor = h.ResponseMetaData.NextCursor
		if h.HasMore != (cursor != "") || pages > 5 {
			t.Fatalf("has_more %v with cursor %q", h.HasMore, cursor)
		}
		if cursor == "" {
			break
		}
	}
	if len(got) != 5 || got[0] != sent[4] || got[4] != sent[0] {
		t.Fatalf("paged history = %v, want %v newest first", got, sent)
	}
	h, _ := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C0GENERAL", Oldest: sent[1], Latest: sent[3]})
	if len(h.Messages) != 1 || h.Messages[0].Timestamp != sent[2] {
		t.Fatalf("exclusive range = %+v", h.Messages)
	}
}

func TestChatErrors(t *testing.T) {
	fs := newServer(t, Options{AllowRefusals: true})
	fs.AddChannel(Channel{ID: "C0OLD", Name: "old", Archived: true, Members: []string{fs.BotUserID()}})
	fs.AddChannel(Channel{ID: "C0PUBLIC", Name: "public", Members: []string{"U0ANN"}}) // the bot is not in it
	api := newAPI(fs)
	ctx := testCtx(t)
	userTS, err := fs.PostUserMessage(ctx, "U0ANN", "C0PUBLIC", "mine", "") // no event: the bot is not a member
	if err != nil {
		t.Fatal(err)
	}
	var many []slack.Block
	for range 51 {
		many = append(many, slack.NewDividerBlock())
	}
	text := func(s string) slack.MsgOption { return slack.MsgOptionText(s, false) }
	for name, tc := range map[string]struct {
		channel string
		opts    []slack.MsgOption
		want    string
	}{
		"ChannelNotFound":  {"C0NOWHERE", []slack.MsgOption{text("x")}, "channel_not_found"},
		"NotInChannel":     {"G0CLOSED", []slack.MsgOption{text("x")}, "not_in_channel"},
		"IsArchived":       {"C0OLD", []slack.MsgOption{text("x")}, "is_archived"},
		"NoText":           {"C0GENERAL", nil, "no_text"},
		"ThreadNotFound":   {"C0GENERAL", []slack.MsgOption{text("x"), slack.MsgOptionTS("1.000001")}, "thread_not_found"},
		"TooManyBlocks":    {"C0GENERAL", []slack.MsgOption{slack.MsgOptionBlocks(many...)}, "invalid_blocks"},
		"SectionTooLong":   {"C0GENERAL", []slack.MsgOption{slack.MsgOptionBlocks(section(strings.Repeat("x", 3001)))}, "invalid_blocks"},
		"DuplicateBlockID": {"C0GENERAL", []slack.MsgOption{slack.MsgOptionBlocks(divider("a"), divider("a"))}, "invalid_blocks"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := api.PostMessageContext(ctx, tc.channel, tc.opts...)
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != tc.want {
				t.Fatalf("err = %v, want %s", err, tc.want)
			}
			if tc.want == "invalid_blocks" && len(se.ResponseMetadata.Messages) == 0 {
				t.Fatal("invalid_blocks without response_metadata.messages")
			}
		})
	}
	t.Run("PublicWithoutJoining", func(t *testing.T) {
		if _, _, err := api.PostMessageContext(ctx, "C0PUBLIC", text("x")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("CantUpdateUserMessage", func(t *testing.T) {
		if _, _, _, err := api.UpdateMessageContext(ctx, "C0PUBLIC", userTS, text("x")); err == nil || err.Error() != "cant_update_message" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("UpdateTooLong", func(t *testing.T) {
		_, ts, _ := api.PostMessageContext(ctx, "C0GENERAL", text("x"))
		if _, _, _, err := api.UpdateMessageContext(ctx, "C0GENERAL", ts, text(strings.Repeat("y", 4001))); err == nil || err.Error() != "msg_too_long" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("InvalidBlocksFormat", func(t *testing.T) {
		body := postForm(t, fs, "chat.postMessage", url.Values{"token": {fs.BotToken()}, "channel": {"C0GENERAL"}, "blocks": {"[{"}})
		if body["error"] != "invalid_blocks_format" {
			t.Fatalf("answer = %v", body)
		}
	})
	t.Run("InvalidMetadata", func(t *testing.T) {
		body := postForm(t, fs, "chat.postMessage", url.Values{"token": {fs.BotToken()}, "channel": {"C0GENERAL"}, "text": {"x"}, "metadata": {`{"event_payload":{}}`}})
		if body["error"] != "invalid_metadata_format" {
			t.Fatalf("answer = %v", body)
		}
	})
	t.Run("EphemeralUserNotInChannel", func(t *testing.T) {
		if _, err := api.PostEphemeralContext(ctx, "G0SECRET", "U0BOB", text("x")); err == nil || err.Error() != "user_not_in_channel" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("TruncatedAt40000", func(t *testing.T) {
		_, ts, err := api.PostMessageContext(ctx, "C0GENERAL", text(strings.Repeat("z", 40001)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fs.Messages("C0GENERAL") {
			if m.TS == ts && len(m.Text) != 40000 {
				t.Fatalf("stored %d characters, want 40000", len(m.Text))
			}
		}
	})
}

func divider(id string) slack.Block {
	d := slack.NewDividerBlock()
	d.BlockID = id
	return d
}

func TestTokens(t *testing.T) {
	fs := newServer(t, Options{})
	for name, tc := range map[string]struct {
		method string
		form   url.Values
		bearer string
		want   string
	}{
		"Missing":           {"auth.test", url.Values{}, "", "not_authed"},
		"Unknown":           {"auth.test", url.Values{"token": {"xoxb-nope"}}, "", "invalid_auth"},
		"AppTokenOnBotAPI":  {"chat.postMessage", url.Values{"channel": {"C0GENERAL"}, "text": {"x"}}, fs.AppToken(), "not_allowed_token_type"},
		"BotTokenForSocket": {"apps.connections.open", url.Values{}, fs.BotToken(), "not_allowed_token_type"},
		"AppTokenInBody":    {"apps.connections.open", url.Values{"token": {fs.AppToken()}}, "", "not_authed"},
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, fs.URL()+tc.method, strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			if body := do(t, req, http.StatusOK); body["error"] != tc.want || body["ok"] != false {
				t.Fatalf("answer = %v, want %s", body, tc.want)
			}
		})
	}
	t.Run("UnknownMethod", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, fs.URL()+"chat.nope", nil)
		if body := do(t, req, http.StatusNotFound); body["error"] != "unknown_method" {
			t.Fatalf("answer = %v", body)
		}
	})
	t.Run("SlackGo", func(t *testing.T) {
		res, err := newAPI(fs).AuthTestContext(testCtx(t))
		if err != nil || res.UserID != "U0BOT" || res.BotID != "B0BOT" || res.TeamID != "T0TEAM" {
			t.Fatalf("auth.test = %+v, %v", res, err)
		}
		bad := slack.New("xoxb-wrong", slack.OptionAPIURL(fs.URL()))
		if _, err := bad.AuthTestContext(testCtx(t)); err == nil || err.Error() != "invalid_auth" {
			t.Fatalf("bad token: %v", err)
		}
	})
	for _, c := range fs.Calls("") {
		if _, ok := c.Params["token"]; ok {
			t.Fatalf("call %s recorded a token", c.Method)
		}
		if strings.Contains(string(mustJSON(c.Params)), "xox") || strings.Contains(string(mustJSON(c.Params)), "xapp") {
			t.Fatalf("call %s params mention a token: %v", c.Method, c.Params)
		}
	}
}

// postForm posts a raw form to a method and returns the decoded answer.
func postForm(t *testing.T, fs *Server, method string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fs.URL()+method, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req, http.StatusOK)
}

func do(t *testing.T, req *http.Request, wantStatus int) map[string]any {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("HTTP %d, want %d", resp.StatusCode, wantStatus)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body
}
