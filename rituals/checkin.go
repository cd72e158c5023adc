package rituals

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Check-in defaults and limits.
const (
	DefaultCheckinWindow = 24 * time.Hour
	MinCheckinWindow     = time.Hour
	MaxCheckinWindow     = 6 * 24 * time.Hour
	// CheckinReminderLead is how long before a check-in closes the people
	// who have not answered are reminded.
	CheckinReminderLead = 2 * time.Hour
	MaxOutcomes         = 3000
	MaxCheckinLines     = 20
)

// CheckinKind is the schedule kind of weekly check-ins.
const CheckinKind = "checkin"

// Checkin is one run of a channel's weekly check-in: the three-part
// agenda it opened with, and, once closed, who took part and which
// entries it created.
type Checkin struct {
	Team, Channel string
	ScheduledFor  time.Time
	OpenedAt      time.Time
	ClosesAt      time.Time
	ClosedAt      time.Time
	RemindedAt    time.Time
	// Skipped is set for a holiday: nothing was posted.
	Skipped bool
	// Zone is the channel's time zone when it opened, for its dates.
	Zone Zone
	// NextDue is the day of the next check-in (or a week on): what it
	// asks to be decided by, and what proposals from it are due by.
	NextDue Date
	Agenda  Agenda
	// Members and Answered are its participation, counted at close:
	// channel members (away people left out) and those of them who
	// answered or replied.
	Members, Answered int
	// Blockers and Decisions are the B- and D- numbers its close created.
	Blockers, Decisions []int64
}

// Key names the check-in's parent message; replies in its thread reach
// the check-in by it.
func (c *Checkin) Key() MessageKey { return occurrenceKey(CheckinKind, c.Channel, c.ScheduledFor) }

// AnswerKey names a person's answer posted in the thread.
func (c *Checkin) AnswerKey(user string) MessageKey { return checkinAnswerKey(c.Key(), user) }

// Open reports whether the check-in still takes answers.
func (c *Checkin) Open() bool { return c.ClosedAt.IsZero() && !c.Skipped }

// Agenda is what a check-in carries over from the week before: the
// channel's open blockers and, apart, those other channels need from it
// (part 2), and the proposed decisions and the retro and pre-mortem
// action items due before the next check-in (part 3).
type Agenda struct {
	Blockers  []AgendaBlocker
	Inbound   []AgendaBlocker
	Decisions []AgendaDecision
	Actions   []AgendaAction
}

// AgendaBlocker is an open blocker as the agenda lists it. One of Inbound
// also carries where it was raised (From) and where it stands against its
// SLA; one from a private channel (Hidden) carries neither its text, its
// parties nor From.
type AgendaBlocker struct {
	Number  int64
	Text    string
	Since   time.Time
	Parties []Party

	From                   string
	Hidden                 bool
	SLA                    time.Duration
	EscalatedAt, ClimbedAt time.Time
	ClimbedTo              string
}

// agendaBlocker is b as an agenda lists it.
func agendaBlocker(b *Blocker) AgendaBlocker {
	return AgendaBlocker{Number: b.Number, Text: b.Text, Since: b.CreatedAt, Parties: b.Parties}
}

// inboundAgendaBlocker is b, raised in another channel, as viewer's
// agenda lists it.
func inboundAgendaBlocker(b *Blocker, viewer string) AgendaBlocker {
	b = b.SeenFrom(viewer)
	a := agendaBlocker(b)
	a.From, a.Hidden, a.SLA, a.EscalatedAt, a.ClimbedAt, a.ClimbedTo = b.Channel, b.Hidden(), b.SLA, b.EscalatedAt, b.ClimbedAt, b.ClimbedTo
	if a.Hidden {
		a.From, a.ClimbedTo = "", ""
	}
	return a
}

// Blocker returns the open blocker a stands for, as far as the agenda
// knows it, for rendering.
func (a AgendaBlocker) Blocker() *Blocker {
	return &Blocker{Number: a.Number, Text: a.Text, CreatedAt: a.Since, Parties: a.Parties, Channel: a.From,
		ChannelPrivate: a.Hidden, Status: BlockerOpen, SLA: a.SLA, EscalatedAt: a.EscalatedAt, ClimbedAt: a.ClimbedAt, ClimbedTo: a.ClimbedTo}
}

// AgendaDecision is a proposal to settle, as the agenda lists it.
type AgendaDecision struct {
	Number    int64
	Title     string
	Owner     string
	OwnerName string
	DecideBy  Date
	Overdue   bool
}

// AgendaAction is an open action item of the channel's retros and
// pre-mortems, as the agenda lists it: Owner and Due are empty for a
// change nobody owns yet.
type AgendaAction struct {
	Session, Item    int64
	Kind             ItemKind // which says the session's kind; empty in older agendas
	Text             string
	Owner, OwnerName string
	Due              Date
	Overdue          bool
}

// Ref names the item for people: "R-4 #3", or "PM-3 #2" for a risk.
func (a AgendaAction) Ref() string { return itemRef(a.Kind, a.Session, a.Item) }

// CheckinAnswer is one person's answer to a check-in's three parts.
type CheckinAnswer struct {
	Team, Channel string
	ScheduledFor  time.Time // zero for an answer given ahead
	User          string
	Outcomes      string
	Blockers      []BlockerLine
	Decisions     []string
	AnsweredAt    time.Time
}

// BlockerLine is one line of an answer's blockers part, with the parties
// it names.
type BlockerLine struct {
	Text    string
	Parties []Party
}

// CheckinReply is a plain reply typed in a check-in's thread.
type CheckinReply struct {
	User string
	TS   string
	Text string
	At   time.Time
}

// Field names of the answer form.
const (
	FieldOutcomes       = "outcomes"
	FieldCheckinBlocker = "blockers"
	FieldCheckinDecide  = "decisions"
)

// check trims the answer and checks it against the rules.
func (a *CheckinAnswer) check() error {
	a.Outcomes = strings.TrimSpace(a.Outcomes)
	fields := map[string]string{}
	if msg := lengthProblem("Last week's outcomes", a.Outcomes, MaxOutcomes, true); msg != "" {
		fields[FieldOutcomes] = msg
	}
	var blockers []BlockerLine
	for _, l := range a.Blockers {
		if l.Text = strings.TrimSpace(l.Text); l.Text != "" {
			blockers = append(blockers, l)
		}
	}
	a.Blockers = blockers
	a.Decisions = Lines(strings.Join(a.Decisions, "\n"))
	if len(a.Blockers) > MaxCheckinLines {
		fields[FieldCheckinBlocker] = fmt.Sprintf("That is %d blockers; list at most %d.", len(a.Blockers), MaxCheckinLines)
	}
	if len(a.Decisions) > MaxCheckinLines {
		fields[FieldCheckinDecide] = fmt.Sprintf("That is %d decisions; list at most %d.", len(a.Decisions), MaxCheckinLines)
	}
	for _, d := range a.Decisions {
		if n := len([]rune(d)); n > MaxTitle {
			fields[FieldCheckinDecide] = fmt.Sprintf("A decision line is %d characters long; keep each under %d, one a line.", n, MaxTitle)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	for _, f := range []string{FieldOutcomes, FieldCheckinBlocker, FieldCheckinDecide} {
		if m, ok := fields[f]; ok {
			return &Error{Code: EINVALID, Message: m, Fields: fields}
		}
	}
	return nil
}

// Lines splits a list typed one item a line, dropping blank lines and the
// bullets people type ("- ", "• ", "* ", "1. ").
func Lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		for _, b := range []string{"-", "•", "*", "–"} {
			if l == b {
				l = ""
			} else if strings.HasPrefix(l, b+" ") {
				l = strings.TrimSpace(l[len(b)+1:])
			}
		}
		if i := strings.Index(l, ". "); i > 0 && i <= 3 && strings.Trim(l[:i], "0123456789") == "" {
			l = strings.TrimSpace(l[i+2:])
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// CheckinStatus is what `/checkin` shows about a channel.
type CheckinStatus struct {
	Schedule *Schedule // nil when none
	Window   time.Duration
	Open     *Checkin // the check-in taking answers, if any
	Last     *Checkin // the last one closed, if any
	Skips    []Date
}

// People tells the domain who is in a channel and who a person is; the
// edge asks Slack.
type People interface {
	// Members returns the people in a channel: bots and deactivated users
	// left out.
	Members(ctx context.Context, team, channel string) ([]string, error)
	// Person returns a person's display name and time zone (UTC when
	// Slack names none that loads).
	Person(ctx context.Context, team, user string) (name string, loc *time.Location, err error)
}

// CheckinFilter selects check-ins for exports and the digest.
type CheckinFilter struct {
	Team    string
	Channel string
	Since   time.Time // scheduled at or after
	Open    bool      // only those still taking answers
	Limit   int
}
