package bot

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// slashFrame is a slash_commands envelope as Slack sends it over Socket
// Mode (the shape fakeslack's SlashCommand builds).
const slashFrame = `{"envelope_id":"0f7f5b1e-2b4c-4a44-9d0e-8a1f3c0b9d11","payload":{"token":"fake-verification-token",` +
	`"team_id":"T0TEAM","team_domain":"acme","channel_id":"C0GENERAL","channel_name":"general","user_id":"U0ANN",` +
	`"user_name":"ann","command":"/decide","text":"Use semver for public APIs; internal services use deploy-driven versioning",` +
	`"api_app_id":"A0APP","is_enterprise_install":"false","response_url":"http://127.0.0.1:1/response/commands/T0TEAM/1/abcdef",` +
	`"trigger_id":"1.2.abcdef"},"type":"slash_commands","accepts_response_payload":true}`

// BenchmarkIntake is one slash command from its Socket Mode frame to its
// ack: decoded as slack-go's socketmode client decodes it (the envelope,
// then its payload), made an inbox row, group-committed (to an inbox in
// memory: storage's BenchmarkAcceptInbox measures the database's part),
// acked, and handed to a worker, which only counts. This is the edge's
// own cost, what stands between Slack and the ack besides the commit:
//
//	go test -run '^$' -bench Intake -benchmem ./bot
func BenchmarkIntake(b *testing.B) {
	bot := newBot(slackapi.Config{BotToken: "xoxb-bench", AppToken: "xapp-bench", APIURL: "http://127.0.0.1:1/api/"},
		nil, Services{}, quietLog)
	handled := make(chan struct{}, 1<<16)
	bot.inbox = newInbox(newMemInbox(), "bench", quietLog, bot.metrics, 16, func(context.Context, rituals.InboxItem) {
		handled <- struct{}{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	bot.inbox.run(ctx)
	frame := []byte(slashFrame)
	acked := make(chan struct{}, 1<<16)
	received := time.Now()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var req socketmode.Request
		if err := json.Unmarshal(frame, &req); err != nil {
			b.Fatal(err)
		}
		var cmd slack.SlashCommand
		if err := json.Unmarshal(req.Payload, &cmd); err != nil {
			b.Fatal(err)
		}
		i++
		env := envelope{kind: req.Type, id: req.EnvelopeID + strconv.Itoa(i), payload: req.Payload, data: cmd}
		bot.accept(ctx, env, received, func(any, error) { acked <- struct{}{} }, bot.log)
		<-acked
		<-handled
	}
	b.StopTimer()
	bot.inbox.closeIntake()
	cancel()
	bot.inbox.stop(context.Background())
	if err := bot.inbox.wait(context.Background()); err != nil {
		b.Fatal(err)
	}
}
