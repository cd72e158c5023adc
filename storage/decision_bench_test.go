package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alignbot/alignbot/bench/corpus"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// The benchmarks here run only under -bench, once per database (the
// package's TestMain runs SQLite, then PostgreSQL when it answers):
//
//	go test -run '^$' -bench 'RecordDecision|SearchDecisions' -benchmem ./storage

// benchChannels are the channels benchmark decisions are recorded in: a
// few private ones, whose decisions other channels must not see.
func benchChannels(b *testing.B, db *storage.DB) []rituals.Channel {
	var chs []rituals.Channel
	for i := range 20 {
		ch := rituals.Channel{Team: "T1", ID: fmt.Sprintf("CB%02d", i), Name: fmt.Sprintf("team-%d", i), Private: i%10 == 9}
		if err := db.SaveChannel(context.Background(), ch, time.Now()); err != nil {
			b.Fatal(err)
		}
		chs = append(chs, ch)
	}
	return chs
}

// BenchmarkRecordDecision is `/decide <text>` below the Slack edge: the
// domain's Record (validate, claim the request, number, insert, queue the
// card) committed as one transaction. Parallel runs 8 at once, as the
// bot's handlers do under load.
func BenchmarkRecordDecision(b *testing.B) {
	b.Run(testdb.Dialect(), func(b *testing.B) {
		for _, par := range []int{1, 8} {
			b.Run(fmt.Sprintf("Concurrent%d", par), func(b *testing.B) {
				db := MustOpenDB(b)
				chs := benchChannels(b, db)
				svc := &rituals.Decisions{Store: db, Now: time.Now}
				var seq atomic.Int64
				record := func(rng *rand.Rand) {
					n := int(seq.Add(1))
					ch := chs[n%len(chs)]
					c := rituals.Caller{Team: "T1", User: fmt.Sprintf("U%03d", n%500), Channel: ch.ID,
						ChannelPrivate: ch.Private, Location: time.UTC, RequestID: fmt.Sprintf("env-%d", n)}
					if _, err := svc.Record(context.Background(), c, rituals.QuickDecision(corpus.Title(rng, n))); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				if par == 1 {
					rng := rand.New(rand.NewPCG(1, 1))
					for b.Loop() {
						record(rng)
					}
					return
				}
				// RunParallel starts GOMAXPROCS × parallelism goroutines.
				b.SetParallelism(max(1, par/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(uint64(seq.Add(1)), 1))
					for pb.Next() {
						record(rng)
					}
				})
			})
		}
	})
}

// BenchmarkSearchDecisions searches a log of 100,000 decisions (seeded
// once, in batches) the way the bot does: `/decide search <two words>`
// (every word, prefix, best first, at most MaxSearchResults), the same for
// a word only a few decisions hold, and the "did we already decide
// this?" lookup that follows every new decision (the title-word index).
func BenchmarkSearchDecisions(b *testing.B) {
	b.Run(testdb.Dialect(), func(b *testing.B) {
		const n = 100_000
		db := MustOpenDB(b)
		chs := benchChannels(b, db)
		start := time.Now()
		seedDecisions(b, db, chs, n)
		b.Logf("seeded %d decisions in %v", n, time.Since(start).Round(time.Millisecond))
		analyze(b, db)
		svc := &rituals.Decisions{Store: db, Now: time.Now}
		viewer := rituals.Caller{Team: "T1", User: "U001", Channel: chs[0].ID, Location: time.UTC}
		rng := rand.New(rand.NewPCG(7, 7))
		queries := make([]string, 64)
		for i := range queries {
			queries[i] = corpus.Query(rng)
		}
		b.Run("TwoWords", func(b *testing.B) {
			b.ReportAllocs()
			found := 0
			for i := 0; b.Loop(); i++ {
				ds, err := svc.Search(context.Background(), viewer, queries[i%len(queries)])
				if err != nil {
					b.Fatal(err)
				}
				found += len(ds)
			}
			b.ReportMetric(float64(found)/float64(b.N), "results/op")
		})
		b.Run("RareWord", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				// "#12345" is in one title: the search is a lookup.
				if _, err := svc.Search(context.Background(), viewer, fmt.Sprint(1+i*7919%n)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("SimilarTitles", func(b *testing.B) {
			b.ReportAllocs()
			titles := make([]*rituals.Decision, 64)
			for i := range titles {
				titles[i] = &rituals.Decision{Team: "T1", Number: int64(n + 1 + i), Title: corpus.Title(rng, n+1+i)}
			}
			for i := 0; b.Loop(); i++ {
				if _, err := svc.Similar(context.Background(), viewer, titles[i%len(titles)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// seedDecisions inserts n decisions spread over chs, 1,000 a transaction.
// analyze gathers PostgreSQL's planner statistics, as autovacuum does once
// a table has grown: seeding is faster than it wakes, and without them the
// planner reads every decision of the workspace for a rare word.
func analyze(b *testing.B, db *storage.DB) {
	if !testdb.Postgres() {
		return
	}
	rows, err := db.QueryRowsForTest(context.Background(), "ANALYZE")
	if err != nil {
		b.Fatal(err)
	}
	rows.Close()
}

func seedDecisions(b *testing.B, db *storage.DB, chs []rituals.Channel, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	day := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := db.InTx(ctx, func(tx rituals.Tx) error {
			for i := 0; i < 1000 && done < n; i++ {
				num, err := tx.NextNumber(ctx, "T1", "D")
				if err != nil {
					return err
				}
				ch := chs[done%len(chs)]
				at := day.Add(time.Duration(done) * 15 * time.Minute)
				title := corpus.Title(rng, int(num))
				d := &rituals.Decision{
					Team: "T1", Number: num, Date: rituals.DateOf(at), Title: title, Text: title,
					Rationale: corpus.Reason(rng), Owner: "U001", Author: "U001", Channel: ch.ID,
					ChannelPrivate: ch.Private, Status: rituals.StatusDecided, Version: 1,
					CreatedAt: at, UpdatedAt: at, DecidedAt: at,
				}
				if err := tx.CreateDecision(ctx, d); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimilarNearIdentical is the "did we already decide this?"
// lookup after a /decide whose title all but repeats every title in the
// log, at 1,000 and at 50,000 of them: it reads the same rows either
// way, so it costs about the same.
//
//	go test -run '^$' -bench SimilarNearIdentical -benchmem ./storage
func BenchmarkSimilarNearIdentical(b *testing.B) {
	b.Run(testdb.Dialect(), func(b *testing.B) {
		for _, n := range []int{1_000, 50_000} {
			b.Run(fmt.Sprintf("Decisions%d", n), func(b *testing.B) {
				db := MustOpenDB(b)
				title := func(i int) string { return fmt.Sprintf("Adopt Kafka for billing (#%d)", i) }
				titles := make([]string, n)
				for i := range titles {
					titles[i] = title(i + 1)
				}
				recordTitles(b, db, "CPUB", titles...)
				analyze(b, db)
				svc := &rituals.Decisions{Store: db, Now: time.Now}
				d := &rituals.Decision{Team: "T1", Number: int64(n + 1), Title: title(n + 1)}
				b.ReportAllocs()
				for b.Loop() {
					found, err := svc.Similar(context.Background(), caller("UBOB", "CPUB", ""), d)
					if err != nil || len(found) != 3 || found[0].Number != int64(n) {
						b.Fatalf("similar=%v, err %v; want the newest three", found, err)
					}
				}
			})
		}
	})
}
