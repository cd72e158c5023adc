package storage

import (
	"context"
	"fmt"

	"github.com/alignbot/alignbot/rituals"
)

// commentRow is a decision_comments row.
type commentRow struct {
	TeamID    string `db:"team_id"`
	ChannelID string `db:"channel_id"`
	TS        string `db:"ts"`
	Number    int64  `db:"number"`
	ThreadTS  string `db:"thread_ts"`
	UserID    string `db:"user_id"`
	UserName  string `db:"user_name"`
	Text      string `db:"text"`
	Clipped   bool   `db:"clipped"`
	CreatedAt int64  `db:"created_at"`
}

const commentColumns = `team_id, channel_id, ts, number, thread_ts, user_id, user_name, text, clipped, created_at`

func (r *commentRow) comment() rituals.Comment {
	return rituals.Comment{Team: r.TeamID, Decision: r.Number, Channel: r.ChannelID, TS: r.TS, ThreadTS: r.ThreadTS,
		User: r.UserID, UserName: r.UserName, Text: r.Text, Clipped: r.Clipped, At: fromMillis(r.CreatedAt)}
}

func comments(rows []commentRow) []rituals.Comment {
	out := make([]rituals.Comment, len(rows))
	for i := range rows {
		out[i] = rows[i].comment()
	}
	return out
}

// DecisionComments returns decision n's comments, oldest first. See
// rituals.DecisionCommentReader.
func (r reader) DecisionComments(ctx context.Context, team string, n int64) ([]rituals.Comment, error) {
	var rows []commentRow
	err := sqlxSelect(ctx, r.q, &rows, `SELECT `+commentColumns+` FROM decision_comments
		WHERE team_id = ? AND number = ? ORDER BY created_at, ts`, team, n)
	if err != nil {
		return nil, fmt.Errorf("comments on decision %d: %w", n, formatError(err))
	}
	return comments(rows), nil
}

// AllDecisionComments returns the comments on team's decisions (every
// team's when empty), by team and decision, oldest first: what the
// exports show.
func (db *DB) AllDecisionComments(ctx context.Context, team string) ([]rituals.Comment, error) {
	where, args := "", []any{}
	if team != "" {
		where, args = " WHERE team_id = ?", []any{team}
	}
	var rows []commentRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+commentColumns+` FROM decision_comments`+where+`
		ORDER BY team_id, number, created_at, ts`), args...)
	if err != nil {
		return nil, fmt.Errorf("decision comments: %w", formatError(err))
	}
	return comments(rows), nil
}

// AddDecisionComment records a comment. Returns ErrDuplicate if its reply
// (channel and ts) already was. See rituals.DecisionTx.
func (tx *Tx) AddDecisionComment(ctx context.Context, c *rituals.Comment) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO decision_comments (`+commentColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, channel_id, ts) DO NOTHING`),
		c.Team, c.Channel, c.TS, c.Decision, c.ThreadTS, c.User, c.UserName, c.Text, c.Clipped, millis(c.At))
	if err != nil {
		return fmt.Errorf("add comment to decision %d: %w", c.Decision, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}

// ProposalsToComment returns the proposals in an area whose decide-by
// date lies from from to to and whose consulted people were not yet
// reminded for it, in every workspace. See
// rituals.DecisionReminderStore.
func (db *DB) ProposalsToComment(ctx context.Context, from, to rituals.Date) ([]*rituals.Decision, error) {
	var rows []decisionRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+decisionColumns+decisionFrom+`
		WHERE d.status = 'proposed' AND d.area <> '' AND d.decide_by <> ''
			AND d.decide_by >= ? AND d.decide_by <= ? AND d.reminded_comment <> d.decide_by
		ORDER BY d.team_id, d.number`), string(from), string(to))
	if err != nil {
		return nil, fmt.Errorf("proposals to comment on: %w", formatError(err))
	}
	out := make([]*rituals.Decision, len(rows))
	for i := range rows {
		out[i] = rows[i].decision()
	}
	return out, nil
}

// EditDecisionComment replaces the text of user's comment that was the
// reply at ts in channel. Returns ENOTFOUND if there is none. See
// rituals.DecisionTx.
func (tx *Tx) EditDecisionComment(ctx context.Context, team, channel, ts, user, text string, clipped bool) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE decision_comments SET text = ?, clipped = ?
		WHERE team_id = ? AND channel_id = ? AND ts = ? AND user_id = ?`), text, clipped, team, channel, ts, user)
	if err != nil {
		return fmt.Errorf("edit comment %s: %w", ts, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.Errorf(rituals.ENOTFOUND, "That reply is no comment of yours.")
	}
	return nil
}

// DeleteDecisionComment removes the comment that was the reply at ts in
// channel. Returns ENOTFOUND if there is none. See rituals.DecisionTx.
func (tx *Tx) DeleteDecisionComment(ctx context.Context, team, channel, ts string) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM decision_comments
		WHERE team_id = ? AND channel_id = ? AND ts = ?`), team, channel, ts)
	if err != nil {
		return fmt.Errorf("delete comment %s: %w", ts, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.Errorf(rituals.ENOTFOUND, "That reply is no comment.")
	}
	return nil
}
