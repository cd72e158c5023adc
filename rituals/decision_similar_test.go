package rituals

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTitleWords(t *testing.T) {
	for _, tc := range []struct {
		title string
		want  []string
	}{
		{"Use semver for the public APIs", []string{"apis", "public", "semver", "use"}},
		{"Deploys deployed, deploying!", []string{"deploy"}},
		{"The and of", nil},
	} {
		if got := TitleWords(tc.title); !slices.Equal(got, tc.want) {
			t.Errorf("TitleWords(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

// A title seen through one word is counted as holding the words whose
// lists stopped at newer titles, so an old title found by its rare word
// is not measured as sharing that word alone.
func TestLikelyAlike(t *testing.T) {
	m := func(word string, number int64) TitleMatch { return TitleMatch{Word: word, Number: number, Words: 3} }
	matches := []TitleMatch{
		m("a", 10), m("a", 9), // full at two: 9 and older may hold a
		m("b", 10), m("b", 9),
		m("c", 10), m("c", 1), // not full: only these hold c
	}
	got := likelyAlike(matches, 3, 2, 10, 0)
	want := []alike{{1, 1}, {9, 0.5}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(alike{})); diff != "" {
		t.Fatalf("likely alike (-want +got):\n%s", diff)
	}
	if got := likelyAlike(matches, 3, 2, 10, 1); len(got) != 1 || got[0].number != 9 {
		t.Fatalf("superseding D-1: %+v, want D-9 alone", got)
	}
}
