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

// decisionRow is a decisions row joined with its channel's privacy.
type decisionRow struct {
	TeamID         string `db:"team_id"`
	Number         int64  `db:"number"`
	ID             int64  `db:"id"`
	Date           string `db:"date"`
	Title          string `db:"title"`
	Text           string `db:"text"`
	Rationale      string `db:"rationale"`
	Impact         string `db:"impact"`
	Links          string `db:"links"`
	Source         string `db:"source"`
	OwnerID        string `db:"owner_id"`
	OwnerName      string `db:"owner_name"`
	AuthorID       string `db:"author_id"`
	ChannelID      string `db:"channel_id"`
	ChannelPrivate bool   `db:"channel_private"`
	Status         string `db:"status"`
	DecideBy       string `db:"decide_by"`
	ProposedBy     string `db:"proposed_by"`
	SentBack       string `db:"sent_back"`
	DecidedAt      int64  `db:"decided_at"`
	RevisitBy      string `db:"revisit_by"`
	Area           string `db:"area"`
	PostedTo       string `db:"posted_to"`
	Supersedes     int64  `db:"supersedes"`
	SupersededBy   int64  `db:"superseded_by"`
	OwnerZone      string `db:"owner_zone"`
	Version        int    `db:"version"`
	CreatedAt      int64  `db:"created_at"`
	UpdatedAt      int64  `db:"updated_at"`
}

const decisionColumns = `d.team_id, d.number, d.id, d.date, d.title, d.text, d.rationale, d.impact,
	d.links, d.source, d.owner_id, d.owner_name, d.author_id, d.channel_id,
	COALESCE(c.private, TRUE) AS channel_private, d.status, d.decide_by, d.proposed_by, d.sent_back, d.decided_at,
	d.revisit_by, d.area, d.posted_to, d.supersedes, d.superseded_by, d.owner_zone, d.version,
	d.created_at, d.updated_at`

const decisionFrom = ` FROM` + decisionTables

const decisionTables = ` decisions d
	LEFT JOIN channels c ON c.team_id = d.team_id AND c.id = d.channel_id`

func (r *decisionRow) decision() *rituals.Decision {
	return &rituals.Decision{
		Team:           r.TeamID,
		Number:         r.Number,
		Date:           rituals.Date(r.Date),
		Title:          r.Title,
		Text:           r.Text,
		Rationale:      r.Rationale,
		Impact:         r.Impact,
		Links:          splitLines(r.Links),
		Source:         r.Source,
		Owner:          r.OwnerID,
		OwnerName:      r.OwnerName,
		Author:         r.AuthorID,
		Channel:        r.ChannelID,
		ChannelPrivate: r.ChannelPrivate,
		Status:         rituals.DecisionStatus(r.Status),
		DecideBy:       rituals.Date(r.DecideBy),
		ProposedBy:     r.ProposedBy,
		SentBack:       r.SentBack,
		DecidedAt:      fromMillis(r.DecidedAt),
		RevisitBy:      rituals.Date(r.RevisitBy),
		Area:           r.Area,
		PostedTo:       splitLines(r.PostedTo),
		Supersedes:     r.Supersedes,
		SupersededBy:   r.SupersededBy,
		OwnerZone:      rituals.StoredZone(r.OwnerZone),
		Version:        r.Version,
		CreatedAt:      fromMillis(r.CreatedAt),
		UpdatedAt:      fromMillis(r.UpdatedAt),
	}
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Decision returns one decision. Returns ENOTFOUND.
func (r reader) Decision(ctx context.Context, team string, number int64) (*rituals.Decision, error) {
	return findDecision(ctx, r.q, team, number)
}

// Decisions returns the decisions that pass f. See rituals.DecisionFilter.
func (r reader) Decisions(ctx context.Context, f rituals.DecisionFilter) ([]*rituals.Decision, error) {
	return r.db.findDecisions(ctx, r.q, f)
}

func findDecision(ctx context.Context, q queryer, team string, number int64) (*rituals.Decision, error) {
	var r decisionRow
	err := sqlx.GetContext(ctx, q, &r, q.Rebind(`SELECT `+decisionColumns+decisionFrom+`
		WHERE d.team_id = ? AND d.number = ?`), team, number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rituals.Errorf(rituals.ENOTFOUND, "There is no decision %s.", rituals.FormatID("D", number))
	}
	if err != nil {
		return nil, fmt.Errorf("find decision %d: %w", number, formatError(err))
	}
	return r.decision(), nil
}

func (db *DB) findDecisions(ctx context.Context, q queryer, f rituals.DecisionFilter) ([]*rituals.Decision, error) {
	sel, ok := db.decisionQuery(f)
	if !ok {
		return nil, nil
	}
	query := `SELECT ` + decisionColumns + sel.from + ` WHERE ` + sel.where + ` ORDER BY ` + sel.order
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	if f.Offset > 0 {
		if f.Limit <= 0 && db.dialect != "postgres" {
			query += " LIMIT -1" // SQLite takes OFFSET only after a LIMIT
		}
		query += fmt.Sprintf(" OFFSET %d", f.Offset)
	}
	var rows []decisionRow
	if err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(query), append(sel.args, sel.orderArgs...)...); err != nil {
		return nil, fmt.Errorf("find decisions: %w", formatError(err))
	}
	out := make([]*rituals.Decision, len(rows))
	for i := range rows {
		out[i] = rows[i].decision()
	}
	return out, nil
}

// CountDecisions returns how many decisions pass f, Limit and Offset
// aside: the size of what a page of f is part of.
func (db *DB) CountDecisions(ctx context.Context, f rituals.DecisionFilter) (int, error) {
	sel, ok := db.decisionQuery(f)
	if !ok {
		return 0, nil
	}
	var n int
	if err := db.db.GetContext(ctx, &n, db.rebind(`SELECT COUNT(*)`+sel.from+` WHERE `+sel.where), sel.args...); err != nil {
		return 0, fmt.Errorf("count decisions: %w", formatError(err))
	}
	return n, nil
}

// decisionSelect is a decision query's clauses, built from a filter.
type decisionSelect struct {
	from, where, order string
	args, orderArgs    []any
}

// decisionQuery builds f's FROM, WHERE and ORDER BY clauses. ok is false
// when nothing can pass f: an empty list of numbers, or a query with
// nothing to search for.
func (db *DB) decisionQuery(f rituals.DecisionFilter) (sel decisionSelect, ok bool) {
	var (
		where = []string{"1 = 1"}
		args  []any
	)
	sel.from, sel.order = decisionFrom, "d.number DESC"
	if f.Oldest {
		sel.order = "d.number ASC"
	}
	cond := func(c string, v any) {
		where = append(where, c)
		args = append(args, v)
	}
	if f.Team != "" {
		cond("d.team_id = ?", f.Team)
	}
	if f.Channel != "" {
		cond("d.channel_id = ?", f.Channel)
	}
	if f.ViewerChannel != "" {
		cond("(d.channel_id = ? OR c.private = FALSE)", f.ViewerChannel)
	}
	if f.PublicOnly {
		// A channel never seen has no row: COALESCE counts it private.
		where = append(where, "c.private = FALSE")
	}
	if f.Since != "" {
		cond("d.date >= ?", string(f.Since))
	}
	if f.Until != "" {
		cond("d.date <= ?", string(f.Until))
	}
	if f.Status != "" {
		cond("d.status = ?", string(f.Status))
	}
	if f.Area != "" {
		cond("d.area = ?", f.Area)
	}
	if f.Owner != "" {
		cond("d.owner_id = ?", f.Owner)
	}
	if f.Numbers != nil {
		if len(f.Numbers) == 0 {
			return sel, false
		}
		where = append(where, "d.number IN (?"+strings.Repeat(", ?", len(f.Numbers)-1)+")")
		for _, n := range f.Numbers {
			args = append(args, n)
		}
	}
	if f.Query != "" {
		matches, matchArgs, c, condArgs, rank, rankArgs, ok := db.searchClauses(f.Query, f.AnyWord)
		if !ok {
			return sel, false
		}
		if matches != "" {
			sel.from = ` FROM ` + matches + ` CROSS JOIN` + decisionTables
		}
		args = append(matchArgs, args...)
		if c != "" {
			where = append(where, c)
			args = append(args, condArgs...)
		}
		sel.order, sel.orderArgs = rank, rankArgs
	}
	sel.where, sel.args = strings.Join(where, " AND "), args
	return sel, true
}

// DecisionFacets returns the channels, areas and owners of team's
// decisions in public channels (every team's when team is empty), each
// sorted: what the decision log's site offers as filters.
func (db *DB) DecisionFacets(ctx context.Context, team string) (rituals.DecisionFacets, error) {
	var f rituals.DecisionFacets
	where, args := `c.private = FALSE`, []any{}
	if team != "" {
		where += ` AND d.team_id = ?`
		args = append(args, team)
	}
	var chans []struct {
		ID   string `db:"channel_id"`
		Name string `db:"name"`
	}
	err := db.db.SelectContext(ctx, &chans, db.rebind(`SELECT DISTINCT d.channel_id, c.name`+decisionFrom+`
		WHERE `+where+` ORDER BY c.name, d.channel_id`), args...)
	if err != nil {
		return f, fmt.Errorf("decision channels: %w", formatError(err))
	}
	for _, c := range chans {
		f.Channels = append(f.Channels, rituals.Channel{Team: team, ID: c.ID, Name: c.Name})
	}
	err = db.db.SelectContext(ctx, &f.Areas, db.rebind(`SELECT DISTINCT d.area`+decisionFrom+`
		WHERE `+where+` AND d.area <> '' ORDER BY d.area`), args...)
	if err != nil {
		return f, fmt.Errorf("decision areas: %w", formatError(err))
	}
	// One name per owner, should it have changed over the years.
	err = db.db.SelectContext(ctx, &f.Owners, db.rebind(`SELECT d.owner_id AS id, MAX(d.owner_name) AS name`+decisionFrom+`
		WHERE `+where+` AND d.owner_id <> '' GROUP BY d.owner_id ORDER BY 2, 1`), args...)
	if err != nil {
		return f, fmt.Errorf("decision owners: %w", formatError(err))
	}
	return f, nil
}

// CreateDecision inserts d. See rituals.DecisionTx.
func (tx *Tx) CreateDecision(ctx context.Context, d *rituals.Decision) error {
	id, err := tx.NextNumber(ctx, "", "decision_row")
	if err != nil {
		return err
	}
	cols := `team_id, number, id, date, title, text, rationale, impact, links, source,
		owner_id, owner_name, author_id, channel_id, status, decide_by, decided_at,
		revisit_by, area, posted_to, supersedes, superseded_by, owner_zone, version,
		created_at, updated_at, title_words, proposed_by, sent_back`
	vals := `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`
	words := rituals.TitleWords(d.Title)
	args := []any{d.Team, d.Number, id, string(d.Date), d.Title, d.Text, d.Rationale, d.Impact,
		strings.Join(d.Links, "\n"), d.Source, d.Owner, d.OwnerName, d.Author, d.Channel,
		string(d.Status), string(d.DecideBy), millis(d.DecidedAt), string(d.RevisitBy), d.Area,
		strings.Join(d.PostedTo, "\n"), d.Supersedes, d.SupersededBy, d.OwnerZone.String(), d.Version,
		millis(d.CreatedAt), millis(d.UpdatedAt), len(words), d.ProposedBy, d.SentBack}
	if tx.db.dialect == "postgres" {
		// The search vector in the same statement: one round trip.
		cols += ", search"
		vals += ", " + searchVector
		args = append(args, searchArgs(d)...)
	}
	_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO decisions (`+cols+`) VALUES (`+vals+`)`), args...)
	if err != nil {
		return fmt.Errorf("insert decision %d: %w", d.Number, formatError(err))
	}
	return insertTitleWords(ctx, tx.tx, d.Team, d.Number, words)
}

// UpdateDecision stores d and keeps the version it replaces. See
// rituals.DecisionTx.
func (tx *Tx) UpdateDecision(ctx context.Context, d *rituals.Decision, editor string, at time.Time) error {
	var old struct {
		Title      string `db:"title"`
		TitleWords int    `db:"title_words"`
	}
	err := tx.tx.GetContext(ctx, &old, tx.tx.Rebind(`SELECT title, title_words FROM decisions
		WHERE team_id = ? AND number = ?`), d.Team, d.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return rituals.Errorf(rituals.ENOTFOUND, "There is no decision %s.", d.ID())
	}
	if err != nil {
		return fmt.Errorf("read title of decision %d: %w", d.Number, formatError(err))
	}
	words := rituals.TitleWords(d.Title)
	_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO decision_versions (
		team_id, number, version, title, text, rationale, impact, links, owner_id,
		owner_name, status, decide_by, area, revisit_by, superseded_by, replaced_by, replaced_at)
		SELECT team_id, number, version, title, text, rationale, impact, links, owner_id,
		owner_name, status, decide_by, area, revisit_by, superseded_by, ?, ?
		FROM decisions WHERE team_id = ? AND number = ?`),
		editor, millis(at), d.Team, d.Number)
	if err != nil {
		return fmt.Errorf("keep version of decision %d: %w", d.Number, formatError(err))
	}
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE decisions SET
		title = ?, text = ?, rationale = ?, impact = ?, links = ?, owner_id = ?,
		owner_name = ?, owner_zone = ?, status = ?, decide_by = ?, decided_at = ?, revisit_by = ?,
		area = ?, superseded_by = ?, version = ?, updated_at = ?, title_words = ?, sent_back = ?
		WHERE team_id = ? AND number = ? AND version = ?`),
		d.Title, d.Text, d.Rationale, d.Impact, strings.Join(d.Links, "\n"), d.Owner,
		d.OwnerName, d.OwnerZone.String(), string(d.Status), string(d.DecideBy), millis(d.DecidedAt),
		string(d.RevisitBy), d.Area, d.SupersededBy, d.Version, millis(d.UpdatedAt), len(words), d.SentBack,
		d.Team, d.Number, d.Version-1)
	if err != nil {
		return fmt.Errorf("update decision %d: %w", d.Number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return rituals.Errorf(rituals.ECONFLICT, "%s changed while you were editing it; open it again and retry.", d.ID())
	}
	// The version checked above is the one whose title was read.
	if err := reindexTitle(ctx, tx.tx, d.Team, d.Number, old.Title, old.TitleWords >= 0, words); err != nil {
		return err
	}
	return tx.indexDecision(ctx, d)
}

// DecisionLogStamp returns a value that changes whenever team's decision
// log (every team's when empty) or its channels change: a decision added
// or edited, a channel renamed or made private. Readers cache what they
// derive from the log (the site's filters) until it changes.
func (db *DB) DecisionLogStamp(ctx context.Context, team string) (string, error) {
	where, args := "", []any{}
	if team != "" {
		where, args = " WHERE team_id = ?", []any{team}
	}
	// The newest number (the primary key) and the latest update (an
	// index) are read from indexes: a new decision moves the first, an
	// edit the second, a channel renamed or made private the last.
	var s struct {
		Newest     int64 `db:"newest"`
		UpdatedAt  int64 `db:"updated_at"`
		ChannelsAt int64 `db:"channels_at"`
	}
	err := db.db.GetContext(ctx, &s, db.rebind(`SELECT
		(SELECT COALESCE(MAX(number), 0) FROM decisions`+where+`) AS newest,
		(SELECT COALESCE(MAX(updated_at), 0) FROM decisions`+where+`) AS updated_at,
		(SELECT COALESCE(MAX(updated_at), 0) FROM channels`+where+`) AS channels_at`), append(append(args, args...), args...)...)
	if err != nil {
		return "", fmt.Errorf("decision log stamp: %w", formatError(err))
	}
	return fmt.Sprintf("%d/%d/%d", s.Newest, s.UpdatedAt, s.ChannelsAt), nil
}
