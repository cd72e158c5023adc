package logfile_test

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

func TestMADR(t *testing.T) {
	ds := []*rituals.Decision{
		{Number: 3, Date: "2026-03-01", Title: "Use REST!", OwnerName: "Ann Lee", Text: "REST.", Status: rituals.StatusSuperseded, SupersededBy: 12},
		{Number: 12, Date: "2026-04-01", Title: "API versioning strategy", OwnerName: "Platform: Team", Text: "Use semver.",
			Rationale: "Compat.", Status: rituals.StatusDecided, Supersedes: 3, Area: "api", Links: []string{"https://rfc.test/7"}},
		{Number: 13, Date: "2026-04-02", Title: "Pick a queue", OwnerName: "Bob", Text: "?", Status: rituals.StatusDropped},
	}
	rights := map[string]*rituals.Right{"api": {Area: "api", Consulted: []string{"U1", "U2"}, Informed: []string{"C1"},
		Names: map[string]string{"U1": "Bob Ray", "C1": "platform"}}}
	files := logfile.MADR(ds, rights)
	if len(files) != 3 {
		t.Fatalf("%d files", len(files))
	}
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Name] = string(f.Content)
	}
	old, ok := byName["0003-use-rest.md"]
	if !ok || !strings.Contains(old, "status: superseded by ADR-0012\n") || !strings.Contains(old, "[ADR-0012](0012-api-versioning-strategy.md)") {
		t.Fatalf("superseded record:\n%s\nfiles %v", old, byName)
	}
	cur := byName["0012-api-versioning-strategy.md"]
	for _, want := range []string{
		"---\nstatus: accepted\ndate: 2026-04-01\n", `decision-makers: "Platform: Team"`, "consulted: Bob Ray, U2\n",
		`informed: "#platform"`, "# API versioning strategy\n", "## Context and Problem Statement\n\nCompat.\n",
		"## Decision Outcome\n\nUse semver.\n", "### Consequences\n\nNot recorded.\n", "* <https://rfc.test/7>",
		"Supersedes [ADR-0003](0003-use-rest.md)",
	} {
		if !strings.Contains(cur, want) {
			t.Errorf("record lacks %q:\n%s", want, cur)
		}
	}
	if !strings.Contains(byName["0013-pick-a-queue.md"], "status: rejected\n") {
		t.Errorf("dropped record:\n%s", byName["0013-pick-a-queue.md"])
	}
}
