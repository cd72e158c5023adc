package rituals

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DecisionStatus is where a decision stands in its life:
// proposed → decided → superseded or deprecated, or proposed → dropped.
type DecisionStatus string

const (
	StatusProposed   DecisionStatus = "proposed"
	StatusDecided    DecisionStatus = "decided"
	StatusSuperseded DecisionStatus = "superseded"
	StatusDeprecated DecisionStatus = "deprecated"
	StatusDropped    DecisionStatus = "dropped"
)

// Limits on what a decision may hold. The title fits a Block Kit header; the
// longer fields are split across sections when rendered, never cut.
const (
	MaxTitle         = 150
	MaxDecisionText  = 10000
	MaxRationale     = 3000
	MaxImpact        = 3000
	MaxLinks         = 20
	MaxLinkLength    = 2000
	DefaultListLimit = 10
	MaxListLimit     = 100
	MaxSearchResults = 20
	MaxSearchQuery   = 200
)

// Decision is one entry of the team's decision log, in the shape of the
// seed's template: date, title, owner, decision, rationale, impact.
type Decision struct {
	Team   string
	Number int64 // the N of "D-N", sequential per workspace
	Date   Date  // the day it was recorded, in the recorder's zone

	Title     string
	Text      string
	Rationale string
	Impact    string
	Links     []string
	Source    string // permalink of the message it came from

	// Owner is a person (U…) or a team: a user group (S…) or a channel
	// (C…, G…), whose members may then edit it. It is empty for imported
	// entries, which the members of their channel may edit.
	Owner     string
	OwnerName string // display name at the time, for exports
	Author    string // Slack user ID of whoever recorded it
	Channel   string
	// ChannelPrivate is true when Channel is private (or unknown). Entries in
	// a private channel are shown only inside that channel.
	ChannelPrivate bool

	Status   DecisionStatus
	DecideBy Date // required while proposed
	// ProposedBy is who proposed it in an area whose Accountable owner
	// (Owner) they are not: the owner accepts it (decided) or sends it
	// back (dropped, with the reason in SentBack).
	ProposedBy string
	SentBack   string
	// DecidedAt is when it became decided; with CreatedAt of a proposal,
	// the decision's lead time.
	DecidedAt time.Time
	RevisitBy Date
	// Area is the decision-rights area it belongs to, if any; its card is
	// also posted to PostedTo, the area's informed channels at the time.
	Area     string
	PostedTo []string
	// Supersedes and SupersededBy link a decision to the one it replaced
	// and the one that replaced it (decision numbers, 0 for none).
	Supersedes   int64
	SupersededBy int64
	// OwnerZone is the owner's time zone, for reminders on the day.
	OwnerZone Zone

	Version   int // 1 on creation, +1 per edit; earlier versions are kept
	CreatedAt time.Time
	UpdatedAt time.Time

	// Comments are the replies of its comment period, oldest first, where
	// they are loaded with it (the exports, the log's page); nil
	// elsewhere: ask Decisions.Comments.
	Comments []Comment
}

// LeadTime is how long a proposal took to be decided, or 0.
func (d *Decision) LeadTime() time.Duration {
	if d.DecidedAt.IsZero() || d.DecidedAt.Before(d.CreatedAt) {
		return 0
	}
	return d.DecidedAt.Sub(d.CreatedAt)
}

// CardChannels are the channels the decision's card is posted in.
func (d *Decision) CardChannels() []string {
	return append([]string{d.Channel}, d.PostedTo...)
}

// ID returns the decision's user-facing ID, e.g. "D-12".
func (d *Decision) ID() string { return FormatID("D", d.Number) }

// CardKey names the decision's card in channel, so later updates find it.
func (d *Decision) CardKey(channel string) MessageKey { return decisionCardKey(d.Number, channel) }

// VisibleIn reports whether the decision may be shown in channel: entries
// of a private channel stay inside it.
func (d *Decision) VisibleIn(channel string) bool {
	return !d.ChannelPrivate || d.Channel == channel
}

// AwaitsOwner reports whether the decision is a proposal waiting for its
// area's Accountable owner to accept it or send it back.
func (d *Decision) AwaitsOwner() bool { return d.Status == StatusProposed && d.ProposedBy != "" }

// CanEdit reports whether c may edit the decision as a person: its owner,
// its author or an admin. Decisions.ForEdit also lets a team owner's
// members edit it.
func (d *Decision) CanEdit(c Caller) bool {
	return c.Admin || (c.User != "" && (c.User == d.Owner || c.User == d.Author))
}

// DecisionInput is what a person gives to record or edit a decision.
type DecisionInput struct {
	Title     string
	Text      string
	Rationale string
	Impact    string
	Owner     string
	OwnerName string
	OwnerZone Zone
	Status    DecisionStatus
	DecideBy  Date
	RevisitBy Date
	Area      string
	Links     []string
	Source    string
}

// QuickDecision turns the text of "/decide <text>" into an input: the
// title is the text (its first MaxTitle characters, on one line, when it
// is longer) and the decision is the whole text.
func QuickDecision(text string) DecisionInput {
	text = strings.TrimSpace(text)
	title := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(title) > MaxTitle {
		title = strings.TrimSpace(string([]rune(title)[:MaxTitle]))
	}
	return DecisionInput{Title: title, Text: text, Status: StatusDecided}
}

// Field names used in validation errors; the edge maps them to inputs.
const (
	FieldTitle     = "title"
	FieldText      = "decision"
	FieldRationale = "rationale"
	FieldImpact    = "impact"
	FieldOwner     = "owner"
	FieldOwnerTeam = "owner_team"
	FieldStatus    = "status"
	FieldDecideBy  = "decide_by"
	FieldRevisitBy = "revisit_by"
	FieldArea      = "area"
	FieldLinks     = "links"
)

// normalize trims the input and checks it against the rules, returning an
// EINVALID *Error with a message per bad field. today is the caller's date.
func (in *DecisionInput) normalize(today Date) error {
	in.Title = strings.TrimSpace(in.Title)
	in.Text = strings.TrimSpace(in.Text)
	in.Rationale = strings.TrimSpace(in.Rationale)
	in.Impact = strings.TrimSpace(in.Impact)
	if in.Status == "" {
		in.Status = StatusDecided
	}
	fields := in.CheckContent()
	if in.Owner == "" && in.OwnerName == "" {
		fields[FieldOwner] = "Choose an owner."
	}
	switch in.Status {
	case StatusDecided:
		in.DecideBy = ""
	case StatusProposed:
		switch {
		case in.DecideBy.IsZero():
			fields[FieldDecideBy] = "A proposed decision needs a decide-by date."
		case in.DecideBy.Before(today):
			fields[FieldDecideBy] = fmt.Sprintf("The decide-by date %s is in the past.", in.DecideBy)
		}
	default:
		fields[FieldStatus] = "Choose decided or proposed."
	}
	if !in.RevisitBy.IsZero() && !in.RevisitBy.After(today) {
		fields[FieldRevisitBy] = fmt.Sprintf("The revisit-by date %s must be after today.", in.RevisitBy)
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: firstFieldMessage(fields), Fields: fields}
}

// CheckContent checks what a decision holds however it arrives, through
// the form or an imported log, so that both keep the same rules: its
// texts' lengths (title and decision required), its area's name and its
// links. It normalizes Area and Links and returns a message per bad
// field, keyed by the Field names; none when all is well.
func (in *DecisionInput) CheckContent() map[string]string {
	fields := map[string]string{}
	checkLen := func(field, label, v string, max int, required bool) {
		n := utf8.RuneCountInString(v)
		switch {
		case required && n == 0:
			fields[field] = label + " is required."
		case n > max:
			fields[field] = fmt.Sprintf("%s is %d characters long; the limit is %d.", label, n, max)
		}
	}
	checkLen(FieldTitle, "The title", in.Title, MaxTitle, true)
	checkLen(FieldText, "The decision", in.Text, MaxDecisionText, true)
	checkLen(FieldRationale, "The rationale", in.Rationale, MaxRationale, false)
	checkLen(FieldImpact, "The impact", in.Impact, MaxImpact, false)
	in.Area = strings.ToLower(strings.TrimSpace(in.Area))
	if in.Area != "" {
		if err := validArea(in.Area); err != nil {
			fields[FieldArea] = ErrorMessage(err)
		}
	}
	links, msg := normalizeLinks(in.Links)
	in.Links = links
	if msg != "" {
		fields[FieldLinks] = msg
	}
	return fields
}

// ParseLinks splits text into one link a line, dropping blank lines.
func ParseLinks(text string) []string {
	var links []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			links = append(links, line)
		}
	}
	return links
}

func normalizeLinks(in []string) ([]string, string) {
	var out []string
	for _, l := range in {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Sprintf("%q is not a link; write one http(s) URL a line.", truncate(l, 80))
		}
		if len(l) > MaxLinkLength {
			return nil, fmt.Sprintf("A link is %d characters long; the limit is %d.", len(l), MaxLinkLength)
		}
		out = append(out, l)
	}
	if len(out) > MaxLinks {
		return nil, fmt.Sprintf("That is %d links; the limit is %d.", len(out), MaxLinks)
	}
	return out, ""
}

// fieldOrder is the order the fields appear on the form.
var fieldOrder = []string{FieldTitle, FieldText, FieldRationale, FieldImpact, FieldArea, FieldOwner, FieldOwnerTeam, FieldStatus, FieldDecideBy, FieldRevisitBy, FieldLinks}

// firstField picks the field whose message stands for all field errors:
// the first on the form, else any.
func firstField(fields map[string]string) string {
	for _, f := range fieldOrder {
		if _, ok := fields[f]; ok {
			return f
		}
	}
	for f := range fields {
		return f
	}
	return ""
}

// firstFieldMessage picks one message to stand for all field errors, in the
// order the fields appear on the form.
func firstFieldMessage(fields map[string]string) string { return fields[firstField(fields)] }

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// FormatID renders a per-workspace ID such as "D-12".
func FormatID(prefix string, n int64) string { return prefix + "-" + strconv.FormatInt(n, 10) }

// ParseID reads "D-12", "d-12", "D12" or "12" for prefix "D". Returns
// EINVALID for anything else.
func ParseID(prefix, s string) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) > len(prefix) && strings.EqualFold(t[:len(prefix)], prefix) {
		t = strings.TrimPrefix(t[len(prefix):], "-")
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, Errorf(EINVALID, "%q is not an ID; write it like %s-12 or 12.", truncate(s, 40), prefix)
	}
	return n, nil
}

// DecisionFilter selects decisions for lists, searches and exports.
type DecisionFilter struct {
	// Team, when set, keeps one workspace's decisions (exports take all).
	Team string
	// Channel, when set, keeps only decisions recorded in that channel.
	Channel string
	// ViewerChannel, when set, hides private-channel decisions recorded
	// anywhere but there.
	ViewerChannel string
	Since         Date
	// Query, when set, keeps decisions matching all its words (or, with
	// AnyWord, any of them) as prefixes in title, decision, rationale or
	// impact, best match first.
	Query   string
	AnyWord bool
	// Numbers, when set, keeps only the decisions with those numbers.
	Numbers []int64
	// Status, when set, keeps decisions in that status.
	Status DecisionStatus
	// PublicOnly keeps only decisions recorded in public channels (a
	// channel not known to be public counts as private): what the
	// decision log's site shows to anyone.
	PublicOnly bool
	// Area and Owner, when set, keep decisions of that decision area and
	// of that owner (a Slack user ID).
	Area  string
	Owner string
	// Until, when set, keeps decisions dated on or before it (Since is
	// the other end of the range).
	Until Date
	// Limit caps the number returned (0: no cap), after skipping Offset.
	// Without a query the newest come first, unless Oldest is set.
	Limit  int
	Offset int
	Oldest bool
}

// DecisionFacets are what a decision log can be filtered by: the
// channels, areas and owners its decisions have.
type DecisionFacets struct {
	Channels []Channel // ID and Name; Name empty when not known
	Areas    []string
	Owners   []Person
}

// Person is someone named in the log: a Slack user ID and the name the
// log keeps for it.
type Person struct {
	ID   string `db:"id"`
	Name string `db:"name"`
}

// DecisionVersion is an earlier version of a decision, kept when it was
// replaced: who replaced it, and when.
type DecisionVersion struct {
	Version      int
	Title        string
	Text         string
	Rationale    string
	Impact       string
	Links        []string
	Owner        string
	OwnerName    string
	Status       DecisionStatus
	DecideBy     Date
	RevisitBy    Date
	Area         string
	SupersededBy int64
	ReplacedBy   string
	ReplacedAt   time.Time
}

// ReminderKind names a decision reminder.
type ReminderKind string

const (
	ReminderDue     ReminderKind = "due"     // a proposal's decide-by day
	ReminderAfter   ReminderKind = "after"   // the day after it
	ReminderRevisit ReminderKind = "revisit" // the revisit-by day
	// ReminderAccept asks an area's Accountable owner to accept or send
	// back what someone else proposed in it (not a nudge: sent at once).
	ReminderAccept ReminderKind = "accept"
	// ReminderEscalate tells an area's Accountable owner that a proposal
	// in it is still undecided past its decide-by date.
	ReminderEscalate ReminderKind = "escalate"
	// ReminderClimb tells the proposal's channel's escalation target
	// (/blocker escalate-to) that it is still undecided, past the first
	// level.
	ReminderClimb ReminderKind = "climb"
	// ReminderComment asks a person consulted on a proposal's area, who
	// has not commented in its thread, for their view: two days before
	// its decide-by date, once (see CommentReminderDays).
	ReminderComment ReminderKind = "comment"
)
