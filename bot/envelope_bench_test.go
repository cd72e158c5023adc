package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// slashFrame is a slash_commands envelope as Slack sends it over Socket
// Mode (the shape fakeslack's SlashCommand builds).
const slashFrame = `{"envelope_id":"0f7f5b1e-2b4c-4a44-9d0e-8a1f3c0b9d11","payload":{"token":"fake-verification-token",` +
	`"team_id":"T0TEAM","team_domain":"acme","channel_id":"C0GENERAL","channel_name":"general","user_id":"U0ANN",` +
	`"user_name":"ann","command":"/decide","text":"Use semver for public APIs; internal services use deploy-driven versioning",` +
	`"api_app_id":"A0APP","is_enterprise_install":"false","response_url":"http://127.0.0.1:1/response/commands/T0TEAM/1/abcdef",` +
	`"trigger_id":"1.2.abcdef"},"type":"slash_commands","accepts_response_payload":true}`

// BenchmarkDispatch is one slash command from its Socket Mode frame to
// its handler: decoded as slack-go's socketmode client decodes it
// (the envelope, then its payload), acked, and handed to a tracked
// handler goroutine. The handler only counts, so this is the edge's own
// cost, what stands between Slack and the ack:
//
//	go test -run '^$' -bench Dispatch -benchmem ./bot
func BenchmarkDispatch(b *testing.B) {
	bot := New(Config{BotToken: "xoxb-bench", AppToken: "xapp-bench", APIURL: "http://127.0.0.1:1/api/"},
		nil, Services{}, NewMetrics(), slog.New(slog.NewJSONHandler(io.Discard, nil)), time.Now)
	handled := make(chan struct{}, 1024)
	bot.route.slash["/decide"] = func(ctx context.Context, r *request, text string) { handled <- struct{}{} }
	go func() {
		for range handled {
		}
	}()
	frame := []byte(slashFrame)
	acks := 0
	ack := func(any) { acks++ }
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var req socketmode.Request
		if err := json.Unmarshal(frame, &req); err != nil {
			b.Fatal(err)
		}
		var cmd slack.SlashCommand
		if err := json.Unmarshal(req.Payload, &cmd); err != nil {
			b.Fatal(err)
		}
		bot.dispatch(ctx, req.EnvelopeID, cmd, ack, bot.log.With("envelope_id", req.EnvelopeID))
	}
	b.StopTimer()
	bot.handlers.Wait()
	close(handled)
	if acks != b.N {
		b.Fatalf("%d acks for %d envelopes", acks, b.N)
	}
}
