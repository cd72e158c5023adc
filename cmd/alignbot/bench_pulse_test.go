package main

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// pulsePeopleEnv sets the audience of BenchmarkPulseFanOut. Slack's limits
// make 10,000 people a 35-minute run, so the default is smaller.
const pulsePeopleEnv = "ALIGNBOT_BENCH_PULSE_PEOPLE"

// BenchmarkPulseFanOut sends a pulse to a channel of n people through the
// real wiring against a fake Slack holding Slack's limits: each DM goes to
// its own conversation, so the workspace's cap on posts binds. It reports
// the time from the form's submission to the last DM against the floor
// the limits impose, and fails if anyone got no DM or two:
//
//	go test -run '^$' -bench PulseFanOut -benchtime 1x ./cmd/alignbot
//	ALIGNBOT_BENCH_PULSE_PEOPLE=10000 go test -run '^$' -bench PulseFanOut -benchtime 1x -timeout 2h ./cmd/alignbot
func BenchmarkPulseFanOut(b *testing.B) {
	n := 600
	if v := os.Getenv(pulsePeopleEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("%s=%q is not a positive whole number", pulsePeopleEnv, v)
		}
	}
	for i := 0; i < b.N; i++ {
		benchPulseFanOut(b, n)
	}
}

// Slack's limits as the fake holds them for the fan-out, per workspace:
// Tier 2, 3 and 4 methods at 20, 50 and 100 calls a minute, posts at 1 a
// second per conversation with bursts of 3, and postsPerMinute posts a
// minute in all (Slack says "several hundred"; alignbot's default).
var fanOutTiers = map[string]int{
	"users.list": 20, "usergroups.users.list": 20,
	"conversations.info": 50, "conversations.open": 50, "conversations.history": 50, "chat.update": 50,
	"users.info": 100, "conversations.members": 100, "chat.postEphemeral": 100, "views.open": 100,
}

const postsPerMinute = 300

func benchPulseFanOut(b *testing.B, n int) {
	fs := newWorldB(b)
	// Slack pages users.list and conversations.members 200 at a time (what
	// slack-go asks for): the audience takes ceil(people/200) of each.
	people := addPeople(fs, "p", n)
	fs.AddChannel(fakeslack.Channel{ID: "C0ALL", Name: "everyone", Members: append([]string{fs.BotUserID(), ann}, people...)})
	for method, perMinute := range fanOutTiers {
		fs.SetRateLimit(method, perMinute)
	}
	fs.SetChannelPostRate(1, 3)
	fs.SetWorkspacePostLimit(postsPerMinute)
	h := startBotB(b, fs, Config{PostsPerMinute: postsPerMinute})
	h.clock.Set(pulseStart)
	audience := append([]string{ann}, people...)

	start := time.Now()
	h.sendPulse(ann, "C0ALL", "", pulseValues("If we shipped nothing for 30 days, which projects would we miss most?",
		"kind", fakeslack.StaticValue("text")))
	// The workspace holds the audience, Bob, Eve, the admin and the bot.
	floor := fanOutFloor(pagesOf(len(audience)+4), len(audience))
	delivered := func() int {
		ok := 0
		for _, c := range fs.Calls("chat.postMessage") {
			if c.OK {
				ok++
			}
		}
		return ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*floor+5*time.Minute)
	defer cancel()
	err := fs.WaitFor(ctx, func() bool { return delivered() >= len(audience) })
	elapsed := time.Since(start)
	if err != nil {
		b.Fatalf("%d of %d DMs delivered after %v", delivered(), len(audience), elapsed.Round(time.Second))
	}
	// Let a straggler show itself before counting each person's DMs.
	time.Sleep(2 * time.Second)
	lost, twice := 0, 0
	for _, u := range audience {
		switch got := len(h.prompts(u, "P-1")); {
		case got == 0:
			lost++
		case got > 1:
			twice++
		}
	}
	if lost > 0 || twice > 0 {
		b.Errorf("%d people got no DM and %d got more than one", lost, twice)
	}
	limited := 0
	for _, c := range fs.Calls("") {
		if c.Status == 429 {
			limited++
		}
	}
	b.ReportMetric(float64(len(audience)), "people")
	b.ReportMetric(elapsed.Seconds(), "s_to_deliver")
	b.ReportMetric(floor.Seconds(), "s_floor")
	b.ReportMetric(100*elapsed.Seconds()/floor.Seconds(), "%_of_floor")
	b.ReportMetric(float64(limited), "429s")
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(twice), "twice")
	h.stop()
}

// pagesOf is how many 200-person pages list n people.
func pagesOf(n int) int { return (n + 199) / 200 }

// fanOutFloor is the least time Slack's limits allow for a pulse to
// people: reading the audience (users.list pages at Tier 2: the first 20
// at once, then 20 a minute; conversations.members at Tier 4 never waits
// longer), then the DMs under the workspace cap (the first postsPerMinute
// at once, then as many a minute). Per-conversation pacing never binds:
// each DM has its own conversation.
func fanOutFloor(listPages, people int) time.Duration {
	minutes := func(calls, perMinute int) float64 { return math.Floor(float64(calls-1) / float64(perMinute)) }
	read := minutes(listPages, fanOutTiers["users.list"])
	send := minutes(people, postsPerMinute)
	return time.Duration((read + send) * float64(time.Minute))
}
