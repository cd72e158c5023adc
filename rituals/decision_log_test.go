package rituals_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

func TestWriteDecisionLog(t *testing.T) {
	t.Run("SeedTemplateExactly", func(t *testing.T) {
		d := &rituals.Decision{
			Number:    1,
			Date:      "2026-04-01",
			Title:     "API versioning strategy",
			OwnerName: "Platform Team",
			Text:      "Use semver for public APIs; internal services use deploy-driven versioning.",
			Rationale: "Backward compatibility for public contracts. Internal services iterate faster.",
			Impact:    "Product teams will update contract tests by 2026-05-01.",
		}
		var buf bytes.Buffer
		if err := rituals.WriteDecisionLog(&buf, []*rituals.Decision{d}); err != nil {
			t.Fatal(err)
		}
		want := "# Decision Log\n" +
			"## 2026-04-01 — API versioning strategy\n" +
			"Owner: Platform Team\n" +
			"Decision: Use semver for public APIs; internal services use deploy-driven versioning.\n" +
			"Rationale: Backward compatibility for public contracts. Internal services iterate faster.\n" +
			"Impact: Product teams will update contract tests by 2026-05-01.\n"
		if got := buf.String(); got != want {
			t.Fatalf("log:\n%s\nwant:\n%s", got, want)
		}
	})

	t.Run("OldestFirstMultilineAndEmpty", func(t *testing.T) {
		ds := []*rituals.Decision{
			{Number: 2, Date: "2026-04-02", Title: "B", Owner: "U1", Text: "line one\nline two"},
			{Number: 1, Date: "2026-04-01", Title: "A", OwnerName: "Ann", Text: "a", Rationale: "r", Impact: "i"},
		}
		var buf bytes.Buffer
		if err := rituals.WriteDecisionLog(&buf, ds); err != nil {
			t.Fatal(err)
		}
		want := "# Decision Log\n" +
			"## 2026-04-01 — A\nOwner: Ann\nDecision: a\nRationale: r\nImpact: i\n" +
			"\n" +
			"## 2026-04-02 — B\nOwner: U1\nDecision: line one\n  line two\nRationale:\nImpact:\n"
		if got := buf.String(); got != want {
			t.Fatalf("log:\n%q\nwant:\n%q", got, want)
		}
	})
}

func TestWriteDecisionsJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := rituals.WriteDecisionsJSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != 0 {
		t.Fatalf("empty export = %s (%v), want []", buf.String(), err)
	}
	buf.Reset()
	d := &rituals.Decision{Number: 3, Title: "T", Text: "x", Status: rituals.StatusDecided, Links: []string{"https://x.test/1"}}
	if err := rituals.WriteDecisionsJSON(&buf, []*rituals.Decision{d}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"number", "date", "title", "decision", "rationale", "impact", "owner_id", "owner_name", "author_id", "channel_id", "status", "links", "version", "created_at"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("json export lacks %q: %s", k, buf.String())
		}
	}
}
