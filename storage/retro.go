package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// CreateSession inserts a pre-mortem or retro. See rituals.SessionTx.
func (tx *Tx) CreateSession(ctx context.Context, s *rituals.Session) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO ritual_sessions (
		team_id, number, kind, name, channel_id, creator_id, creator_name, status, launch_on,
		created_at, closes_at, follow_up_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		s.Team, s.Number, string(s.Kind), s.Name, s.Channel, s.Creator, s.CreatorName, string(s.Status),
		string(s.LaunchOn), millis(s.CreatedAt), millis(s.ClosesAt), millis(s.FollowUpAt))
	if err != nil {
		return fmt.Errorf("insert session %d: %w", s.Number, formatError(err))
	}
	return nil
}

// AddSessionItem inserts an item. See rituals.SessionTx.
func (tx *Tx) AddSessionItem(ctx context.Context, it *rituals.Item) error {
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO ritual_items (
		team_id, number, item, kind, text, author_id, anonymous, source_ts, likelihood, impact, tag, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		it.Team, it.Session, it.Number, string(it.Kind), it.Text, it.Author, it.Anonymous, it.SourceTS,
		string(it.Likelihood), string(it.Impact), string(it.Tag), millis(it.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert item %d of session %d: %w", it.Number, it.Session, formatError(err))
	}
	return nil
}

// ToggleVote adds or takes back a person's vote. See rituals.SessionTx.
func (tx *Tx) ToggleVote(ctx context.Context, team string, n, item int64, user string, at time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`DELETE FROM ritual_votes
		WHERE team_id = ? AND number = ? AND item = ? AND user_id = ?`), team, n, item, user)
	if err != nil {
		return false, fmt.Errorf("take back vote on %d #%d: %w", n, item, formatError(err))
	}
	if taken, _ := res.RowsAffected(); taken > 0 {
		return false, nil
	}
	_, err = tx.tx.ExecContext(ctx, tx.tx.Rebind(`INSERT INTO ritual_votes (team_id, number, item, user_id, voted_at)
		VALUES (?, ?, ?, ?, ?)`), team, n, item, user, millis(at))
	if err != nil {
		return false, fmt.Errorf("vote on %d #%d: %w", n, item, formatError(err))
	}
	return true, nil
}

// CloseSession closes an open session, once. See rituals.SessionTx.
func (tx *Tx) CloseSession(ctx context.Context, team string, n int64, by string, at time.Time) error {
	return tx.exactlyOne(ctx, rituals.ErrDuplicate, fmt.Sprintf("close session %d", n),
		`UPDATE ritual_sessions SET status = ?, closed_at = ?, closed_by = ?
		WHERE team_id = ? AND number = ? AND status = ?`,
		string(rituals.SessionClosed), millis(at), by, team, n, string(rituals.SessionOpen))
}

// AssignItem stores an item's owner and due day. See rituals.SessionTx.
func (tx *Tx) AssignItem(ctx context.Context, it *rituals.Item) error {
	return tx.exactlyOne(ctx, rituals.Errorf(rituals.ENOTFOUND, "There is no item %s.", it.Ref()),
		fmt.Sprintf("assign %s", it.Ref()),
		`UPDATE ritual_items SET owner_id = ?, owner_name = ?, owner_zone = ?, due_on = ?, assigned_by = ?,
		assigned_at = ?, reminded_at = 0 WHERE team_id = ? AND number = ? AND item = ?`,
		it.Owner, it.OwnerName, it.OwnerZone.String(), string(it.Due), it.AssignedBy, millis(it.AssignedAt),
		it.Team, it.Session, it.Number)
}

// FinishItem marks an item done. See rituals.SessionTx.
func (tx *Tx) FinishItem(ctx context.Context, team string, n, item int64, by string, at time.Time) error {
	return tx.exactlyOne(ctx, rituals.Errorf(rituals.ECONFLICT, "Item #%d is already done.", item),
		fmt.Sprintf("finish %d #%d", n, item),
		`UPDATE ritual_items SET done_at = ?, done_by = ? WHERE team_id = ? AND number = ? AND item = ? AND done_at = 0`,
		millis(at), by, team, n, item)
}

// LinkItemBlocker records the blocker made from an item. See
// rituals.SessionTx.
func (tx *Tx) LinkItemBlocker(ctx context.Context, team string, n, item, blocker int64) error {
	return tx.exactlyOne(ctx, rituals.Errorf(rituals.ECONFLICT, "Item #%d is already a blocker.", item),
		fmt.Sprintf("link %d #%d to a blocker", n, item),
		`UPDATE ritual_items SET blocker = ? WHERE team_id = ? AND number = ? AND item = ? AND blocker = 0`,
		blocker, team, n, item)
}

// MarkHappened records whether a risk happened. See rituals.SessionTx.
func (tx *Tx) MarkHappened(ctx context.Context, team string, n, item int64, by string, at time.Time) error {
	if at.IsZero() {
		by = ""
	}
	return tx.exactlyOne(ctx, rituals.Errorf(rituals.ENOTFOUND, "There is no item #%d in pre-mortem or retro %d.", item, n),
		fmt.Sprintf("mark %d #%d happened", n, item),
		`UPDATE ritual_items SET happened_at = ?, happened_by = ? WHERE team_id = ? AND number = ? AND item = ?`,
		millis(at), by, team, n, item)
}

// ClaimItemReminder marks an item's due-day reminder sent, once. See
// rituals.SessionTx.
func (tx *Tx) ClaimItemReminder(ctx context.Context, team string, n, item int64, at time.Time) error {
	return tx.exactlyOne(ctx, rituals.ErrDuplicate, fmt.Sprintf("claim the reminder of %d #%d", n, item),
		`UPDATE ritual_items SET reminded_at = ?
		WHERE team_id = ? AND number = ? AND item = ? AND reminded_at = 0 AND done_at = 0 AND owner_id <> ''`,
		millis(at), team, n, item)
}

// ClaimOverdueReminder marks an open item's overdue reminder sent, once
// for each before. See rituals.SessionTx.
func (tx *Tx) ClaimOverdueReminder(ctx context.Context, team string, n, item int64, before, at time.Time) error {
	return tx.exactlyOne(ctx, rituals.ErrDuplicate, fmt.Sprintf("claim the overdue reminder of %d #%d", n, item),
		`UPDATE ritual_items SET reminded_at = ?
		WHERE team_id = ? AND number = ? AND item = ? AND reminded_at < ? AND done_at = 0 AND owner_id <> ''`,
		millis(at), team, n, item, millis(before))
}

// ClaimFollowUp marks a pre-mortem's follow-up posted, once. See
// rituals.SessionTx.
func (tx *Tx) ClaimFollowUp(ctx context.Context, team string, n int64, at time.Time) error {
	return tx.exactlyOne(ctx, rituals.ErrDuplicate, fmt.Sprintf("claim the follow-up of %d", n),
		`UPDATE ritual_sessions SET followed_up_at = ?
		WHERE team_id = ? AND number = ? AND follow_up_at > 0 AND followed_up_at = 0`,
		millis(at), team, n)
}

// exactlyOne runs an UPDATE that must change one row, and returns none
// when it changed none: the row was not there, or not in the state the
// statement expects.
func (tx *Tx) exactlyOne(ctx context.Context, none error, what, query string, args ...any) error {
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(query), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return none
	}
	return nil
}
