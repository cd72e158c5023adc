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

// titleTokens splits a title as PostgreSQL's title index holds it:
// letters and digits, lower-case, diacritics kept.
func titleTokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
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
// token quoted, as a prefix or, with titleWords, as a whole word of the
// title.
func ftsQuery(words string, anyWord, titleWords bool) string {
	term := func(t string) string { return `"` + t + `"*` }
	if titleWords {
		term = func(t string) string { return `"` + t + `"` }
	}
	q := renderGroups(searchGroups(words, anyWord, titleWords), term, " AND ", " OR ")
	if titleWords && q != "" {
		q = "title : (" + q + ")"
	}
	return q
}

// searchGroups returns what a search for words asks: a decision matches
// when it holds every token of at least one group. Without anyWord, that
// is every word; with it, any one. With titleWords it is at least half of
// the words: "did we already decide this?" needs titles sharing half
// their words, and asking for any one ranked a tenth of the log after
// each /decide (BENCHMARKS.md). Stop words are left out unless there is
// nothing else, as PostgreSQL's english configuration leaves them out:
// "for"* alone matches nearly every decision.
func searchGroups(words string, anyWord, titleWords bool) [][]string {
	return groupsOf(searchWords(words), anyWord, titleWords)
}

// groupsOf is searchGroups over tokens already split.
func groupsOf(tokens []string, anyWord, titleWords bool) [][]string {
	tokens = withoutStopWords(tokens)
	slices.Sort(tokens)
	tokens = slices.Compact(tokens)
	switch {
	case len(tokens) == 0:
		return nil
	case titleWords:
		return combinations(tokens, atLeastHalf(len(tokens)))
	case anyWord:
		return combinations(tokens, 1)
	}
	return [][]string{tokens}
}

// maxGroups bounds the groups of a title-words search: past it, fewer
// words per group match more decisions, which the caller's own
// comparison then leaves out.
const maxGroups = 64

// atLeastHalf is how many of n title words a group holds: half, rounded
// up, or fewer when that many would make more than maxGroups groups.
func atLeastHalf(n int) int {
	k := (n + 1) / 2
	for k > 1 && binomial(n, k) > maxGroups {
		k--
	}
	return k
}

func binomial(n, k int) int {
	c := 1
	for i := range k {
		c = c * (n - i) / (i + 1)
	}
	return c
}

// combinations returns every k-token subset of tokens, in order.
func combinations(tokens []string, k int) [][]string {
	var out [][]string
	var pick func(from int, group []string)
	pick = func(from int, group []string) {
		if len(group) == k {
			out = append(out, slices.Clone(group))
			return
		}
		for i := from; i <= len(tokens)-(k-len(group)); i++ {
			pick(i+1, append(group, tokens[i]))
		}
	}
	pick(0, nil)
	return out
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
	return renderGroups(searchGroups(words, anyWord, false), func(t string) string { return t + ":*" }, " & ", " | ")
}

// searchClauses returns what restricts a decision query to matches of
// words: on SQLite, and on PostgreSQL for titleWords, the matches as a
// table to put first in the FROM clause (CROSS JOIN keeps it the outer
// loop on SQLite) and the condition tying them to d; otherwise a
// condition alone; and the ORDER BY: best match first, or, with
// titleWords, newest first (the caller measures how alike titles are
// itself, and ranking cost more than the rest of the lookup: FTS5's bm25
// reads every posting of every word); with the arguments of each. ok is
// false when the words hold nothing to search for.
func (db *DB) searchClauses(words string, anyWord, titleWords bool) (matches string, matchArgs []any, where string, whereArgs []any, order string, orderArgs []any, ok bool) {
	if db.dialect == "postgres" && titleWords {
		// Titles have an index of their own, unfolded: matching title
		// words in the weighted vector rechecked every decision holding
		// them anywhere (BENCHMARKS.md).
		q := renderGroups(groupsOf(titleTokens(words), true, true), func(t string) string { return t }, " & ", " | ")
		if q == "" {
			return "", nil, "", nil, "", nil, false
		}
		// OFFSET 0 keeps the match its own query, answered from the title
		// index: planned together with the rest on a young table, the
		// match was tested title by title on every decision of the team.
		return `(SELECT id AS fts_id FROM decisions WHERE to_tsvector('english', title) @@ to_tsquery('english', ?) OFFSET 0) s`,
			[]any{q}, "d.id = s.fts_id", nil, "d.number DESC", nil, true
	}
	if db.dialect == "postgres" {
		q := tsQuery(words, anyWord)
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
	if titleWords {
		return `(SELECT rowid AS fts_id FROM decisions_fts WHERE decisions_fts MATCH ?) s`,
			[]any{q}, "d.id = s.fts_id", nil, "d.number DESC", nil, true
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
