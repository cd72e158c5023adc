package storage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// wantIndexed fails unless the title-word index holds exactly the words
// of every decision's current title, each with the title's word count,
// and every decision says how many words it was indexed with.
func wantIndexed(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	want, got := map[string]int{}, map[string]int{}
	rows, err := db.QueryRowsForTest(ctx, `SELECT team_id, number, title, title_words FROM decisions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var team, title string
		var number int64
		var indexed int
		if err := rows.Scan(&team, &number, &title, &indexed); err != nil {
			t.Fatal(err)
		}
		words := rituals.TitleWords(title)
		if indexed != len(words) {
			t.Errorf("D-%d %q: title_words=%d, want %d", number, title, indexed, len(words))
		}
		for _, w := range words {
			want[fmt.Sprintf("%s D-%d %s", team, number, w)] = len(words)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	rows, err = db.QueryRowsForTest(ctx, `SELECT team_id, number, word, words FROM decision_title_words`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var team, word string
		var number int64
		var words int
		if err := rows.Scan(&team, &number, &word, &words); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprintf("%s D-%d %s", team, number, word)] = words
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("title-word index (-want +got):\n%s", diff)
	}
}

func TestTitleWordsFollowWrites(t *testing.T) {
	ctx := context.Background()
	svc, _, db := newDecisions(t)
	ann := caller("UANN", "CPUB", "")
	req := 0
	as := func(c rituals.Caller) rituals.Caller {
		req++
		c.RequestID = fmt.Sprintf("env-%d", req)
		return c
	}

	if _, err := svc.Record(ctx, as(ann), rituals.QuickDecision("Use semver for public APIs")); err != nil {
		t.Fatal(err)
	}
	t.Run("Create", func(t *testing.T) { wantIndexed(t, db) })

	t.Run("TitleEdit", func(t *testing.T) {
		d, err := svc.ForEdit(ctx, ann, 1)
		if err != nil {
			t.Fatal(err)
		}
		in := rituals.DecisionInput{Title: "Version the public APIs semantically", Text: d.Text, Status: d.Status}
		if _, err := svc.Edit(ctx, as(ann), 1, in); err != nil {
			t.Fatal(err)
		}
		wantIndexed(t, db)
	})

	t.Run("EditKeepingTheWords", func(t *testing.T) {
		if _, err := svc.AddRationale(ctx, as(ann), 1, "Consumers need to know what breaks."); err != nil {
			t.Fatal(err)
		}
		wantIndexed(t, db)
	})

	t.Run("Supersede", func(t *testing.T) {
		if _, err := svc.Supersede(ctx, as(ann), 1, rituals.QuickDecision("Version every API with semver")); err != nil {
			t.Fatal(err)
		}
		wantIndexed(t, db)
	})

	t.Run("Import", func(t *testing.T) {
		entries, err := rituals.ReadDecisionLog(strings.NewReader(`# Decision Log
## 2026-03-01 — Adopt Kafka for billing events
Owner: Ann
Decision: Billing publishes its events on Kafka.

## 2026-03-02 — Retire the billing cron jobs
Owner: Ann
Decision: Kafka consumers replace them.
`))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Import(ctx, as(ann), entries); err != nil || n != 2 {
			t.Fatalf("imported %d, err %v; want 2", n, err)
		}
		wantIndexed(t, db)
	})
}

// Decisions written before the title-word index existed are indexed
// when the store migrates, in batches, by PostgreSQL replicas starting
// at once too.
func TestTitleWordsBackfill(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.New(t)
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.MigrateToForTest(ctx, 12, 3); err != nil {
		t.Fatal(err)
	}
	// More than one batch of decisions, as the schema before the index
	// held them.
	const n = 1234
	for i := 1; i <= n; i++ {
		title := fmt.Sprintf("Replica decision %04d", i)
		if i%100 == 0 {
			title = fmt.Sprintf("Adopt Kafka for billing (%d)", i)
		}
		err := db.ExecForTest(ctx, `INSERT INTO decisions (team_id, number, id, date, title, text, status, version, created_at, updated_at)
			VALUES (?, ?, ?, '2026-03-01', ?, ?, 'decided', 1, 0, 0)`, fmt.Sprintf("T%d", i%2), i, i, title, title)
		if err != nil {
			t.Fatal(err)
		}
	}

	// Replicas sharing PostgreSQL start at once; one process owns a
	// SQLite file.
	replicas := 1
	if testdb.Postgres() {
		replicas = 3
	}
	var wg sync.WaitGroup
	errs := make(chan error, replicas)
	for range replicas {
		wg.Go(func() {
			replica, err := storage.Open(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			defer replica.Close()
			errs <- replica.Migrate(ctx, nil)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	wantIndexed(t, db)

}
