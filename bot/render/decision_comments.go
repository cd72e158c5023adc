package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// shownComments is how many of the latest comments `/decide show` and a
// decision's history show; the thread and the exports hold them all.
const shownComments = 3

// commentClip is how much of a comment's text a line shows.
const commentClip = 600

// commentWhen is when a comment was recorded, as a line shows it.
func commentWhen(c rituals.Comment) string { return c.At.UTC().Format("2006-01-02 15:04 UTC") }

// commentLine is one comment: who, when and what, clipped.
func commentLine(c rituals.Comment) string {
	line := fmt.Sprintf("• %s · %s: “%s”", Person(c.User, c.UserName), commentWhen(c), mrkdwnClip(c.Text, commentClip))
	if c.Clipped {
		line += fmt.Sprintf(" _(cut at %s characters; the whole reply is in the thread)_", Thousands(rituals.MaxComment))
	}
	return line
}

// threadWords names the thread, linked when its permalink is known (and
// a link).
func threadWords(thread string) string {
	if !linkable.MatchString(thread) {
		return "its thread"
	}
	return "<" + thread + "|its thread>"
}

// DecisionComments renders a decision's comments for `/decide show`: how
// many, the latest few with who and when, and a link to the thread that
// holds them all. A proposal without comments says where to comment; a
// decision that never had any shows nothing.
func DecisionComments(d *rituals.Decision, cs []rituals.Comment, thread string) []slack.Block {
	if len(cs) == 0 {
		if d.Status != rituals.StatusProposed {
			return nil
		}
		return []slack.Block{Section(fmt.Sprintf("*Comments*\nNone yet: reply in %s to comment on this proposal.", threadWords(thread)))}
	}
	return linesSections(commentLines(cs, thread))
}

// commentLines are the heading and the latest comments' lines.
func commentLines(cs []rituals.Comment, thread string) []string {
	head := fmt.Sprintf("*Comments* — %s in %s", CountNoun(len(cs), "comment"), threadWords(thread))
	if len(cs) > shownComments {
		head += fmt.Sprintf("; the latest %d:", shownComments)
	}
	lines := []string{head}
	for _, c := range cs[max(0, len(cs)-shownComments):] {
		lines = append(lines, commentLine(c))
	}
	return lines
}

// WithComments puts comment blocks into a decision's card just before
// its buttons, its last block.
func WithComments(card, comments []slack.Block) []slack.Block {
	if len(comments) == 0 || len(card) == 0 {
		return card
	}
	out := append(append([]slack.Block{}, card[:len(card)-1]...), comments...)
	out = append(out, card[len(card)-1])
	if len(out) > maxBlocks {
		return card
	}
	return out
}

// CommentReminder renders the DM that reminds a person consulted on a
// proposal's area, who has not commented, to give their view in its
// thread before its decide-by date. A proposal from a private channel is
// named without its content.
func CommentReminder(d *rituals.Decision, thread string) (string, []slack.Block) {
	what := fmt.Sprintf("*%s* “%s”", d.ID(), Mrkdwn(Clip(d.Title, 120)))
	if d.ChannelPrivate {
		what = fmt.Sprintf("*%s* (in <#%s>)", d.ID(), d.Channel)
	}
	text := fmt.Sprintf(":speech_balloon: You are consulted on the `%s` area, and %s is to be decided by %s. Give your view in %s before then: a reply there is recorded as your comment.",
		Mrkdwn(d.Area), what, d.DecideBy, threadWords(thread))
	return Clip("Your view on "+d.ID(), MaxMessageText), []slack.Block{Section(text)}
}

// markDecidedComments is the Mark decided form's line on the proposal's
// comments: how many, and a link to the thread that holds them.
func markDecidedComments(comments int, thread string) slack.Block {
	if comments == 0 {
		return ContextLine(fmt.Sprintf(":speech_balloon: No comments in %s.", threadWords(thread)))
	}
	return ContextLine(fmt.Sprintf(":speech_balloon: %s in %s: read them before you decide.", CountNoun(comments, "comment"), threadWords(thread)))
}

// Thousands writes n with a comma every three digits: 10,000.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
