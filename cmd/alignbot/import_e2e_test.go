package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/testdb"
)

// TestImportChecksLikeTheForm imports a log whose second entry breaks a
// rule of the decision form (an empty title, which export would write as
// a heading the importer refuses) and checks that the whole file is
// refused, naming the line, and nothing of it is written.
func TestImportChecksLikeTheForm(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	dir := t.TempDir()
	importFile := func(name, log string) (int, string, string) {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(log), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"import", "decisions", "--db", db, "--team", "T0TEAM", file}, noEnv, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	good := "# Decision Log\n## 2026-04-01 — API versioning strategy\nOwner: Platform Team\nDecision: Use semver.\n"
	if code, out, errOut := importFile("good.md", good); code != 0 || !strings.Contains(out, "1 of 1 decisions imported") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	before := (&harness{t: t, db: db}).export("decisions")

	bad := good + "\n## 2026-04-02 — Pick a queue\nDecision: Kafka.\n\n## 2026-04-03 —  \nOwner: Ann\nDecision: Nameless.\n"
	code, _, errOut := importFile("bad.md", bad)
	if want := "bad.md: line 9: The title is required."; code == 0 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stderr %q, want %q", code, errOut, want)
	}
	if after := (&harness{t: t, db: db}).export("decisions"); after != before {
		t.Fatalf("a refused import wrote to the log:\n%s", after)
	}
}
