package render

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestClipWithNoRoom(t *testing.T) {
	for _, max := range []int{0, -1} {
		if got := Clip("hello", max); got != "" {
			t.Errorf("clip(hello, %d) = %q, want \"\"", max, got)
		}
	}
	if got := Clip("hello", 1); got != "…" {
		t.Errorf("clip(hello, 1) = %q, want …", got)
	}
}

// TestSplitTextWithNoRoom checks that splitText refuses a max that no
// piece fits, at once, instead of looping forever as it did.
func TestSplitTextWithNoRoom(t *testing.T) {
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		splitText("hello", 0)
	}()
	select {
	case p := <-done:
		if msg, _ := p.(string); !strings.Contains(msg, "splitText needs max > 0") {
			t.Fatalf("splitText(s, 0) panicked with %v, want a programmer error saying max must be positive", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("splitText(s, 0) never returned")
	}
}

// FuzzClip checks that clip keeps text that fits, and cuts the rest to
// max characters ending in an ellipsis.
func FuzzClip(f *testing.F) {
	for _, s := range []string{"hello", "héllo wörld", "", "<@U1>"} {
		f.Add(s, 3)
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if !utf8.ValidString(s) {
			return // Slack sends UTF-8 only
		}
		max %= 4000
		got := Clip(s, max)
		switch n := utf8.RuneCountInString(s); {
		case max <= 0:
			if got != "" {
				t.Fatalf("clip(%q, %d) = %q, want \"\"", s, max, got)
			}
		case n <= max:
			if got != s {
				t.Fatalf("clip(%q, %d) = %q, want it whole", s, max, got)
			}
		default:
			if utf8.RuneCountInString(got) != max || !strings.HasSuffix(got, "…") || !strings.HasPrefix(s, strings.TrimSuffix(got, "…")) {
				t.Fatalf("clip(%q, %d) = %q, want its first %d characters and …", s, max, got, max-1)
			}
		}
	})
}

// FuzzSplitText checks that the pieces join back to the text, and each is
// non-empty and within max characters.
func FuzzSplitText(f *testing.F) {
	for _, s := range []string{"word word word", "x&amp;<@U12345>x&amp;", "line\nline\nline", "ééééé", "<https://x.test/a|a link> and more", ""} {
		f.Add(s, 4)
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max <= 0 {
			max = 1 - max%64
		}
		max = 1 + (max-1)%3000
		parts := splitText(s, max)
		if got := strings.Join(parts, ""); got != s {
			t.Fatalf("splitText(%q, %d) = %q: does not join back", s, max, parts)
		}
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n > max || (n == 0 && s != "") {
				t.Fatalf("splitText(%q, %d) has a piece of %d characters: %q", s, max, n, parts)
			}
		}
	})
}

// FuzzUnescapeSlack checks that Unescape undoes Slack's escaping of
// &, < and > exactly.
func FuzzUnescapeSlack(f *testing.F) {
	for _, s := range []string{"a < b & c > d", "&amp;lt;", "<@U1>", "&&&;;"} {
		f.Add(s)
	}
	escape := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	f.Fuzz(func(t *testing.T, s string) {
		if got := Unescape(escape.Replace(s)); got != s {
			t.Fatalf("unescapeSlack(%q) = %q, want %q", escape.Replace(s), got, s)
		}
	})
}
