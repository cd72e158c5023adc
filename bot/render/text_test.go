package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMrkdwn(t *testing.T) {
	for in, want := range map[string]string{
		"a < b & c > d":                    "a &lt; b &amp; c &gt; d",
		"ask <@U123ABC> in <#C9|general>":  "ask <@U123ABC> in <#C9|general>",
		"see <https://x.test/a?b=1&c=2|x>": "see <https://x.test/a?b=1&c=2|x>",
		"team <!subteam^S12|@eng> now":     "team @\u2060eng now",
		"hey <!channel> and <!here>":       "hey @\u2060channel and @\u2060here",
		"<script>":                         "&lt;script&gt;",
		"*bold* stays mrkdwn":              "*bold* stays mrkdwn",
	} {
		if got := Mrkdwn(in); got != want {
			t.Errorf("mrkdwn(%q)=%q, want %q", in, got, want)
		}
	}
	if got := Unescape("a &lt; b &amp;lt; &gt;"); got != "a < b &lt; >" {
		t.Errorf("unescapeSlack=%q", got)
	}
}

func TestSplitText(t *testing.T) {
	check := func(t *testing.T, s string, max int) []string {
		t.Helper()
		parts := splitText(s, max)
		if got := strings.Join(parts, ""); got != s {
			t.Fatalf("pieces do not join back to the text")
		}
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n > max || n == 0 {
				t.Fatalf("piece of %d characters, want 1..%d", n, max)
			}
		}
		return parts
	}
	t.Run("ShortIsOnePiece", func(t *testing.T) {
		if parts := check(t, "hello", 10); len(parts) != 1 {
			t.Fatal(parts)
		}
	})
	t.Run("CutsAtSpaces", func(t *testing.T) {
		parts := check(t, strings.Repeat("word ", 1000), 3000)
		for _, p := range parts[:len(parts)-1] {
			if !strings.HasSuffix(p, " ") {
				t.Fatalf("piece ends mid-word: %q", p[len(p)-10:])
			}
		}
	})
	t.Run("NeverInsideTokens", func(t *testing.T) {
		s := strings.Repeat("x&amp;<@U12345>", 500)
		for _, p := range check(t, s, 97) {
			if strings.Count(p, "<") != strings.Count(p, ">") || strings.Count(p, "&") != strings.Count(p, ";") {
				t.Fatalf("token split: %q", p)
			}
		}
	})
	t.Run("NoSpacesAtAll", func(t *testing.T) {
		check(t, strings.Repeat("é", 7001), 3000)
	})
}

func TestMrkdwnClipCountsWhatIsSent(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"a & b", 20, "a &amp; b"},
		{"&&&&", 10, "&amp;…"},  // never half an entity
		{"<@U0ANN> hi", 5, "…"}, // never half a mention
		{"short", 5, "short"},
	} {
		if got := mrkdwnClip(tc.in, tc.max); got != tc.want {
			t.Errorf("mrkdwnClip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if n := utf8.RuneCountInString(mrkdwnClip(tc.in, tc.max)); n > tc.max {
			t.Errorf("mrkdwnClip(%q, %d) is %d characters long", tc.in, tc.max, n)
		}
	}
}
