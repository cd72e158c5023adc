package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// webCardURL is the site's address as ALIGNBOT_WEB_URL gives it in the
// web tests: what cards link to.
const webCardURL = "https://decisions.example.test/"

// privateWebWords are in the web world's private decisions only.
var privateWebWords = []string{"Secret", "enterprise plan", "freeze", "G0SECRET"}

// startWebBot starts alignbot with the decision log's site on (token, if
// any, closing it) and records through the fake Slack a small log:
//
//	D-1 #general [infra] Use Postgres for billing; a rationale added; superseded by D-4
//	D-2 #secret (private) Secret pricing change for the enterprise plan
//	D-3 #random Adopt weekly demos on Fridays
//	D-4 #general [infra] Move billing to Postgres 17, superseding D-1
//	D-5 #secret (private) [infra] Secret infra freeze over the holidays
//
// It returns the harness and the site's base URL.
func startWebBot(t *testing.T, token string) (*harness, string) {
	t.Helper()
	t.Parallel()
	fs := newWorld(t)
	h := startWith(t, fs, testdb.New(t), clock.New(testStart), Config{}, func(m *Main) {
		m.Config.Web = WebConfig{Addr: "127.0.0.1:0", URL: webCardURL, Token: token}
	})
	ask := h.askDecide(t)
	if got := ask(adm, "rights add infra <@U0ANN>"); !strings.Contains(got, "Published") {
		t.Fatalf("rights add: %s", got)
	}
	h.decide(ann, general, "[infra] Use Postgres for billing")
	h.waitCards(general, 1)
	h.decide(ann, secret, "Secret pricing change for the enterprise plan")
	h.waitCards(secret, 1)
	h.decide(bob, random, "Adopt weekly demos on Fridays")
	h.waitCards(random, 1)

	ctx := context.Background()
	card := h.waitCards(general, 1)[0]
	if _, err := fs.BlockAction(ctx, fakeslack.Action{User: ann, Channel: general, MessageTS: card.TS, ActionID: "decision.rationale", Value: "1"}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the rationale form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
	v, _ := fs.TopView(ann)
	ack, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
		"rationale": {"value": fakeslack.TextValue("Billing needs transactions we can trust; the team knows Postgres.")},
	}})
	if err != nil || len(ack.Payload) > 0 {
		t.Fatalf("rationale: %v %s", err, ack.Payload)
	}
	h.waitFor("the rationale on the card", func() bool {
		return strings.Contains(messageText(fs.Messages(general)[0]), "transactions we can trust")
	})
	h.clock.Advance(26 * time.Hour) // a day later
	h.decide(ann, general, "supersede D-1 Move billing to Postgres 17 with logical replication")
	h.waitCards(general, 2)
	h.decide(ann, secret, "[infra] Secret infra freeze over the holidays")
	h.waitCards(secret, 2)
	return h, "http://" + h.main.WebAddr
}
