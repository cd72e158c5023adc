package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// golden compares v's JSON with testdata/name.golden.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s differs from %s; run go test ./bot/render -update and review the diff", name, path)
	}
}

func sampleDecision() *rituals.Decision {
	return &rituals.Decision{
		Team: "T1", Number: 12, Date: "2026-04-01",
		Title:     "API versioning strategy",
		Text:      "Use semver for public APIs; internal services use deploy-driven versioning.",
		Rationale: "Backward compatibility for public contracts. Internal services iterate faster.",
		Impact:    "Product teams will update contract tests by 2026-05-01.",
		Links:     []string{"https://tracker.example/RFC-7"},
		Owner:     "U0ANN", OwnerName: "Ann", Author: "U0ANN", Channel: "C0PLAT",
		Status: rituals.StatusDecided, Version: 1,
		CreatedAt: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC),
	}
}

func TestRenderDecisionCard(t *testing.T) {
	golden(t, "decision_card", DecisionCard(sampleDecision(), CardLinks{}))

	t.Run("SupersededLinksBothWays", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.SupersededBy, d.Supersedes, d.Area = rituals.StatusSuperseded, 13, 3, "api"
		golden(t, "decision_card_superseded", DecisionCard(d, CardLinks{
			SupersededBy: &LinkedDecision{ID: "D-13", Title: "Calendar versioning", URL: "https://acme.slack.com/archives/C0PLAT/p1"},
			Supersedes:   &LinkedDecision{ID: "D-3"},
		}))
	})

	t.Run("SiteOnLinksToTheLog", func(t *testing.T) {
		golden(t, "decision_card_log_link", DecisionCard(sampleDecision(), CardLinks{Log: "https://decisions.example.com/d/12"}))
	})

	t.Run("ProposedShowsDecideBy", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.DecideBy, d.Rationale, d.Links = rituals.StatusProposed, "2026-04-15", "", nil
		golden(t, "decision_card_proposed", DecisionCard(d, CardLinks{}))
	})

	t.Run("AwaitingTheAccountableTeam", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.DecideBy, d.Area, d.ProposedBy = rituals.StatusProposed, "2026-04-08", "payments", "U0EVE"
		d.Owner, d.OwnerName = "S0PLAT", "platform-team"
		golden(t, "decision_card_awaiting", DecisionCard(d, CardLinks{}))
		_, ask := DecisionReminder(d, rituals.ReminderAccept, "")
		golden(t, "decision_ask_accountable", ask)
		golden(t, "decision_send_back_modal", SendBackModal(ModalMeta{Channel: "C0PLAT", Number: 12}, d))
	})

	t.Run("SentBack", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.Area, d.ProposedBy, d.SentBack = rituals.StatusDropped, "payments", "U0EVE", "We bill in EUR first."
		golden(t, "decision_card_sent_back", DecisionCard(d, CardLinks{}))
	})

	t.Run("EscalatedToTheAccountableOwner", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.DecideBy, d.Area, d.Owner, d.OwnerName = rituals.StatusProposed, "2026-04-08", "payments", "U0BOB", "Bob"
		_, blocks := DecisionEscalation(d, "U0ANN")
		golden(t, "decision_escalation", blocks)
	})

	t.Run("ClimbedToTheChannelTarget", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.DecideBy, d.Area, d.Owner, d.OwnerName = rituals.StatusProposed, "2026-04-08", "payments", "U0BOB", "Bob"
		_, blocks := DecisionClimb(d, "C0LEADS")
		golden(t, "decision_climb", blocks)
		if text := blocks[0].(*slack.SectionBlock).Text.Text; !strings.Contains(text, "Escalated to <#C0LEADS>, <#C0PLAT>'s escalation target") ||
			!strings.Contains(text, "Accountable owner was told two days ago") {
			t.Fatalf("climb:\n%s", text)
		}
	})

	t.Run("LongTextSplitWithinLimits", func(t *testing.T) {
		d := sampleDecision()
		d.Text = strings.Repeat("All words are kept & <escaped> properly. ", 240) // ~9,800 characters
		blocks := DecisionCard(d, CardLinks{})
		if len(blocks) > maxBlocks {
			t.Fatalf("%d blocks, limit %d", len(blocks), maxBlocks)
		}
		var body strings.Builder
		for _, b := range blocks {
			if s, ok := b.(*slack.SectionBlock); ok {
				if n := len([]rune(s.Text.Text)); n > maxSectionText {
					t.Fatalf("section of %d characters", n)
				}
				body.WriteString(s.Text.Text)
			}
		}
		if !strings.Contains(body.String(), Mrkdwn(d.Text)) {
			t.Fatal("the card lost part of the decision")
		}
	})
}

func TestRenderDecisionList(t *testing.T) {
	d2 := sampleDecision()
	d2.Number, d2.Title, d2.Status, d2.Owner = 13, "Retire the v1 endpoints <soon>", rituals.StatusProposed, "U0BOB"
	golden(t, "decision_list", DecisionList("*Heading*", "none", []*rituals.Decision{d2, sampleDecision()}, true))

	t.Run("EmptySaysSo", func(t *testing.T) {
		blocks := DecisionList("*Heading*", "Nothing here.", nil, false)
		if len(blocks) != 1 || blocks[0].(*slack.SectionBlock).Text.Text != "Nothing here." {
			t.Fatalf("blocks=%+v", blocks)
		}
	})
	t.Run("HundredFitInOneMessage", func(t *testing.T) {
		var ds []*rituals.Decision
		for i := 0; i < rituals.MaxListLimit; i++ {
			d := sampleDecision()
			d.Title = strings.Repeat("t", rituals.MaxTitle)
			ds = append(ds, d)
		}
		if n := len(DecisionList("h", "e", ds, true)); n > maxBlocks {
			t.Fatalf("%d blocks, limit %d", n, maxBlocks)
		}
	})
}

func TestRenderDecisionModal(t *testing.T) {
	areas := []*rituals.Right{{Area: "api", Owner: "U0BOB"}, {Area: "pricing", Owner: "U0ANN"}}
	golden(t, "decision_modal_new", DecisionModal(ModalMeta{Channel: "C0PLAT", ReplyURL: "https://hooks.example/r"},
		rituals.DecisionInput{Owner: "U0ANN", Status: rituals.StatusDecided}, areas))
	d := sampleDecision()
	golden(t, "decision_modal_edit", DecisionModal(ModalMeta{Channel: "C0PLAT", Number: 12}, DecisionInput(d), areas))

	t.Run("LongDecisionKeptOutOfTheForm", func(t *testing.T) {
		in := DecisionInput(d)
		in.Text = strings.Repeat("x", 4000)
		v := DecisionModal(ModalMeta{Channel: "C0PLAT", Number: 12, KeepText: true}, in, nil)
		for _, b := range v.Blocks.BlockSet {
			if ib, ok := b.(*slack.InputBlock); ok && ib.BlockID == rituals.FieldText {
				t.Fatal("the form holds a decision field it would truncate")
			}
		}
	})
}
