package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// SessionList renders a channel's open pre-mortems or retros and the open
// action items of its sessions of that kind, flagging those overdue at
// now in their owner's time zone.
func SessionList(kind rituals.SessionKind, open []*rituals.Session, actions []*rituals.Item, now time.Time) []slack.Block {
	noun := strings.ToLower(kind.Title())
	var lines []string
	if len(open) == 0 {
		lines = append(lines, fmt.Sprintf("No %s is open in this channel. Start one with %s.", noun, usageOf(kind)))
	} else {
		lines = append(lines, fmt.Sprintf("*%s open in this channel*", CountNoun(len(open), noun)))
	}
	for _, s := range open {
		lines = append(lines, fmt.Sprintf("• *%s* %s · %s · closes %s", s.ID(), Mrkdwn(Clip(oneLine(s.Name), 120)),
			CountNoun(len(s.Items), "item"), when(s.ClosesAt)))
	}
	if len(actions) > 0 {
		lines = append(lines, "", fmt.Sprintf("*%s not done yet*", CountNoun(len(actions), "action item")))
	}
	for _, it := range actions {
		line := fmt.Sprintf("• *%s* %s · %s · from %s", it.Ref(), Mrkdwn(Clip(oneLine(it.Text), 120)),
			itemFacts(it, false), Mrkdwn(Clip(it.SessionName, 60)))
		if it.OverdueAt(now) {
			line += overdueFlag
		}
		lines = append(lines, line)
	}
	blocks := linesSections(lines)
	if len(blocks) > maxBlocks-1 {
		blocks = blocks[:maxBlocks-1]
	}
	return append(blocks, ContextLine(fmt.Sprintf("See one with `/%s show %s-4`; close one early with `/%s close %s-4`.", kind, kind.Prefix(), kind, kind.Prefix())))
}

// SessionCard renders a session for `/premortem show` and `/retro show`:
// while open, its thread's first message and how many items it has so far
// (never the items: an elephant may be anonymous, and votes are still
// coming); once closed, who opened and closed it, and when, and its
// summary with its ranked risks or action items.
func SessionCard(s *rituals.Session) []slack.Block {
	if s.Open() {
		blocks := SessionParent(s)
		last := blocks[len(blocks)-1]
		return append(blocks[:len(blocks)-1],
			ContextLine(fmt.Sprintf("%s so far; its summary comes when it closes.", CountNoun(len(s.Items), "item"))), last)
	}
	facts := "Opened by " + Person(s.Creator, s.CreatorName) + " " + when(s.CreatedAt)
	if !s.LaunchOn.IsZero() {
		facts += " · launch " + string(s.LaunchOn)
	}
	closed := " when its time was up"
	if s.ClosedBy != "" {
		closed = " by " + Person(s.ClosedBy, "")
	}
	facts += " · closed " + when(s.ClosedAt) + closed
	blocks := []slack.Block{header(fmt.Sprintf("%s %s: %s", s.Title(), s.ID(), s.Name)), ContextLine(facts)}
	summary := SessionSummary(s)[1:]                              // its header says what the card's does
	if room := maxBlocks - 1 - len(blocks); len(summary) > room { // one left for "Opened in #…"
		summary = summary[:room]
	}
	return append(blocks, summary...)
}

func usageOf(kind rituals.SessionKind) string {
	if kind == rituals.SessionRetro {
		return rituals.RetroUsage
	}
	return rituals.PremortemUsage
}

const premortemUsage = "*`/premortem` — imagine the launch failed, before it does*\n" +
	"• `/premortem <launch>` opens a pre-mortem thread here: “Imagine it is six weeks after launch and it failed. What went wrong?” " +
	"Add failure modes and assumptions with its buttons (rated low, medium or high for likelihood and impact, tagged tiger, paper tiger or elephant; an elephant may be added anonymously), or just reply in the thread. Everyone can +1 what worries them most.\n" +
	"• `/premortem <launch> close in 3d` sets how long it stays open (default 2d, from 1h to 30d).\n" +
	"• `/premortem <launch> launch 2026-12-10` adds the launch day: two weeks after it I open a follow-up thread asking which risks happened.\n" +
	"• At close the risks are ranked by votes, then likelihood × impact, in the thread and the channel, each with *Make blocker* and *Assign owner* (who mitigates it, by when; reminded that day, and 2 and 7 days past it if not done).\n" +
	"• `/premortem list [N]` shows this channel's open pre-mortems and mitigations not done yet, those past their due day flagged overdue; `/premortem show <ID>` shows one, only to you, with its ranked risks once closed, e.g. `/premortem show PM-4`; `/premortem close <ID>` closes one early (its opener or an admin); `/premortem help` shows this.\n" +
	"Pre-mortems are numbered `PM-4`, retros `R-4`; `/retro` does not take a pre-mortem's ID, nor `/premortem` a retro's."

const retroUsage = "*`/retro` — a blameless look back*\n" +
	"• `/retro <name>` opens a retro thread here with three prompts: What went well, What didn't, What we will change. " +
	"Add items with its buttons, or reply in the thread starting with `well:`, `didn't:` or `change:` (no marker counts as what didn't). Everyone can +1.\n" +
	"• `/retro <name> close in 3d` sets how long it stays open (default 2d, from 1h to 30d).\n" +
	"• Every change is an action item: give it an owner and a due date (in its form, or with *Assign owner*); the owner is reminded on the due day and again 2 and 7 days past it, and it stays open until someone marks it *Done*.\n" +
	"• At close a summary goes to the thread and the channel.\n" +
	"• `/retro list [N]` shows this channel's open retros and action items not done yet, those past their due day flagged overdue; `/retro show <ID>` shows one, only to you, with its action items once closed, e.g. `/retro show R-4`; `/retro close <ID>` closes one early (its opener or an admin); `/retro help` shows this.\n" +
	"Retros are numbered `R-4`, pre-mortems `PM-4`; `/retro` does not take a pre-mortem's ID, nor `/premortem` a retro's."

// SessionHelp renders `/premortem help` or `/retro help`.
func SessionHelp(kind rituals.SessionKind) []slack.Block {
	if kind == rituals.SessionRetro {
		return []slack.Block{Section(retroUsage)}
	}
	return []slack.Block{Section(premortemUsage)}
}
