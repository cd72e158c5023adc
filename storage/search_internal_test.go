package storage

import (
	"fmt"
	"testing"
)

// A search asks for every word, or for any one, without stop words
// unless there is nothing else.
func TestSearchGroups(t *testing.T) {
	for _, tc := range []struct {
		words string
		any   bool
		want  string
	}{
		{"Use semver for public APIs", false, "[[apis public semver use]]"},
		{"Use semver for public APIs", true, "[[apis] [public] [semver] [use]]"},
		{"for the", true, "[[for] [the]]"},
		{"", true, "[]"},
	} {
		if got := fmt.Sprint(searchGroups(tc.words, tc.any)); got != tc.want {
			t.Errorf("%q any=%v: %s, want %s", tc.words, tc.any, got, tc.want)
		}
	}
}
