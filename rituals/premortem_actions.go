package rituals

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MakeBlocker turns a pre-mortem's risk into an open blocker, reported by
// the caller in the pre-mortem's channel, and links the two: the blocker's
// card and notices go out as for /blocker, and the summary shows its ID.
// Who must act is the risk's owner, or else the channel itself. The
// blocker and the link are written in one transaction, so a risk becomes
// one blocker at most. Returns ECONFLICT if it already is one.
func (s *Sessions) MakeBlocker(ctx context.Context, c Caller, n, item int64, reporterName, source string) (*Blocker, *Item, error) {
	now := s.Now()
	var b *Blocker
	var it *Item
	err := s.change(ctx, c, n, now, func(tx SessionTx, ses *Session) (err error) {
		if it, err = ses.find(item); err != nil {
			return err
		}
		switch {
		case !it.Risk():
			return Errorf(EINVALID, "%s is not a risk; only a pre-mortem's risks become blockers.", it.Ref())
		case it.Blocker != 0:
			return Errorf(ECONFLICT, "%s is already blocker %s.", it.Ref(), FormatID("B", it.Blocker))
		}
		party := Party{Kind: PartyChannel, ID: ses.Channel}
		if it.Owner != "" {
			party = Party{Kind: PartyUser, ID: it.Owner}
		}
		in := BlockerInput{Text: it.Text, Impact: riskImpact(ses, it), Parties: []Party{party},
			Source: source, ReporterName: reporterName}
		reporter := c
		reporter.Channel = ses.Channel
		if b, err = newBlocker(reporter, in, now); err != nil {
			return err
		}
		if err := reportBlocker(ctx, tx, b); err != nil {
			return err
		}
		if err := tx.LinkItemBlocker(ctx, c.Team, n, item, b.Number); err != nil {
			return err
		}
		it.Blocker = b.Number
		return tx.Enqueue(ctx, tracked(ses, it)...)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("make blocker of session %d #%d: %w", n, item, err)
	}
	return b, it, nil
}

// riskImpact says where a blocker made from a risk comes from, and how
// the pre-mortem rated it.
func riskImpact(ses *Session, it *Item) string {
	var rated []string
	if it.Likelihood != "" {
		rated = append(rated, "likelihood "+string(it.Likelihood))
	}
	if it.Impact != "" {
		rated = append(rated, "impact "+string(it.Impact))
	}
	rated = append(rated, fmt.Sprintf("%d %s", it.Votes, plural(it.Votes, "vote", "votes")))
	return fmt.Sprintf("A risk from pre-mortem %s (%s), %s: %s.", ses.ID(), truncate(ses.Name, 100), it.Ref(), strings.Join(rated, ", "))
}

// ToggleHappened records, from a pre-mortem's follow-up, that one of its
// risks happened, or takes that back, and reports which it now is.
func (s *Sessions) ToggleHappened(ctx context.Context, c Caller, n, item int64) (bool, error) {
	now := s.Now()
	happened := false
	err := s.change(ctx, c, n, now, func(tx SessionTx, ses *Session) error {
		it, err := ses.find(item)
		switch {
		case err != nil:
			return err
		case !it.Risk():
			return Errorf(EINVALID, "%s is not a risk.", it.Ref())
		case ses.FollowedUpAt.IsZero():
			return Errorf(ECONFLICT, "%s has not been followed up yet.", ses.ID())
		}
		happened = it.HappenedAt.IsZero()
		at := now
		if !happened {
			at = time.Time{}
		}
		if err := tx.MarkHappened(ctx, c.Team, n, item, c.User, at); err != nil {
			return err
		}
		return tx.Enqueue(ctx, Outgoing{Team: ses.Team, Kind: KindSessionFollowUpUpdate, Channel: ses.Channel,
			Ref: ses.Number, Target: ses.FollowUpKey()})
	})
	if err != nil {
		return false, fmt.Errorf("mark session %d #%d happened: %w", n, item, err)
	}
	return happened, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
