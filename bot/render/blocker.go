package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// BlockerCard renders a blocker as the card posted in its channel: what is
// blocked, who reported it and when, who must act and who is on it, and
// the Resolve / I'm on it / Edit buttons while it is open.
func BlockerCard(b *rituals.Blocker, now time.Time) []slack.Block {
	title := "Blocker " + b.ID()
	if !b.Open() {
		title += " (resolved)"
	}
	blocks := []slack.Block{header(title)}
	blocks = append(blocks, sections("", Mrkdwn(b.Text))...)
	meta := fmt.Sprintf("*%s* · Reported by %s %s", b.ID(), Person(b.Reporter, b.ReporterName), when(b.CreatedAt))
	if b.Open() {
		meta += " (" + ago(b.CreatedAt, now) + ")"
	}
	blocks = append(blocks, ContextLine(meta))

	facts := []string{"*Who must act:* " + partiesLine(b.Parties, PartyMention)}
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
	if !b.ClimbedAt.IsZero() {
		facts = append(facts, ":rotating_light: *Escalated to "+climbedTo(b.ClimbedTo)+"* "+when(b.ClimbedAt)+": open twice this channel's SLA.")
	}
	blocks = append(blocks, linesSections(facts)...)
	if b.Impact != "" {
		blocks = append(blocks, sections("Impact", Mrkdwn(b.Impact))...)
	}
	if b.Source != "" {
		blocks = append(blocks, ContextLine("Reported from "+sourceLink(b.Source)))
	}
	if !b.Open() {
		done := fmt.Sprintf(":white_check_mark: *Resolved* by %s %s, after %s.", Person(b.ResolvedBy, ""), when(b.ResolvedAt),
			rituals.FormatAge(b.TimeToResolve))
		if b.Resolution != "" {
			done += "\n" + Mrkdwn(b.Resolution)
		}
		blocks = append(blocks, sections("", done)...)
		return blocks
	}
	n := strconv.FormatInt(b.Number, 10)
	return append(blocks, slack.NewActionBlock("blocker.actions",
		button(ActionBlockerAck, n, "I'm on it"),
		button(ActionBlockerResolve, n, "Resolve"),
		button(ActionBlockerEdit, n, "Edit"),
	))
}

// BlockerFallback is the card's plain text, for notifications and
// clients that cannot show blocks.
func BlockerFallback(b *rituals.Blocker) string {
	status := "open"
	if !b.Open() {
		status = "resolved"
	}
	return Clip(fmt.Sprintf("Blocker %s (%s): %s", b.ID(), status, Mrkdwn(Clip(b.Text, 300))), MaxMessageText)
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

// partiesLine renders who must act, each by name (PartyMention or
// partyName), with a group's size.
func partiesLine(parties []rituals.Party, name func(rituals.Party) string) string {
	out := make([]string, len(parties))
	for i, p := range parties {
		out[i] = name(p)
		if p.Kind == rituals.PartyGroup {
			out[i] += " (" + People(len(p.Members)) + ")"
		}
	}
	return strings.Join(out, ", ")
}

// PartyMention renders a party as a mention. A user group's notifies all
// its members: only a blocker's card, the one message meant to tell the
// group, and what only the caller sees (an ephemeral reply, App Home)
// mention one; other messages name it (partyName).
func PartyMention(p rituals.Party) string {
	switch p.Kind {
	case rituals.PartyGroup:
		if p.Name != "" {
			return "<!subteam^" + p.ID + "|" + Mrkdwn(p.Name) + ">"
		}
		return "<!subteam^" + p.ID + ">"
	case rituals.PartyChannel:
		return "<#" + p.ID + ">"
	default:
		return "<@" + p.ID + ">"
	}
}

// partyName renders a party as PartyMention does, but a user group by its
// handle, which notifies nobody.
func partyName(p rituals.Party) string {
	if p.Kind != rituals.PartyGroup {
		return PartyMention(p)
	}
	if p.Name == "" {
		return "a user group"
	}
	return "@" + wordJoiner + Mrkdwn(strings.TrimPrefix(p.Name, "@"))
}

// BlockerList renders the open blockers of a channel, oldest first, with
// their age and who must act.
func BlockerList(bs []*rituals.Blocker, now time.Time) []slack.Block {
	if len(bs) == 0 {
		return []slack.Block{Section("No open blockers in this channel. Report one with `/blocker <text>`.")}
	}
	lines := make([]string, len(bs))
	for i, b := range bs {
		line := fmt.Sprintf("*%s* · open %s · %s · who must act: %s", b.ID(), rituals.FormatAge(now.Sub(b.CreatedAt)),
			Mrkdwn(Clip(oneLine(b.Text), 120)), partiesLine(b.Parties, PartyMention))
		if len(b.Acks) > 0 {
			line += " · " + People(len(b.Acks)) + " on it"
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
		if !b.ClimbedAt.IsZero() {
			line += " to " + climbedTo(b.ClimbedTo)
		}
		lines[i] = line
	}
	blocks := []slack.Block{Section(fmt.Sprintf("*%s open in this channel, oldest first*", CountNoun(len(bs), "blocker")))}
	blocks = append(blocks, linesSections(lines)...)
	return append(blocks, ContextLine("Resolve one with `/blocker resolve B-12 [note]`."))
}

// People counts persons: "1 person", "3 people".
func People(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// BlockerNotice renders what a party, the reporter or a named channel is
// told about b: its report, its escalation or its resolution, with a link
// to the card. to is the DM's user ID or the channel posted in.
func BlockerNotice(b *rituals.Blocker, data rituals.BlockerNoticeData, to, link string, now time.Time) (string, []slack.Block) {
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
	case rituals.NoticeClimbed:
		where := "you"
		if !IsUser(to) {
			where = "this channel"
		}
		head = fmt.Sprintf(":rotating_light: The blocker %s, raised in <#%s> by %s, has been open for %s, more than twice that channel's SLA of %s, and is still blocked. <#%s> escalates such blockers to %s.",
			id, b.Channel, Person(b.Reporter, b.ReporterName), rituals.FormatAge(now.Sub(b.CreatedAt)), data.SLA, b.Channel, where)
		next = "Open the card to see who must act and who is on it."
	case rituals.NoticeResolved:
		head = fmt.Sprintf(":white_check_mark: %s resolved your blocker %s.", Person(b.ResolvedBy, ""), id)
		if b.Resolution != "" {
			head += "\n" + quote(b.Resolution)
		}
		return Clip(b.ID()+" resolved", MaxMessageText), sections("", head)
	default:
		head = fmt.Sprintf(":construction: %s reported a blocker in <#%s> that needs %s: %s",
			Person(b.Reporter, b.ReporterName), b.Channel, whyTold(b, to), id)
	}
	body := head + "\n" + quote(Clip(b.Text, 500))
	if b.Open() {
		body += "\n" + next
	}
	return Clip(fmt.Sprintf("%s: %s", b.ID(), Mrkdwn(Clip(oneLine(b.Text), 200))), MaxMessageText), sections("", body)
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
	if !IsUser(to) {
		return "this channel"
	}
	return "you"
}

func quote(s string) string {
	return "> " + strings.ReplaceAll(Mrkdwn(s), "\n", "\n> ")
}

// IsUser reports whether id names a person (U… or W…) rather than a
// channel or a user group.
func IsUser(id string) bool { return strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") }

const blockerUsage = "*`/blocker` — blockers that need someone else to act*\n" +
	"• `/blocker <text>` reports a blocker here. Mention who must act in the text (`@person`, `@group` or `#channel`); each is told once, by DM or by a post in the channel, with a link to the card.\n" +
	"• `/blocker` opens a form: what is blocked, who must act, impact and a needed-by date.\n" +
	"• `/blocker list [N]` shows this channel's open blockers, oldest first (all, or the N oldest), with their age and who must act, then those other channels need from this team.\n" +
	"• `/blocker show <ID>` shows one blocker's card, only to you, e.g. `/blocker show B-7`.\n" +
	"• `/blocker edit <ID>` opens an open blocker's form to change its text and who must act, e.g. `/blocker edit B-4`; so does *Edit* on its card. Its reporter and admins may; the people newly named are told.\n" +
	"• `/blocker resolve <ID> [note]` (or `/blocker close <ID> [note]`) resolves one, e.g. `/blocker resolve B-7 Schema approved`. The reporter, the people it names and admins may.\n" +
	"• `/blocker sla [duration]` shows or sets how long a blocker here may stay open before it is escalated (default 3d), e.g. `/blocker sla 2d` or `1d 12h`.\n" +
	"• `/blocker team [@group or @person …]` shows or adds the user groups and people that are this channel's team; `/blocker team remove @group` drops one. A blocker raised elsewhere that names this channel, or its team, shows here under “Waiting on this team”: in `/blocker list`, the check-in agenda and the digest.\n" +
	"• `/blocker escalate-to [@person or #channel]` shows or sets where a blocker here goes once open for twice the SLA, and a proposal four days past its decide-by date; `/blocker escalate-to none` stops that.\n" +
	"• `/blocker help` shows this.\n" +
	"A blocker open longer than the SLA is escalated once: its reporter and the people it names get a DM. Open for twice the SLA, it goes once more, to the escalation target. On any message, *Report as blocker* (in the message's ⋮ menu) opens the form with its text."

// BlockerHelp renders `/blocker help`.
func BlockerHelp() []slack.Block { return []slack.Block{Section(blockerUsage)} }
