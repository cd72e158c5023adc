package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/alignbot/alignbot/rituals"
)

// searchWords splits free text into search tokens: letters and digits,
// lower-case, diacritics folded ("Café" → "cafe"). Nothing else survives,
// so no query syntax can be smuggled in.
func searchWords(text string) []string {
	return strings.FieldsFunc(fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// fold lower-cases s and strips its diacritics. A transform chain keeps
// state, so each call builds its own: searches and writes fold at once.
func fold(s string) string {
	folder := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(folder, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// ftsQuery turns free words into an FTS5 query that matches every word
// (or, with any, one of them) as a prefix: each token quoted.
func ftsQuery(words string, anyWord bool) string {
	tokens := searchWords(words)
	quoted := make([]string, 0, len(tokens))
	for _, t := range tokens {
		quoted = append(quoted, `"`+t+`"*`)
	}
	sep := " "
	if anyWord {
		sep = " OR "
	}
	return strings.Join(quoted, sep)
}

// tsQuery turns free words into a PostgreSQL tsquery matching every word
// (or one of them) as a prefix.
func tsQuery(words string, anyWord bool) string {
	tokens := searchWords(words)
	for i, t := range tokens {
		tokens[i] = t + ":*"
	}
	sep := " & "
	if anyWord {
		sep = " | "
	}
	return strings.Join(tokens, sep)
}

// searchClauses returns the FROM addition, WHERE condition and ORDER BY
// that restrict a decision query to matches of words, best first, with
// the arguments of each, or ok false when the words hold nothing to
// search for.
func (db *DB) searchClauses(words string, anyWord bool) (from string, fromArgs []any, where string, whereArgs []any, order string, orderArgs []any, ok bool) {
	if db.dialect == "postgres" {
		q := tsQuery(words, anyWord)
		if q == "" {
			return "", nil, "", nil, "", nil, false
		}
		return "", nil, "d.search @@ to_tsquery('english', ?)", []any{q},
			"ts_rank(d.search, to_tsquery('english', ?)) DESC, d.number DESC", []any{q}, true
	}
	q := ftsQuery(words, anyWord)
	if q == "" {
		return "", nil, "", nil, "", nil, false
	}
	return ` JOIN (SELECT rowid AS fts_id, rank AS fts_rank FROM decisions_fts WHERE decisions_fts MATCH ?) s ON s.fts_id = d.id`,
		[]any{q}, "", nil, "s.fts_rank, d.number DESC", nil, true
}

// searchVector is a decision's PostgreSQL search vector, title weighted
// first, from searchArgs; SQLite's triggers keep FTS5 in step by
// themselves.
const searchVector = `setweight(to_tsvector('english', ?), 'A') || to_tsvector('english', ?)`

func searchArgs(d *rituals.Decision) []any {
	return []any{fold(d.Title), fold(strings.Join([]string{d.Text, d.Rationale, d.Impact}, " "))}
}

// indexDecision keeps a changed decision's search vector in step on
// PostgreSQL.
func (tx *Tx) indexDecision(ctx context.Context, d *rituals.Decision) error {
	if tx.db.dialect != "postgres" {
		return nil
	}
	_, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE decisions SET search = `+searchVector+`
		WHERE team_id = ? AND number = ?`), append(searchArgs(d), d.Team, d.Number)...)
	if err != nil {
		return fmt.Errorf("index decision %d: %w", d.Number, formatError(err))
	}
	return nil
}
