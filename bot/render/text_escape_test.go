package render

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMrkdwnQuietsBroadcasts(t *testing.T) {
	const wj = wordJoiner
	for in, want := range map[string]string{
		"<!channel> ship it":                   "@" + wj + "channel ship it",
		"<!here|here> <!here|@here>":           "@" + wj + "here @" + wj + "here",
		"<!channel|@channel> <!everyone>":      "@" + wj + "channel @" + wj + "everyone",
		"<!EVERYONE|@everyone> <!group>":       "@" + wj + "everyone @" + wj + "group",
		"<!subteam^S0DATA|@data> please":       "@" + wj + "data please",
		"<!subteam^S0DATA>":                    "@" + wj + "S0DATA",
		"<!subteam^S123|<!here>>":              "@" + wj + wj + "here",
		"&lt;!channel&gt;":                     "&amp;lt;!channel&amp;gt;",
		"@channel look, (@Here) and @everyone": "@" + wj + "channel look, (@" + wj + "Here) and @" + wj + "everyone",
		"ann@here.com and @hereby":             "ann@here.com and @" + wj + "hereby",
		"<@U0BOB|@here> <#C0DATA|@channel>":    "<@U0BOB|@" + wj + "here> <#C0DATA|@" + wj + "channel>",
		"<https://x.test/@here|@everyone>":     "<https://x.test/@here|@" + wj + "everyone>",
		"<http:@everyone>":                     "&lt;http:@" + wj + "everyone&gt;",
		"<!date^1700000000^{date}|today>":      "&lt;!date^1700000000^{date}|today&gt;",
		"<<!channel>>":                         "&lt;@" + wj + "channel&gt;",
	} {
		if got := Mrkdwn(in); got != want {
			t.Errorf("mrkdwn(%q)=%q, want %q", in, got, want)
		}
	}
}

func TestPlainTextQuietsBroadcasts(t *testing.T) {
	const wj = wordJoiner
	for in, want := range map[string]string{
		"<!channel> ship it & <go>":        "@" + wj + "channel ship it & <go>",
		"<!subteam^S1|@eng> <!here|@here>": "@" + wj + "eng @" + wj + "here",
		"@channel stays a word":            "@channel stays a word", // plain_text is never parsed
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q)=%q, want %q", in, got, want)
		}
	}
}

func TestSourceLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://acme.slack.com/archives/C1/p1":     "<https://acme.slack.com/archives/C1/p1|this message>",
		"check-in C0PLAT/1764000000000":             "check-in C0PLAT/1764000000000",
		"https://x|y> <!channel> <https://z":        "https://x|y&gt; @\u2060channel &lt;https://z",
		"https://x.test/a b":                        "https://x.test/a b",
		"javascript:alert(1)":                       "javascript:alert(1)",
		"https://acme.slack.com/archives/C1/p1?x=<": "https://acme.slack.com/archives/C1/p1?x=&lt;",
	} {
		if got := sourceLink(in); got != want {
			t.Errorf("sourceLink(%q)=%q, want %q", in, got, want)
		}
	}
}

// Live crowd mentions, and the markup mrkdwn keeps.
var (
	anyBroadcast = regexp.MustCompile(`(?i)<!(?:here|channel|everyone|group|subteam\^[^<>|]*)(?:\|[^<>]*)?>`)
	anEntity     = regexp.MustCompile(`&(?:amp|lt|gt);`)
	keptToken    = regexp.MustCompile(`<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|(?:https?://|mailto:)[^<>|\s]+)(?:\|[^<>]*)?>`)
)

// FuzzMrkdwn checks the escaping helpers on any text: mrkdwn leaves no
// crowd mention, live or as a linkable word, no < or > outside the user,
// channel and link tokens it keeps, and no & that starts no entity; plainText leaves no live crowd
// mention, never lengthens the text, and is idempotent.
func FuzzMrkdwn(f *testing.F) {
	for _, seed := range broadcastSeeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mrkdwn(s)
		if loc := anyBroadcast.FindStringIndex(m); loc != nil {
			t.Fatalf("mrkdwn(%q) keeps a crowd mention: %q", s, m)
		}
		if loc := broadcastAsWord.FindStringIndex(withoutURLs(m)); loc != nil {
			t.Fatalf("mrkdwn(%q) writes a broadcast as a word: %q", s, m)
		}
		rest := keptToken.ReplaceAllString(m, "")
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("mrkdwn(%q)=%q has < or > outside the tokens it keeps", s, m)
		}
		if strings.Contains(anEntity.ReplaceAllString(rest, ""), "&") {
			t.Fatalf("mrkdwn(%q)=%q leaves a raw &", s, m)
		}
		p := plainText(s)
		if anyBroadcast.MatchString(p) {
			t.Fatalf("plainText(%q) keeps a crowd mention: %q", s, p)
		}
		if utf8.RuneCountInString(p) > utf8.RuneCountInString(s) {
			t.Fatalf("plainText(%q)=%q is longer", s, p)
		}
		if plainText(p) != p {
			t.Fatalf("plainText is not idempotent on %q", s)
		}
	})
}
