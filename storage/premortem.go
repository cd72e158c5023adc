package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// sessionRow is a ritual_sessions row joined with its channel's privacy.
type sessionRow struct {
	TeamID         string `db:"team_id"`
	Number         int64  `db:"number"`
	Kind           string `db:"kind"`
	Name           string `db:"name"`
	ChannelID      string `db:"channel_id"`
	ChannelPrivate bool   `db:"channel_private"`
	CreatorID      string `db:"creator_id"`
	CreatorName    string `db:"creator_name"`
	Status         string `db:"status"`
	LaunchOn       string `db:"launch_on"`
	CreatedAt      int64  `db:"created_at"`
	ClosesAt       int64  `db:"closes_at"`
	ClosedAt       int64  `db:"closed_at"`
	ClosedBy       string `db:"closed_by"`
	FollowUpAt     int64  `db:"follow_up_at"`
	FollowedUpAt   int64  `db:"followed_up_at"`
}

const sessionColumns = `s.team_id, s.number, s.kind, s.name, s.channel_id, COALESCE(c.private, TRUE) AS channel_private,
	s.creator_id, s.creator_name, s.status, s.launch_on, s.created_at, s.closes_at, s.closed_at, s.closed_by,
	s.follow_up_at, s.followed_up_at`

const sessionFrom = ` FROM ritual_sessions s
	LEFT JOIN channels c ON c.team_id = s.team_id AND c.id = s.channel_id`

func (r *sessionRow) session() *rituals.Session {
	return &rituals.Session{
		Team: r.TeamID, Number: r.Number, Kind: rituals.SessionKind(r.Kind), Name: r.Name,
		Channel: r.ChannelID, ChannelPrivate: r.ChannelPrivate, Creator: r.CreatorID, CreatorName: r.CreatorName,
		Status: rituals.SessionStatus(r.Status), LaunchOn: rituals.Date(r.LaunchOn),
		CreatedAt: fromMillis(r.CreatedAt), ClosesAt: fromMillis(r.ClosesAt), ClosedAt: fromMillis(r.ClosedAt),
		ClosedBy: r.ClosedBy, FollowUpAt: fromMillis(r.FollowUpAt), FollowedUpAt: fromMillis(r.FollowedUpAt),
		Items: []*rituals.Item{},
	}
}

// itemRow is a ritual_items row with its vote count and its session's
// kind, name and channel.
type itemRow struct {
	TeamID         string `db:"team_id"`
	Number         int64  `db:"number"`
	Item           int64  `db:"item"`
	Kind           string `db:"kind"`
	Text           string `db:"text"`
	AuthorID       string `db:"author_id"`
	Anonymous      bool   `db:"anonymous"`
	SourceTS       string `db:"source_ts"`
	Likelihood     string `db:"likelihood"`
	Impact         string `db:"impact"`
	Tag            string `db:"tag"`
	OwnerID        string `db:"owner_id"`
	OwnerName      string `db:"owner_name"`
	OwnerZone      string `db:"owner_zone"`
	DueOn          string `db:"due_on"`
	AssignedBy     string `db:"assigned_by"`
	AssignedAt     int64  `db:"assigned_at"`
	RemindedAt     int64  `db:"reminded_at"`
	DoneAt         int64  `db:"done_at"`
	DoneBy         string `db:"done_by"`
	Blocker        int64  `db:"blocker"`
	HappenedAt     int64  `db:"happened_at"`
	HappenedBy     string `db:"happened_by"`
	CreatedAt      int64  `db:"created_at"`
	Votes          int    `db:"votes"`
	SessionKind    string `db:"session_kind"`
	SessionName    string `db:"session_name"`
	ChannelID      string `db:"channel_id"`
	ChannelPrivate bool   `db:"channel_private"`
}

const itemColumns = `i.team_id, i.number, i.item, i.kind, i.text, i.author_id, i.anonymous, i.source_ts,
	i.likelihood, i.impact, i.tag, i.owner_id, i.owner_name, i.owner_zone, i.due_on, i.assigned_by,
	i.assigned_at, i.reminded_at, i.done_at, i.done_by, i.blocker, i.happened_at, i.happened_by, i.created_at,
	(SELECT COUNT(*) FROM ritual_votes v WHERE v.team_id = i.team_id AND v.number = i.number AND v.item = i.item) AS votes,
	s.kind AS session_kind, s.name AS session_name, s.channel_id, COALESCE(c.private, TRUE) AS channel_private`

const itemFrom = ` FROM ritual_items i
	JOIN ritual_sessions s ON s.team_id = i.team_id AND s.number = i.number
	LEFT JOIN channels c ON c.team_id = s.team_id AND c.id = s.channel_id`

func (r *itemRow) item() *rituals.Item {
	return &rituals.Item{
		Team: r.TeamID, Session: r.Number, Number: r.Item, Kind: rituals.ItemKind(r.Kind), Text: r.Text,
		Author: r.AuthorID, Anonymous: r.Anonymous, SourceTS: r.SourceTS,
		Likelihood: rituals.RiskLevel(r.Likelihood), Impact: rituals.RiskLevel(r.Impact), Tag: rituals.RiskTag(r.Tag),
		Votes: r.Votes, Owner: r.OwnerID, OwnerName: r.OwnerName, OwnerZone: rituals.StoredZone(r.OwnerZone), Due: rituals.Date(r.DueOn),
		AssignedBy: r.AssignedBy, AssignedAt: fromMillis(r.AssignedAt), RemindedAt: fromMillis(r.RemindedAt),
		DoneAt: fromMillis(r.DoneAt), DoneBy: r.DoneBy, Blocker: r.Blocker,
		HappenedAt: fromMillis(r.HappenedAt), HappenedBy: r.HappenedBy, CreatedAt: fromMillis(r.CreatedAt),
		SessionKind: rituals.SessionKind(r.SessionKind), SessionName: r.SessionName,
		Channel: r.ChannelID, ChannelPrivate: r.ChannelPrivate,
	}
}

// Session returns one session with its items. Returns ENOTFOUND.
func (r reader) Session(ctx context.Context, team string, n int64) (*rituals.Session, error) {
	return findSession(ctx, r.q, team, n)
}

// Sessions returns the sessions that pass f. See rituals.SessionFilter.
func (db *DB) Sessions(ctx context.Context, f rituals.SessionFilter) ([]*rituals.Session, error) {
	var w sqlWhere
	w.add(f.Team != "", "s.team_id = ?", f.Team)
	w.add(f.Channel != "", "s.channel_id = ?", f.Channel)
	w.add(f.ViewerChannel != "", "(s.channel_id = ? OR c.private = FALSE)", f.ViewerChannel)
	w.add(f.Kind != "", "s.kind = ?", string(f.Kind))
	w.add(f.Status != "", "s.status = ?", string(f.Status))
	w.add(!f.Since.IsZero(), "s.created_at >= ?", millis(f.Since))
	w.add(!f.ClosingBy.IsZero(), "s.status = ? AND s.closes_at <= ?", string(rituals.SessionOpen), millis(f.ClosingBy))
	w.add(!f.FollowUpBy.IsZero(), "s.follow_up_at > 0 AND s.followed_up_at = 0 AND s.follow_up_at <= ?", millis(f.FollowUpBy))
	ss, err := selectSessions(ctx, db.db, w, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("find sessions: %w", err)
	}
	return ss, nil
}

// SessionItems returns the items that pass f. See rituals.ItemFilter.
func (db *DB) SessionItems(ctx context.Context, f rituals.ItemFilter) ([]*rituals.Item, error) {
	risks := "i.kind IN ('" + string(rituals.ItemFailure) + "', '" + string(rituals.ItemAssumption) + "')"
	var w sqlWhere
	w.add(f.Team != "", "s.team_id = ?", f.Team)
	w.add(f.Channel != "", "s.channel_id = ?", f.Channel)
	w.add(f.ViewerChannel != "", "(s.channel_id = ? OR c.private = FALSE)", f.ViewerChannel)
	w.add(f.SessionKind != "", "s.kind = ?", string(f.SessionKind))
	w.add(f.Risks, risks)
	w.add(f.OpenActions, "i.done_at = 0 AND (i.kind = ? OR ("+risks+" AND i.owner_id <> ''))", string(rituals.ItemChange))
	w.add(!f.RemindBy.IsZero(), "i.owner_id <> '' AND i.done_at = 0 AND i.reminded_at = 0 AND i.due_on <> '' AND i.due_on <= ?",
		string(f.RemindBy))
	w.add(!f.OverdueBy.IsZero(), "i.owner_id <> '' AND i.done_at = 0 AND i.due_on <> '' AND i.due_on >= ? AND i.due_on <= ?",
		string(f.OverdueFrom), string(f.OverdueBy))
	if len(f.Owners) > 0 {
		w.add(true, "i.owner_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Owners)), ", ")+")", anys(f.Owners)...)
	}
	w.add(!f.SessionsSince.IsZero(), "s.created_at >= ?", millis(f.SessionsSince))
	items, err := selectItems(ctx, db.db, w)
	if err != nil {
		return nil, fmt.Errorf("find ritual items: %w", err)
	}
	return items, nil
}

// sqlWhere gathers the conditions of a query and their arguments.
type sqlWhere struct {
	conds []string
	args  []any
}

func (w *sqlWhere) add(when bool, cond string, args ...any) {
	if when {
		w.conds = append(w.conds, cond)
		w.args = append(w.args, args...)
	}
}

func (w sqlWhere) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func findSession(ctx context.Context, q queryer, team string, n int64) (*rituals.Session, error) {
	var w sqlWhere
	w.add(true, "s.team_id = ? AND s.number = ?", team, n)
	ss, err := selectSessions(ctx, q, w, 0)
	if err != nil {
		return nil, fmt.Errorf("find session %d: %w", n, err)
	}
	if len(ss) == 0 {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no pre-mortem or retro numbered %d.", n)
	}
	return ss[0], nil
}

// selectSessions returns the sessions matching w, oldest first, each with
// its items.
func selectSessions(ctx context.Context, q queryer, w sqlWhere, limit int) ([]*rituals.Session, error) {
	query := `SELECT ` + sessionColumns + sessionFrom + w.sql() + ` ORDER BY s.created_at, s.team_id, s.number`
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	var rows []sessionRow
	if err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(query), w.args...); err != nil {
		return nil, formatError(err)
	}
	out := make([]*rituals.Session, len(rows))
	byKey := make(map[string]*rituals.Session, len(rows))
	for i := range rows {
		out[i] = rows[i].session()
		byKey[blockerKey(out[i].Team, out[i].Number)] = out[i]
	}
	if len(out) == 0 {
		return out, nil
	}
	// The items of the same sessions, by the same conditions; limit does
	// not apply to them: the items of sessions cut off are dropped here.
	items, err := selectItems(ctx, q, w)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if s := byKey[blockerKey(it.Team, it.Session)]; s != nil {
			s.Items = append(s.Items, it)
		}
	}
	return out, nil
}

// selectItems returns the items matching w, by session then number.
func selectItems(ctx context.Context, q queryer, w sqlWhere) ([]*rituals.Item, error) {
	var rows []itemRow
	query := `SELECT ` + itemColumns + itemFrom + w.sql() + ` ORDER BY i.team_id, i.number, i.item`
	if err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(query), w.args...); err != nil {
		return nil, fmt.Errorf("items: %w", formatError(err))
	}
	out := make([]*rituals.Item, len(rows))
	for i := range rows {
		out[i] = rows[i].item()
	}
	return out, nil
}

// anys is ss as arguments of a query.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
