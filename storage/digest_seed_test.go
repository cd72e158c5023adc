package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// workspace is the shape of a seeded history: channels of people, weeks
// of entries, and how many of each kind every channel gets a week.
type workspace struct {
	Channels, Members, Weeks int
	// Per channel and week.
	Decisions, Blockers, Pulses int
	// End is when the history ends: the digest's run.
	End time.Time
}

// seeded is what seedWorkspace wrote, for tests to count against.
type seeded struct {
	decisions []*rituals.Decision
	blockers  []*rituals.Blocker
	checkins  []*rituals.Checkin
	pulses    []*rituals.Pulse
	answers   int
}

// seedWorkspace writes ws's history through the store in one transaction:
// per channel and week, decisions (most proposed first, some still
// proposed, old unsettled ones dropped), blockers (most resolved within
// days, a tenth of the recent ones still open, the long-open escalated), one
// closed check-in that nearly everyone answered, and scale pulses nearly
// everyone answered. Random but repeatable.
func seedWorkspace(tb testing.TB, db *storage.DB, ws workspace) *seeded {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	out := &seeded{}
	week := 7 * 24 * time.Hour
	start := ws.End.Add(-time.Duration(ws.Weeks) * week)
	for c := range ws.Channels {
		if err := db.SaveChannel(ctx, rituals.Channel{Team: "T1", ID: channelID(c), Name: fmt.Sprintf("team-%d", c)}, start); err != nil {
			tb.Fatal(err)
		}
	}
	member := func(c, i int) string { return fmt.Sprintf("U%04d", c*ws.Members+i) }
	randIn := func(from time.Time, d time.Duration) time.Time {
		return from.Add(time.Duration(rng.Int64N(int64(d)))).Truncate(time.Millisecond)
	}
	var dn, bn, pn int64
	err := db.InTx(ctx, func(tx rituals.Tx) error {
		for w := range ws.Weeks {
			from := start.Add(time.Duration(w) * week)
			for c := range ws.Channels {
				ch := channelID(c)
				for range ws.Decisions {
					dn++
					created := randIn(from, week)
					d := &rituals.Decision{Team: "T1", Number: dn, Date: rituals.DateOf(created), Title: fmt.Sprintf("Decision %d of %s", dn, ch),
						Text: "We will do the thing the way we agreed, and write down why.", Owner: member(c, rng.IntN(ws.Members)),
						Channel: ch, Status: rituals.StatusDecided, Version: 1, CreatedAt: created, UpdatedAt: created}
					d.Author = d.Owner
					switch r := rng.IntN(10); {
					case r < 6: // proposed, then decided days later
						d.DecidedAt = created.Add(time.Duration(1+rng.IntN(240)) * time.Hour)
						if d.DecidedAt.After(ws.End) {
							d.Status, d.DecidedAt, d.DecideBy = rituals.StatusProposed, time.Time{}, rituals.DateOf(created.Add(10*24*time.Hour))
						}
					case r < 9: // recorded as decided
						d.DecidedAt = created
					case created.Before(ws.End.Add(-4 * week)): // an old proposal: dropped long ago
						d.Status = rituals.StatusDropped
					default: // still proposed
						d.Status, d.DecideBy = rituals.StatusProposed, rituals.DateOf(created.Add(time.Duration(rng.IntN(21))*24*time.Hour))
					}
					if err := tx.CreateDecision(ctx, d); err != nil {
						return err
					}
					out.decisions = append(out.decisions, d)
				}
				for range ws.Blockers {
					bn++
					created := randIn(from, week)
					b := &rituals.Blocker{Team: "T1", Number: bn, Channel: ch, Reporter: member(c, rng.IntN(ws.Members)),
						Text: fmt.Sprintf("Blocked on the other team, %d", bn), Status: rituals.BlockerOpen, CreatedAt: created, UpdatedAt: created,
						Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: channelID((c + 1) % ws.Channels)}}}
					if err := tx.CreateBlocker(ctx, b); err != nil {
						return err
					}
					resolved := created.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
					if (rng.IntN(10) == 0 && created.After(ws.End.Add(-6*week))) || !resolved.Before(ws.End) {
						resolved = time.Time{} // still open
					}
					if escalated := created.Add(rituals.DefaultSLA); escalated.Before(ws.End) && (resolved.IsZero() || resolved.After(escalated)) {
						b.EscalatedAt = escalated
						if err := tx.ClaimEscalation(ctx, "T1", bn, escalated); err != nil {
							return err
						}
					}
					if !resolved.IsZero() {
						b.Status, b.ResolvedAt, b.ResolvedBy, b.TimeToResolve = rituals.BlockerResolved, resolved, b.Reporter, resolved.Sub(created)
						if err := tx.ResolveBlocker(ctx, b); err != nil {
							return err
						}
					}
					out.blockers = append(out.blockers, b)
				}
				chk := &rituals.Checkin{Team: "T1", Channel: ch, ScheduledFor: from.Add(24 * time.Hour), Zone: rituals.StoredZone("UTC"), NextDue: rituals.DateOf(from.Add(8 * 24 * time.Hour))}
				chk.OpenedAt, chk.ClosesAt = chk.ScheduledFor, chk.ScheduledFor.Add(24*time.Hour)
				if err := tx.CreateCheckin(ctx, chk); err != nil {
					return err
				}
				chk.Members, chk.Answered, chk.ClosedAt = ws.Members, ws.Members-rng.IntN(3), chk.ClosesAt
				for i := range chk.Answered {
					a := &rituals.CheckinAnswer{Team: "T1", Channel: ch, ScheduledFor: chk.ScheduledFor, User: member(c, i),
						Outcomes: "Shipped the thing; learned the other.", AnsweredAt: chk.OpenedAt.Add(time.Hour)}
					if _, err := tx.SaveCheckinAnswer(ctx, a); err != nil {
						return err
					}
				}
				if err := tx.CloseCheckin(ctx, chk); err != nil {
					return err
				}
				out.checkins = append(out.checkins, chk)
				for range ws.Pulses {
					pn++
					closed := randIn(from, week)
					p := &rituals.Pulse{Team: "T1", Number: pn, Series: pn, Run: 1, Channel: ch, CreatedBy: member(c, 0),
						Question: "How clear are our top priorities this week?", Kind: rituals.PulseScale, Audience: rituals.AudienceChannel,
						Anonymous: true, Threshold: rituals.DefaultPulseThreshold, OpenFor: rituals.DefaultPulseOpenFor, Status: rituals.PulseClosed,
						CreatedAt: closed.Add(-rituals.DefaultPulseOpenFor), SentAt: closed.Add(-rituals.DefaultPulseOpenFor), ClosesAt: closed, ClosedAt: closed}
					if err := tx.CreatePulse(ctx, p); err != nil {
						return err
					}
					ms := make([]rituals.PulseMember, ws.Members)
					for i := range ms {
						ms[i] = rituals.PulseMember{User: member(c, i)}
					}
					if err := tx.AddPulseMembers(ctx, "T1", pn, ms); err != nil {
						return err
					}
					p.Asked, p.Answered = ws.Members, ws.Members-rng.IntN(3)
					tally := map[string]int{}
					for i := range p.Answered {
						if err := tx.MarkPulseAnswered(ctx, "T1", pn, member(c, i), ""); err != nil {
							return err
						}
						tally[fmt.Sprint(1+rng.IntN(5))]++
					}
					// What a close keeps of anonymous answers: the counts.
					if err := tx.SavePulseResults(ctx, "T1", pn, rituals.PulseResults{Tallies: map[string]map[string]int{"": tally}}); err != nil {
						return err
					}
					out.answers += p.Answered
					out.pulses = append(out.pulses, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	return out
}

func channelID(c int) string { return fmt.Sprintf("C%03d", c) }

// TestDigestReads checks each of the digest's windowed reads against
// the entries seeded, counted here by hand, and that no other channel's
// entries come back.
func TestDigestReads(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	end := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	ws := workspace{Channels: 3, Members: 6, Weeks: 4, Decisions: 6, Blockers: 4, Pulses: 2, End: end}
	s := seedWorkspace(t, db, ws)
	from, to := end.Add(-14*24*time.Hour), end.Add(-7*24*time.Hour)
	in := func(at time.Time) bool { return !at.Before(from) && at.Before(to) }
	ch := channelID(1)

	t.Run("DecisionsDecided", func(t *testing.T) {
		want := 0
		for _, d := range s.decisions {
			if d.Channel == ch && !d.DecidedAt.IsZero() && in(d.DecidedAt) {
				want++
			}
		}
		got, err := db.DecisionsDecided(ctx, "T1", ch, from, to)
		if err != nil || len(got) != want || want == 0 {
			t.Fatalf("%d decisions (err %v), want %d", len(got), err, want)
		}
		for i, d := range got {
			if d.Channel != ch || !in(d.DecidedAt) || (i > 0 && d.DecidedAt.Before(got[i-1].DecidedAt)) {
				t.Fatalf("decision %+v out of place", d)
			}
		}
	})
	t.Run("ProposalsDue", func(t *testing.T) {
		by := rituals.DateOf(end).AddDays(7)
		want := 0
		for _, d := range s.decisions {
			if d.Channel == ch && d.Status == rituals.StatusProposed && !d.DecideBy.After(by) {
				want++
			}
		}
		got, err := db.ProposalsDue(ctx, "T1", ch, by)
		if err != nil || len(got) != want {
			t.Fatalf("%d proposals (err %v), want %d", len(got), err, want)
		}
		for i := 1; i < len(got); i++ {
			if got[i].DecideBy.Before(got[i-1].DecideBy) {
				t.Fatal("proposals not soonest first")
			}
		}
	})
	t.Run("BlockersInPlay", func(t *testing.T) {
		want := 0
		for _, b := range s.blockers {
			if b.Channel == ch && b.CreatedAt.Before(to) && (b.ResolvedAt.IsZero() || !b.ResolvedAt.Before(from)) {
				want++
			}
		}
		got, err := db.BlockersInPlay(ctx, "T1", ch, from, to)
		if err != nil || len(got) != want || want == 0 {
			t.Fatalf("%d blockers (err %v), want %d", len(got), err, want)
		}
	})
	t.Run("CheckinsClosed", func(t *testing.T) {
		got, err := db.CheckinsClosed(ctx, "T1", ch, from, end)
		if err != nil || len(got) != 2 || !got[0].ClosedAt.After(got[1].ClosedAt) || got[0].Members != ws.Members {
			t.Fatalf("check-ins %+v err %v", got, err)
		}
	})
	t.Run("PulsesClosed", func(t *testing.T) {
		want := 0
		for _, p := range s.pulses {
			if p.Channel == ch && in(p.ClosedAt) {
				want++
			}
		}
		got, err := db.PulsesClosed(ctx, "T1", ch, from, to)
		if err != nil || len(got) != want || want == 0 {
			t.Fatalf("%d pulses (err %v), want %d", len(got), err, want)
		}
		if got[0].Asked != ws.Members || got[0].Answered == 0 || got[0].Channel != ch {
			t.Fatalf("pulse %+v", got[0])
		}
	})
}
