package rituals

import (
	"slices"
	"testing"
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
