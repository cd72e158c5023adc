package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// The title-word index (decision_title_words, migration 00014) holds a
// row per distinct word of each decision's title, as rituals.TitleWords
// splits it, with the number of words the title has; decisions.title_words
// is that number once the title is indexed, -1 before. Writes keep both in
// step in their own transaction; Migrate indexes decisions written before
// the index existed.

// TitlesHolding returns, for each of words, the newest perWord decisions
// of team whose titles hold it: each word one range of the primary key
// read backwards, so the cost does not grow with the log. See
// rituals.DecisionTitles.
func (db *DB) TitlesHolding(ctx context.Context, team string, words []string, perWord int) ([]rituals.TitleMatch, error) {
	if len(words) == 0 {
		return nil, nil
	}
	// Each word a subquery of its own: SQLite takes no parenthesised
	// SELECT in a UNION, and both dialects take one in FROM.
	parts := make([]string, len(words))
	args := make([]any, 0, 3*len(words))
	for i, w := range words {
		parts[i] = fmt.Sprintf(`SELECT word, number, words FROM (SELECT word, number, words FROM decision_title_words
			WHERE team_id = ? AND word = ? ORDER BY number DESC LIMIT ?) w%d`, i)
		args = append(args, team, w, perWord)
	}
	var rows []struct {
		Word   string `db:"word"`
		Number int64  `db:"number"`
		Words  int    `db:"words"`
	}
	if err := sqlxSelect(ctx, db.db, &rows, strings.Join(parts, " UNION ALL "), args...); err != nil {
		return nil, fmt.Errorf("titles holding words: %w", formatError(err))
	}
	out := make([]rituals.TitleMatch, len(rows))
	for i, r := range rows {
		out[i] = rituals.TitleMatch{Word: r.Word, Number: r.Number, Words: r.Words}
	}
	return out, nil
}

// insertTitleWords adds decision number's title words to the index;
// words already there stay as they are.
func insertTitleWords(ctx context.Context, tx *sqlx.Tx, team string, number int64, words []string) error {
	if len(words) == 0 {
		return nil
	}
	vals := make([]string, len(words))
	args := make([]any, 0, 4*len(words))
	for i, w := range words {
		vals[i] = "(?, ?, ?, ?)"
		args = append(args, team, w, number, len(words))
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO decision_title_words (team_id, word, number, words)
		VALUES `+strings.Join(vals, ", ")+` ON CONFLICT DO NOTHING`), args...)
	if err != nil {
		return fmt.Errorf("index title of decision %d: %w", number, formatError(err))
	}
	return nil
}

// deleteTitleWords takes decision number's words out of the index.
func deleteTitleWords(ctx context.Context, tx *sqlx.Tx, team string, number int64, words []string) error {
	if len(words) == 0 {
		return nil
	}
	q, args, err := sqlx.In(`DELETE FROM decision_title_words WHERE team_id = ? AND number = ? AND word IN (?)`, team, number, words)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(q), args...); err != nil {
		return fmt.Errorf("unindex title of decision %d: %w", number, formatError(err))
	}
	return nil
}

// reindexTitle moves decision number's entries in the index from the
// words of its old title to those of its new one, given whether the old
// one was indexed. The caller has already updated the decision's row (and
// so holds its lock), checking that old is the title it replaced.
func reindexTitle(ctx context.Context, tx *sqlx.Tx, team string, number int64, old string, oldIndexed bool, words []string) error {
	oldWords := rituals.TitleWords(old)
	if oldIndexed && slices.Equal(oldWords, words) {
		return nil
	}
	// Every old word goes, not only those the new title lacks: each row
	// holds its title's count.
	if err := deleteTitleWords(ctx, tx, team, number, oldWords); err != nil {
		return err
	}
	return insertTitleWords(ctx, tx, team, number, words)
}

// backfillBatch is how many decisions one transaction of the backfill
// indexes: short transactions, so a running replica's writes wait little.
const backfillBatch = 500

// indexOlderTitles indexes the titles of decisions written before the
// title-word index existed (or by an alignbot that did not know it), a
// batch a transaction, and returns how many it indexed. Replicas may run
// it at once: each decision is claimed by an update that checks it is
// still unindexed and still has the title read, so a decision claimed,
// or retitled, by another meanwhile is left to it (or to the next batch).
func (db *DB) indexOlderTitles(ctx context.Context) (int, error) {
	total := 0
	for {
		seen, indexed, err := db.indexTitleBatch(ctx)
		total += indexed
		if err != nil || seen == 0 {
			return total, err
		}
	}
}

// indexTitleBatch indexes up to backfillBatch unindexed titles in one
// transaction, and returns how many it read and how many it indexed.
func (db *DB) indexTitleBatch(ctx context.Context) (seen, indexed int, err error) {
	_, err = db.inTx(ctx, func(rt rituals.Tx) error {
		tx := rt.(*Tx).tx
		var rows []struct {
			Team   string `db:"team_id"`
			Number int64  `db:"number"`
			Title  string `db:"title"`
		}
		err := tx.SelectContext(ctx, &rows, tx.Rebind(`SELECT team_id, number, title FROM decisions
			WHERE title_words = -1 ORDER BY team_id, number LIMIT ?`), backfillBatch)
		if err != nil {
			return fmt.Errorf("read titles to index: %w", formatError(err))
		}
		seen = len(rows)
		claim := tx.Rebind(`UPDATE decisions SET title_words = ?
			WHERE team_id = ? AND number = ? AND title_words = -1 AND title = ?`)
		for _, r := range rows {
			words := rituals.TitleWords(r.Title)
			res, err := tx.ExecContext(ctx, claim, len(words), r.Team, r.Number, r.Title)
			if err != nil {
				return fmt.Errorf("claim title of decision %d: %w", r.Number, formatError(err))
			}
			if claimed, _ := res.RowsAffected(); claimed == 0 {
				continue
			}
			if err := insertTitleWords(ctx, tx, r.Team, r.Number, words); err != nil {
				return err
			}
			indexed++
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return seen, indexed, nil
}
