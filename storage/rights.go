package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/alignbot/alignbot/rituals"
)

type rightRow struct {
	TeamID      string `db:"team_id"`
	Area        string `db:"area"`
	OwnerID     string `db:"owner_id"`
	Responsible string `db:"responsible"`
	Consulted   string `db:"consulted"`
	Informed    string `db:"informed"`
	Names       string `db:"names"`
	UpdatedBy   string `db:"updated_by"`
	UpdatedAt   int64  `db:"updated_at"`
}

const rightColumns = `team_id, area, owner_id, responsible, consulted, informed, names, updated_by, updated_at`

func (r *rightRow) right() *rituals.Right {
	out := &rituals.Right{
		Team: r.TeamID, Area: r.Area, Owner: r.OwnerID, Responsible: splitLines(r.Responsible), Consulted: splitLines(r.Consulted),
		Informed: splitLines(r.Informed), UpdatedBy: r.UpdatedBy, UpdatedAt: fromMillis(r.UpdatedAt),
	}
	if r.Names != "" {
		json.Unmarshal([]byte(r.Names), &out.Names)
	}
	return out
}

func findRight(ctx context.Context, q queryer, team, area string) (*rituals.Right, error) {
	var r rightRow
	err := sqlxGet(ctx, q, &r, `SELECT `+rightColumns+` FROM decision_rights WHERE team_id = ? AND area = ?`, team, area)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no decision area %q.", area)
	}
	if err != nil {
		return nil, fmt.Errorf("find right %s: %w", area, formatError(err))
	}
	return r.right(), nil
}

// findRights returns a workspace's rights by area; every workspace's,
// by workspace, when team is empty.
func findRights(ctx context.Context, q queryer, team string) ([]*rituals.Right, error) {
	var rows []rightRow
	query, args := `SELECT `+rightColumns+` FROM decision_rights ORDER BY team_id, area`, []any{}
	if team != "" {
		query, args = `SELECT `+rightColumns+` FROM decision_rights WHERE team_id = ? ORDER BY area`, []any{team}
	}
	if err := sqlxSelect(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("list rights: %w", formatError(err))
	}
	out := make([]*rituals.Right, len(rows))
	for i := range rows {
		out[i] = rows[i].right()
	}
	return out, nil
}

// Right returns an area's decision right. Returns ENOTFOUND.
func (r reader) Right(ctx context.Context, team, area string) (*rituals.Right, error) {
	return findRight(ctx, r.q, team, area)
}

// Rights returns the team's decision rights by area.
func (r reader) Rights(ctx context.Context, team string) ([]*rituals.Right, error) {
	return findRights(ctx, r.q, team)
}

// SaveRight creates or replaces an area's right.
func (tx *Tx) SaveRight(ctx context.Context, r *rituals.Right) error {
	names, _ := json.Marshal(r.Names)
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO decision_rights (`+rightColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, area) DO UPDATE SET owner_id = excluded.owner_id,
		responsible = excluded.responsible, consulted = excluded.consulted,
		informed = excluded.informed, names = excluded.names, updated_by = excluded.updated_by,
		updated_at = excluded.updated_at`),
		r.Team, r.Area, r.Owner, strings.Join(r.Responsible, "\n"), strings.Join(r.Consulted, "\n"), strings.Join(r.Informed, "\n"),
		string(names), r.UpdatedBy, millis(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save right %s: %w", r.Area, formatError(err))
	}
	return nil
}

// DeleteRight removes an area's right. Returns ENOTFOUND.
func (tx *Tx) DeleteRight(ctx context.Context, team, area string) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM decision_rights WHERE team_id = ? AND area = ?`), team, area)
	if err != nil {
		return fmt.Errorf("delete right %s: %w", area, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.Errorf(rituals.ENOTFOUND, "There is no decision area %q.", area)
	}
	return nil
}

// CountRights returns how many areas the team has.
func (tx *Tx) CountRights(ctx context.Context, team string) (int, error) {
	var n int
	if err := tx.tx.GetContext(ctx, &n, tx.tx.Rebind(`SELECT COUNT(*) FROM decision_rights WHERE team_id = ?`), team); err != nil {
		return 0, fmt.Errorf("count rights: %w", formatError(err))
	}
	return n, nil
}

// RightsOf returns the decision rights of one workspace, or of every
// workspace when team is empty, by workspace and area: for exports.
func (db *DB) RightsOf(ctx context.Context, team string) ([]*rituals.Right, error) {
	return findRights(ctx, db.db, team)
}
