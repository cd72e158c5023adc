package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

func TestSupersedeChainOfThree(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.decide(ann, general, "Use REST for public APIs")
	h.waitCards(general, 1)
	h.decide(ann, general, "supersede D-1 Use gRPC for public APIs")
	h.waitCards(general, 2)
	h.decide(ann, general, "supersede 2 Use GraphQL for public APIs")
	h.waitCards(general, 3)

	h.waitFor("the old cards marked", func() bool {
		c := h.botMessages(general)
		return strings.Contains(messageText(c[0]), "Superseded by *D-2*") && strings.Contains(messageText(c[1]), "Superseded by *D-3*")
	})
	cards := h.botMessages(general)
	if text := messageText(cards[1]); !strings.Contains(text, "Supersedes *D-1*") || !strings.Contains(text, "Use REST for public APIs") {
		t.Fatalf("middle card:\n%s", text)
	}
	if text := messageText(cards[2]); !strings.Contains(text, "Supersedes *D-2*") || !strings.Contains(text, "Decided") {
		t.Fatalf("newest card:\n%s", text)
	}
	if !strings.Contains(messageText(cards[0]), "archives/C0GENERAL") {
		t.Fatalf("the old card does not link to its successor's card:\n%s", messageText(cards[0]))
	}

	log := h.export("decisions")
	for _, want := range []string{
		"Status: superseded\nSuperseded by: D-2 (2026-11-25 — Use gRPC for public APIs)",
		"Supersedes: D-1 (2026-11-25 — Use REST for public APIs)\nSuperseded by: D-3 (2026-11-25 — Use GraphQL for public APIs)",
		"## 2026-11-25 — Use GraphQL for public APIs\nOwner: Ann Lee\nDecision: Use GraphQL for public APIs\nRationale:\nImpact:\nSupersedes: D-2",
	} {
		if !strings.Contains(log, want) {
			t.Fatalf("export lacks %q:\n%s", want, log)
		}
	}

	t.Run("MADRRecordsPointForward", func(t *testing.T) {
		dir := t.TempDir()
		h.export("decisions", "--format", "madr", "--out", dir)
		read := func(name string) string {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		fi, err := os.Stat(filepath.Join(dir, "0001-use-rest-for-public-apis.md"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Fatalf("record mode %v, want 0600: a record may hold a private channel's decision", got)
		}
		if got := read("0001-use-rest-for-public-apis.md"); !strings.Contains(got, "status: superseded by ADR-0002") {
			t.Fatalf("0001:\n%s", got)
		}
		got := read("0003-use-graphql-for-public-apis.md")
		for _, want := range []string{"status: accepted", "date: 2026-11-25", "decision-makers: Ann Lee", "Supersedes [ADR-0002](0002-use-grpc-for-public-apis.md)"} {
			if !strings.Contains(got, want) {
				t.Fatalf("0003 lacks %q:\n%s", want, got)
			}
		}
	})
	t.Run("ErrSupersedeAgain", func(t *testing.T) {
		next := len(fs.Ephemerals(ann)) + 1
		h.decide(ann, general, "supersede D-1 Use SOAP")
		if got := h.waitEphemeral(ann, next); !strings.Contains(got, "D-1 was already superseded by D-2; supersede that one instead") {
			t.Fatalf("reply:\n%s", got)
		}
	})
	t.Run("ErrSupersedeNotYours", func(t *testing.T) {
		next := len(fs.Ephemerals(eve)) + 1
		h.decide(eve, general, "supersede D-3 Use SOAP")
		if got := h.waitEphemeral(eve, next); !strings.Contains(got, "Only its owner (Ann Lee), its author or an admin can change D-3") {
			t.Fatalf("reply:\n%s", got)
		}
	})
}

func TestDecisionRights(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs) // ALIGNBOT_ADMINS is Ada: only she may publish rights
	fs.AddChannel(fakeslack.Channel{ID: "C0PLATFORM", Name: "platform", Members: []string{eve, fs.BotUserID()}})
	ask := func(user, channel, text string) string {
		t.Helper()
		next := len(fs.Ephemerals(user)) + 1
		h.decide(user, channel, text)
		return h.waitEphemeral(user, next)
	}
	if got := ask(eve, general, "rights add api <@U0BOB> consulted <@U0EVE> informed <#C0PLATFORM|platform>"); !strings.Contains(got, "Only alignbot's admins") {
		t.Fatalf("a non-admin published rights:\n%s", got)
	}
	if got := ask(adm, general, "rights add api <@U0BOB> informed <#G0NOBOT|>"); !strings.Contains(got, "I can't post in <#G0NOBOT>") {
		t.Fatalf("an informed channel the bot is not in:\n%s", got)
	}
	if got := ask(adm, general, "rights add api <@U0BOB> consulted <@U0EVE> <@U0ANN> informed <#C0PLATFORM|platform>"); !strings.Contains(got, "Published: *api* — owner <@U0BOB>") {
		t.Fatalf("add:\n%s", got)
	}
	if got := ask(eve, general, "rights"); !strings.Contains(got, "*api* — owner <@U0BOB>, consulted <@U0EVE> <@U0ANN>, informed <#C0PLATFORM>") {
		t.Fatalf("list:\n%s", got)
	}

	t.Run("TaggedDecisionFollowsTheRights", func(t *testing.T) {
		h.decide(ann, general, "[api] Version public APIs with semver")
		card := h.waitCards(general, 1)[0]
		if text := messageText(card); !strings.Contains(text, "Owner <@U0BOB>") || !strings.Contains(text, "Area `api`") {
			t.Fatalf("card:\n%s", text)
		}
		informed := h.waitCards("C0PLATFORM", 1)[0]
		if text := messageText(informed); !strings.Contains(text, "Version public APIs with semver") || !strings.Contains(text, "informed of the `api` area") {
			t.Fatalf("informed card:\n%s", text)
		}
		h.waitFor("the consulted pinged in the card's thread", func() bool {
			for _, m := range fs.Messages(general) {
				if m.ThreadTS == card.TS && strings.Contains(messageText(m), "<@U0EVE> <@U0ANN> you are consulted on D-1") {
					return true
				}
			}
			return false
		})
	})
	t.Run("EditUpdatesEveryCard", func(t *testing.T) {
		card := h.botMessages(general)[0]
		fs.BlockAction(context.Background(), fakeslack.Action{User: bob, Channel: general, MessageTS: card.TS, ActionID: "decision.rationale", Value: "1"})
		h.waitFor("the rationale form", func() bool { v, ok := fs.TopView(bob); return ok && v.Open })
		v, _ := fs.TopView(bob)
		fs.ViewSubmission(context.Background(), fakeslack.Submit{User: bob, ViewID: v.ID, Values: map[string]map[string]any{
			"rationale": {"value": fakeslack.TextValue("Consumers pin majors.")}}})
		h.waitFor("both cards updated", func() bool {
			return strings.Contains(messageText(h.botMessages("C0PLATFORM")[0]), "Consumers pin majors.") &&
				strings.Contains(messageText(h.botMessages(general)[0]), "Consumers pin majors.")
		})
	})
	t.Run("PrivateDecisionStaysPrivate", func(t *testing.T) {
		h.decide(ann, secret, "[api] Secret API sunset plan")
		h.waitCards(secret, 1)
		h.decide(ann, general, "A later public decision")
		h.waitCards(general, 2)
		for _, m := range fs.Messages("C0PLATFORM") {
			if strings.Contains(messageText(m), "Secret API sunset") {
				t.Fatal("a private channel's decision was posted to an informed channel")
			}
		}
	})
	t.Run("FormSuggestsTheAreaOwner", func(t *testing.T) {
		h.decide(ann, general, "")
		h.waitFor("the form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open && v.CallbackID == "decision.new" })
		v, _ := fs.TopView(ann)
		if _, err := fs.BlockAction(context.Background(), fakeslack.Action{User: ann, ViewID: v.ID, ActionID: "decision.area", Value: "api"}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the owner suggested", func() bool {
			v, _ := fs.TopView(ann)
			return strings.Contains(fmt.Sprint(v.Blocks), "owner.U0BOB")
		})
	})
	t.Run("ATagNamingNoAreaStaysInTheTitle", func(t *testing.T) {
		h.decide(ann, general, "[WIP] Freeze the schema")
		card := h.waitCards(general, 3)[2]
		if text := messageText(card); !strings.Contains(text, "[WIP] Freeze the schema") || strings.Contains(text, "Area `") || !strings.Contains(text, "Owner <@U0ANN>") {
			t.Fatalf("card of [WIP] with no wip area:\n%s", text)
		}
		h.decide(ann, general, "[RFC-12]")
		h.waitFor("the form", func() bool {
			v, ok := fs.TopView(ann)
			return ok && v.Open && v.CallbackID == "decision.new" && strings.Contains(fmt.Sprint(v.Blocks), "[RFC-12]")
		})
	})
	t.Run("Remove", func(t *testing.T) {
		if got := ask(adm, general, "rights remove api"); !strings.Contains(got, "withdrawn") {
			t.Fatalf("remove:\n%s", got)
		}
		if got := ask(adm, general, "rights remove api"); !strings.Contains(got, `There is no decision area "api"`) {
			t.Fatalf("remove twice:\n%s", got)
		}
	})
}

func TestSearchOverTenThousandDecisions(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	topics := []string{"billing", "onboarding", "search", "caching", "logging", "alerts", "pricing", "exports"}
	err := h.main.DB.InTx(ctx, func(tx rituals.Tx) error {
		for i := 0; i < 10000; i++ {
			n, err := tx.NextNumber(ctx, fs.TeamID(), "D")
			if err != nil {
				return err
			}
			topic := topics[i%len(topics)]
			d := &rituals.Decision{Team: fs.TeamID(), Number: n, Date: "2026-01-01", Channel: general, Owner: ann,
				Title: fmt.Sprintf("Decision %d about %s", i, topic), Text: fmt.Sprintf("We keep %s simple, iteration %d.", topic, i),
				Status: rituals.StatusDecided, Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if i == 7777 {
				d.Title, d.Text = "Adopt idempotency keys for payment retries", "Every payment request carries an idempotency key."
				d.Rationale = "Retries must never charge twice."
			}
			if err := tx.CreateDecision(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	next := len(fs.Ephemerals(bob)) + 1
	start := time.Now()
	h.decide(bob, general, "search idempotent payment retry")
	got := h.waitEphemeral(bob, next)
	t.Logf("search answered in %v", time.Since(start))
	if !strings.HasPrefix(got, "*1 decision matching") || !strings.Contains(got, "*D-7778*") {
		t.Fatalf("search:\n%s", got)
	}
	next++
	h.decide(bob, general, "search caching")
	if got := h.waitEphemeral(bob, next); !strings.Contains(got, "*1250 decisions matching") && !strings.Contains(got, "20 decisions matching") {
		t.Fatalf("search caching:\n%s", got[:min(len(got), 300)])
	}
}

func TestDidWeAlreadyDecideThis(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	h.decide(ann, general, "Use semver for public APIs")
	h.waitCards(general, 1)
	h.decide(bob, general, "Use semver for all the public APIs")
	got := h.waitEphemeral(bob, 1)
	if !strings.Contains(got, "Did we already decide this?") || !strings.Contains(got, "*D-1*") {
		t.Fatalf("reply:\n%s", got)
	}
	h.decide(bob, general, "Order pizza on Fridays")
	h.waitCards(general, 3)
	if n := len(fs.Ephemerals(bob)); n != 1 {
		t.Fatalf("%d replies: an unrelated title was flagged", n)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	proposeDecision(t, h, "Pick a message queue", bob, "2026-12-20")
	h.decide(ann, general, "")
	h.waitFor("the form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open && v.CallbackID == "decision.new" })
	v, _ := fs.TopView(ann)
	fs.ViewSubmission(context.Background(), fakeslack.Submit{User: ann, ViewID: v.ID, Values: map[string]map[string]any{
		"title":      {"value": fakeslack.TextValue("API versioning strategy")},
		"decision":   {"value": fakeslack.TextValue("Use semver for public APIs; internal services use deploy-driven versioning.\nSecond line & <more>.")},
		"rationale":  {"value": fakeslack.TextValue("Backward compatibility for public contracts.")},
		"impact":     {"value": fakeslack.TextValue("Product teams will update contract tests by 2026-05-01.")},
		"revisit_by": {"value": fakeslack.DateValue("2027-06-01")},
		"links":      {"value": fakeslack.TextValue("https://tracker.example/RFC-7\nhttps://tracker.example/RFC-8")},
	}})
	h.waitCards(general, 2)
	h.decide(ann, general, "supersede D-2 Use calver for public APIs")
	h.waitCards(general, 3)

	first := h.export("decisions")
	file := filepath.Join(t.TempDir(), "log.md")
	os.WriteFile(file, []byte(first), 0o644)
	fresh := testdb.New(t)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"import", "decisions", "--format", "markdown", "--db", fresh, "--team", fs.TeamID(), file}, noEnv, &out, &errOut); code != 0 {
		t.Fatalf("import: %s", errOut.String())
	}
	if !strings.Contains(out.String(), "3 of 3 decisions imported") {
		t.Fatalf("import said %q", out.String())
	}
	second := (&harness{t: t, db: fresh}).export("decisions")
	if first != second {
		t.Fatalf("export → import → export changed the log:\n%s\n---\n%s", first, second)
	}
	t.Run("ImportAgainAddsNothing", func(t *testing.T) {
		out.Reset()
		run(context.Background(), []string{"import", "decisions", "--db", fresh, file}, noEnv, &out, &errOut)
		if !strings.Contains(out.String(), "0 of 3 decisions imported") {
			t.Fatalf("second import said %q", out.String())
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.md")
		os.WriteFile(bad, []byte("# Decision Log\n## 2026-01-01 — T\nOwner: x\n"), 0o644)
		errOut.Reset()
		if code := run(context.Background(), []string{"import", "decisions", "--db", fresh, bad}, noEnv, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "has no Decision line") {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
	})
}

func TestRecordAsDecisionFromAMessage(t *testing.T) {
	fs := newWorld(t)
	h := startBot(t, fs)
	ctx := context.Background()
	ts, err := fs.PostUserMessage(ctx, bob, general, "OK, agreed: we freeze the API on Fridays & ship Mondays.", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Shortcut(ctx, fakeslack.Shortcut{User: ann, Channel: general, MessageTS: ts, CallbackID: "record_decision"}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the prefilled form", func() bool { v, ok := fs.TopView(ann); return ok && v.Open })
	v, _ := fs.TopView(ann)
	if !strings.Contains(fmt.Sprint(v.Blocks), "we freeze the API on Fridays & ship Mondays.") {
		t.Fatalf("the form is not filled with the message:\n%v", v.Blocks)
	}
	if _, err := fs.ViewSubmission(ctx, fakeslack.Submit{User: ann, ViewID: v.ID}); err != nil {
		t.Fatal(err)
	}
	card := messageText(h.waitCards(general, 1)[0])
	if !strings.Contains(card, "Recorded from <https://acme.slack.com/archives/C0GENERAL/p"+strings.ReplaceAll(ts, ".", "")) {
		t.Fatalf("the card does not link its source message:\n%s", card)
	}
	if src := h.exportJSON()[0]["source"]; !strings.Contains(fmt.Sprint(src), "archives/C0GENERAL") {
		t.Fatalf("source=%v", src)
	}
}
