package bot

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
		t.Fatalf("%s differs from %s; run go test ./bot -update and review the diff", name, path)
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
	golden(t, "decision_card", decisionCard(sampleDecision(), cardLinks{}))

	t.Run("SupersededLinksBothWays", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.SupersededBy, d.Supersedes, d.Area = rituals.StatusSuperseded, 13, 3, "api"
		golden(t, "decision_card_superseded", decisionCard(d, cardLinks{
			SupersededBy: &linkedDecision{ID: "D-13", Title: "Calendar versioning", URL: "https://acme.slack.com/archives/C0PLAT/p1"},
			Supersedes:   &linkedDecision{ID: "D-3"},
		}))
	})

	t.Run("ProposedShowsDecideBy", func(t *testing.T) {
		d := sampleDecision()
		d.Status, d.DecideBy, d.Rationale, d.Links = rituals.StatusProposed, "2026-04-15", "", nil
		golden(t, "decision_card_proposed", decisionCard(d, cardLinks{}))
	})

	t.Run("LongTextSplitWithinLimits", func(t *testing.T) {
		d := sampleDecision()
		d.Text = strings.Repeat("All words are kept & <escaped> properly. ", 240) // ~9,800 characters
		blocks := decisionCard(d, cardLinks{})
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
		if !strings.Contains(body.String(), mrkdwn(d.Text)) {
			t.Fatal("the card lost part of the decision")
		}
	})
}

func TestRenderDecisionList(t *testing.T) {
	d2 := sampleDecision()
	d2.Number, d2.Title, d2.Status, d2.Owner = 13, "Retire the v1 endpoints <soon>", rituals.StatusProposed, "U0BOB"
	golden(t, "decision_list", decisionList("*Heading*", "none", []*rituals.Decision{d2, sampleDecision()}, true))

	t.Run("EmptySaysSo", func(t *testing.T) {
		blocks := decisionList("*Heading*", "Nothing here.", nil, false)
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
		if n := len(decisionList("h", "e", ds, true)); n > maxBlocks {
			t.Fatalf("%d blocks, limit %d", n, maxBlocks)
		}
	})
}

func TestRenderDecisionModal(t *testing.T) {
	areas := []*rituals.Right{{Area: "api", Owner: "U0BOB"}, {Area: "pricing", Owner: "U0ANN"}}
	golden(t, "decision_modal_new", decisionModal(modalMeta{Channel: "C0PLAT", ReplyURL: "https://hooks.example/r"},
		rituals.DecisionInput{Owner: "U0ANN", Status: rituals.StatusDecided}, areas))
	d := sampleDecision()
	golden(t, "decision_modal_edit", decisionModal(modalMeta{Channel: "C0PLAT", Number: 12}, inputOf(d), areas))

	t.Run("LongDecisionKeptOutOfTheForm", func(t *testing.T) {
		in := inputOf(d)
		in.Text = strings.Repeat("x", 4000)
		v := decisionModal(modalMeta{Channel: "C0PLAT", Number: 12, KeepText: true}, in, nil)
		for _, b := range v.Blocks.BlockSet {
			if ib, ok := b.(*slack.InputBlock); ok && ib.BlockID == rituals.FieldText {
				t.Fatal("the form holds a decision field it would truncate")
			}
		}
	})
}

func TestReadDecisionModal(t *testing.T) {
	state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		rituals.FieldTitle:     {valueAction: {Value: "T"}},
		rituals.FieldText:      {valueAction: {Value: "a < b"}},
		"owner.U0ANN":          {valueAction: {SelectedUser: "U0BOB"}},
		rituals.FieldArea:      {actionDecisionArea: {SelectedOption: slack.OptionBlockObject{Value: "api"}}},
		rituals.FieldStatus:    {valueAction: {SelectedOption: slack.OptionBlockObject{Value: "proposed"}}},
		rituals.FieldDecideBy:  {valueAction: {SelectedDate: "2026-12-01"}},
		rituals.FieldLinks:     {valueAction: {Value: "https://a.test\n\n https://b.test "}},
		rituals.FieldRationale: {valueAction: {Value: ""}},
	}}
	in := readDecisionModal(state)
	if in.Title != "T" || in.Text != "a < b" || in.Owner != "U0BOB" || in.Status != rituals.StatusProposed ||
		in.DecideBy != "2026-12-01" || len(in.Links) != 2 || in.Links[1] != "https://b.test" || in.Area != "api" {
		t.Fatalf("read %+v", in)
	}
	if got := readDecisionModal(nil); got.Title != "" {
		t.Fatalf("nil state read as %+v", got)
	}
}

func TestFieldErrors(t *testing.T) {
	view := &slack.View{Blocks: decisionModal(modalMeta{}, rituals.DecisionInput{Owner: "U1"}, nil).Blocks}
	err := &rituals.Error{Code: rituals.EINVALID, Message: "m", Fields: map[string]string{
		rituals.FieldTitle: "The title is required.", "nonexistent": "Other.", rituals.FieldOwner: "Choose an owner.",
	}}
	got := fieldErrors(err, view)
	if got[rituals.FieldTitle] == "" || got["owner.U1"] != "Choose an owner." || len(got) != 2 {
		t.Fatalf("errors=%v: unknown fields must land on the first input, owner on its suffixed block", got)
	}
	plainErr := rituals.Errorf(rituals.EFORBIDDEN, "Only the owner may.")
	if got := fieldErrors(plainErr, view); got[rituals.FieldTitle] != "Only the owner may." {
		t.Fatalf("errors=%v", got)
	}
}
