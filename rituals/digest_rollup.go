package rituals

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// KindDigestRollup posts the leadership roll-up of the week ending at the
// ref into the ref's channel; Data is DigestRef.
const KindDigestRollup Kind = "digest.rollup"

// MaxRollupChannels bounds the teams one roll-up names; MovedMost is how
// many teams whose figures moved most it points out.
const (
	MaxRollupChannels = 30
	MovedMost         = 3
)

// RollupSetting is what a leadership channel's roll-up covers: the
// channels named, or every public channel with a weekly digest.
type RollupSetting struct {
	Team, Channel string
	Channels      []string
	All           bool
	UpdatedBy     string
	UpdatedAt     time.Time
}

// RollupStore is where roll-up settings are kept. storage.DB implements
// it.
type RollupStore interface {
	// DigestRollup returns channel's roll-up setting. Returns ENOTFOUND
	// when it has none.
	DigestRollup(ctx context.Context, team, channel string) (*RollupSetting, error)
	// SaveDigestRollup stores r, replacing the channel's; DeleteDigestRollup
	// removes it (ENOTFOUND when there is none).
	SaveDigestRollup(ctx context.Context, r *RollupSetting) error
	DeleteDigestRollup(ctx context.Context, team, channel string) error
	// DigestChannels returns the channels of team with a weekly digest.
	DigestChannels(ctx context.Context, team string) ([]string, error)
	// SavedChannel returns what was last learnt of a channel.
	SavedChannel(ctx context.Context, team, id string) (Channel, time.Time, error)
	// Blocker returns blocker number of team, with its parties.
	Blocker(ctx context.Context, team string, number int64) (*Blocker, error)
}

// MoveKind is how a figure's change is read: a share, a duration or a
// count.
type MoveKind int

const (
	MoveRatio MoveKind = iota
	MoveDuration
	MoveCount
)

// Move is the biggest change in one team's figures from last week:
// which figure, before and after (a share from 0 to 1, nanoseconds or a
// count), and how big, on one scale for every figure (10 points of a
// share, or a doubling or halving, is 1).
type Move struct {
	Metric        string
	Kind          MoveKind
	Before, After float64
	Score         float64
}

// RollupTeam is one team's line of the roll-up: its week's digest, how
// many of its open blockers wait on another team, and its biggest move.
type RollupTeam struct {
	Channel   string
	Digest    *Digest
	CrossTeam int
	Move      Move
}

// Rollup is the leadership board of a week: each team's line, and the
// teams whose figures moved most.
type Rollup struct {
	Team, Channel string
	Zone          Zone
	From, To      time.Time
	Teams         []RollupTeam
	// MovedMost are the teams whose figures moved most, most first: at
	// most MovedMost, none that did not move.
	MovedMost []RollupTeam
	// Left are the channels the setting names that the board leaves out:
	// private channels, whose figures stay inside them.
	Left []string
}

// SetRollup makes the caller's channel get a roll-up of channels (or,
// with all, of every public channel with a weekly digest) with its own
// weekly digest.
func (s *Digests) SetRollup(ctx context.Context, c Caller, channels []string, all bool) (*RollupSetting, error) {
	if err := s.maySetUp(c); err != nil {
		return nil, err
	}
	if s.Rollups == nil {
		return nil, Errorf(EINTERNAL, "roll-ups are not wired")
	}
	channels = slices.Compact(slices.Sorted(slices.Values(channels)))
	switch {
	case !all && len(channels) == 0:
		return nil, Errorf(EINVALID, "Name the teams' channels the roll-up covers, or `all`.")
	case len(channels) > MaxRollupChannels:
		return nil, Errorf(EINVALID, "A roll-up covers at most %d channels; you named %d.", MaxRollupChannels, len(channels))
	}
	r := &RollupSetting{Team: c.Team, Channel: c.Channel, Channels: channels, All: all, UpdatedBy: c.User, UpdatedAt: s.Now()}
	if all {
		r.Channels = nil
	}
	if err := s.Rollups.SaveDigestRollup(ctx, r); err != nil {
		return nil, fmt.Errorf("save roll-up: %w", err)
	}
	return r, nil
}

// RollupOff stops the caller's channel's roll-up.
func (s *Digests) RollupOff(ctx context.Context, c Caller) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	err := s.Rollups.DeleteDigestRollup(ctx, c.Team, c.Channel)
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ENOTFOUND, "This channel has no roll-up to turn off.")
	}
	return err
}

// RollupSettingOf returns the caller's channel's roll-up setting, or nil.
func (s *Digests) RollupSettingOf(ctx context.Context, c Caller) (*RollupSetting, error) {
	if s.Rollups == nil {
		return nil, nil
	}
	r, err := s.Rollups.DigestRollup(ctx, c.Team, c.Channel)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	return r, err
}

// BuildRollup computes the roll-up ref names: each covered team's week
// as its own digest reports it, in ref's zone and week.
func (s *Digests) BuildRollup(ctx context.Context, team string, ref DigestRef) (*Rollup, error) {
	set, err := s.Rollups.DigestRollup(ctx, team, ref.Channel)
	if err != nil {
		return nil, fmt.Errorf("roll-up setting: %w", err)
	}
	channels := set.Channels
	if set.All {
		if channels, err = s.Rollups.DigestChannels(ctx, team); err != nil {
			return nil, fmt.Errorf("roll-up channels: %w", err)
		}
	}
	out := &Rollup{Team: team, Channel: ref.Channel, Zone: ref.Zone, To: ref.EndTime()}
	for _, ch := range channels {
		if ch == ref.Channel {
			continue
		}
		saved, _, err := s.Rollups.SavedChannel(ctx, team, ch)
		if err != nil || saved.Private {
			// Unknown is taken as private: nothing of a channel alignbot
			// cannot vouch for leaves it.
			out.Left = append(out.Left, ch)
			continue
		}
		g, err := s.Build(ctx, team, DigestRef{Channel: ch, End: ref.End, Zone: ref.Zone})
		if err != nil {
			return nil, fmt.Errorf("roll-up of %s: %w", ch, err)
		}
		out.From = g.From
		cross, err := s.crossTeam(ctx, g)
		if err != nil {
			return nil, fmt.Errorf("roll-up of %s: %w", ch, err)
		}
		out.Teams = append(out.Teams, RollupTeam{Channel: ch, Digest: g, CrossTeam: cross, Move: biggestMove(g)})
	}
	moved := slices.Clone(out.Teams)
	sort.SliceStable(moved, func(i, j int) bool { return moved[i].Move.Score > moved[j].Move.Score })
	for _, t := range moved {
		if len(out.MovedMost) == MovedMost || t.Move.Score == 0 {
			break
		}
		out.MovedMost = append(out.MovedMost, t)
	}
	return out, nil
}

// crossTeam counts g's open blockers that wait on another team: a
// channel other than its own, or a user group. The digest reads its
// blockers without their parties; these are read one by one.
func (s *Digests) crossTeam(ctx context.Context, g *Digest) (int, error) {
	n := 0
	for _, open := range g.Open {
		b, err := s.Rollups.Blocker(ctx, open.Team, open.Number)
		if err != nil {
			return 0, err
		}
		for _, p := range b.Parties {
			if p.Kind == PartyGroup || (p.Kind == PartyChannel && p.ID != b.Channel) {
				n++
				break
			}
		}
	}
	return n, nil
}

// biggestMove is the figure of g that changed most from last week.
func biggestMove(g *Digest) Move {
	var best Move
	consider := func(m Move) {
		if m.Score > best.Score {
			best = m
		}
	}
	ratio := func(name string, m Metric[float64]) {
		if m.Has && m.HadBefore {
			consider(Move{Metric: name, Kind: MoveRatio, Before: m.Before, After: m.Value, Score: math.Abs(m.Value-m.Before) * 10})
		}
	}
	dur := func(name string, m Metric[time.Duration]) {
		if m.Has && m.HadBefore && m.Before > 0 && m.Value > 0 {
			consider(Move{Metric: name, Kind: MoveDuration, Before: float64(m.Before), After: float64(m.Value),
				Score: math.Abs(math.Log2(float64(m.Value) / float64(m.Before)))})
		}
	}
	ratio("Check-in participation", g.Participation)
	ratio("Pulse response rate", g.ResponseRate)
	dur("Decision lead time", g.LeadTime)
	dur("Blocker time to resolve", g.TimeToResolve)
	now, before := g.Delivery, g.DeliveryBefore
	if now.Deploys > 0 && before.Deploys > 0 {
		consider(Move{Metric: "Deploys", Kind: MoveCount, Before: float64(before.Deploys), After: float64(now.Deploys),
			Score: math.Abs(math.Log2(float64(now.Deploys) / float64(before.Deploys)))})
	}
	if now.Deploys > 0 && before.Deploys > 0 {
		ratio("Change failure rate", Metric[float64]{Value: now.FailureRate, Before: before.FailureRate, Has: true, HadBefore: true})
	}
	dur("Lead time for changes", Metric[time.Duration]{Value: now.LeadTime, Before: before.LeadTime, Has: now.HasLeadTime, HadBefore: before.HasLeadTime})
	return best
}
