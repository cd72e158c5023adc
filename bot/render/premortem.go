package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// premortemPrompt is the seed's pre-mortem question.
func premortemPrompt(name string) string {
	return fmt.Sprintf("*Pre-mortem: %s.* Imagine it is six weeks after launch and it failed. What went wrong?", Mrkdwn(name))
}

// SessionParent renders the message that starts a session's thread: the
// prompt, how to take part, and the add buttons while it is open.
func SessionParent(s *rituals.Session) []slack.Block {
	blocks := []slack.Block{header(fmt.Sprintf("%s %s: %s", s.Title(), s.ID(), s.Name))}
	var how string
	if s.Kind == rituals.SessionRetro {
		blocks = append(blocks, Section(fmt.Sprintf("*Retro: %s.* A blameless look back: at what happened and how we work, never at who is to blame.\n"+
			"1. What went well\n2. What didn't\n3. What we will change", Mrkdwn(s.Name))))
		how = "Add items with the buttons, or reply in this thread starting with `well:`, `didn't:` or `change:` (a reply without one counts as what didn't). " +
			"+1 what matters most. Each change becomes an action item with an owner and a due date, tracked until done."
	} else {
		blocks = append(blocks, Section(premortemPrompt(s.Name)))
		how = "Add failure modes and assumptions with the buttons, or just reply in this thread: each reply is a failure mode. " +
			"Rate how likely and how bad, tag tigers, paper tigers and elephants (an elephant may be added anonymously), and +1 the ones that worry you most."
	}
	meta := "Opened by " + Person(s.Creator, s.CreatorName)
	if !s.LaunchOn.IsZero() {
		meta += " · launch " + string(s.LaunchOn) + "; two weeks later I ask which risks happened"
	}
	if !s.Open() {
		closed := "when its time was up"
		if s.ClosedBy != "" {
			closed = "by " + Person(s.ClosedBy, "")
		}
		return append(blocks, ContextLine(meta), ContextLine(fmt.Sprintf(":lock: Closed %s %s. The summary is in the thread.", when(s.ClosedAt), closed)))
	}
	blocks = append(blocks, ContextLine(how), ContextLine(meta+" · closes "+when(s.ClosesAt)))
	n := strconv.FormatInt(s.Number, 10)
	var buttons []slack.BlockElement
	for _, k := range s.Kind.Kinds() {
		label := "Add " + strings.ToLower(k.Label())
		if s.Kind == rituals.SessionRetro {
			label = k.Label()
		}
		buttons = append(buttons, button(ActionSessionAdd+string(k), n, label))
	}
	return append(blocks, slack.NewActionBlock("session.add", buttons...))
}

// SessionFallback is a session message's plain text.
func SessionFallback(s *rituals.Session, what string) string {
	return Clip(fmt.Sprintf("%s %s: %s%s", s.Title(), s.ID(), Mrkdwn(oneLine(s.Name)), what), MaxMessageText)
}

// itemRef is the value of an item's buttons: "<session>/<item>".
func itemRef(it *rituals.Item) string { return fmt.Sprintf("%d/%d", it.Session, it.Number) }

// ParseItemRef reads an item button's value.
func ParseItemRef(v string) (session, item int64, err error) {
	a, b, ok := strings.Cut(v, "/")
	session, err1 := strconv.ParseInt(a, 10, 64)
	item, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, rituals.Errorf(rituals.EINVALID, "That button is out of date; scroll to the latest message.")
	}
	return session, item, nil
}

// itemFacts renders what is known of an item besides its text: its
// rating and tag, votes, owner, blocker and state.
func itemFacts(it *rituals.Item, withVotes bool) string {
	var facts []string
	if withVotes {
		facts = append(facts, CountNoun(it.Votes, "vote"))
	}
	if it.Risk() {
		switch {
		case it.Score() > 0:
			facts = append(facts, fmt.Sprintf("likelihood %s × impact %s = %d", it.Likelihood, it.Impact, it.Score()))
		case it.Likelihood == "" && it.Impact == "":
			facts = append(facts, "not rated")
		}
	}
	switch it.Tag {
	case rituals.TagTiger:
		facts = append(facts, ":tiger: tiger")
	case rituals.TagPaperTiger:
		facts = append(facts, ":scroll: paper tiger")
	case rituals.TagElephant:
		facts = append(facts, ":elephant: elephant")
	}
	if it.Owner != "" {
		facts = append(facts, fmt.Sprintf("owner %s, due %s", Person(it.Owner, ""), it.Due))
	} else if it.Kind == rituals.ItemChange && !it.Done() {
		facts = append(facts, "no owner yet")
	}
	if it.Blocker != 0 {
		facts = append(facts, ":construction: "+rituals.FormatID("B", it.Blocker))
	}
	if it.Done() {
		facts = append(facts, fmt.Sprintf(":white_check_mark: done by %s %s", Person(it.DoneBy, ""), when(it.DoneAt)))
	}
	return strings.Join(facts, " · ")
}

// itemByline says who added an item: nobody, for an anonymous elephant.
func itemByline(it *rituals.Item) string {
	switch {
	case it.Author == "":
		return "Added anonymously"
	case it.SourceTS != "":
		return "From " + Person(it.Author, "") + "'s reply"
	default:
		return "Added by " + Person(it.Author, "")
	}
}

// SessionItemCard renders an item as its reply in the session's thread,
// with +1 and, for a change, Assign owner and Done.
func SessionItemCard(s *rituals.Session, it *rituals.Item) []slack.Block {
	head := fmt.Sprintf("*%s #%d*", it.Kind.Label(), it.Number)
	if facts := itemFacts(it, false); facts != "" {
		head += " · " + facts
	}
	blocks := sections("", head+"\n"+Mrkdwn(it.Text))
	blocks = append(blocks, ContextLine(itemByline(it)))
	vote := "+1"
	if it.Votes > 0 {
		vote = fmt.Sprintf("+1 (%d)", it.Votes)
	}
	buttons := []slack.BlockElement{button(ActionSessionVote, itemRef(it), vote)}
	if it.Kind == rituals.ItemChange && !it.Done() {
		buttons = append(buttons, button(ActionSessionOwner, itemRef(it), ownerLabel(it)), button(ActionSessionDone, itemRef(it), "Done"))
	}
	return append(blocks, slack.NewActionBlock("session.item", buttons...))
}

func ownerLabel(it *rituals.Item) string {
	if it.Owner != "" {
		return "Change owner"
	}
	return "Assign owner"
}

// SessionItemFallback is an item reply's plain text.
func SessionItemFallback(it *rituals.Item) string {
	return Clip(fmt.Sprintf("%s #%d: %s", it.Kind.Label(), it.Number, Mrkdwn(Clip(oneLine(it.Text), 300))), MaxMessageText)
}

// SessionReminder renders the DM that reminds an owner of an action item
// on its due day, as it reads today, when it reaches them (it may have
// waited for their working days). One from a private channel is named
// without its text.
func SessionReminder(s *rituals.Session, it *rituals.Item, today rituals.Date) (string, []slack.Block) {
	whose, what := reminded(s, it)
	is := "is due " + dueOn(it.Due, today)
	if it.Due.Before(today) {
		is = "was due " + dueOn(it.Due, today)
	}
	text := fmt.Sprintf(":alarm_clock: %s action item %s in <#%s> %s. Mark it *Done* in the thread once it is, or give it a new date with *Change owner*.",
		whose, what, s.Channel, is)
	fallback := " is due today"
	if it.Due.Before(today) {
		fallback = " was due " + string(it.Due)
	}
	return Clip("Reminder: "+it.Ref()+fallback, MaxMessageText), []slack.Block{Section(text)}
}

// dueOn says when due is, seen from today, the day a message reaches its
// reader: "today (2026-12-05)", "yesterday (…)", "on 2026-12-05, 2 days
// ago". A reminder held over a weekend must not say "today" of Saturday.
func dueOn(due, today rituals.Date) string {
	switch n := rituals.DaysBetween(due, today); {
	case today.IsZero() || n == 0:
		return "today (" + string(due) + ")"
	case n == 1:
		return "yesterday (" + string(due) + ")"
	case n > 1:
		return fmt.Sprintf("on %s, %s ago", due, CountNoun(n, "day"))
	}
	return "on " + string(due)
}

// reminded names whose action item a reminder is about ("Your", "This
// channel's") and what it is: without its text from a private channel.
func reminded(s *rituals.Session, it *rituals.Item) (whose, what string) {
	what = fmt.Sprintf("*%s* “%s”, from %s %s", it.Ref(), Mrkdwn(Clip(oneLine(it.Text), 200)),
		strings.ToLower(s.Title()), Mrkdwn(Clip(s.Name, 80)))
	if s.ChannelPrivate {
		what = "*" + it.Ref() + "*"
	}
	whose = "Your"
	if rituals.IsTeamID(it.Owner) {
		whose = "This channel's"
	}
	return whose, what
}

// SessionOverdueReminder renders the DM that reminds an owner again of
// an action item days past its due day. One from a private channel is
// named without its text.
func SessionOverdueReminder(s *rituals.Session, it *rituals.Item, days int) (string, []slack.Block) {
	whose, what := reminded(s, it)
	late := CountNoun(days, "day")
	text := fmt.Sprintf(":warning: %s action item %s in <#%s> is *overdue*: it was due %s, %s ago. Mark it *Done* in the thread once it is, or give it a new date with *Change owner*.",
		whose, what, s.Channel, it.Due, late)
	return Clip("Overdue: "+it.Ref()+" was due "+late+" ago", MaxMessageText), []slack.Block{Section(text)}
}
