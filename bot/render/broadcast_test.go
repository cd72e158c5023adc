package render

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Live mentions as Slack reads them. A broadcast notifies everyone in a
// conversation; a user group's mention notifies its members.
var (
	liveBroadcast = regexp.MustCompile(`(?i)<!(?:here|channel|everyone|group)(?:\|[^>]*)?>`)
	liveGroup     = regexp.MustCompile(`(?i)<!subteam\^([^<>|]*)(?:\|[^<>]*)?>`)
	// broadcastAsWord is @here, @channel or @everyone written as a word,
	// which Slack's link_names and full parsing modes link into a
	// broadcast; mrkdwn must never carry one.
	broadcastAsWord = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}._%+\-])@(?:here|channel|everyone)`)
	// linkURL is the URL of a link, which Slack shows as a link and never
	// reads mentions in.
	linkURL = regexp.MustCompile(`<(?:https?://|mailto:)[^<>|\s]+`)
)

// withoutURLs is s with the URLs of its links left out.
func withoutURLs(s string) string { return linkURL.ReplaceAllString(s, "<") }

// broadcastSeeds are the forms a person can make Slack send for a crowd
// mention: what an escaped command carries for @channel, @here,
// @everyone and @team, their labelled variants, what the bot's unescaping
// turns typed entities into, the words themselves, and near misses.
var broadcastSeeds = []string{
	"<!channel> ship it",
	"<!here>", "<!here|here>", "<!here|@here>",
	"<!channel|@channel>", "<!everyone>", "<!everyone|@everyone>", "<!group>", "<!CHANNEL>",
	"<!subteam^S0DATA|@data> please", "<!subteam^S0DATA>", "<!subteam^S0OTHER|@other>", "<!subteam^S123|<!here>>",
	"&lt;!channel&gt;", "&amp;lt;!here&amp;gt;", "&lt;!subteam^S0DATA|@data&gt;",
	"@channel look", "hey @here.", "@everyone", "ann@here.com", "(@Channel)",
	"<@U0BOB|@here> and <#C0DATA|@channel> and <https://x.test/|@everyone>",
	"<!date^1700000000^{date}|today> is harmless",
	"<<!channel>>", "<!channel", "!channel>", "< !channel>", "<!chan\nnel>",
	"", "ünïcödé 🚀 ✓ — “quotes”", "*bold* _it_ ~s~ `code` ```block``` > quote",
}

// checkSurface fails when s shows a live broadcast, @here, @channel or
// @everyone as a word in mrkdwn, or a user group other than those it
// mentions by design, or more mentions of one than the same surface
// rendered from harmless text (neutral): a person's text must add none. A
// message (the only kind that notifies) mentions each of its groups once.
func checkSurface(t *testing.T, s surface, neutral map[string]int) {
	t.Helper()
	groups := map[string]int{}
	for _, shown := range s.texts(t) {
		if loc := liveBroadcast.FindStringIndex(shown.text); loc != nil {
			t.Errorf("%s (%s) shows a live broadcast in %s: %q", s.name, s.kind, shown.format, around(shown.text, loc))
		}
		if loc := broadcastAsWord.FindStringIndex(withoutURLs(shown.text)); loc != nil && shown.format == "mrkdwn" {
			t.Errorf("%s (%s) writes a broadcast as a word in mrkdwn, which Slack can link: %q", s.name, s.kind, around(withoutURLs(shown.text), loc))
		}
		for _, m := range liveGroup.FindAllStringSubmatch(shown.text, -1) {
			groups[m[1]]++
		}
	}
	for id, n := range groups {
		switch {
		case !slices.Contains(s.groups, id):
			t.Errorf("%s (%s) mentions the user group %s, which it never means to", s.name, s.kind, id)
		case n > neutral[id]:
			t.Errorf("%s (%s) mentions the user group %s %d times, %d of them from a person's text", s.name, s.kind, id, n, n-neutral[id])
		case s.kind == surfaceMessage && n > 1:
			t.Errorf("%s mentions the user group %s %d times, want once", s.name, id, n)
		}
	}
}

// around is the part of s at loc, with up to 30 bytes either side.
func around(s string, loc []int) string {
	from, to := max(loc[0]-30, 0), min(loc[1]+30, len(s))
	return strings.ToValidUTF8(s[from:to], "")
}

// groupMentions counts the user-group mentions s shows, by group.
func groupMentions(t *testing.T, s surface) map[string]int {
	out := map[string]int{}
	for _, shown := range s.texts(t) {
		for _, m := range liveGroup.FindAllStringSubmatch(shown.text, -1) {
			out[m[1]]++
		}
	}
	return out
}

// neutralMentions is every surface's group mentions when rendered from
// text that mentions nobody.
func neutralMentions(t *testing.T) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, s := range allSurfaces("plain words") {
		out[s.name] = groupMentions(t, s)
	}
	return out
}

// FuzzRenderersNoBroadcast feeds a person's text, as typed and as the bot
// unescapes what Slack sends, into every surface the bot can produce, and
// finds no crowd mention that came from it.
func FuzzRenderersNoBroadcast(f *testing.F) {
	for _, seed := range broadcastSeeds {
		f.Add(seed)
	}
	var neutral map[string]map[string]int
	f.Fuzz(func(t *testing.T, text string) {
		if neutral == nil {
			neutral = neutralMentions(t)
		}
		inputs := []string{text}
		if u := Unescape(text); u != text {
			inputs = append(inputs, u)
		}
		for _, in := range inputs {
			for _, s := range allSurfaces(in) {
				checkSurface(t, s, neutral[s.name])
			}
		}
	})
}

// TestSurfacesCatalogue renders every surface with long, empty and
// unicode text: each has a unique name, renders, and mentions no crowd.
func TestSurfacesCatalogue(t *testing.T) {
	neutral := neutralMentions(t)
	inputs := map[string]string{
		"Empty":   "",
		"Long":    strings.Repeat("All words kept & <escaped>, @channel <!here>. ", 10_000/46+1)[:10_000],
		"Unicode": strings.Repeat("ünïcödé 🚀 ✓ “quotes” ", 40),
	}
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		t.Run(name, func(t *testing.T) {
			text := inputs[name]
			seen := map[string]bool{}
			surfaces := allSurfaces(text)
			for _, s := range surfaces {
				if seen[s.name] {
					t.Errorf("two surfaces are named %q", s.name)
				}
				seen[s.name] = true
				checkSurface(t, s, neutral[s.name])
			}
			if len(surfaces) != len(neutral) {
				t.Fatalf("%d surfaces from %d characters, %d from plain words", len(surfaces), utf8.RuneCountInString(text), len(neutral))
			}
		})
	}
}
