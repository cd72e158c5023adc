package rituals

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
)

// similarity is how alike two titles must be (shared words over all
// words) to ask "did we already decide this?".
const similarity = 0.5

// similarPool is how many of the newest titles sharing half the words
// Similar measures.
const similarPool = 500

// Similar returns up to three earlier decisions, visible from the
// caller's channel, whose titles resemble d's.
func (s *Decisions) Similar(ctx context.Context, c Caller, d *Decision) ([]*Decision, error) {
	words := TitleWords(d.Title)
	if len(words) == 0 {
		return nil, nil
	}
	// Titles alike enough share at least half their words: search titles
	// alone for that, by whole words (the store stems them), not every
	// field for any word by prefix, which ranked most of the log after
	// each /decide (BENCHMARKS.md). The newest similarPool of them are
	// measured here, most alike first.
	candidates, err := s.Store.Decisions(ctx, DecisionFilter{
		Team: c.Team, ViewerChannel: c.Channel, Query: d.Title, AnyWord: true, TitleWords: true, Limit: similarPool,
	})
	if err != nil {
		return nil, err
	}
	type alike struct {
		d     *Decision
		score float64
	}
	var found []alike
	for _, o := range candidates {
		if o.Number == d.Number || o.Number == d.Supersedes {
			continue
		}
		if score := jaccard(words, TitleWords(o.Title)); score >= similarity {
			found = append(found, alike{o, score})
		}
	}
	slices.SortStableFunc(found, func(a, b alike) int { return cmp.Compare(b.score, a.score) })
	var out []*Decision
	for _, f := range found[:min(3, len(found))] {
		out = append(out, f.d)
	}
	return out, nil
}

func jaccard(a, b []string) float64 {
	both := 0
	for _, w := range a {
		if _, ok := slices.BinarySearch(b, w); ok {
			both++
		}
	}
	if both == 0 {
		return 0
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "by": true, "at": true, "we": true, "our": true, "is": true,
	"be": true, "will": true, "from": true, "as": true, "it": true, "this": true, "that": true,
}

// TitleWords returns a title's words as "did we already decide this?"
// compares them: lower-case, without stop words, with common English
// endings cut, sorted, each once. The store indexes titles by exactly
// these words.
func TitleWords(title string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if stopWords[w] {
			continue
		}
		for _, suffix := range []string{"ing", "ed", "es", "s"} {
			if len(w) > len(suffix)+3 && strings.HasSuffix(w, suffix) {
				w = strings.TrimSuffix(w, suffix)
				break
			}
		}
		words = append(words, w)
	}
	slices.Sort(words)
	return slices.Compact(words)
}
