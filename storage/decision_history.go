package storage

import (
	"context"
	"fmt"

	"github.com/alignbot/alignbot/rituals"
)

type versionRow struct {
	Version      int    `db:"version"`
	Title        string `db:"title"`
	Text         string `db:"text"`
	Rationale    string `db:"rationale"`
	Impact       string `db:"impact"`
	Links        string `db:"links"`
	OwnerID      string `db:"owner_id"`
	OwnerName    string `db:"owner_name"`
	Status       string `db:"status"`
	DecideBy     string `db:"decide_by"`
	RevisitBy    string `db:"revisit_by"`
	Area         string `db:"area"`
	SupersededBy int64  `db:"superseded_by"`
	ReplacedBy   string `db:"replaced_by"`
	ReplacedAt   int64  `db:"replaced_at"`
}

// DecisionVersions returns a decision's earlier versions, oldest first.
func (db *DB) DecisionVersions(ctx context.Context, team string, number int64) ([]rituals.DecisionVersion, error) {
	var rows []versionRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT version, title, text, rationale, impact, links,
		owner_id, owner_name, status, decide_by, revisit_by, area, superseded_by, replaced_by, replaced_at
		FROM decision_versions WHERE team_id = ? AND number = ? ORDER BY version`), team, number)
	if err != nil {
		return nil, fmt.Errorf("decision %d versions: %w", number, formatError(err))
	}
	out := make([]rituals.DecisionVersion, len(rows))
	for i, r := range rows {
		out[i] = rituals.DecisionVersion{
			Version: r.Version, Title: r.Title, Text: r.Text, Rationale: r.Rationale, Impact: r.Impact,
			Links: splitLines(r.Links), Owner: r.OwnerID, OwnerName: r.OwnerName,
			Status: rituals.DecisionStatus(r.Status), DecideBy: rituals.Date(r.DecideBy),
			RevisitBy: rituals.Date(r.RevisitBy), Area: r.Area, SupersededBy: r.SupersededBy,
			ReplacedBy: r.ReplacedBy, ReplacedAt: fromMillis(r.ReplacedAt),
		}
	}
	return out, nil
}

// DecisionsToRemind returns proposals due by today and decisions to
// revisit by today whose reminders have not all gone out, in every
// workspace. See rituals.DecisionReminderStore.
func (db *DB) DecisionsToRemind(ctx context.Context, today rituals.Date) ([]*rituals.Decision, error) {
	var rows []decisionRow
	err := db.db.SelectContext(ctx, &rows, db.rebind(`SELECT `+decisionColumns+decisionFrom+`
		WHERE (d.status = 'proposed' AND d.decide_by <> '' AND d.decide_by <= ?
			AND (d.reminded_after <> d.decide_by OR (d.area <> '' AND d.reminded_escalate <> d.decide_by)
				OR (d.reminded_climb <> d.decide_by AND EXISTS (SELECT 1 FROM blocker_escalation_targets t
					WHERE t.team_id = d.team_id AND t.channel_id = d.channel_id))))
		OR (d.status = 'decided' AND d.revisit_by <> '' AND d.revisit_by <= ? AND d.reminded_revisit <> d.revisit_by)
		ORDER BY d.team_id, d.number`), string(today), string(today))
	if err != nil {
		return nil, fmt.Errorf("decisions to remind: %w", formatError(err))
	}
	out := make([]*rituals.Decision, len(rows))
	for i := range rows {
		out[i] = rows[i].decision()
	}
	return out, nil
}

var reminderColumn = map[rituals.ReminderKind]string{
	rituals.ReminderDue:      "reminded_due",
	rituals.ReminderAfter:    "reminded_after",
	rituals.ReminderRevisit:  "reminded_revisit",
	rituals.ReminderEscalate: "reminded_escalate",
	rituals.ReminderClimb:    "reminded_climb",
	rituals.ReminderComment:  "reminded_comment",
}

// MarkDecisionReminded records a reminder as sent. See
// rituals.DecisionReminderTx.
func (tx *Tx) MarkDecisionReminded(ctx context.Context, team string, number int64, kind rituals.ReminderKind, date rituals.Date) error {
	col, ok := reminderColumn[kind]
	if !ok {
		return fmt.Errorf("unknown reminder kind %q", kind)
	}
	res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE decisions SET `+col+` = ?
		WHERE team_id = ? AND number = ? AND `+col+` <> ?`), string(date), team, number, string(date))
	if err != nil {
		return fmt.Errorf("mark decision %d reminded: %w", number, formatError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rituals.ErrDuplicate
	}
	return nil
}
