package rituals

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PulseTheme is a word that recurs in a free-text pulse's answers: the
// results list the top ones above the answers, so what many people said
// reads at a glance.
type PulseTheme struct {
	// Word is the theme as most of its answers write it, lowercased:
	// "deploys" and "deploy" are one theme, shown as the commoner.
	Word string
	// Answers is how many answers mention it, each counted once.
	Answers int
	// Example is the shortest of those answers, on one line and cut to
	// MaxThemeExample characters. It is set only from answers the results
	// show anyway.
	Example string
}

// Limits of theme grouping. The work is bounded whatever arrives: at most
// maxThemeAnswers answers are read, each up to MaxPulseAnswer characters
// and maxThemeWords distinct words.
const (
	MaxPulseThemes  = 5
	MaxThemeExample = 80
	maxThemeAnswers = 2 * MaxPulsePeople
	maxThemeWords   = 200
	minThemeWord    = 3  // shorter words ("ok", "us") say little
	maxThemeWord    = 30 // longer "words" are links, hashes or keyboard mashing
)

// PulseThemes groups free-text answers by the words they share: words
// lowercased, split at anything but letters and digits (an apostrophe
// inside a word is dropped: "don't" is "dont"), English stop words, numbers,
// links, Slack's <…> mentions and the question's own words left out, and an
// English plural folded into its singular ("priorities" → "priority"). A
// theme is a word at least two answers mention; the top limit are
// returned, most answers first, then alphabetically.
func PulseThemes(question string, texts []string, limit int) []PulseTheme {
	if limit <= 0 || len(texts) < 2 {
		return nil
	}
	texts = texts[:min(len(texts), maxThemeAnswers)]
	skip := map[string]bool{}
	for _, w := range themeWords(question) {
		skip[themeStem(w)] = true
	}
	type group struct {
		answers    int
		forms      map[string]int // how many answers write each form
		example    string
		exampleLen int
	}
	groups := map[string]*group{}
	for _, text := range texts {
		words, stems := map[string]bool{}, map[string]bool{}
		example, exampleLen := "", 0 // worked out once an answer makes a theme
		for _, w := range themeWords(text) {
			if words[w] {
				continue
			}
			if len(words) == maxThemeWords {
				break
			}
			words[w] = true
			stem := themeStem(w)
			if skip[stem] {
				continue
			}
			g := groups[stem]
			if g == nil {
				g = &group{forms: map[string]int{}}
				groups[stem] = g
			}
			g.forms[w]++
			if stems[stem] {
				continue
			}
			stems[stem] = true
			g.answers++
			if example == "" {
				example, exampleLen = themeExample(text)
			}
			if g.example == "" || exampleLen < g.exampleLen {
				g.example, g.exampleLen = example, exampleLen
			}
		}
	}
	var out []PulseTheme
	for _, g := range groups {
		if g.answers < 2 {
			continue
		}
		out = append(out, PulseTheme{Word: commonest(g.forms), Answers: g.answers, Example: g.example})
	}
	slices.SortFunc(out, func(a, b PulseTheme) int {
		return cmp.Or(cmp.Compare(b.Answers, a.Answers), strings.Compare(a.Word, b.Word))
	})
	return out[:min(len(out), limit)]
}

// commonest returns the form most answers write, the shorter and then the
// alphabetically first on a tie.
func commonest(forms map[string]int) string {
	best := ""
	for w, n := range forms {
		switch {
		case best == "", n > forms[best]:
			best = w
		case n == forms[best] && (len(w) < len(best) || len(w) == len(best) && w < best):
			best = w
		}
	}
	return best
}

// themeExample is an answer as a theme's example, on one line and cut,
// with the length of that line uncut.
func themeExample(text string) (string, int) {
	text = strings.Join(strings.Fields(text), " ")
	n := utf8.RuneCountInString(text)
	if n <= MaxThemeExample {
		return text, n
	}
	return string([]rune(text)[:MaxThemeExample-1]) + "…", n
}

// themeWords returns the words of text that may make a theme, lowercased,
// from its first MaxPulseAnswer characters. Links and Slack's <…> tokens
// (mentions) are skipped whole.
func themeWords(text string) []string {
	if utf8.RuneCountInString(text) > MaxPulseAnswer {
		text = string([]rune(text)[:MaxPulseAnswer])
	}
	var words []string
	var cur []rune
	flush := func() {
		if n := len(cur); n >= minThemeWord && n <= maxThemeWord {
			w := strings.ToLower(string(cur))
			if !themeStopWords[w] && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
				words = append(words, w)
			}
		}
		cur = cur[:0]
	}
	for _, chunk := range strings.Fields(text) {
		if strings.HasPrefix(chunk, "<") || strings.Contains(chunk, "://") || strings.HasPrefix(strings.ToLower(chunk), "www.") {
			continue
		}
		for i, r := range chunk {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
				cur = append(cur, r)
			case (r == '\'' || r == '’') && len(cur) > 0:
				// inside a word: "don't" reads as "dont"; at its end, nothing.
				if next, _ := utf8.DecodeRuneInString(chunk[i+utf8.RuneLen(r):]); !unicode.IsLetter(next) {
					flush()
				}
			default:
				flush()
			}
		}
		flush()
	}
	return words
}

// themeStem folds an English plural into its singular, conservatively:
// "priorities" → "priority", "processes" → "process", "deploys" →
// "deploy"; "status", "analysis" and "process" stay as they are. Words
// with letters beyond ASCII are left alone.
func themeStem(w string) string {
	for _, r := range w {
		if r > unicode.MaxASCII {
			return w
		}
	}
	switch n := len(w); {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// themeStopWords are English words too common to make a theme, written
// as themeWords leaves them (lowercased, apostrophes dropped).
var themeStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		about above after again against all also although always among and another any anyone anything are arent
		around back because been before being below between both but can cannot cant could couldnt did didnt does
		doesnt doing done dont down during each either else enough even ever every everyone everything few for from
		further get gets getting got had hadnt has hasnt have havent having her here hers herself him himself his
		how however into isnt its itself just keep know last less let lets like lot lots made make makes making many
		may maybe might more most much must myself need needs never new next nor not nothing now off often once one
		only onto other others otherwise our ours ourselves out over own per perhaps quite rather really same see
		seem seems shall she should shouldnt since some someone something sometimes still such sure take than that
		thats the their theirs them themselves then there theres these they theyre thing things think this those
		though through thus too under until upon use used using very want was wasnt way well were werent what
		whats when where whether which while who whom whose why will with within without wont would wouldnt yes
		yet you youd youll your youre yours yourself yourselves youve ive id ill im weve wed well were
		the and for not yes etc via lot bit kind sort able each going gonna wanna`) {
		m[w] = true
	}
	return m
}()
