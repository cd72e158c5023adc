package storage

import (
	"fmt"
	"testing"
)

// A title-words search asks for half the words in every combination, and
// for fewer per group when that would make too many groups.
func TestSearchGroups(t *testing.T) {
	for _, tc := range []struct {
		words  string
		any    bool
		titles bool
		want   string
	}{
		{"Use semver for public APIs", false, false, "[[apis public semver use]]"},
		{"Use semver for public APIs", true, false, "[[apis] [public] [semver] [use]]"},
		{"Use semver for public APIs", true, true, "[[apis public] [apis semver] [apis use] [public semver] [public use] [semver use]]"},
		{"for the", true, true, "[[for] [the]]"},
		{"b c d e f g h j k l m n", true, true, ""}, // 12 words: even C(12,2) = 66 is too many
	} {
		got := fmt.Sprint(searchGroups(tc.words, tc.any, tc.titles))
		if tc.want == "" {
			if n := len(searchGroups(tc.words, tc.any, tc.titles)); n > maxGroups {
				t.Errorf("%q: %d groups, want at most %d", tc.words, n, maxGroups)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%q any=%v titles=%v: %s, want %s", tc.words, tc.any, tc.titles, got, tc.want)
		}
	}
	if got := atLeastHalf(12); got != 1 {
		t.Errorf("atLeastHalf(12) = %d, want 1 (C(12,2) = 66 > %d)", got, maxGroups)
	}
	if got := atLeastHalf(9); got != 2 {
		t.Errorf("atLeastHalf(9) = %d, want 2 (C(9,2) = 36; C(9,3) = 84)", got)
	}
}
