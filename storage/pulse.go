package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// pulseRow is a pulses row with its channel's privacy and audience counts.
type pulseRow struct {
	TeamID         string `db:"team_id"`
	Number         int64  `db:"number"`
	Series         int64  `db:"series"`
	Run            int    `db:"run"`
	ChannelID      string `db:"channel_id"`
	ChannelPrivate bool   `db:"channel_private"`
	CreatedBy      string `db:"created_by"`
	Question       string `db:"question"`
	Kind           string `db:"kind"`
	Options        string `db:"options"`
	ScaleLow       string `db:"scale_low"`
	ScaleHigh      string `db:"scale_high"`
	Audience       string `db:"audience"`
	AudienceRef    string `db:"audience_ref"`
	Anonymous      bool   `db:"anonymous"`
	Threshold      int    `db:"threshold"`
	OpenForMS      int64  `db:"open_for_ms"`
	Repeats        string `db:"repeats"`
	Status         string `db:"status"`
	Note           string `db:"note"`
	CreatedAt      int64  `db:"created_at"`
	SentAt         int64  `db:"sent_at"`
	RemindAt       int64  `db:"remind_at"`
	RemindedAt     int64  `db:"reminded_at"`
	ClosesAt       int64  `db:"closes_at"`
	ClosedAt       int64  `db:"closed_at"`
	Asked          int    `db:"asked"`
	Answered       int    `db:"answered"`
}

const pulseColumns = `p.team_id, p.number, p.series, p.run, p.channel_id,
	COALESCE(c.private, TRUE) AS channel_private, p.created_by, p.question, p.kind, p.options,
	p.scale_low, p.scale_high, p.audience, p.audience_ref, p.anonymous, p.threshold, p.open_for_ms,
	p.repeats, p.status, p.note, p.created_at, p.sent_at, p.remind_at, p.reminded_at, p.closes_at, p.closed_at,
	(SELECT COUNT(*) FROM pulse_audience a WHERE a.team_id = p.team_id AND a.pulse = p.number) AS asked,
	(SELECT COUNT(*) FROM pulse_audience a WHERE a.team_id = p.team_id AND a.pulse = p.number AND a.answered) AS answered`

const pulseFrom = ` FROM pulses p
	LEFT JOIN channels c ON c.team_id = p.team_id AND c.id = p.channel_id`

func (r *pulseRow) pulse() *rituals.Pulse {
	return &rituals.Pulse{
		Team: r.TeamID, Number: r.Number, Series: r.Series, Run: r.Run,
		Channel: r.ChannelID, ChannelPrivate: r.ChannelPrivate, CreatedBy: r.CreatedBy,
		Question: r.Question, Kind: rituals.PulseKind(r.Kind), Options: splitLines(r.Options),
		ScaleLow: r.ScaleLow, ScaleHigh: r.ScaleHigh,
		Audience: rituals.PulseAudience(r.Audience), AudienceRef: splitLines(r.AudienceRef),
		Anonymous: r.Anonymous, Threshold: r.Threshold, OpenFor: time.Duration(r.OpenForMS) * time.Millisecond,
		Repeat: rituals.PulseRepeat(r.Repeats), Status: rituals.PulseStatus(r.Status), Note: r.Note,
		CreatedAt: fromMillis(r.CreatedAt), SentAt: fromMillis(r.SentAt), RemindAt: fromMillis(r.RemindAt),
		RemindedAt: fromMillis(r.RemindedAt), ClosesAt: fromMillis(r.ClosesAt), ClosedAt: fromMillis(r.ClosedAt),
		Asked: r.Asked, Answered: r.Answered,
	}
}

// Pulse returns one pulse. Returns ENOTFOUND.
func (r reader) Pulse(ctx context.Context, team string, n int64) (*rituals.Pulse, error) {
	return findPulse(ctx, r.q, team, n)
}

// Pulses returns the pulses that pass f. See rituals.PulseFilter.
func (r reader) Pulses(ctx context.Context, f rituals.PulseFilter) ([]*rituals.Pulse, error) {
	return findPulses(ctx, r.q, f)
}

// LatestPulseRun returns the newest run of a series. Returns ENOTFOUND.
func (tx *Tx) LatestPulseRun(ctx context.Context, team string, series int64) (*rituals.Pulse, error) {
	ps, err := findPulses(ctx, tx.tx, rituals.PulseFilter{Team: team, Series: series, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no pulse series %s.", rituals.FormatID("P", series))
	}
	return ps[0], nil
}

// DuePulses returns the open pulses to close or remind at now.
func (db *DB) DuePulses(ctx context.Context, now time.Time) ([]*rituals.Pulse, error) {
	var rows []pulseRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+pulseColumns+pulseFrom+`
		WHERE p.status = ? AND (p.closes_at <= ? OR (p.remind_at > 0 AND p.remind_at <= ? AND p.reminded_at = 0))
		ORDER BY p.closes_at`), string(rituals.PulseOpen), millis(now), millis(now))
	if err != nil {
		return nil, fmt.Errorf("due pulses: %w", formatError(err))
	}
	return pulsesOf(rows), nil
}

func findPulse(ctx context.Context, q queryer, team string, n int64) (*rituals.Pulse, error) {
	var r pulseRow
	err := sqlx.GetContext(ctx, q, &r, q.Rebind(`SELECT `+pulseColumns+pulseFrom+`
		WHERE p.team_id = ? AND p.number = ?`), team, n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no pulse %s.", rituals.FormatID("P", n))
	}
	if err != nil {
		return nil, fmt.Errorf("find pulse %d: %w", n, formatError(err))
	}
	return r.pulse(), nil
}

func findPulses(ctx context.Context, q queryer, f rituals.PulseFilter) ([]*rituals.Pulse, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Team != "" {
		where, args = append(where, "p.team_id = ?"), append(args, f.Team)
	}
	if f.Channel != "" {
		where, args = append(where, "p.channel_id = ?"), append(args, f.Channel)
	}
	if f.Series != 0 {
		where, args = append(where, "p.series = ?"), append(args, f.Series)
	}
	if f.Closed {
		where, args = append(where, "p.status = ?"), append(args, string(rituals.PulseClosed))
	}
	order := "p.number DESC"
	if f.Oldest {
		order = "p.number ASC"
	}
	query := `SELECT ` + pulseColumns + pulseFrom + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY p.team_id, ` + order
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	var rows []pulseRow
	if err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("find pulses: %w", formatError(err))
	}
	return pulsesOf(rows), nil
}

func pulsesOf(rows []pulseRow) []*rituals.Pulse {
	out := make([]*rituals.Pulse, len(rows))
	for i := range rows {
		out[i] = rows[i].pulse()
	}
	return out
}

// CreatePulse inserts p. See rituals.PulseTx.
func (tx *Tx) CreatePulse(ctx context.Context, p *rituals.Pulse) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO pulses (
		team_id, number, series, run, channel_id, created_by, question, kind, options, scale_low, scale_high,
		audience, audience_ref, anonymous, threshold, open_for_ms, repeats, status, note,
		created_at, sent_at, remind_at, reminded_at, closes_at, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		p.Team, p.Number, p.Series, p.Run, p.Channel, p.CreatedBy, p.Question, string(p.Kind),
		strings.Join(p.Options, "\n"), p.ScaleLow, p.ScaleHigh, string(p.Audience), strings.Join(p.AudienceRef, "\n"),
		p.Anonymous, p.Threshold, p.OpenFor.Milliseconds(), string(p.Repeat), string(p.Status), p.Note,
		millis(p.CreatedAt), millis(p.SentAt), millis(p.RemindAt), millis(p.RemindedAt), millis(p.ClosesAt), millis(p.ClosedAt))
	if err != nil {
		return fmt.Errorf("insert pulse %d: %w", p.Number, formatError(err))
	}
	return nil
}

// UpdatePulse stores p's status, note, repeat and times if its status is
// still from. See rituals.PulseTx. The threshold is never written here.
func (tx *Tx) UpdatePulse(ctx context.Context, p *rituals.Pulse, from rituals.PulseStatus) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulses SET status = ?, note = ?, repeats = ?,
		sent_at = ?, remind_at = ?, reminded_at = ?, closes_at = ?, closed_at = ?
		WHERE team_id = ? AND number = ? AND status = ?`),
		string(p.Status), p.Note, string(p.Repeat), millis(p.SentAt), millis(p.RemindAt), millis(p.RemindedAt),
		millis(p.ClosesAt), millis(p.ClosedAt), p.Team, p.Number, string(from))
	if err != nil {
		return fmt.Errorf("update pulse %d: %w", p.Number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

// ClaimPulseReminder records an open pulse's reminders as sent, once.
func (tx *Tx) ClaimPulseReminder(ctx context.Context, team string, n int64, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulses SET reminded_at = ?
		WHERE team_id = ? AND number = ? AND status = ? AND reminded_at = 0`),
		millis(at), team, n, string(rituals.PulseOpen))
	if err != nil {
		return fmt.Errorf("claim reminder of pulse %d: %w", n, formatError(err))
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

// SetPulseThreshold changes a pending pulse's threshold; the status check
// is in the statement, so a sent pulse's threshold cannot change.
func (tx *Tx) SetPulseThreshold(ctx context.Context, team string, n int64, threshold int) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE pulses SET threshold = ?
		WHERE team_id = ? AND number = ? AND status = ?`), threshold, team, n, string(rituals.PulsePending))
	if err != nil {
		return fmt.Errorf("set threshold of pulse %d: %w", n, formatError(err))
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return rituals.Errorf(rituals.ECONFLICT, "%s was already sent, so its threshold is fixed.", rituals.FormatID("P", n))
	}
	return nil
}
