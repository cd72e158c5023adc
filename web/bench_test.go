package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/alignbot/alignbot/bench/corpus"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
	"github.com/alignbot/alignbot/web"
)

// The site's benchmarks run only under -bench, once per database:
//
//	go test -run '^$' -bench . -benchmem ./web
//
// Each page reports its size (B/page). BENCHMARKS.md keeps the numbers;
// no test asserts a time.

// benchDecisions is the log's size the issue names.
const benchDecisions = 10000

// seedMany opens a store holding n decisions spread over two years, 40
// channels (every tenth private), 12 areas and 300 owners, with realistic
// texts, written in batches; every fifth decision has an earlier version.
func seedMany(b testing.TB, n int) *storage.DB {
	b.Helper()
	ctx := context.Background()
	db, dsn := openStore(b)
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		ch := rituals.Channel{Team: "T1", ID: fmt.Sprintf("CB%02d", i), Name: fmt.Sprintf("team-%d", i), Private: i%10 == 9}
		if err := db.SaveChannel(ctx, ch, start); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(19, 19))
	statuses := []rituals.DecisionStatus{rituals.StatusDecided, rituals.StatusDecided, rituals.StatusDecided, rituals.StatusProposed, rituals.StatusDeprecated}
	const batch = 500
	for from := 0; from < n; from += batch {
		err := db.InDecisionTx(ctx, func(tx rituals.DecisionTx) error {
			for i := from; i < min(from+batch, n); i++ {
				at := start.Add(time.Duration(i) * 2 * 24 * time.Hour * 365 / time.Duration(n))
				owner := rng.IntN(300)
				d := &rituals.Decision{
					Team: "T1", Date: rituals.DateOf(at), Title: corpus.Title(rng, i), Text: corpus.Title(rng, i+1) + ". " + corpus.Reason(rng),
					Rationale: corpus.Reason(rng), Impact: corpus.Reason(rng), Links: []string{"https://tracker.example.com/DEC-" + fmt.Sprint(i)},
					Owner: fmt.Sprintf("U%04d", owner), OwnerName: fmt.Sprintf("Person %d", owner), Author: fmt.Sprintf("U%04d", owner),
					Channel: fmt.Sprintf("CB%02d", i%40), ChannelPrivate: i%40%10 == 9, Status: statuses[i%len(statuses)],
					Area: fmt.Sprintf("area-%d", i%12), Version: 1, CreatedAt: at, UpdatedAt: at,
				}
				if d.Status == rituals.StatusProposed {
					d.DecideBy = d.Date.AddDays(14)
				}
				num, err := tx.NextNumber(ctx, "T1", "D")
				if err != nil {
					return err
				}
				d.Number = num
				if err := tx.CreateDecision(ctx, d); err != nil {
					return err
				}
				if i%5 == 0 {
					d.Rationale += " Revisited after a month."
					d.Version++
					if err := tx.UpdateDecision(ctx, d, d.Owner, at.Add(30*24*time.Hour)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if testdb.Postgres() {
		analyze(b, dsn)
	}
	return db
}

// analyze gathers PostgreSQL's planner statistics after the bulk load, as
// autovacuum would soon after.
func analyze(b testing.TB, dsn string) {
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSite serves the site's pages over a log of 10,000 decisions.
func BenchmarkSite(b *testing.B) {
	b.Run(testdb.Dialect(), func(b *testing.B) {
		db := seedMany(b, benchDecisions)
		h := (&web.Site{Store: db, Team: "T1"}).Handler()
		for _, path := range []string{
			"/", "/?page=90", "/?area=area-3", "/?channel=CB04&status=decided",
			"/?from=2025-06-01&to=2025-06-30", "/?q=postgresql", "/?q=kafka+billing",
			"/d/5001", "/api/decisions", "/api/decisions/5001", "/feed.atom",
		} {
			b.Run(path, func(b *testing.B) {
				var size int
				b.ReportAllocs()
				for b.Loop() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
					if w.Code != http.StatusOK {
						b.Fatalf("%s: status %d: %.300s", path, w.Code, w.Body)
					}
					size = w.Body.Len()
				}
				b.ReportMetric(float64(size), "B/page")
			})
		}
	})
}

// BenchmarkExport writes the whole site of 10,000 decisions as files.
func BenchmarkExport(b *testing.B) {
	b.Run(testdb.Dialect(), func(b *testing.B) {
		db := seedMany(b, benchDecisions)
		site := &web.Site{Store: db, Team: "T1"}
		dir := filepath.Join(b.TempDir(), "site")
		for b.Loop() {
			if _, err := site.Export(context.Background(), dir); err != nil {
				b.Fatal(err)
			}
		}
	})
}
