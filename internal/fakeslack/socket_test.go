package fakeslack

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

func TestSlashCommand(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, func(evt socketmode.Event) (any, bool) {
		return map[string]any{"text": "noted"}, true
	})
	waitFor(t, fs, "hello", func() bool { return b.helloCount() == 1 })

	ack, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide", Text: "ship it"})
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ Text string }
	if err := json.Unmarshal(ack.Payload, &p); err != nil || p.Text != "noted" {
		t.Fatalf("ack payload = %s (%v), want text noted", ack.Payload, err)
	}
	if ack.Latency <= 0 || ack.EnvelopeID == "" {
		t.Fatalf("ack = %+v, want an envelope ID and a latency", ack)
	}
	cmd := b.lastSlash(t)
	if cmd.Command != "/decide" || cmd.Text != "ship it" || cmd.UserID != "U0ANN" || cmd.UserName != "ann" ||
		cmd.ChannelID != "C0GENERAL" || cmd.ChannelName != "general" || cmd.TeamID != "T0TEAM" ||
		cmd.APIAppID != "A0APP" || cmd.TriggerID == "" || !strings.HasPrefix(cmd.ResponseURL, "http://127.0.0.1:") {
		t.Fatalf("slash command = %+v", cmd)
	}
	if req := b.seen()[0].Request; req.Type != "slash_commands" || !req.AcceptsResponsePayload || req.EnvelopeID != ack.EnvelopeID {
		t.Fatalf("envelope = %+v", req)
	}
	eph := fs.Ephemerals("U0ANN")
	if len(eph) != 1 || eph[0].Text != "noted" || eph[0].ResponseType != "ephemeral" {
		t.Fatalf("ephemerals = %+v, want the inline ack response", eph)
	}
}

func TestSlashCommandRefused(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	for name, c := range map[string]Slash{
		"UnknownUser":         {User: "U0NOBODY", Channel: "C0GENERAL", Command: "/decide"},
		"UnknownChannel":      {User: "U0ANN", Channel: "C0NOWHERE", Command: "/decide"},
		"PrivateNonMember":    {User: "U0BOB", Channel: "G0SECRET", Command: "/decide"},
		"CommandWithoutSlash": {User: "U0ANN", Channel: "C0GENERAL", Command: "decide"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := fs.SlashCommand(testCtx(t), c); err == nil {
				t.Fatal("SlashCommand succeeded, want an error")
			}
		})
	}
	if n := len(b.seen()); n != 0 {
		t.Fatalf("bot saw %d requests, want none", n)
	}
	if _, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "G0SECRET", Command: "/decide"}); err != nil {
		t.Fatalf("member in private channel: %v", err)
	}
}

func TestNoAck(t *testing.T) {
	fs := newServer(t, Options{AckTimeout: 150 * time.Millisecond})
	startBot(t, fs, func(socketmode.Event) (any, bool) { return nil, false })
	ack, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"})
	if !errors.Is(err, ErrNoAck) || ack == nil || ack.EnvelopeID == "" {
		t.Fatalf("SlashCommand = %+v, %v; want ErrNoAck with the envelope ID", ack, err)
	}
}

func TestNoConnection(t *testing.T) {
	fs := newServer(t, Options{AckTimeout: 100 * time.Millisecond})
	if _, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); !errors.Is(err, ErrNoAck) {
		t.Fatalf("err = %v, want ErrNoAck", err)
	}
}

func TestDisconnectReconnects(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	fs.Disconnect("refresh_requested")
	waitFor(t, fs, "reconnect", func() bool {
		return len(fs.Calls("apps.connections.open")) == 2 && fs.Connections() == 1 && b.helloCount() == 2
	})
	if _, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); err != nil {
		t.Fatalf("after reconnect: %v", err)
	}
	if d := fs.Deliveries(); d[len(d)-1].Conn != 2 {
		t.Fatalf("delivered on socket %d, want the new socket 2", d[len(d)-1].Conn)
	}
}

func TestDropConnectionsReconnects(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	fs.DropConnections()
	waitFor(t, fs, "reconnect", func() bool {
		return len(fs.Calls("apps.connections.open")) == 2 && fs.Connections() == 1 && b.helloCount() == 2
	})
	if _, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide"}); err != nil {
		t.Fatalf("after reconnect: %v", err)
	}
}

func TestEventRedelivery(t *testing.T) {
	fs := newServer(t, Options{AckTimeout: 150 * time.Millisecond, EventRetryDelays: []time.Duration{0, 20 * time.Millisecond, 20 * time.Millisecond}})
	b := startBot(t, fs, func(evt socketmode.Event) (any, bool) {
		return nil, evt.Request.RetryAttempt >= 2 // ignore the first two deliveries
	})
	ack, err := fs.Event(testCtx(t), map[string]any{"type": "member_joined_channel", "user": "U0BOB", "channel": "C0GENERAL"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := b.seen()
	if len(reqs) != 3 {
		t.Fatalf("bot saw %d deliveries, want 3", len(reqs))
	}
	var eventIDs, envIDs []string
	for i, r := range reqs {
		if r.Request.RetryAttempt != i || r.Request.AcceptsResponsePayload || r.Request.Type != "events_api" {
			t.Fatalf("delivery %d = %+v", i, r.Request)
		}
		if want := map[bool]string{true: "", false: "timeout"}[i == 0]; r.Request.RetryReason != want {
			t.Fatalf("delivery %d retry_reason = %q, want %q", i, r.Request.RetryReason, want)
		}
		ev := r.Data.(slackevents.EventsAPIEvent)
		cb := ev.Data.(*slackevents.EventsAPICallbackEvent)
		eventIDs, envIDs = append(eventIDs, cb.EventID), append(envIDs, r.Request.EnvelopeID)
		if _, ok := ev.InnerEvent.Data.(*slackevents.MemberJoinedChannelEvent); !ok {
			t.Fatalf("inner event = %T", ev.InnerEvent.Data)
		}
	}
	if eventIDs[0] != eventIDs[2] || !strings.HasPrefix(eventIDs[0], "Ev") || envIDs[0] == envIDs[1] || envIDs[1] == envIDs[2] {
		t.Fatalf("event IDs %v, envelope IDs %v: want one event ID, three envelope IDs", eventIDs, envIDs)
	}
	if ack.EnvelopeID != envIDs[2] {
		t.Fatalf("ack for %s, want the third envelope %s", ack.EnvelopeID, envIDs[2])
	}
}

func TestEventNeverAcked(t *testing.T) {
	fs := newServer(t, Options{AckTimeout: 50 * time.Millisecond, EventRetryDelays: []time.Duration{0, 10 * time.Millisecond}})
	b := startBot(t, fs, func(socketmode.Event) (any, bool) { return nil, false })
	if _, err := fs.Event(testCtx(t), map[string]any{"type": "app_home_opened", "user": "U0ANN"}); !errors.Is(err, ErrNoAck) {
		t.Fatalf("err = %v, want ErrNoAck", err)
	}
	if n := len(b.seen()); n != 3 {
		t.Fatalf("bot saw %d deliveries, want 3", n)
	}
}

func TestResend(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	ack, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := fs.Resend(testCtx(t), ack.EnvelopeID)
	if err != nil || again.EnvelopeID != ack.EnvelopeID {
		t.Fatalf("Resend = %+v, %v", again, err)
	}
	reqs := b.seen()
	if len(reqs) != 2 || reqs[0].Request.EnvelopeID != reqs[1].Request.EnvelopeID || string(reqs[0].Request.Payload) != string(reqs[1].Request.Payload) {
		t.Fatalf("bot saw %d requests; want the same envelope twice", len(reqs))
	}
}

func TestPostUserMessage(t *testing.T) {
	fs := newServer(t, Options{})
	b := startBot(t, fs, ackAll)
	ctx := testCtx(t)
	parent, err := fs.PostUserMessage(ctx, "U0ANN", "C0GENERAL", "standup done", "")
	if err != nil {
		t.Fatal(err)
	}
	reply, err := fs.PostUserMessage(ctx, "U0BOB", "C0GENERAL", "+1", parent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.PostUserMessage(ctx, "U0BOB", "G0SECRET", "hi", ""); err == nil {
		t.Fatal("non-member posted in a private channel")
	}
	reqs := b.seen()
	if len(reqs) != 2 {
		t.Fatalf("bot saw %d events, want 2", len(reqs))
	}
	m := reqs[1].Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if m.Channel != "C0GENERAL" || m.ChannelType != "channel" || m.User != "U0BOB" || m.Text != "+1" ||
		m.TimeStamp != reply || m.ThreadTimeStamp != parent {
		t.Fatalf("message event = %+v", m)
	}
	msgs := fs.Messages("C0GENERAL")
	if len(msgs) != 2 || msgs[1].ThreadTS != parent || msgs[0].Text != "standup done" {
		t.Fatalf("messages = %+v", msgs)
	}
}

func TestConcurrentDeliveryAcrossSockets(t *testing.T) {
	fs := newServer(t, Options{})
	startBot(t, fs, ackAll)
	startBot(t, fs, ackAll)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, err := fs.SlashCommand(testCtx(t), Slash{User: "U0ANN", Channel: "C0GENERAL", Command: "/decide", Text: string(rune('a' + i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	used := map[int]bool{}
	for _, d := range fs.Deliveries() {
		used[d.Conn] = true
	}
	if len(used) != 2 {
		t.Fatalf("deliveries used sockets %v, want both", used)
	}
}

// TestSocketProtocol drives the socket by hand: hello, single-use tickets,
// stray frames, and the ten-socket cap.
func TestSocketProtocol(t *testing.T) {
	fs := newServer(t, Options{})
	open := func() string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, fs.URL()+"apps.connections.open", nil)
		req.Header.Set("Authorization", "Bearer "+fs.AppToken())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			OK  bool
			URL string
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		if !body.OK || !strings.HasPrefix(body.URL, "ws://127.0.0.1:") {
			t.Fatalf("apps.connections.open = %+v", body)
		}
		return body.URL + "&debug_reconnects=true"
	}
	header := http.Header{"Origin": {"https://api.slack.com"}}
	readFrame := func(c *websocket.Conn) map[string]any {
		t.Helper()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}

	url := open()
	var conns []*websocket.Conn
	for range maxConns {
		u := url
		if len(conns) > 0 {
			u = open()
		}
		c, _, err := websocket.DefaultDialer.Dial(u, header)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
		if hello := readFrame(c); hello["type"] != "hello" || hello["num_connections"] != float64(len(conns)) {
			t.Fatalf("first frame = %v", hello)
		}
	}
	if _, resp, err := websocket.DefaultDialer.Dial(url, header); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("reused ticket: err %v, want HTTP 401", err)
	}
	extra, _, err := websocket.DefaultDialer.Dial(open(), header)
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	if d := readFrame(extra); d["type"] != "disconnect" || d["reason"] != "too_many_websockets" {
		t.Fatalf("eleventh socket got %v", d)
	}

	_ = conns[0].WriteMessage(websocket.TextMessage, []byte(`{"envelope_id":"nope"}`))
	waitFor(t, fs, "stray frame", func() bool { return len(fs.StrayFrames()) == 1 })

	var api = newAPI(fs)
	if _, _, err := api.StartSocketModeContext(testCtx(t)); err != nil {
		t.Fatalf("slack-go apps.connections.open: %v", err)
	}
	bad := slack.New(fs.BotToken(), slack.OptionAPIURL(fs.URL()), slack.OptionAppLevelToken(fs.BotToken()))
	if _, _, err := bad.StartSocketModeContext(testCtx(t)); err == nil || err.Error() != "not_allowed_token_type" {
		t.Fatalf("bot token on apps.connections.open: %v", err)
	}
}
