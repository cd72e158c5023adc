package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

type checkinRow struct {
	TeamID       string `db:"team_id"`
	ChannelID    string `db:"channel_id"`
	ScheduledFor int64  `db:"scheduled_for"`
	OpenedAt     int64  `db:"opened_at"`
	ClosesAt     int64  `db:"closes_at"`
	ClosedAt     int64  `db:"closed_at"`
	RemindedAt   int64  `db:"reminded_at"`
	Skipped      bool   `db:"skipped"`
	Zone         string `db:"zone"`
	NextDue      string `db:"next_due"`
	Agenda       string `db:"agenda"`
	Members      int    `db:"members"`
	Answered     int    `db:"answered"`
	Blockers     string `db:"blockers"`
	Decisions    string `db:"decisions"`
}

const checkinColumns = `team_id, channel_id, scheduled_for, opened_at, closes_at, closed_at, reminded_at,
	skipped, zone, next_due, agenda, members, answered, blockers, decisions`

func (r *checkinRow) checkin() *rituals.Checkin {
	c := &rituals.Checkin{
		Team: r.TeamID, Channel: r.ChannelID, ScheduledFor: fromMillis(r.ScheduledFor), OpenedAt: fromMillis(r.OpenedAt),
		ClosesAt: fromMillis(r.ClosesAt), ClosedAt: fromMillis(r.ClosedAt), RemindedAt: fromMillis(r.RemindedAt),
		Skipped: r.Skipped, Zone: rituals.StoredZone(r.Zone), NextDue: rituals.Date(r.NextDue), Members: r.Members, Answered: r.Answered,
		Blockers: numbers(r.Blockers), Decisions: numbers(r.Decisions),
	}
	if r.Agenda != "" {
		c.Agenda = decodeAgenda(r.Agenda)
	}
	return c
}

func numbers(s string) []int64 {
	var out []int64
	for _, f := range strings.Fields(s) {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func joinNumbers(ns []int64) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(parts, " ")
}

// Checkins returns the check-ins that pass f, newest first.
func (r reader) Checkins(ctx context.Context, f rituals.CheckinFilter) ([]*rituals.Checkin, error) {
	return findCheckins(ctx, r.q, f)
}

func findCheckins(ctx context.Context, q queryer, f rituals.CheckinFilter) ([]*rituals.Checkin, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Team != "" {
		where, args = append(where, "team_id = ?"), append(args, f.Team)
	}
	if f.Channel != "" {
		where, args = append(where, "channel_id = ?"), append(args, f.Channel)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "scheduled_for >= ?"), append(args, millis(f.Since))
	}
	if f.Open {
		where = append(where, "closed_at = 0 AND skipped = FALSE")
	}
	query := `SELECT ` + checkinColumns + ` FROM checkins WHERE ` + strings.Join(where, " AND ") + ` ORDER BY scheduled_for DESC`
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	var rows []checkinRow
	if err := sqlxSelect(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("find check-ins: %w", formatError(err))
	}
	out := make([]*rituals.Checkin, len(rows))
	for i := range rows {
		out[i] = rows[i].checkin()
	}
	return out, nil
}

// Checkin returns one check-in. Returns ENOTFOUND.
func (r reader) Checkin(ctx context.Context, team, channel string, scheduledFor time.Time) (*rituals.Checkin, error) {
	return findCheckin(ctx, r.q, team, channel, scheduledFor)
}

func findCheckin(ctx context.Context, q queryer, team, channel string, scheduledFor time.Time) (*rituals.Checkin, error) {
	var r checkinRow
	err := sqlxGet(ctx, q, &r, `SELECT `+checkinColumns+` FROM checkins
		WHERE team_id = ? AND channel_id = ? AND scheduled_for = ?`, team, channel, millis(scheduledFor))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "That check-in is not here any more.")
	}
	if err != nil {
		return nil, fmt.Errorf("find check-in: %w", formatError(err))
	}
	return r.checkin(), nil
}

// CreateCheckin inserts a check-in run.
func (tx *Tx) CreateCheckin(ctx context.Context, c *rituals.Checkin) error {
	agenda := encodeAgenda(c.Agenda)
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkins (`+checkinColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		c.Team, c.Channel, millis(c.ScheduledFor), millis(c.OpenedAt), millis(c.ClosesAt), millis(c.ClosedAt),
		millis(c.RemindedAt), c.Skipped, c.Zone.String(), string(c.NextDue), agenda, c.Members, c.Answered,
		joinNumbers(c.Blockers), joinNumbers(c.Decisions))
	if err != nil {
		return fmt.Errorf("create check-in: %w", formatError(err))
	}
	return nil
}

// MarkCheckinReminded records the reminder as sent. See rituals.CheckinTx.
func (tx *Tx) MarkCheckinReminded(ctx context.Context, c *rituals.Checkin, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE checkins SET reminded_at = ?
		WHERE team_id = ? AND channel_id = ? AND scheduled_for = ? AND reminded_at = 0`),
		millis(at), c.Team, c.Channel, millis(c.ScheduledFor))
	if err != nil {
		return fmt.Errorf("mark check-in reminded: %w", formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

// CloseCheckin records a close and its results. See
// rituals.CheckinCloseTx.
func (tx *Tx) CloseCheckin(ctx context.Context, c *rituals.Checkin) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE checkins SET closed_at = ?, members = ?, answered = ?,
		blockers = ?, decisions = ?
		WHERE team_id = ? AND channel_id = ? AND scheduled_for = ? AND closed_at = 0`),
		millis(c.ClosedAt), c.Members, c.Answered, joinNumbers(c.Blockers), joinNumbers(c.Decisions),
		c.Team, c.Channel, millis(c.ScheduledFor))
	if err != nil {
		return fmt.Errorf("close check-in: %w", formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

type answerRow struct {
	TeamID       string `db:"team_id"`
	ChannelID    string `db:"channel_id"`
	ScheduledFor int64  `db:"scheduled_for"`
	UserID       string `db:"user_id"`
	Outcomes     string `db:"outcomes"`
	Blockers     string `db:"blockers"`
	Decisions    string `db:"decisions"`
	AnsweredAt   int64  `db:"answered_at"`
}

func (r *answerRow) answer() rituals.CheckinAnswer {
	a := rituals.CheckinAnswer{Team: r.TeamID, Channel: r.ChannelID, ScheduledFor: fromMillis(r.ScheduledFor),
		User: r.UserID, Outcomes: r.Outcomes, Decisions: splitLines(r.Decisions), AnsweredAt: fromMillis(r.AnsweredAt)}
	if r.Blockers != "" {
		a.Blockers = decodeBlockerLines(r.Blockers)
	}
	return a
}

func answerArgs(a *rituals.CheckinAnswer) (blockers, decisions string) {
	if len(a.Blockers) > 0 {
		blockers = encodeBlockerLines(a.Blockers)
	}
	return blockers, strings.Join(a.Decisions, "\n")
}

// CheckinAnswers returns a check-in's answers, by person.
func (r reader) CheckinAnswers(ctx context.Context, team, channel string, scheduledFor time.Time) ([]rituals.CheckinAnswer, error) {
	return findAnswers(ctx, r.q, team, channel, scheduledFor)
}

func findAnswers(ctx context.Context, q queryer, team, channel string, scheduledFor time.Time) ([]rituals.CheckinAnswer, error) {
	var rows []answerRow
	err := sqlxSelect(ctx, q, &rows, `SELECT team_id, channel_id, scheduled_for, user_id, outcomes, blockers, decisions, answered_at
		FROM checkin_answers WHERE team_id = ? AND channel_id = ? AND scheduled_for = ? ORDER BY answered_at, user_id`,
		team, channel, millis(scheduledFor))
	if err != nil {
		return nil, fmt.Errorf("check-in answers: %w", formatError(err))
	}
	out := make([]rituals.CheckinAnswer, len(rows))
	for i := range rows {
		out[i] = rows[i].answer()
	}
	return out, nil
}

// SaveCheckinAnswer stores an answer, replacing an earlier one. See
// rituals.CheckinTx.
func (tx *Tx) SaveCheckinAnswer(ctx context.Context, a *rituals.CheckinAnswer) (bool, error) {
	var n int
	if err := sqlxGet(ctx, tx.tx, &n, `SELECT COUNT(*) FROM checkin_answers
		WHERE team_id = ? AND channel_id = ? AND scheduled_for = ? AND user_id = ?`,
		a.Team, a.Channel, millis(a.ScheduledFor), a.User); err != nil {
		return false, fmt.Errorf("find answer: %w", formatError(err))
	}
	blockers, decisions := answerArgs(a)
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkin_answers
		(team_id, channel_id, scheduled_for, user_id, outcomes, blockers, decisions, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, scheduled_for, user_id) DO UPDATE SET outcomes = excluded.outcomes,
		blockers = excluded.blockers, decisions = excluded.decisions, answered_at = excluded.answered_at`),
		a.Team, a.Channel, millis(a.ScheduledFor), a.User, a.Outcomes, blockers, decisions, millis(a.AnsweredAt))
	if err != nil {
		return false, fmt.Errorf("save answer: %w", formatError(err))
	}
	return n == 0, nil
}

// CheckinReplies returns a check-in's plain thread replies, oldest first.
func (r reader) CheckinReplies(ctx context.Context, team, channel string, scheduledFor time.Time) ([]rituals.CheckinReply, error) {
	return findReplies(ctx, r.q, team, channel, scheduledFor)
}

func findReplies(ctx context.Context, q queryer, team, channel string, scheduledFor time.Time) ([]rituals.CheckinReply, error) {
	var rows []struct {
		UserID    string `db:"user_id"`
		TS        string `db:"ts"`
		Text      string `db:"text"`
		CreatedAt int64  `db:"created_at"`
	}
	err := sqlxSelect(ctx, q, &rows, `SELECT user_id, ts, text, created_at FROM checkin_replies
		WHERE team_id = ? AND channel_id = ? AND scheduled_for = ? ORDER BY ts`, team, channel, millis(scheduledFor))
	if err != nil {
		return nil, fmt.Errorf("check-in replies: %w", formatError(err))
	}
	out := make([]rituals.CheckinReply, len(rows))
	for i, r := range rows {
		out[i] = rituals.CheckinReply{User: r.UserID, TS: r.TS, Text: r.Text, At: fromMillis(r.CreatedAt)}
	}
	return out, nil
}

// AddCheckinReply stores a plain thread reply; a repeat is ignored.
func (tx *Tx) AddCheckinReply(ctx context.Context, team, channel string, scheduledFor time.Time, r rituals.CheckinReply) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO checkin_replies
		(team_id, channel_id, scheduled_for, ts, user_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, scheduled_for, ts) DO NOTHING`),
		team, channel, millis(scheduledFor), r.TS, r.User, r.Text, millis(r.At))
	if err != nil {
		return fmt.Errorf("save reply: %w", formatError(err))
	}
	return nil
}
