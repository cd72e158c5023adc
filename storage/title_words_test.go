package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/logfile"
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
		entries, err := logfile.ReadDecisionLog(strings.NewReader(`# Decision Log
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
	migrateAtOnce(t, dsn, replicas)
	wantIndexed(t, db)

	t.Run("FoundAfterwards", func(t *testing.T) {
		matches, err := db.TitlesHolding(ctx, "T0", []string{"kafka"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		var want []rituals.TitleMatch
		for _, n := range []int64{1200, 1100, 1000, 900, 800} {
			want = append(want, rituals.TitleMatch{Word: "kafka", Number: n, Words: 4})
		}
		if diff := cmp.Diff(want, matches); diff != "" {
			t.Fatalf("newest five titles holding kafka (-want +got):\n%s", diff)
		}
	})
}

// recordTitles records decisions with titles, numbered in order, in
// channel, in one transaction.
func recordTitles(t testing.TB, db *storage.DB, channel string, titles ...string) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx rituals.Tx) error {
		for _, title := range titles {
			n, err := tx.NextNumber(ctx, "T1", "D")
			if err != nil {
				return err
			}
			at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			d := &rituals.Decision{
				Team: "T1", Number: n, Date: rituals.DateOf(at), Title: title, Text: title, Owner: "UANN",
				Author: "UANN", Channel: channel, Status: rituals.StatusDecided, Version: 1, CreatedAt: at, UpdatedAt: at,
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
}

func similarIDs(t *testing.T, svc *rituals.Decisions, channel string, d *rituals.Decision) []string {
	t.Helper()
	found, err := svc.Similar(context.Background(), caller("UBOB", channel, ""), d)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, o := range found {
		ids = append(ids, o.ID())
	}
	return ids
}

func TestSimilar(t *testing.T) {
	svc, _, db := newDecisions(t)
	recordTitles(t, db, "CPUB",
		"Use semver for public APIs",         // D-1: the same words
		"Use semver for the public APIs",     // D-2: the same words
		"Order pizza on Fridays",             // D-3: none alike
		"Use semver for APIs",                // D-4: 3 of 4 words
		"Use semver for internal APIs",       // D-5: 3 of 5
		"Use semver",                         // D-6: 2 of 4, just alike enough
		"Use semver for all the public APIs", // D-7: 4 of 5
	)
	recordTitles(t, db, "GPRIV", "Use semver for public APIs") // D-8: the same, private
	recordTitles(t, db, "CPUB", "Use semver for public APIs")  // D-9: the one looked up
	d := &rituals.Decision{Team: "T1", Number: 9, Title: "Use semver for public APIs"}

	t.Run("MostAlikeFirstNewestAmongEquals", func(t *testing.T) {
		if got, want := similarIDs(t, svc, "CPUB", d), []string{"D-2", "D-1", "D-7"}; !cmp.Equal(got, want) {
			t.Fatalf("similar=%v, want %v", got, want)
		}
	})
	t.Run("PrivateOnlyInTheirChannel", func(t *testing.T) {
		if got, want := similarIDs(t, svc, "GPRIV", d), []string{"D-8", "D-2", "D-1"}; !cmp.Equal(got, want) {
			t.Fatalf("similar=%v, want %v", got, want)
		}
	})
	t.Run("NotTheOneItSupersedes", func(t *testing.T) {
		d := *d
		d.Supersedes = 2
		if got, want := similarIDs(t, svc, "CPUB", &d), []string{"D-1", "D-7", "D-4"}; !cmp.Equal(got, want) {
			t.Fatalf("similar=%v, want %v", got, want)
		}
	})
	t.Run("NoneAlike", func(t *testing.T) {
		d := &rituals.Decision{Team: "T1", Number: 10, Title: "Order sushi on Mondays"}
		if got := similarIDs(t, svc, "CPUB", d); len(got) != 0 {
			t.Fatalf("similar=%v, want none", got)
		}
	})
}

// Thousands of titles alike in all but a number crowd no older title out
// that shares a rarer word, and the most alike still come first.
func TestSimilarAmongNearIdentical(t *testing.T) {
	svc, _, db := newDecisions(t)
	titles := []string{"Adopt Kafka for billing events"} // D-1
	for i := 2; i <= 5000; i++ {
		titles = append(titles, fmt.Sprintf("Adopt Kafka for search %04d", i))
	}
	recordTitles(t, db, "CPUB", titles...)

	t.Run("OlderTitleByItsRareWord", func(t *testing.T) {
		d := &rituals.Decision{Team: "T1", Number: 5001, Title: "Adopt Kafka for billing"}
		if got, want := similarIDs(t, svc, "CPUB", d), []string{"D-1"}; !cmp.Equal(got, want) {
			t.Fatalf("similar=%v, want %v", got, want)
		}
	})
	t.Run("SameTitleFirstThenNewest", func(t *testing.T) {
		d := &rituals.Decision{Team: "T1", Number: 5001, Title: "Adopt Kafka for search 0042"}
		if got, want := similarIDs(t, svc, "CPUB", d), []string{"D-42", "D-5000", "D-4999"}; !cmp.Equal(got, want) {
			t.Fatalf("similar=%v, want %v", got, want)
		}
	})
}
