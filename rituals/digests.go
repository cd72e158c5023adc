package rituals

import (
	"context"
	"fmt"
	"time"
)

// Digests is the weekly digest ritual: a channel's schedule, and the
// digest of a week built from the store. It is the Runner's "digest"
// ritual. Pulses and Sessions lend their reports and lists, so the digest
// shows pulses with their anonymity kept and actions as their lists do.
type Digests struct {
	Store    DigestStore
	Now      func() time.Time
	Pulses   *Pulses
	Sessions *Sessions
	// Rollups keeps leadership channels' roll-up settings; a channel with
	// one gets the roll-up after its own digest.
	Rollups RollupStore
}

var _ Ritual = (*Digests)(nil)

func (s *Digests) maySetUp(c Caller) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can change this channel's digest.")
	}
	return nil
}

// SetSchedule makes the channel's digest come out at t on each of its
// weekdays. Each digest covers the week ending when it comes out. Returns
// the schedule, with its next run.
func (s *Digests) SetSchedule(ctx context.Context, c Caller, t WeeklyTime) (*Schedule, error) {
	if err := s.maySetUp(c); err != nil {
		return nil, err
	}
	now := s.Now()
	sch, err := weeklySchedule(c, DigestKind, t, now)
	if err != nil {
		return nil, err
	}
	sch.Window = DigestWindow
	err = s.Store.InDigestTx(ctx, func(tx DigestTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return tx.SaveSchedule(ctx, sch, now)
	})
	if err != nil {
		return nil, fmt.Errorf("schedule digest: %w", err)
	}
	return sch, nil
}

// Off stops the channel's weekly digest.
func (s *Digests) Off(ctx context.Context, c Caller) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	return s.Store.InDigestTx(ctx, func(tx DigestTx) error {
		if err := claim(ctx, tx, c, s.Now()); err != nil {
			return err
		}
		return dropSchedule(ctx, tx, c, DigestKind, "This channel has no digest schedule to turn off.")
	})
}

// Schedule returns the channel's digest schedule, or nil when it has none.
func (s *Digests) Schedule(ctx context.Context, c Caller) (*Schedule, error) {
	return scheduleOf(ctx, s.Store.InDigestTx, c.Team, c.Channel, DigestKind)
}

// PostNow posts the digest of the week ending now in the caller's
// channel, with its chart, read in the schedule's zone (or the caller's).
func (s *Digests) PostNow(ctx context.Context, c Caller) (DigestRef, error) {
	if err := s.maySetUp(c); err != nil {
		return DigestRef{}, err
	}
	now := s.Now().Truncate(time.Millisecond)
	ref := DigestRef{Channel: c.Channel, End: now.UnixMilli(), Zone: s.zone(ctx, c)}
	err := s.Store.InDigestTx(ctx, func(tx DigestTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		return s.enqueueDigest(ctx, tx, c.Team, ref)
	})
	if err != nil {
		return DigestRef{}, fmt.Errorf("post digest now: %w", err)
	}
	return ref, nil
}

// Preview builds the digest of the week ending now for the caller alone.
func (s *Digests) Preview(ctx context.Context, c Caller) (*Digest, error) {
	return s.Build(ctx, c.Team, DigestRef{Channel: c.Channel, End: s.Now().UnixMilli(), Zone: s.zone(ctx, c)})
}

// ForViewer builds the digest ref names for a person looking at it from
// their channel. Returns ENOTFOUND for a digest of another channel, so
// nothing of one channel shows in another.
func (s *Digests) ForViewer(ctx context.Context, c Caller, ref DigestRef) (*Digest, error) {
	if ref.Channel != c.Channel {
		return nil, Errorf(ENOTFOUND, "That digest belongs to another channel; open it there.")
	}
	return s.Build(ctx, c.Team, ref)
}

// zone is the digest's zone: its schedule's, else the caller's.
func (s *Digests) zone(ctx context.Context, c Caller) Zone {
	if sch, err := s.Schedule(ctx, c); err == nil && sch != nil {
		return sch.Zone
	}
	return ZoneOf(c.Location)
}

// Open posts a scheduled digest, inside the transaction that claimed its
// occurrence: the digest of the week ending at the scheduled time, then
// its chart. Both are built when they are sent.
func (s *Digests) Open(ctx context.Context, tx RitualTx, sch *Schedule, o *Occurrence) error {
	return s.enqueueDigest(ctx, tx, o.Team, DigestRef{Channel: o.Channel, End: o.ScheduledFor.UnixMilli(), Zone: sch.Zone})
}

// enqueueDigest queues the digest ref names and its chart, and the
// roll-up when its channel has one set.
func (s *Digests) enqueueDigest(ctx context.Context, tx Enqueuer, team string, ref DigestRef) error {
	msgs := []Outgoing{
		{Team: team, Kind: KindDigest, Channel: ref.Channel, Key: ref.Key(), Data: ref.data()},
		{Team: team, Kind: KindDigestChart, Channel: ref.Channel, Data: ref.data()},
	}
	if s.Rollups != nil {
		_, err := s.Rollups.DigestRollup(ctx, team, ref.Channel)
		switch ErrorCode(err) {
		case "":
			msgs = append(msgs, Outgoing{Team: team, Kind: KindDigestRollup, Channel: ref.Channel, Data: ref.data()})
		case ENOTFOUND:
		default:
			return fmt.Errorf("roll-up setting: %w", err)
		}
	}
	return tx.Enqueue(ctx, msgs...)
}

// Build computes the digest ref names from the store: only entries of
// its channel. The week's past is fixed; proposals are as they stand now.
func (s *Digests) Build(ctx context.Context, team string, ref DigestRef) (*Digest, error) {
	loc := ref.Zone.Location()
	end := ref.EndTime()
	starts := weekStarts(end, loc)
	from, week := starts[0], starts[DigestWeeks-1]
	var in digestData
	var err error
	if in.decided, err = s.Store.DecisionsDecided(ctx, team, ref.Channel, from, end); err != nil {
		return nil, fmt.Errorf("digest decisions: %w", err)
	}
	if in.due, err = s.Store.ProposalsDue(ctx, team, ref.Channel, DateOf(end.In(loc)).AddDays(DigestAhead)); err != nil {
		return nil, fmt.Errorf("digest proposals: %w", err)
	}
	if in.blockers, err = s.Store.BlockersInPlay(ctx, team, ref.Channel, from, end); err != nil {
		return nil, fmt.Errorf("digest blockers: %w", err)
	}
	if in.inbound, err = s.Store.InboundBlockersInPlay(ctx, team, ref.Channel, from, end); err != nil {
		return nil, fmt.Errorf("digest inbound blockers: %w", err)
	}
	if in.checkins, err = s.Store.CheckinsClosed(ctx, team, ref.Channel, from, end); err != nil {
		return nil, fmt.Errorf("digest check-ins: %w", err)
	}
	pulses, err := s.Store.PulsesClosed(ctx, team, ref.Channel, from, end)
	if err != nil {
		return nil, fmt.Errorf("digest pulses: %w", err)
	}
	for _, p := range pulses {
		// Only this week's pulses are listed with their previous run; the
		// older ones feed the chart's means.
		r, err := s.Pulses.report(ctx, p, within(p.ClosedAt, week, end))
		if err != nil {
			return nil, fmt.Errorf("digest pulse %s: %w", p.ID(), err)
		}
		in.pulses = append(in.pulses, r)
	}
	if in.events, err = s.Store.DeliveryEvents(ctx, team, ref.Channel, from, end); err != nil {
		return nil, fmt.Errorf("digest delivery events: %w", err)
	}
	if in.reviewSLA, err = s.Store.ReviewSLA(ctx, team, ref.Channel); err != nil {
		return nil, fmt.Errorf("digest review SLA: %w", err)
	}
	if in.actions, err = s.Sessions.OpenActions(ctx, team, ref.Channel); err != nil {
		return nil, fmt.Errorf("digest actions: %w", err)
	}
	if in.risks, err = s.Sessions.TopRisks(ctx, team, ref.Channel, from, TopRisks); err != nil {
		return nil, fmt.Errorf("digest risks: %w", err)
	}
	return buildDigest(team, ref.Channel, loc, end, in), nil
}
