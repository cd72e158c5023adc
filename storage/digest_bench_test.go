package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

// BenchmarkDigestBuild is the weekly digest of one channel built over a
// year of a 500-person workspace on SQLite: 20 channels of 25 people,
// 52 weeks of about 50,000 decisions, 20,000 blockers, 1,040 check-ins
// with 25,000 answers, and 4,160 pulses with 100,000 answers. The history
// is seeded once through the store (a minute or so); only Build is timed.
// It runs only under -bench:
//
//	go test -run '^$' -bench DigestBuild -benchtime 200x ./storage
func BenchmarkDigestBuild(b *testing.B) {
	if testdb.Postgres() {
		b.Skip("the digest benchmark runs on SQLite")
	}
	ctx := context.Background()
	db := MustOpenDB(b)
	end := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	ws := workspace{Channels: 20, Members: 25, Weeks: 52, Decisions: 48, Blockers: 19, Pulses: 4, End: end}
	began := time.Now()
	s := seedWorkspace(b, db, ws)
	checkinAnswers := 0
	for _, c := range s.checkins {
		checkinAnswers += c.Answered
	}
	b.Logf("seeded %d decisions, %d blockers, %d check-ins with %d answers, %d pulses with %d answers in %v",
		len(s.decisions), len(s.blockers), len(s.checkins), checkinAnswers, len(s.pulses), s.answers, time.Since(began).Round(time.Second))

	digests := &rituals.Digests{Store: db, Now: func() time.Time { return end },
		Pulses: &rituals.Pulses{Store: db, Now: time.Now}, Sessions: &rituals.Sessions{Store: db, Now: time.Now}}
	ref := rituals.DigestRef{Channel: channelID(7), End: end.UnixMilli(), Zone: rituals.StoredZone("Europe/Berlin")}
	g, err := digests.Build(ctx, "T1", ref)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("one channel's digest: %d decided, %d due, %d blockers opened, %d resolved, %d open, %d pulses; %d chart weeks",
		len(g.Decided), len(g.Due), len(g.Opened), len(g.Resolved), len(g.Open), len(g.Pulses), len(g.Weeks))
	b.Run("OneChannel", func(b *testing.B) {
		for b.Loop() {
			if _, err := digests.Build(ctx, "T1", ref); err != nil {
				b.Fatal(err)
			}
		}
	})
}
