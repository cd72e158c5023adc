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
// (or, with any, one of them) as a prefix, each token quoted; with
// titleWords, as a whole word of the title. Stop words are left out
// unless there is nothing else, as PostgreSQL's english configuration
// leaves them out: "for"* matches nearly every decision, and ranking
// them all made the lookup after each /decide cost 230 ms at 100,000
// decisions (BENCHMARKS.md).
func ftsQuery(words string, anyWord, titleWords bool) string {
	tokens := withoutStopWords(searchWords(words))
	quoted := make([]string, 0, len(tokens))
	for _, t := range tokens {
		if titleWords {
			quoted = append(quoted, `"`+t+`"`)
		} else {
			quoted = append(quoted, `"`+t+`"*`)
		}
	}
	sep := " "
	if anyWord {
		sep = " OR "
	}
	q := strings.Join(quoted, sep)
	if titleWords && q != "" {
		q = "title : (" + q + ")"
	}
	return q
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

// tsQuery turns free words into a PostgreSQL tsquery matching every word
// (or one of them) as a prefix; with titleWords, as a whole word of the
// title (weight A).
func tsQuery(words string, anyWord, titleWords bool) string {
	tokens := searchWords(words)
	label := ":*"
	if titleWords {
		label = ":A"
	}
	for i, t := range tokens {
		tokens[i] = t + label
	}
	sep := " & "
	if anyWord {
		sep = " | "
	}
	return strings.Join(tokens, sep)
}

// searchClauses returns what restricts a decision query to matches of
// words, best first: on SQLite, the FTS5 matches as a table to put first
// in the FROM clause (CROSS JOIN keeps it the outer loop) and the
// condition tying them to d; on PostgreSQL, a condition alone; and the
// ORDER BY; with the arguments of each. ok is false when the words hold
// nothing to search for.
func (db *DB) searchClauses(words string, anyWord, titleWords bool) (matches string, matchArgs []any, where string, whereArgs []any, order string, orderArgs []any, ok bool) {
	if db.dialect == "postgres" {
		q := tsQuery(words, anyWord, titleWords)
		if q == "" {
			return "", nil, "", nil, "", nil, false
		}
		return "", nil, "d.search @@ to_tsquery('english', ?)", []any{q},
			"ts_rank(d.search, to_tsquery('english', ?)) DESC, d.number DESC", []any{q}, true
	}
	q := ftsQuery(words, anyWord, titleWords)
	if q == "" {
		return "", nil, "", nil, "", nil, false
	}
	pool := ""
	if titleWords {
		// Only the best few can be alike enough to show: rank them here
		// rather than join every match to decisions first.
		pool = fmt.Sprintf(" ORDER BY rank LIMIT %d", titleWordsPool)
	}
	return `(SELECT rowid AS fts_id, rank AS fts_rank FROM decisions_fts WHERE decisions_fts MATCH ?` + pool + `) s`,
		[]any{q}, "d.id = s.fts_id", nil, "s.fts_rank, d.number DESC", nil, true
}

// titleWordsPool is how many of the best title matches a title-words
// search considers before the visibility rules leave some out.
const titleWordsPool = 100

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
