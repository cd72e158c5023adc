package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// Crowd mentions as Slack reads them: a broadcast notifies everyone in a
// conversation, a user group's mention its members, and @here, @channel or
// @everyone written as a word becomes a broadcast in Slack's link_names
// and full parsing modes.
var (
	liveBroadcast   = regexp.MustCompile(`(?i)<!(?:here|channel|everyone|group)(?:\|[^>]*)?>`)
	liveGroup       = regexp.MustCompile(`(?i)<!subteam\^([^<>|]*)(?:\|[^<>]*)?>`)
	broadcastAsWord = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}._%+\-])@(?:here|channel|everyone)`)
)

// TestNobodyCanMakeTheBotPingACrowd types crowd mentions into every
// command that puts a person's text into a message, the way Slack sends
// them (an escaped command carries @channel as <!channel>, a typed "<" as
// &lt;; a form's field carries what was typed), and reads every message,
// update, ephemeral and response_url post the bot made: none carries a
// live broadcast, and only the blocker's card mentions the group it names,
// once.
func TestNobodyCanMakeTheBotPingACrowd(t *testing.T) {
	fs, h := newBlockerWorld(t)

	h.decide(ann, general, "<!channel> ship it")
	h.decide(ann, general, "&lt;!here&gt; and &amp;lt;!everyone&amp;gt; typed, and <!subteam^S0PLAT|@platform> named")
	h.blocker(ann, general, "<!here> the deploy waits on <!subteam^S0PLAT|@platform> and <@U0BOB> <!everyone|@everyone>")
	h.slash(ann, general, "/premortem", "<!everyone> launch of <!here|here>")
	h.waitPost(general, "D-1 · Decided: ")
	h.waitPost(general, "D-2 · Decided: ")
	h.waitPost(general, "Blocker B-1 (open): ")
	parent := h.waitPost(general, "Pre-mortem PM-1: ")
	h.settle()
	h.replyInThread(bob, parent, "<!channel> payments time out @here")
	h.waitBotReplies(parent, 1)
	h.sendPulse(bob, general, "", pulseValues("<!channel> @everyone are we aligned?", "kind", fakeslack.StaticValue("yesno"),
		"audience", fakeslack.StaticValue("people"), "people", fakeslack.MultiUsersValue(ann, eve),
		"anonymous", fakeslack.CheckboxesValue()))
	h.waitPrompts("P-1", ann, eve)
	h.answer(ann, "P-1", 0, "Yes")
	h.pulseReply(bob, general, "close P-1")
	h.results(general, 1)
	h.askRitual(ann, general, "/premortem", "close R-1")
	h.settle()

	var summaries, items int
	for _, c := range fs.Calls("chat.postMessage") {
		summaries += strings.Count(c.Params["text"].(string), ": summary")
		items += strings.Count(c.Params["text"].(string), "Failure mode #1")
	}
	if summaries != 1 || items != 1 {
		t.Fatalf("the pre-mortem's item reply and summary were posted %d and %d times, want once each", items, summaries)
	}

	shown := false
	for _, m := range h.botMessages(general) {
		shown = shown || strings.HasSuffix(m.Text, " · Decided: @\u2060channel ship it")
	}
	if !shown {
		t.Errorf("no decision card reads %q: @channel shown as a word", "D-… · Decided: @\u2060channel ship it")
	}
	cards := 0
	for _, c := range sentMessages(fs) {
		isCard := strings.HasPrefix(c.text, "Blocker B-1 ")
		if isCard && c.method == "chat.postMessage" {
			cards++
		}
		groups := 0
		for _, shown := range c.texts {
			if m := liveBroadcast.FindString(shown.text); m != "" {
				t.Errorf("%s %q carries the live broadcast %q in: %q", c.method, clipTest(c.text), m, clipTest(shown.text))
			}
			if m := broadcastAsWord.FindString(shown.text); m != "" && shown.format == "mrkdwn" {
				t.Errorf("%s %q writes %q in mrkdwn: %q", c.method, clipTest(c.text), m, clipTest(shown.text))
			}
			groups += len(liveGroup.FindAllString(shown.text, -1))
		}
		switch {
		case isCard && groups != 1:
			t.Errorf("%s of the blocker's card mentions @platform %d times, want once", c.method, groups)
		case !isCard && groups > 0:
			t.Errorf("%s %q mentions a user group, which only the blocker's card may", c.method, clipTest(c.text))
		}
	}
	if cards != 1 {
		t.Fatalf("%d blocker cards posted, want 1", cards)
	}
}

// waitPost waits for the bot's top-level message in channel whose text
// starts with prefix, and returns it.
func (h *harness) waitPost(channel, prefix string) fakeslack.Message {
	h.t.Helper()
	var found fakeslack.Message
	h.waitFor("a post starting "+prefix, func() bool {
		for _, m := range h.botMessages(channel) {
			if strings.HasPrefix(m.Text, prefix) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// sentMessage is one message the bot sent: a post, an update, an
// ephemeral or a response_url post.
type sentMessage struct {
	method, text string
	texts        []shownText
}

// shownText is one text Slack shows, with its format; a message's
// top-level text is mrkdwn.
type shownText struct{ format, text string }

// sentMessages returns every message the bot sent to fs, with the texts
// it shows: its top-level text and each text object of its blocks.
func sentMessages(fs *fakeslack.Server) []sentMessage {
	var out []sentMessage
	for _, method := range []string{"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"} {
		for _, c := range fs.Calls(method) {
			text, _ := c.Params["text"].(string)
			m := sentMessage{method: method, text: text, texts: []shownText{{"mrkdwn", text}}}
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case map[string]any:
					format, _ := v["type"].(string)
					if s, ok := v["text"].(string); ok && (format == "mrkdwn" || format == "plain_text") {
						m.texts = append(m.texts, shownText{format, s})
					}
					for _, e := range v {
						walk(e)
					}
				case []any:
					for _, e := range v {
						walk(e)
					}
				}
			}
			walk(c.Params["blocks"])
			out = append(out, m)
		}
	}
	return out
}
