package logfile_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fuzzcheck"
	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

// FuzzImportRoundTrip reads any file as a decision log. A file the
// importer refuses gets a plain sentence naming the line; a file it
// accepts is imported into an empty log and exported, and that export
// must import and export again to exactly the same text: export → import
// → export loses nothing, and never writes what the importer refuses.
func FuzzImportRoundTrip(f *testing.F) {
	for _, s := range []string{
		"# Decision Log\n## 2026-04-01 — API versioning strategy\nOwner: Platform Team\nDecision: Use semver.\nRationale: Compat.\nImpact: Contract tests.\n",
		"# Decision Log\n## 2026-03-02 — B\nDecision: b\nSupersedes: D-2 (2026-03-01 — A)\n\n## 2026-03-01 — A\nDecision: a\nStatus: superseded\nSuperseded by: D-1 (2026-03-02 — B)\n",
		"# Decision Log\n## 2026-03-02 — Pick a queue\nOwner: Bob\nDecision: Decide between\n  SQS and Kafka.\nRationale: one\n  \n  three\nStatus: proposed\nDecide by: 2026-03-20\nArea: platform\nLinks: https://t.test/1\n  https://t.test/2\nSource: https://x.slack.com/archives/C1/p1\n",
		"# Decision Log\n## 2026-01-01 —  \nDecision: d\n",
		"# Decision Log\n## 2026-01-01 — T\nDecision: d\nDecided on: 2025-12-31\nRevisit by: 2027-01-01\n",
		"\n\n# Decision Log\r\n## 2026-01-01 — T\r\nDecision: d\r\nhand-written line\r\n",
	} {
		f.Add(s)
	}
	lineNumbered := regexp.MustCompile(`^(line \d+[: ]|the file is empty: )`)
	f.Fuzz(func(t *testing.T, log string) {
		entries, err := logfile.ReadDecisionLog(strings.NewReader(log))
		if err != nil {
			msg := rituals.ErrorMessage(err)
			if !lineNumbered.MatchString(msg) {
				t.Fatalf("refusal %q names no line", msg)
			}
			if problem := fuzzcheck.Refusal(err, log); problem != "" && !strings.Contains(problem, "starts in lower case") {
				t.Fatal(problem)
			}
			return
		}
		first := importAndExport(t, entries)
		again, err := logfile.ReadDecisionLog(strings.NewReader(first))
		if err != nil {
			t.Fatalf("the importer refuses the export of what it accepted: %v\nimported:\n%s\nexported:\n%s", err, log, first)
		}
		if second := importAndExport(t, again); second != first {
			t.Fatalf("export → import → export changed the log:\n%s\n---\n%s", first, second)
		}
	})
}

// importAndExport imports entries into an empty log and exports it.
func importAndExport(t *testing.T, entries []rituals.ImportedDecision) string {
	t.Helper()
	store := &memLog{tx: &memLogTx{}}
	svc := &rituals.Decisions{Store: store, Now: func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }}
	if _, err := svc.Import(context.Background(), rituals.Caller{Team: "T1", User: "import"}, entries); err != nil {
		t.Fatalf("import: %v", err)
	}
	var buf bytes.Buffer
	if err := logfile.WriteDecisionLog(&buf, store.tx.decisions); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// memLog is a decision log in memory with only what Decisions.Import
// uses; anything else panics on the nil interfaces it embeds.
type memLog struct {
	rituals.DecisionStore
	tx *memLogTx
}

// InDecisionTx runs fn on a copy of the log and keeps the copy if fn
// succeeds.
func (m *memLog) InDecisionTx(ctx context.Context, fn func(rituals.DecisionTx) error) error {
	work := &memLogTx{decisions: slices.Clone(m.tx.decisions), next: m.tx.next}
	if err := fn(work); err != nil {
		return err
	}
	m.tx = work
	return nil
}

type memLogTx struct {
	rituals.DecisionTx
	decisions []*rituals.Decision
	next      int64
}

func (tx *memLogTx) Decisions(ctx context.Context, f rituals.DecisionFilter) ([]*rituals.Decision, error) {
	return tx.decisions, nil
}

func (tx *memLogTx) NextNumber(ctx context.Context, team, kind string) (int64, error) {
	tx.next++
	return tx.next, nil
}

func (tx *memLogTx) CreateDecision(ctx context.Context, d *rituals.Decision) error {
	tx.decisions = append(tx.decisions, d)
	return nil
}
