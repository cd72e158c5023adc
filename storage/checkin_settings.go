package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// CheckinWindow returns how long a channel's check-ins stay open.
func (r reader) CheckinWindow(ctx context.Context, team, channel string) (time.Duration, error) {
	return checkinWindow(ctx, r.q, team, channel)
}

func checkinWindow(ctx context.Context, q queryer, team, channel string) (time.Duration, error) {
	var ms int64
	err := sqlxGet(ctx, q, &ms, `SELECT window_ms FROM checkin_settings WHERE team_id = ? AND channel_id = ?`, team, channel)
	if errors.Is(err, sql.ErrNoRows) {
		return rituals.DefaultCheckinWindow, nil
	}
	if err != nil {
		return 0, fmt.Errorf("check-in window: %w", formatError(err))
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// SaveCheckinWindow sets how long a channel's check-ins stay open.
func (tx *Tx) SaveCheckinWindow(ctx context.Context, team, channel string, window time.Duration, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkin_settings (team_id, channel_id, window_ms, updated_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (team_id, channel_id) DO UPDATE SET window_ms = excluded.window_ms,
		updated_at = excluded.updated_at`), team, channel, window.Milliseconds(), millis(at))
	if err != nil {
		return fmt.Errorf("save check-in window: %w", formatError(err))
	}
	return nil
}

// CheckinSkips returns the days a channel skips, from from on.
func (r reader) CheckinSkips(ctx context.Context, team, channel string, from rituals.Date) ([]rituals.Date, error) {
	return checkinSkips(ctx, r.q, team, channel, from)
}

func checkinSkips(ctx context.Context, q queryer, team, channel string, from rituals.Date) ([]rituals.Date, error) {
	var days []string
	err := sqlxSelect(ctx, q, &days, `SELECT day FROM checkin_skips WHERE team_id = ? AND channel_id = ? AND day >= ? ORDER BY day`,
		team, channel, string(from))
	if err != nil {
		return nil, fmt.Errorf("check-in skips: %w", formatError(err))
	}
	out := make([]rituals.Date, len(days))
	for i, d := range days {
		out[i] = rituals.Date(d)
	}
	return out, nil
}

// AddCheckinSkip makes a channel skip a day.
func (tx *Tx) AddCheckinSkip(ctx context.Context, team, channel string, day rituals.Date, by string) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkin_skips (team_id, channel_id, day, created_by)
		VALUES (?, ?, ?, ?) ON CONFLICT (team_id, channel_id, day) DO NOTHING`), team, channel, string(day), by)
	if err != nil {
		return fmt.Errorf("skip check-in day: %w", formatError(err))
	}
	return nil
}

// AwayThrough returns the people of team away on day.
func (r reader) AwayThrough(ctx context.Context, team string, day rituals.Date) ([]string, error) {
	return awayThrough(ctx, r.q, team, day)
}

func awayThrough(ctx context.Context, q queryer, team string, day rituals.Date) ([]string, error) {
	var users []string
	err := sqlxSelect(ctx, q, &users, `SELECT user_id FROM checkin_away WHERE team_id = ? AND until_day >= ? ORDER BY user_id`,
		team, string(day))
	if err != nil {
		return nil, fmt.Errorf("people away: %w", formatError(err))
	}
	return users, nil
}

// SetAway marks a person away until a day, inclusive.
func (tx *Tx) SetAway(ctx context.Context, team, user string, until rituals.Date) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkin_away (team_id, user_id, until_day) VALUES (?, ?, ?)
		ON CONFLICT (team_id, user_id) DO UPDATE SET until_day = excluded.until_day`), team, user, string(until))
	if err != nil {
		return fmt.Errorf("set away: %w", formatError(err))
	}
	return nil
}

// SavePendingAnswer keeps an answer given ahead, replacing an earlier one.
func (tx *Tx) SavePendingAnswer(ctx context.Context, a *rituals.CheckinAnswer) error {
	blockers, decisions := answerArgs(a)
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkin_pending
		(team_id, channel_id, user_id, outcomes, blockers, decisions, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, user_id) DO UPDATE SET outcomes = excluded.outcomes,
		blockers = excluded.blockers, decisions = excluded.decisions, answered_at = excluded.answered_at`),
		a.Team, a.Channel, a.User, a.Outcomes, blockers, decisions, millis(a.AnsweredAt))
	if err != nil {
		return fmt.Errorf("save answer given ahead: %w", formatError(err))
	}
	return nil
}

// TakePendingAnswers returns and forgets a channel's answers given ahead.
func (tx *Tx) TakePendingAnswers(ctx context.Context, team, channel string) ([]rituals.CheckinAnswer, error) {
	var rows []answerRow
	err := sqlxSelect(ctx, tx.tx, &rows, `SELECT team_id, channel_id, 0 AS scheduled_for, user_id, outcomes, blockers,
		decisions, answered_at FROM checkin_pending WHERE team_id = ? AND channel_id = ? ORDER BY answered_at`, team, channel)
	if err != nil {
		return nil, fmt.Errorf("answers given ahead: %w", formatError(err))
	}
	if _, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM checkin_pending WHERE team_id = ? AND channel_id = ?`), team, channel); err != nil {
		return nil, fmt.Errorf("forget answers given ahead: %w", formatError(err))
	}
	out := make([]rituals.CheckinAnswer, len(rows))
	for i := range rows {
		out[i] = rows[i].answer()
	}
	return out, nil
}
