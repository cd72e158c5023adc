package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Action IDs on blocker cards.
const (
	actionBlockerResolve = "blocker.resolve"
	actionBlockerAck     = "blocker.ack"
)

// blockerCard renders a blocker as the card posted in its channel: what is
// blocked, who reported it and when, who must act and who is on it, and
// the Resolve / I'm on it buttons while it is open.
func blockerCard(b *rituals.Blocker, now time.Time) []slack.Block {
	title := "Blocker " + b.ID()
	if !b.Open() {
		title += " (resolved)"
	}
	blocks := []slack.Block{header(title)}
	blocks = append(blocks, sections("", mrkdwn(b.Text))...)
	meta := fmt.Sprintf("*%s* · Reported by %s %s", b.ID(), person(b.Reporter, b.ReporterName), when(b.CreatedAt))
	if b.Open() {
		meta += " (" + ago(b.CreatedAt, now) + ")"
	}
	blocks = append(blocks, contextLine(meta))

	facts := []string{"*Who must act:* " + partiesLine(b.Parties, partyMention)}
	if len(b.Acks) > 0 {
		on := make([]string, len(b.Acks))
		for i, a := range b.Acks {
			on[i] = "<@" + a.User + ">"
		}
		facts = append(facts, ":eyes: *On it:* "+strings.Join(on, ", "))
	}
	if !b.NeededBy.IsZero() {
		line := "*Needed by:* " + string(b.NeededBy)
		if !b.OverdueAt.IsZero() && b.Open() {
			line += " · :warning: *overdue*"
		}
		facts = append(facts, line)
	}
	if !b.EscalatedAt.IsZero() {
		facts = append(facts, ":rotating_light: *Escalated* "+when(b.EscalatedAt)+": open longer than this channel's SLA.")
	}
	blocks = append(blocks, linesSections(facts)...)
	if b.Impact != "" {
		blocks = append(blocks, sections("Impact", mrkdwn(b.Impact))...)
	}
	if b.Source != "" {
		blocks = append(blocks, contextLine("Reported from "+sourceLink(b.Source)))
	}
	if !b.Open() {
		done := fmt.Sprintf(":white_check_mark: *Resolved* by %s %s, after %s.", person(b.ResolvedBy, ""), when(b.ResolvedAt),
			rituals.FormatAge(b.TimeToResolve))
		if b.Resolution != "" {
			done += "\n" + mrkdwn(b.Resolution)
		}
		blocks = append(blocks, sections("", done)...)
		return blocks
	}
	n := strconv.FormatInt(b.Number, 10)
	return append(blocks, slack.NewActionBlock("blocker.actions",
		button(actionBlockerAck, n, "I'm on it"),
		button(actionBlockerResolve, n, "Resolve"),
	))
}

// blockerFallback is the card's plain text, for notifications and
// clients that cannot show blocks.
func blockerFallback(b *rituals.Blocker) string {
	status := "open"
	if !b.Open() {
		status = "resolved"
	}
	return clip(fmt.Sprintf("Blocker %s (%s): %s", b.ID(), status, mrkdwn(clip(b.Text, 300))), maxMessageText)
}

// when renders a moment in each reader's own time zone, with a UTC
// fallback for clients that cannot.
func when(t time.Time) string {
	return fmt.Sprintf("<!date^%d^{date_short_pretty} at {time}|%s>", t.Unix(), t.UTC().Format("2006-01-02 15:04 UTC"))
}

// ago renders how long ago t was, kept current by Slack, with the age at
// now as its fallback.
func ago(t, now time.Time) string {
	return fmt.Sprintf("<!date^%d^{ago}|%s ago>", t.Unix(), rituals.FormatAge(now.Sub(t)))
}

// partiesLine renders who must act, each by name (partyMention or
// partyName), with a group's size.
func partiesLine(parties []rituals.Party, name func(rituals.Party) string) string {
	out := make([]string, len(parties))
	for i, p := range parties {
		out[i] = name(p)
		if p.Kind == rituals.PartyGroup {
			out[i] += " (" + people(len(p.Members)) + ")"
		}
	}
	return strings.Join(out, ", ")
}

// partyMention renders a party as a mention. A user group's notifies all
// its members: only a blocker's card, the one message meant to tell the
// group, and what only the caller sees (an ephemeral reply, App Home)
// mention one; other messages name it (partyName).
func partyMention(p rituals.Party) string {
	switch p.Kind {
	case rituals.PartyGroup:
		if p.Name != "" {
			return "<!subteam^" + p.ID + "|" + mrkdwn(p.Name) + ">"
		}
		return "<!subteam^" + p.ID + ">"
	case rituals.PartyChannel:
		return "<#" + p.ID + ">"
	default:
		return "<@" + p.ID + ">"
	}
}

// partyName renders a party as partyMention does, but a user group by its
// handle, which notifies nobody.
func partyName(p rituals.Party) string {
	if p.Kind != rituals.PartyGroup {
		return partyMention(p)
	}
	if p.Name == "" {
		return "a user group"
	}
	return "@" + wordJoiner + mrkdwn(strings.TrimPrefix(p.Name, "@"))
}

// blockerList renders the open blockers of a channel, oldest first, with
// their age and who must act.
func blockerList(bs []*rituals.Blocker, now time.Time) []slack.Block {
	if len(bs) == 0 {
		return []slack.Block{section("No open blockers in this channel. Report one with `/blocker <text>`.")}
	}
	lines := make([]string, len(bs))
	for i, b := range bs {
		line := fmt.Sprintf("*%s* · open %s · %s · who must act: %s", b.ID(), rituals.FormatAge(now.Sub(b.CreatedAt)),
			mrkdwn(clip(oneLine(b.Text), 120)), partiesLine(b.Parties, partyMention))
		if len(b.Acks) > 0 {
			line += " · " + people(len(b.Acks)) + " on it"
		}
		if !b.NeededBy.IsZero() {
			line += " · needed by " + string(b.NeededBy)
			if !b.OverdueAt.IsZero() {
				line += " (overdue)"
			}
		}
		if !b.EscalatedAt.IsZero() {
			line += " · :rotating_light: escalated"
		}
		lines[i] = line
	}
	blocks := []slack.Block{section(fmt.Sprintf("*%s open in this channel, oldest first*", countNoun(len(bs), "blocker")))}
	blocks = append(blocks, linesSections(lines)...)
	return append(blocks, contextLine("Resolve one with `/blocker resolve B-12 [note]`."))
}

// people counts persons: "1 person", "3 people".
func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// blockerNotice renders what a party, the reporter or a named channel is
// told about b: its report, its escalation or its resolution, with a link
// to the card. to is the DM's user ID or the channel posted in.
func blockerNotice(b *rituals.Blocker, data rituals.BlockerNoticeData, to, link string, now time.Time) (string, []slack.Block) {
	id := "*" + b.ID() + "*"
	if link != "" {
		id = "<" + link + "|" + b.ID() + ">"
	}
	var head string
	next := "Open the card to say you're on it, or to resolve it."
	switch data.Event {
	case rituals.NoticeEscalated:
		whose := "The blocker " + id + ", which needs " + whyTold(b, to) + ","
		if to == b.Reporter {
			whose, next = "Your blocker "+id, "Open the card to see who is on it, or to resolve it."
		}
		head = fmt.Sprintf(":rotating_light: %s has been open for %s, longer than <#%s>'s SLA of %s, and is still blocked.",
			whose, rituals.FormatAge(now.Sub(b.CreatedAt)), b.Channel, data.SLA)
	case rituals.NoticeResolved:
		head = fmt.Sprintf(":white_check_mark: %s resolved your blocker %s.", person(b.ResolvedBy, ""), id)
		if b.Resolution != "" {
			head += "\n" + quote(b.Resolution)
		}
		return clip(b.ID()+" resolved", maxMessageText), sections("", head)
	default:
		head = fmt.Sprintf(":construction: %s reported a blocker in <#%s> that needs %s: %s",
			person(b.Reporter, b.ReporterName), b.Channel, whyTold(b, to), id)
	}
	body := head + "\n" + quote(clip(b.Text, 500))
	if b.Open() {
		body += "\n" + next
	}
	return clip(fmt.Sprintf("%s: %s", b.ID(), mrkdwn(clip(oneLine(b.Text), 200))), maxMessageText), sections("", body)
}

// whyTold names the party that makes to a recipient: "you", a group they
// are in (by its handle, without pinging it), or this channel.
func whyTold(b *rituals.Blocker, to string) string {
	for _, p := range b.Parties {
		if p.Kind == rituals.PartyUser && p.ID == to {
			return "you"
		}
	}
	for _, p := range b.Parties {
		if p.Kind == rituals.PartyGroup && slices.Contains(p.Members, to) {
			return partyName(p) + " (you are in it)"
		}
	}
	if !isUser(to) {
		return "this channel"
	}
	return "you"
}

func quote(s string) string {
	return "> " + strings.ReplaceAll(mrkdwn(s), "\n", "\n> ")
}

func isUser(id string) bool { return strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") }

const blockerUsage = "*`/blocker` — blockers that need someone else to act*\n" +
	"• `/blocker <text>` reports a blocker here. Mention who must act in the text (`@person`, `@group` or `#channel`); each is told once, by DM or by a post in the channel, with a link to the card.\n" +
	"• `/blocker` opens a form: what is blocked, who must act, impact and a needed-by date.\n" +
	"• `/blocker list` shows this channel's open blockers, oldest first, with their age and who must act.\n" +
	"• `/blocker resolve <ID> [note]` resolves one, e.g. `/blocker resolve B-7 Schema approved`. The reporter, the people it names and admins may.\n" +
	"• `/blocker sla [duration]` shows or sets how long a blocker here may stay open before it is escalated (default 72h), e.g. `/blocker sla 48h` or `3d`.\n" +
	"• `/blocker help` shows this.\n" +
	"A blocker open longer than the SLA is escalated once: its reporter and the people it names get a DM. On any message, *Report as blocker* (in the message's ⋮ menu) opens the form with its text."

func blockerHelpBlocks() []slack.Block { return []slack.Block{section(blockerUsage)} }
