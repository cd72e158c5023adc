package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// The statements below write the statuses their partial indexes name
// ('open', 'proposed', 'folded') as literals: SQLite uses a partial index
// only when the query's own text implies its WHERE. A CROSS JOIN makes
// SQLite loop over its left table first (PostgreSQL plans it freely).

// homeChunk bounds the IDs one statement names: a pulse may go to 10,000
// people, and each dialect caps a statement's parameters.
const homeChunk = 500

// RefreshHomes queues App Home refreshes. See rituals.HomeRefresher.
func (tx *Tx) RefreshHomes(ctx context.Context, team string, ids []string) error {
	var users, channels []string
	for _, id := range ids {
		switch {
		case id == "":
		case rituals.HomeRefresh(team, id, false).User != "": // a person
			users = append(users, id)
		default:
			channels = append(channels, id)
		}
	}
	users, channels = unique(users), unique(channels)
	var opened []string
	for chunk := range slices.Chunk(users, homeChunk) {
		var got []string
		if err := sqlxSelectIn(ctx, tx.tx, &got, `SELECT user_id FROM home_views WHERE team_id = ? AND user_id IN (?)`, team, chunk); err != nil {
			return fmt.Errorf("app home openers: %w", err)
		}
		opened = append(opened, got...)
	}
	if len(channels) > 0 {
		// A channel's people are asked of Slack when its fan-out is sent:
		// not worth it while nobody in the workspace uses App Home.
		var n int
		if err := sqlxGet(ctx, tx.tx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM home_views WHERE team_id = ? LIMIT 1) o`, team); err != nil {
			return fmt.Errorf("app home openers: %w", formatError(err))
		}
		if n == 0 {
			channels = nil
		}
	}
	return tx.queueHomes(ctx, team, append(opened, channels...), false)
}

// OpenedHome records that user opened their App Home, and the first time
// that it shows its tour, and queues its refresh. See rituals.HomeTx.
func (tx *Tx) OpenedHome(ctx context.Context, team, user string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO home_views (team_id, user_id, opened_at) VALUES (?, ?, ?)
		ON CONFLICT (team_id, user_id) DO UPDATE SET opened_at = excluded.opened_at`), team, user, millis(tx.now))
	if err != nil {
		return fmt.Errorf("record app home of %s: %w", user, formatError(err))
	}
	_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO home_tours (team_id, user_id, shown_at) VALUES (?, ?, ?)
		ON CONFLICT (team_id, user_id) DO NOTHING`), team, user, millis(tx.now))
	if err != nil {
		return fmt.Errorf("record app home tour of %s: %w", user, formatError(err))
	}
	return tx.queueHomes(ctx, team, []string{user}, true)
}

// queueHomes enqueues the refresh of each of ids, unless one already waits
// in its lane and nobody has claimed it: that one takes this one in (and
// goes ahead of bulk messages when this one is interactive). One that is
// claimed may have read the data before this transaction's change, so it
// does not count, even when its claim has lapsed: its sender may be slow,
// not dead, and finish it (a lapse is measured on the bot's clock, which
// tests also jump). The UPDATE locks the rows it finds, so a sender cannot
// claim one of them until this transaction ends.
func (tx *Tx) queueHomes(ctx context.Context, team string, ids []string, interactive bool) error {
	for chunk := range slices.Chunk(ids, homeChunk) {
		byLane := make(map[string]rituals.Outgoing, len(chunk))
		lanes := make([]string, 0, len(chunk))
		for _, id := range chunk {
			m := rituals.HomeRefresh(team, id, interactive)
			byLane[m.Lane] = m
			lanes = append(lanes, m.Lane)
		}
		q, args, err := sqlx.In(`UPDATE outbox SET interactive = (interactive OR ?)
			WHERE state = ? AND claimed_until = 0 AND team_id = ? AND kind IN (?, ?) AND lane IN (?)
			RETURNING lane`,
			interactive, outboxPending, team, rituals.KindHomeRefresh, rituals.KindHomeChannel, lanes)
		if err != nil {
			return fmt.Errorf("coalesce app home refreshes: %w", err)
		}
		var waiting []string
		if err := sqlxSelect(ctx, tx.tx, &waiting, q, args...); err != nil {
			return fmt.Errorf("coalesce app home refreshes: %w", formatError(err))
		}
		for _, lane := range waiting {
			delete(byLane, lane)
		}
		msgs := make([]rituals.Outgoing, 0, len(byLane))
		for _, lane := range lanes {
			if m, ok := byLane[lane]; ok {
				msgs = append(msgs, m)
				delete(byLane, lane)
			}
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
	}
	return nil
}

func unique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// HomeChannels returns the channels that hold anything an App Home could
// show. See rituals.HomeReader.
func (db *DB) HomeChannels(ctx context.Context, team string) ([]string, error) {
	var out []string
	// Decisions by the channels known (saved when first used), each found
	// through the channel's index: no scan of a year of decisions.
	err := db.db.SelectContext(ctx, &out, db.rebind(`SELECT c.id FROM channels c WHERE c.team_id = ?
			AND EXISTS (SELECT 1 FROM decisions d WHERE d.team_id = c.team_id AND d.channel_id = c.id)
		UNION SELECT channel_id FROM blockers WHERE team_id = ? AND status = 'open'
		UNION SELECT p.party_id FROM blockers b CROSS JOIN blocker_parties p
			WHERE b.team_id = ? AND b.status = 'open' AND p.team_id = b.team_id AND p.number = b.number AND p.kind = ?
		UNION SELECT channel_id FROM checkins WHERE team_id = ? AND closed_at = 0 AND skipped = FALSE
		UNION SELECT channel_id FROM pulses WHERE team_id = ? AND status = 'open'
		UNION SELECT owner_id FROM ritual_items WHERE team_id = ? AND done_at = 0 AND (owner_id LIKE 'C%' OR owner_id LIKE 'G%')
		ORDER BY 1`),
		team, team, team, string(rituals.PartyChannel), team, team, team)
	if err != nil {
		return nil, fmt.Errorf("app home channels: %w", formatError(err))
	}
	return out, nil
}

// HomeTour reports whether user's App Home, as last opened, was opened
// for the first time: the tour recorded then is dated as that opening.
// See rituals.HomeReader.
func (db *DB) HomeTour(ctx context.Context, team, user string) (bool, error) {
	var n int
	err := db.db.GetContext(ctx, &n, db.rebind(`SELECT COUNT(*) FROM home_tours t
		JOIN home_views v ON v.team_id = t.team_id AND v.user_id = t.user_id AND v.opened_at = t.shown_at
		WHERE t.team_id = ? AND t.user_id = ?`), team, user)
	if err != nil {
		return false, fmt.Errorf("app home tour of %s: %w", user, formatError(err))
	}
	return n > 0, nil
}

// OwnedProposals returns the proposals user owns, due first. See
// rituals.HomeReader.
func (db *DB) OwnedProposals(ctx context.Context, team, user string) ([]*rituals.Decision, error) {
	ds, err := selectDecisions(ctx, db.db, `SELECT `+decisionColumns+decisionFrom+`
		WHERE d.team_id = ? AND d.owner_id = ? AND d.status = 'proposed'
		ORDER BY d.decide_by = '', d.decide_by, d.number`, team, user)
	if err != nil {
		return nil, fmt.Errorf("proposals of %s: %w", user, err)
	}
	return ds, nil
}

// RecentDecisions returns the newest decisions of channels. See
// rituals.HomeReader.
func (db *DB) RecentDecisions(ctx context.Context, team string, channels []string, limit int) ([]*rituals.Decision, error) {
	if len(channels) == 0 || limit <= 0 {
		return nil, nil
	}
	q, args, err := sqlx.In(`SELECT `+decisionColumns+decisionFrom+`
		WHERE d.team_id = ? AND d.channel_id IN (?) ORDER BY d.number DESC LIMIT ?`, team, channels, limit)
	if err != nil {
		return nil, fmt.Errorf("recent decisions: %w", err)
	}
	ds, err := selectDecisions(ctx, db.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("recent decisions: %w", err)
	}
	return ds, nil
}

func selectDecisions(ctx context.Context, q queryer, query string, args ...any) ([]*rituals.Decision, error) {
	var rows []decisionRow
	if err := sqlxSelect(ctx, q, &rows, query, args...); err != nil {
		return nil, formatError(err)
	}
	out := make([]*rituals.Decision, len(rows))
	for i := range rows {
		out[i] = rows[i].decision()
	}
	return out, nil
}

// BlockersFor returns the open blockers user reported or must act on. See
// rituals.HomeReader. A user group's people are kept one a line, so the
// group matches when the line is theirs. The blockers are found first and
// read whole after, by number: their parties and acks then come by key.
func (db *DB) BlockersFor(ctx context.Context, team, user string, channels []string) ([]*rituals.Blocker, error) {
	party := `(p.kind = ? AND p.party_id = ?) OR (p.kind = ? AND (? || p.members || ?) LIKE ?)`
	args := []any{team, user,
		string(rituals.PartyUser), user, string(rituals.PartyGroup), "\n", "\n", "%\n" + user + "\n%"}
	if len(channels) > 0 {
		in, inArgs, err := sqlx.In(` OR (p.kind = ? AND p.party_id IN (?))`, string(rituals.PartyChannel), channels)
		if err != nil {
			return nil, fmt.Errorf("blockers for %s: %w", user, err)
		}
		party += in
		args = append(args, inArgs...)
	}
	var numbers []int64
	err := sqlxSelect(ctx, db.db, &numbers, `SELECT b.number FROM blockers b
		WHERE b.team_id = ? AND b.status = 'open' AND (b.reporter_id = ? OR EXISTS (SELECT 1 FROM blocker_parties p
			WHERE p.team_id = b.team_id AND p.number = b.number AND (`+party+`)))`, args...)
	if err != nil {
		return nil, fmt.Errorf("blockers for %s: %w", user, formatError(err))
	}
	if len(numbers) == 0 {
		return nil, nil
	}
	cond, condArgs, err := sqlx.In(`b.team_id = ? AND b.number IN (?)`, team, numbers)
	if err != nil {
		return nil, fmt.Errorf("blockers for %s: %w", user, err)
	}
	bs, err := selectBlockers(ctx, db.db, []string{cond}, condArgs, 0)
	if err != nil {
		return nil, fmt.Errorf("blockers for %s: %w", user, err)
	}
	return bs, nil
}

// CheckinsAwaiting returns the open check-ins user has not taken part in.
// See rituals.HomeReader.
func (db *DB) CheckinsAwaiting(ctx context.Context, team, user string, channels []string, now time.Time) ([]*rituals.Checkin, error) {
	if len(channels) == 0 {
		return nil, nil
	}
	q, args, err := sqlx.In(`SELECT `+checkinColumns+` FROM checkins k
		WHERE k.team_id = ? AND k.closed_at = 0 AND k.skipped = FALSE AND k.closes_at > ? AND k.channel_id IN (?)
		AND NOT EXISTS (SELECT 1 FROM checkin_answers a WHERE a.team_id = k.team_id AND a.channel_id = k.channel_id
			AND a.scheduled_for = k.scheduled_for AND a.user_id = ?)
		AND NOT EXISTS (SELECT 1 FROM checkin_replies r WHERE r.team_id = k.team_id AND r.channel_id = k.channel_id
			AND r.scheduled_for = k.scheduled_for AND r.user_id = ?)
		ORDER BY k.closes_at, k.channel_id`, team, millis(now), channels, user, user)
	if err != nil {
		return nil, fmt.Errorf("check-ins for %s: %w", user, err)
	}
	var rows []checkinRow
	if err := sqlxSelect(ctx, db.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("check-ins for %s: %w", user, formatError(err))
	}
	out := make([]*rituals.Checkin, len(rows))
	for i := range rows {
		out[i] = rows[i].checkin()
	}
	return out, nil
}

// PulsesAwaiting returns the open pulses waiting for user's answer. See
// rituals.HomeReader.
func (db *DB) PulsesAwaiting(ctx context.Context, team, user string, now time.Time) ([]*rituals.Pulse, error) {
	var rows []pulseRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+pulseColumns+pulseFrom+`
		JOIN pulse_audience m ON m.team_id = p.team_id AND m.pulse = p.number
		WHERE m.team_id = ? AND m.user_id = ? AND m.answered = FALSE AND p.status = ? AND p.closes_at > ?
		ORDER BY p.closes_at, p.number`), team, user, string(rituals.PulseOpen), millis(now))
	if err != nil {
		return nil, fmt.Errorf("pulses for %s: %w", user, formatError(err))
	}
	out := make([]*rituals.Pulse, len(rows))
	for i := range rows {
		out[i] = rows[i].pulse()
	}
	return out, nil
}

// FoldedReminders returns the reminders the weekly cap folded for user.
// See rituals.HomeReader.
func (db *DB) FoldedReminders(ctx context.Context, team, user string, since time.Time, limit int) ([]rituals.OutboxItem, error) {
	var rows []outboxRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+outboxColumns+` FROM outbox
		WHERE team_id = ? AND user_id = ? AND state = 'folded' AND reminder AND done_at >= ?
		ORDER BY done_at DESC, id DESC LIMIT ?`), team, user, millis(since), limit)
	if err != nil {
		return nil, fmt.Errorf("folded reminders of %s: %w", user, formatError(err))
	}
	out := make([]rituals.OutboxItem, len(rows))
	for i := range rows {
		out[i] = rows[i].item()
	}
	return out, nil
}
