package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// mentionsText is about 40 KB of distinct mentions, as a long message
// sent to "Report as blocker" may hold.
func mentionsText(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<@U%08d> ", i)
	}
	return b.String()
}

// BenchmarkParseMentions measures parseMentions on 1, 4 and 16 times
// about 10 KB of distinct mentions: linear time grows by about 4 at each
// step.
func BenchmarkParseMentions(b *testing.B) {
	for _, n := range []int{800, 3200, 12800} {
		text := mentionsText(n)
		b.Run(fmt.Sprintf("%dKB", len(text)/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				parseMentions(text)
			}
		})
	}
}

// TestParseMentionsManyDistinct checks parseMentions on thousands of
// distinct parties, each named twice: each comes once, in order. (It
// used to compare each mention with every party found before it, which
// took quadratic time; BenchmarkParseMentions shows the time now grows
// with the text.)
func TestParseMentionsManyDistinct(t *testing.T) {
	const n = 5000
	got := parseMentions(mentionsText(n) + mentionsText(n))
	if len(got) != n {
		t.Fatalf("%d parties, want %d", len(got), n)
	}
	for i, p := range got {
		if want := fmt.Sprintf("U%08d", i); p.ID != want || p.Kind != rituals.PartyUser {
			t.Fatalf("party %d is %+v, want user %s", i, p, want)
		}
	}
}

// FuzzParseBlocker checks that whatever follows /blocker is one valid
// command or a refusal in a plain sentence.
func FuzzParseBlocker(f *testing.F) {
	for _, s := range []string{"Waiting on <@U0BOB> for the schema", "list", "list 5", "resolve B-7 Schema approved", "resolve",
		"sla", "sla 48h", "sla 30501w", "sla 48 h", "help", "", "<!subteam^S0PLAT|@platform> <#C0ENG|eng> <#G0SEC|>",
		"team", "team <!subteam^S0PLAT|@platform>, <@U0BOB>", "team remove <@U0BOB>", "escalate-to <#C0ENG|eng>", "escalate-to none"} {
		f.Add(s)
	}
	fuzzParser(f, parseBlocker, func(cmd blockerCmd) string {
		switch cmd.Op {
		case opBlockerModal:
			if cmd.Text != strings.TrimSpace(cmd.Text) || len(parseMentions(cmd.Text)) > 0 || utf8.RuneCountInString(cmd.Text) > rituals.MaxBlockerText {
				return "the form's text is untrimmed, names someone, or is longer than the form holds"
			}
		case opBlockerHelp, opBlockerList, opBlockerShowSLA, opBlockerShowTeam, opBlockerShowTarget, opBlockerClearTarget:
		case opBlockerClaim, opBlockerUnclaim:
			return check(len(cmd.Parties) == 0, "no party")
		case opBlockerSetTarget:
			return check(len(cmd.Parties) != 1, "not one target")
		case opBlockerResolve:
			return check(cmd.ID <= 0, "no ID")
		case opBlockerSetSLA:
			return check(cmd.SLA < rituals.MinSLA || cmd.SLA > rituals.MaxSLA, "SLA out of range")
		case opBlockerReport:
			if cmd.Text == "" || cmd.Text != strings.TrimSpace(cmd.Text) {
				return "no text"
			}
			return check(len(cmd.Parties) != len(parseMentions(cmd.Text)), "parties are not the text's mentions")
		default:
			return "unknown op"
		}
		return ""
	})
}

// FuzzParseMentions checks that each party parseMentions finds is
// mentioned in the text as a token of its kind, once each.
func FuzzParseMentions(f *testing.F) {
	for _, s := range []string{"<@U0BOB> <@W0ANN|ann> <!subteam^S0PLAT|@platform> <#C0ENG|eng> <#G0SEC|> <@U0BOB>", "<!here> <!subteam^bad> <@u1>", "<<@U1>>"} {
		f.Add(s)
	}
	prefix := map[rituals.PartyKind]string{rituals.PartyUser: "<@", rituals.PartyGroup: "<!subteam^", rituals.PartyChannel: "<#"}
	f.Fuzz(func(t *testing.T, text string) {
		seen := map[string]bool{}
		for _, p := range parseMentions(text) {
			if seen[string(p.Kind)+p.ID] {
				t.Fatalf("parseMentions(%q) names %s %s twice", text, p.Kind, p.ID)
			}
			seen[string(p.Kind)+p.ID] = true
			if tok := prefix[p.Kind] + p.ID; p.ID == "" || !(strings.Contains(text, tok+">") || strings.Contains(text, tok+"|")) {
				t.Fatalf("parseMentions(%q) names %+v, which it does not mention", text, p)
			}
		}
	})
}

// FuzzBlockerFormFrom checks the form "Report as blocker" opens: the
// message's start, within what the form holds and never cut inside a
// mention, with the parties it mentions, and the length of the message
// when it was cut.
func FuzzBlockerFormFrom(f *testing.F) {
	f.Add("Deploys are stuck until <@U0EVE> rotates the token", 0)
	f.Add("x", 3000)
	f.Add("<@U1> ", 700)
	f.Add("a b\nc", 1500)
	f.Fuzz(func(t *testing.T, text string, repeat int) {
		if !utf8.ValidString(text) || text == "" {
			return // Slack sends UTF-8 only
		}
		if repeat < 0 {
			repeat = -repeat
		}
		text = strings.Repeat(text, 1+repeat%(2*rituals.MaxBlockerText/len(text)+1))
		form := blockerFormFrom(text)
		n := utf8.RuneCountInString(text)
		switch {
		case n <= rituals.MaxBlockerText && (form.Text != text || form.Cut != 0):
			t.Fatalf("a message of %d characters was cut to %q (Cut %d)", n, form.Text, form.Cut)
		case n > rituals.MaxBlockerText && (form.Cut != n || utf8.RuneCountInString(form.Text) > rituals.MaxBlockerText || !strings.HasPrefix(text, form.Text)):
			t.Fatalf("a message of %d characters became %d characters (Cut %d), or not its start", n, utf8.RuneCountInString(form.Text), form.Cut)
		}
		for _, m := range mention.FindAllStringIndex(text, -1) {
			if m[0] < len(form.Text) && m[1] > len(form.Text) {
				t.Fatalf("cut inside the mention %q", text[m[0]:m[1]])
			}
		}
		if len(form.Parties) != len(parseMentions(form.Text)) {
			t.Fatal("the parties are not the mentions of the text kept")
		}
	})
}
