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

// similarPerWord is how many of the newest titles holding each word of
// a new title Similar reads from the title-word index: the bound that
// keeps the lookup's cost the same at a thousand decisions and at a
// million, however many titles share a word.
const similarPerWord = 200

// similarLoaded is how many of the titles likeliest to be alike Similar
// reads as whole decisions, to measure them and keep the three the
// caller may see.
const similarLoaded = 20

// TitleMatch is a decision whose title holds Word, with how many
// distinct words its title has (TitleWords).
type TitleMatch struct {
	Word   string
	Number int64
	Words  int
}

// DecisionTitles is the index of title words that Similar reads. The
// store keeps it in step with every decision written, in the same
// transaction.
type DecisionTitles interface {
	// TitlesHolding returns, for each of words, the newest perWord
	// decisions of team whose titles hold it (as TitleWords splits
	// titles).
	TitlesHolding(ctx context.Context, team string, words []string, perWord int) ([]TitleMatch, error)
}

// Similar returns up to three earlier decisions, visible from the
// caller's channel, whose titles resemble d's: most alike first, the
// newest first among equals.
//
// It reads, for each word of d's title, only the newest similarPerWord
// titles holding it, so it costs the same however long the log is and
// however many titles are nearly the same. The price: a title is never
// seen when every word it shares with d's is held by more than
// similarPerWord newer titles. A title seen through some of its words is
// taken to hold, too, each word whose list stopped at newer titles; the
// similarLoaded likeliest to be alike are then read whole and measured.
// When more than similarLoaded-3 of those are not alike after all, or
// are in private channels elsewhere, fewer than three come back.
func (s *Decisions) Similar(ctx context.Context, c Caller, d *Decision) ([]*Decision, error) {
	words := TitleWords(d.Title)
	if len(words) == 0 {
		return nil, nil
	}
	matches, err := s.Store.TitlesHolding(ctx, c.Team, words, similarPerWord)
	if err != nil {
		return nil, err
	}
	likely := likelyAlike(matches, len(words), similarPerWord, d.Number, d.Supersedes)
	if len(likely) == 0 {
		return nil, nil
	}
	likely = likely[:min(similarLoaded, len(likely))]
	numbers := make([]int64, len(likely))
	for i, a := range likely {
		numbers[i] = a.number
	}
	visible, err := s.Store.Decisions(ctx, DecisionFilter{Team: c.Team, ViewerChannel: c.Channel, Numbers: numbers})
	if err != nil {
		return nil, err
	}
	var found []alike
	byNumber := map[int64]*Decision{}
	for _, o := range visible {
		if score := jaccard(words, TitleWords(o.Title)); score >= similarity {
			found = append(found, alike{o.Number, score})
			byNumber[o.Number] = o
		}
	}
	slices.SortFunc(found, mostAlikeFirst)
	var out []*Decision
	for _, a := range found[:min(3, len(found))] {
		out = append(out, byNumber[a.number])
	}
	return out, nil
}

// alike is a title's number and how alike it is to the one looked up.
type alike struct {
	number int64
	score  float64
}

func mostAlikeFirst(a, b alike) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.number, a.number))
}

// likelyAlike returns the titles in matches, read perWord a word for a
// title of n words, that may be alike enough, the likeliest first: those
// whose Jaccard (shared words over all words of both) is at least
// similarity if they hold, besides the words they were matched by, every
// word whose list was full before reaching them. Leaves out the decision
// looked up and the one it supersedes.
func likelyAlike(matches []TitleMatch, n, perWord int, self, supersedes int64) []alike {
	listed, oldest := map[string]int{}, map[string]int64{}
	shared, words := map[int64]int{}, map[int64]int{}
	for _, m := range matches {
		listed[m.Word]++
		if o, ok := oldest[m.Word]; !ok || m.Number < o {
			oldest[m.Word] = m.Number
		}
		shared[m.Number]++
		words[m.Number] = m.Words
	}
	var out []alike
	for number, both := range shared {
		if number == self || number == supersedes {
			continue
		}
		for w, k := range listed {
			if k >= perWord && number < oldest[w] {
				both++ // it may hold w: the list stopped at newer titles
			}
		}
		both = min(both, n, words[number])
		if score := float64(both) / float64(n+words[number]-both); score >= similarity {
			out = append(out, alike{number, score})
		}
	}
	slices.SortFunc(out, mostAlikeFirst)
	return out
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
