package storage

import (
	"context"
	"fmt"
	"slices"
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

// ftsQuery turns free words into an FTS5 query for searchGroups: each
// token quoted, as a prefix.
func ftsQuery(words string, anyWord bool) string {
	return renderGroups(searchGroups(words, anyWord), func(t string) string { return `"` + t + `"*` }, " AND ", " OR ")
}

// searchGroups returns what a search for words asks: a decision matches
// when it holds every token of at least one group. Without anyWord, that
// is every word; with it, any one. Stop words are left out unless there
// is nothing else, as PostgreSQL's english configuration leaves them out:
// "for"* alone matches nearly every decision.
func searchGroups(words string, anyWord bool) [][]string {
	tokens := withoutStopWords(searchWords(words))
	slices.Sort(tokens)
	tokens = slices.Compact(tokens)
	switch {
	case len(tokens) == 0:
		return nil
	case anyWord:
		groups := make([][]string, len(tokens))
		for i, t := range tokens {
			groups[i] = []string{t}
		}
		return groups
	}
	return [][]string{tokens}
}

// renderGroups writes groups as a query: terms joined by and within a
// group, groups by or.
func renderGroups(groups [][]string, term func(string) string, and, or string) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		terms := make([]string, len(g))
		for j, t := range g {
			terms[j] = term(t)
		}
		parts[i] = strings.Join(terms, and)
		if len(g) > 1 && len(groups) > 1 {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, or)
}

// withoutStopWords returns tokens less the stop words, or tokens when
// they are all stop words.
func withoutStopWords(tokens []string) []string {
	var out []string
	for _, t := range tokens {
		if !stopWords[t] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return tokens
	}
	return out
}

// stopWords are PostgreSQL's english stop words (Snowball's list).
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves
		he him his himself she her hers herself it its itself they them their theirs themselves what which
		who whom this that these those am is are was were be been being have has had having do does did
		doing a an the and but if or because as until while of at by for with about against between into
		through during before after above below to from up down in out on off over under again further then
		once here there when where why how all any both each few more most other some such no nor not only
		own same so than too very s t can will just don should now`) {
		m[w] = true
	}
	return m
}()

// tsQuery turns free words into a PostgreSQL tsquery for searchGroups:
// each token as a prefix.
func tsQuery(words string, anyWord bool) string {
	return renderGroups(searchGroups(words, anyWord), func(t string) string { return t + ":*" }, " & ", " | ")
}

// searchClauses returns what restricts a decision query to matches of
// words: on SQLite, the matches as a table to put first in the FROM
// clause (CROSS JOIN keeps it the outer loop) and the condition tying
// them to d; on PostgreSQL a condition alone; and the ORDER BY, best
// match first; with the arguments of each. ok is false when the words
// hold nothing to search for.
func (db *DB) searchClauses(words string, anyWord bool) (matches string, matchArgs []any, where string, whereArgs []any, order string, orderArgs []any, ok bool) {
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
	return `(SELECT rowid AS fts_id, rank AS fts_rank FROM decisions_fts WHERE decisions_fts MATCH ?) s`,
		[]any{q}, "d.id = s.fts_id", nil, "s.fts_rank, d.number DESC", nil, true
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
