package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// BenchmarkHomeRender measures one App Home render for a busy person in a
// 500-person workspace with a year of history: every query of the Home
// and its Block Kit, channel memberships coming from the bot's cache as
// they do after the first render. It runs on SQLite, then on PostgreSQL:
//
//	go test -run '^$' -bench HomeRender ./cmd/alignbot
//
// The year: 50,000 decisions, 20,000 blockers (300 open), a weekly
// check-in in each of 30 channels with 25,000 answers, 200 pulses to
// everyone (about 100,000 audience rows). The busy person owns 30 open
// proposals, must act on 30 open blockers, has 15 check-ins and 12 pulses
// to answer and 20 reminders held back: every list is over its cap.
func BenchmarkHomeRender(b *testing.B) {
	ctx := context.Background()
	w := seedHomeBench(b)
	b.Run("BusyPerson", func(b *testing.B) {
		view, err := w.out.HomeView(ctx, w.team, w.busy) // memberships cached from here on
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if view, err = w.out.HomeView(ctx, w.team, w.busy); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(view.Blocks.BlockSet)), "blocks")
	})
}

type homeBench struct {
	db         *storage.DB
	out        *delivery.Deliverer
	team, busy string
}

// seedHomeBench builds the workspace in the fake Slack and its year in a
// fresh database, through the store's own methods.
func seedHomeBench(b *testing.B) homeBench {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	rnd := rand.New(rand.NewPCG(9, 9))
	fs := fakeslack.NewT(b, fakeslack.Options{Logf: func(string, ...any) {}})
	team := fs.TeamID()

	people := make([]string, 500)
	for i := range people {
		people[i] = fmt.Sprintf("U1%04d", i)
		fs.AddUser(fakeslack.User{ID: people[i], Name: fmt.Sprintf("person%04d", i), TZ: "Europe/Berlin"})
	}
	busy := people[0]
	// 30 channels, 5 private, each with 100 people; the busy person is in
	// the first 20 (two of them private).
	type channel struct {
		id      string
		private bool
		members []string
	}
	var channels []channel
	for i := range 30 {
		c := channel{id: fmt.Sprintf("C1CH%02d", i), private: i%6 == 5}
		if c.private {
			c.id = fmt.Sprintf("G1CH%02d", i)
		}
		c.members = append(c.members, people[1+rnd.IntN(499)])
		for len(c.members) < 100 {
			if p := people[1+rnd.IntN(499)]; !slices.Contains(c.members, p) {
				c.members = append(c.members, p)
			}
		}
		if i < 20 {
			c.members[0] = busy
		}
		fs.AddChannel(fakeslack.Channel{ID: c.id, Name: c.id, Private: c.private, Members: append(slices.Clone(c.members), fs.BotUserID())})
		channels = append(channels, c)
	}

	dsn := testdb.New(b)
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	db.Now = clock
	batch := func(n int, fn func(tx rituals.Tx, i int) error) {
		b.Helper()
		for start := 0; start < n; start += 2000 {
			err := db.InTx(ctx, func(tx rituals.Tx) error {
				for i := start; i < min(start+2000, n); i++ {
					if err := fn(tx, i); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, c := range channels {
		if err := db.SaveChannel(ctx, rituals.Channel{Team: team, ID: c.id, Name: c.id, Private: c.private}, now); err != nil {
			b.Fatal(err)
		}
	}
	year := now.AddDate(-1, 0, 0)
	at := func(i, n int) time.Time { return year.Add(time.Duration(i) * now.Sub(year) / time.Duration(n)) }

	// Decisions: the busy person owns the last 30 proposals, 3 of them in
	// a private channel they are not in.
	const decisions = 50000
	batch(decisions, func(tx rituals.Tx, i int) error {
		c := channels[rnd.IntN(len(channels))]
		d := &rituals.Decision{Team: team, Number: int64(i + 1), Title: fmt.Sprintf("Decision %d about the platform's next step", i),
			Text: "What was decided, in a sentence or two.", Owner: c.members[rnd.IntN(len(c.members))], Author: c.members[0],
			Channel: c.id, Status: rituals.StatusDecided, Version: 1, CreatedAt: at(i, decisions), UpdatedAt: at(i, decisions)}
		d.Date, d.DecidedAt = rituals.DateOf(d.CreatedAt), d.CreatedAt
		if n := decisions - i; n <= 30 {
			d.Owner, d.Status, d.DecideBy, d.DecidedAt = busy, rituals.StatusProposed, rituals.DateOf(now).AddDays(15-n), time.Time{}
			d.Channel = channels[n%20].id
			if n <= 3 {
				d.Channel = channels[29].id // private, without them
			}
		} else if i%40 == 0 {
			d.Status, d.DecideBy, d.DecidedAt = rituals.StatusProposed, rituals.DateOf(d.CreatedAt).AddDays(14), time.Time{}
		}
		return tx.CreateDecision(ctx, d)
	})

	// Blockers: 300 open; of those, the busy person reported 5 and is
	// named on 25: directly, through @platform or through a channel.
	platform := append([]string{busy}, people[1:20]...)
	const blockers = 20000
	batch(blockers, func(tx rituals.Tx, i int) error {
		c := channels[rnd.IntN(len(channels))]
		bl := &rituals.Blocker{Team: team, Number: int64(i + 1), Text: fmt.Sprintf("Blocked on %d: waiting for the review", i),
			Reporter: c.members[1+rnd.IntN(len(c.members)-1)], Channel: c.id, Status: rituals.BlockerResolved,
			Parties:   []rituals.Party{{Kind: rituals.PartyUser, ID: people[1+rnd.IntN(499)]}},
			CreatedAt: at(i, blockers), UpdatedAt: at(i, blockers)}
		if n := blockers - i; n <= 300 {
			bl.Status = rituals.BlockerOpen
			switch {
			case n <= 5:
				bl.Reporter, bl.Channel = busy, channels[n].id
			case n <= 15:
				bl.Parties[0].ID = busy
			case n <= 23:
				bl.Parties = []rituals.Party{{Kind: rituals.PartyGroup, ID: "S1PLAT", Name: "@platform", Members: platform}}
			case n <= 30:
				bl.Parties = append(bl.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: channels[n%20].id})
			case n <= 60:
				bl.Parties = append(bl.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: channels[20+n%10].id})
			}
		}
		return tx.CreateBlocker(ctx, bl)
	})

	// Check-ins: weekly in every channel, the last one open; answers
	// from its members (the busy person has answered 5 of their 20).
	var answers int
	for week := 52; week >= 0; week-- {
		batch(len(channels), func(tx rituals.Tx, i int) error {
			c := channels[i]
			when := now.Add(-time.Duration(week)*7*24*time.Hour - 2*time.Hour)
			chk := &rituals.Checkin{Team: team, Channel: c.id, ScheduledFor: when, OpenedAt: when, ClosesAt: when.Add(24 * time.Hour), Zone: rituals.StoredZone("UTC")}
			if week > 0 {
				chk.ClosedAt = chk.ClosesAt
			}
			if err := tx.CreateCheckin(ctx, chk); err != nil {
				return err
			}
			from := 1
			if week == 0 && i < 5 {
				from = 0 // the busy person answered these
			}
			for _, u := range c.members[from : from+16] {
				answers++
				if _, err := tx.SaveCheckinAnswer(ctx, &rituals.CheckinAnswer{Team: team, Channel: c.id, ScheduledFor: when,
					User: u, Outcomes: "Shipped what we said we would.", AnsweredAt: when.Add(time.Hour)}); err != nil {
					return err
				}
			}
			return nil
		})
	}

	// Pulses: 200 to everyone, the last 15 still open; everyone answered
	// the closed ones, and the busy person 3 of the open ones.
	const pulses = 200
	audience := make([]rituals.PulseMember, len(people))
	for i, p := range people {
		audience[i] = rituals.PulseMember{User: p}
	}
	batch(pulses, func(tx rituals.Tx, i int) error {
		sent := at(i, pulses)
		p := &rituals.Pulse{Team: team, Number: int64(i + 1), Series: int64(i + 1), Run: 1, Channel: channels[i%len(channels)].id,
			CreatedBy: people[1], Question: "How clear are our top priorities this week?", Kind: rituals.PulseScale,
			Audience: rituals.AudienceChannel, Threshold: 5, OpenFor: 48 * time.Hour, Status: rituals.PulsePending, CreatedAt: sent}
		if err := tx.CreatePulse(ctx, p); err != nil {
			return err
		}
		open := pulses-i <= 15
		p.Status, p.SentAt, p.ClosesAt = rituals.PulseClosed, sent, sent.Add(48*time.Hour)
		if open {
			p.Status, p.ClosesAt = rituals.PulseOpen, now.Add(time.Duration(pulses-i)*time.Hour)
		}
		if err := tx.UpdatePulse(ctx, p, rituals.PulsePending); err != nil {
			return err
		}
		return tx.AddPulseMembers(ctx, team, p.Number, audience)
	})
	batch(pulses*len(people), func(tx rituals.Tx, i int) error {
		n, user := int64(i/len(people)+1), people[i%len(people)]
		if open := pulses-n < 15; open && ((user == busy && n > pulses-12) || (user != busy && i%5 != 0)) {
			return nil
		}
		return tx.MarkPulseAnswered(ctx, team, n, user, "")
	})

	// Reminders held back this week: one for each of 20 proposals.
	for n := range 20 {
		data, _ := json.Marshal(rituals.ReminderData{Kind: rituals.ReminderDue})
		err := db.InTx(ctx, func(tx rituals.Tx) error {
			return tx.Enqueue(ctx, rituals.Outgoing{Team: team, Kind: rituals.KindDecisionReminder, Channel: busy, User: busy,
				Ref: int64(decisions - n), Data: data, Reminder: true})
		})
		if err != nil {
			b.Fatal(err)
		}
		items, err := db.ClaimOutbox(ctx, "bench", now, now, time.Minute, 1, false)
		if err != nil || len(items) != 1 {
			b.Fatalf("claim reminder: %v %v", items, err)
		}
		if err := db.FinishOutbox(ctx, items[0].ID, rituals.OutcomeFolded, "capped", now); err != nil {
			b.Fatal(err)
		}
	}
	if testdb.Postgres() {
		// A live database has its statistics from autovacuum; one just
		// filled has none yet.
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		_, err = raw.ExecContext(ctx, "ANALYZE")
		raw.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: %d decisions, %d blockers, %d check-in answers, %d pulse audience rows", testdb.Dialect(),
		decisions, blockers, answers, pulses*len(people))

	log := newLogger(io.Discard, 0)
	sl := slackapi.New(slackapi.Config{BotToken: fs.BotToken(), AppToken: fs.AppToken(), APIURL: fs.URL()}, nil, log)
	dir := slackapi.NewDirectory(sl, db, clock)
	homes := &rituals.Homes{Store: db, Now: clock, Members: dir}
	out := delivery.New(sl, dir, db, delivery.Services{Homes: homes}, metrics.New(), log, clock)
	return homeBench{db: db, out: out, team: team, busy: busy}
}
