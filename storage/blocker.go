package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// blockerRow is a blockers row joined with its channel's privacy.
type blockerRow struct {
	TeamID         string `db:"team_id"`
	Number         int64  `db:"number"`
	ChannelID      string `db:"channel_id"`
	ChannelPrivate bool   `db:"channel_private"`
	ReporterID     string `db:"reporter_id"`
	ReporterName   string `db:"reporter_name"`
	Text           string `db:"text"`
	Impact         string `db:"impact"`
	NeededBy       string `db:"needed_by"`
	DueAt          int64  `db:"due_at"`
	Source         string `db:"source"`
	Status         string `db:"status"`
	CreatedAt      int64  `db:"created_at"`
	UpdatedAt      int64  `db:"updated_at"`
	ResolvedAt     int64  `db:"resolved_at"`
	ResolvedBy     string `db:"resolved_by"`
	Resolution     string `db:"resolution"`
	ResolveMS      int64  `db:"resolve_ms"`
	EscalatedAt    int64  `db:"escalated_at"`
	OverdueAt      int64  `db:"overdue_at"`
	ClimbedAt      int64  `db:"climbed_at"`
	ClimbedTo      string `db:"climbed_to"`
	SLAMS          int64  `db:"sla_ms"`
}

var blockerColumns = `b.team_id, b.number, b.channel_id, COALESCE(c.private, TRUE) AS channel_private,
	b.reporter_id, b.reporter_name, b.text, b.impact, b.needed_by, b.due_at, b.source, b.status,
	b.created_at, b.updated_at, b.resolved_at, b.resolved_by, b.resolution, b.resolve_ms,
	b.escalated_at, b.overdue_at, b.climbed_at, b.climbed_to, COALESCE(s.sla_ms, ` + defaultSLAMS + `) AS sla_ms`

// defaultSLAMS is rituals.DefaultSLA in milliseconds, as SQL reads it.
var defaultSLAMS = strconv.FormatInt(rituals.DefaultSLA.Milliseconds(), 10)

const blockerFrom = ` FROM blockers b
	LEFT JOIN channels c ON c.team_id = b.team_id AND c.id = b.channel_id
	LEFT JOIN blocker_slas s ON s.team_id = b.team_id AND s.channel_id = b.channel_id`

func (r *blockerRow) blocker() *rituals.Blocker {
	return &rituals.Blocker{
		Team: r.TeamID, Number: r.Number, Channel: r.ChannelID, ChannelPrivate: r.ChannelPrivate,
		Reporter: r.ReporterID, ReporterName: r.ReporterName, Text: r.Text, Impact: r.Impact,
		NeededBy: rituals.Date(r.NeededBy), DueAt: fromMillis(r.DueAt), Source: r.Source,
		Status: rituals.BlockerStatus(r.Status), CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
		ResolvedAt: fromMillis(r.ResolvedAt), ResolvedBy: r.ResolvedBy, Resolution: r.Resolution,
		TimeToResolve: time.Duration(r.ResolveMS) * time.Millisecond,
		EscalatedAt:   fromMillis(r.EscalatedAt), OverdueAt: fromMillis(r.OverdueAt),
		ClimbedAt: fromMillis(r.ClimbedAt), ClimbedTo: r.ClimbedTo, SLA: time.Duration(r.SLAMS) * time.Millisecond,
	}
}

// Blocker returns one blocker. Returns ENOTFOUND.
func (r reader) Blocker(ctx context.Context, team string, number int64) (*rituals.Blocker, error) {
	return findBlocker(ctx, r.q, team, number)
}

// Blockers returns the blockers that pass f. See rituals.BlockerFilter.
func (db *DB) Blockers(ctx context.Context, f rituals.BlockerFilter) ([]*rituals.Blocker, error) {
	return findBlockers(ctx, db.db, f)
}

func findBlocker(ctx context.Context, q queryer, team string, number int64) (*rituals.Blocker, error) {
	bs, err := selectBlockers(ctx, q, []string{"b.team_id = ?", "b.number = ?"}, []any{team, number}, 0)
	if err != nil {
		return nil, fmt.Errorf("find blocker %d: %w", number, err)
	}
	if len(bs) == 0 {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no blocker %s.", rituals.FormatID("B", number))
	}
	return bs[0], nil
}

func findBlockers(ctx context.Context, q queryer, f rituals.BlockerFilter) ([]*rituals.Blocker, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v ...any) {
		where = append(where, cond)
		args = append(args, v...)
	}
	if f.Team != "" {
		add("b.team_id = ?", f.Team)
	}
	if f.Channel != "" {
		add("b.channel_id = ?", f.Channel)
	}
	if f.Inbound != "" {
		cond, v := inboundCond(f.Team, f.Inbound)
		add(cond, v...)
	}
	if f.ViewerChannel != "" {
		add("(b.channel_id = ? OR c.private = FALSE)", f.ViewerChannel)
	}
	if f.Status != "" {
		add("b.status = ?", string(f.Status))
	}
	if !f.Since.IsZero() {
		add("b.created_at >= ?", millis(f.Since))
	}
	if !f.ResolvedSince.IsZero() {
		add("b.status = ? AND b.resolved_at >= ?", string(rituals.BlockerResolved), millis(f.ResolvedSince))
	}
	if !f.ResolvedBefore.IsZero() {
		add("b.status = ? AND b.resolved_at < ?", string(rituals.BlockerResolved), millis(f.ResolvedBefore))
	}
	if !f.StaleAt.IsZero() {
		add("b.status = ? AND b.escalated_at = 0 AND b.created_at + COALESCE(s.sla_ms, ?) <= ?",
			string(rituals.BlockerOpen), rituals.DefaultSLA.Milliseconds(), millis(f.StaleAt))
	}
	if !f.PastDueAt.IsZero() {
		add("b.status = ? AND b.overdue_at = 0 AND b.due_at > 0 AND b.due_at <= ?",
			string(rituals.BlockerOpen), millis(f.PastDueAt))
	}
	if !f.ClimbAt.IsZero() {
		add(`b.status = ? AND b.climbed_at = 0 AND b.escalated_at > 0 AND b.created_at + 2 * COALESCE(s.sla_ms, ?) <= ?
			AND EXISTS (SELECT 1 FROM blocker_escalation_targets t WHERE t.team_id = b.team_id AND t.channel_id = b.channel_id)`,
			string(rituals.BlockerOpen), rituals.DefaultSLA.Milliseconds(), millis(f.ClimbAt))
	}
	bs, err := selectBlockers(ctx, q, where, args, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("find blockers: %w", err)
	}
	return bs, nil
}

// inboundCond keeps team's blockers reported in other channels that name
// channel, directly or through a group or person it claimed. It reads
// from the parties' (team_id, party_id) index, not from every blocker.
func inboundCond(team, channel string) (string, []any) {
	return `b.team_id = ? AND b.channel_id <> ? AND b.number IN (SELECT p.number FROM blocker_parties p
			WHERE p.team_id = ? AND (p.party_id = ? OR p.party_id IN
			(SELECT t.party_id FROM blocker_claims t WHERE t.team_id = ? AND t.channel_id = ?)))`,
		[]any{team, channel, team, channel, team, channel}
}

// selectBlockers returns the blockers matching every condition, oldest
// first, with their parties and acknowledgements.
func selectBlockers(ctx context.Context, q queryer, where []string, args []any, limit int) ([]*rituals.Blocker, error) {
	out, err := selectBlockerRows(ctx, q, where, args, limit)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byKey := make(map[string]*rituals.Blocker, len(out))
	for _, b := range out {
		byKey[blockerKey(b.Team, b.Number)] = b
	}
	// The parties and acks of these blockers, by their keys: the primary
	// keys lead with (team_id, number), so this reads only their rows.
	for team, numbers := range blockerNumbers(out) {
		for chunk := range slices.Chunk(numbers, 500) {
			var parties []partyRow
			if err := sqlxSelectIn(ctx, q, &parties, `SELECT team_id, number, kind, party_id, name, members
				FROM blocker_parties WHERE team_id = ? AND number IN (?) ORDER BY number, position`, team, chunk); err != nil {
				return nil, fmt.Errorf("parties: %w", err)
			}
			for _, p := range parties {
				b := byKey[blockerKey(p.TeamID, p.Number)]
				b.Parties = append(b.Parties, rituals.Party{Kind: rituals.PartyKind(p.Kind), ID: p.PartyID, Name: p.Name, Members: splitLines(p.Members)})
			}
			var acks []ackRow
			if err := sqlxSelectIn(ctx, q, &acks, `SELECT team_id, number, user_id, acked_at
				FROM blocker_acks WHERE team_id = ? AND number IN (?) ORDER BY number, acked_at, user_id`, team, chunk); err != nil {
				return nil, fmt.Errorf("acks: %w", err)
			}
			for _, a := range acks {
				b := byKey[blockerKey(a.TeamID, a.Number)]
				b.Acks = append(b.Acks, rituals.Ack{User: a.UserID, At: fromMillis(a.AckedAt)})
			}
		}
	}
	return out, nil
}

// selectBlockerRows returns the blockers matching every condition, oldest
// first, without their parties and acknowledgements.
func selectBlockerRows(ctx context.Context, q queryer, where []string, args []any, limit int) ([]*rituals.Blocker, error) {
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	query := `SELECT ` + blockerColumns + blockerFrom + cond + ` ORDER BY b.created_at, b.team_id, b.number`
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	var rows []blockerRow
	if err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(query), args...); err != nil {
		return nil, formatError(err)
	}
	out := make([]*rituals.Blocker, len(rows))
	for i := range rows {
		out[i] = rows[i].blocker()
	}
	return out, nil
}

type partyRow struct {
	TeamID  string `db:"team_id"`
	Number  int64  `db:"number"`
	Kind    string `db:"kind"`
	PartyID string `db:"party_id"`
	Name    string `db:"name"`
	Members string `db:"members"`
}

type ackRow struct {
	TeamID  string `db:"team_id"`
	Number  int64  `db:"number"`
	UserID  string `db:"user_id"`
	AckedAt int64  `db:"acked_at"`
}

func blockerKey(team string, number int64) string { return fmt.Sprintf("%s/%d", team, number) }

// blockerNumbers groups blockers' numbers by workspace.
func blockerNumbers(bs []*rituals.Blocker) map[string][]int64 {
	out := map[string][]int64{}
	for _, b := range bs {
		out[b.Team] = append(out[b.Team], b.Number)
	}
	return out
}

// CreateBlocker inserts b and its parties. See rituals.BlockerTx.
func (tx *Tx) CreateBlocker(ctx context.Context, b *rituals.Blocker) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO blockers (
		team_id, number, channel_id, reporter_id, reporter_name, text, impact, needed_by, due_at,
		source, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		b.Team, b.Number, b.Channel, b.Reporter, b.ReporterName, b.Text, b.Impact, string(b.NeededBy),
		millis(b.DueAt), b.Source, string(b.Status), millis(b.CreatedAt), millis(b.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert blocker %d: %w", b.Number, formatError(err))
	}
	return tx.insertParties(ctx, b)
}

// insertParties stores b's parties, in order.
func (tx *Tx) insertParties(ctx context.Context, b *rituals.Blocker) error {
	for i, p := range b.Parties {
		_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO blocker_parties
			(team_id, number, position, kind, party_id, name, members) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			b.Team, b.Number, i, string(p.Kind), p.ID, p.Name, strings.Join(p.Members, "\n"))
		if err != nil {
			return fmt.Errorf("insert party %s of blocker %d: %w", p.ID, b.Number, formatError(err))
		}
	}
	return nil
}

// UpdateBlocker saves an open blocker's edited fields and parties. See
// rituals.BlockerTx.
func (tx *Tx) UpdateBlocker(ctx context.Context, b *rituals.Blocker) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE blockers SET text = ?, impact = ?, needed_by = ?,
		due_at = ?, overdue_at = ?, updated_at = ?
		WHERE team_id = ? AND number = ? AND status = ?`),
		b.Text, b.Impact, string(b.NeededBy), millis(b.DueAt), millis(b.OverdueAt), millis(b.UpdatedAt),
		b.Team, b.Number, string(rituals.BlockerOpen))
	if err != nil {
		return fmt.Errorf("update blocker %d: %w", b.Number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return rituals.Errorf(rituals.ECONFLICT, "%s is resolved, so it can no longer be edited.", b.ID())
	}
	if _, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM blocker_parties WHERE team_id = ? AND number = ?`),
		b.Team, b.Number); err != nil {
		return fmt.Errorf("drop parties of blocker %d: %w", b.Number, formatError(err))
	}
	return tx.insertParties(ctx, b)
}

// ResolveBlocker closes an open blocker. See rituals.BlockerTx.
func (tx *Tx) ResolveBlocker(ctx context.Context, b *rituals.Blocker) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE blockers SET status = ?, resolved_at = ?,
		resolved_by = ?, resolution = ?, resolve_ms = ?, updated_at = ?
		WHERE team_id = ? AND number = ? AND status = ?`),
		string(rituals.BlockerResolved), millis(b.ResolvedAt), b.ResolvedBy, b.Resolution,
		b.TimeToResolve.Milliseconds(), millis(b.UpdatedAt), b.Team, b.Number, string(rituals.BlockerOpen))
	if err != nil {
		return fmt.Errorf("resolve blocker %d: %w", b.Number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return rituals.Errorf(rituals.ECONFLICT, "%s is already resolved.", b.ID())
	}
	return nil
}

// AckBlocker records that user is on a blocker. See rituals.BlockerTx.
func (tx *Tx) AckBlocker(ctx context.Context, team string, number int64, user string, at time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO blocker_acks (team_id, number, user_id, acked_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (team_id, number, user_id) DO NOTHING`), team, number, user, millis(at))
	if err != nil {
		return false, fmt.Errorf("acknowledge blocker %d: %w", number, formatError(err))
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClaimEscalation marks an open blocker escalated, once. See
// rituals.BlockerWatchTx.
func (tx *Tx) ClaimEscalation(ctx context.Context, team string, number int64, at time.Time) error {
	return tx.claimMark(ctx, "escalated_at", team, number, at)
}

// ClaimOverdue marks an open blocker overdue, once. See
// rituals.BlockerWatchTx.
func (tx *Tx) ClaimOverdue(ctx context.Context, team string, number int64, at time.Time) error {
	return tx.claimMark(ctx, "overdue_at", team, number, at)
}

// claimMark sets column (a constant, never input) from 0 to at on an open
// blocker. Returns ErrDuplicate when it was set already or the blocker is
// resolved.
func (tx *Tx) claimMark(ctx context.Context, column, team string, number int64, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE blockers SET `+column+` = ?, updated_at = ?
		WHERE team_id = ? AND number = ? AND status = ? AND `+column+` = 0`),
		millis(at), millis(at), team, number, string(rituals.BlockerOpen))
	if err != nil {
		return fmt.Errorf("claim %s of blocker %d: %w", column, number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

// BlockerSLA returns a channel's escalation threshold. See
// rituals.BlockerReader.
func (db *DB) BlockerSLA(ctx context.Context, team, channel string) (time.Duration, bool, error) {
	var ms int64
	err := db.db.GetContext(ctx, &ms, db.rebind(`SELECT sla_ms FROM blocker_slas WHERE team_id = ? AND channel_id = ?`), team, channel)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("find blocker sla of %s: %w", channel, formatError(err))
	}
	return time.Duration(ms) * time.Millisecond, true, nil
}

// SaveBlockerSLA sets a channel's escalation threshold. See
// rituals.BlockerTx.
func (tx *Tx) SaveBlockerSLA(ctx context.Context, team, channel string, sla time.Duration, by string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO blocker_slas (team_id, channel_id, sla_ms, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id) DO UPDATE SET sla_ms = excluded.sla_ms,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
		team, channel, sla.Milliseconds(), by, millis(at))
	if err != nil {
		return fmt.Errorf("save blocker sla of %s: %w", channel, formatError(err))
	}
	return nil
}
