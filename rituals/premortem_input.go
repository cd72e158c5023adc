package rituals

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Field names of item and owner validation errors; the edge maps them to
// the inputs of its forms.
const (
	FieldItemText       = "item_text"
	FieldItemLikelihood = "likelihood"
	FieldItemImpact     = "risk_impact"
	FieldItemTag        = "tag"
	FieldItemAnonymous  = "anonymous_item"
	FieldItemOwner      = "item_owner"
	FieldItemTeam       = "item_team"
	FieldItemDue        = "item_due"
	// The start form's fields: a session's name, how long it stays open,
	// and a pre-mortem's launch day.
	FieldSessionName    = "session_name"
	FieldSessionCloseIn = "session_close_in"
	FieldSessionLaunch  = "session_launch"
)

// Usage lines, quoted when something is missing.
const (
	PremortemUsage = "`/premortem <launch> [close in 2d] [launch YYYY-MM-DD]`"
	RetroUsage     = "`/retro <name> [close in 2d]`"
)

// SessionInput is what a person gives to open a pre-mortem or a retro.
type SessionInput struct {
	Kind SessionKind
	Name string
	// CloseIn is how long it takes items and votes; zero means
	// DefaultSessionWindow.
	CloseIn time.Duration
	// LaunchOn is a pre-mortem's launch day, in its creator's time zone.
	LaunchOn    Date
	CreatorName string
}

// Check trims the input and checks it against the rules. today is the
// creator's date. Returns EINVALID with a sentence that shows the usage,
// on the start form's field it is about.
func (in *SessionInput) Check(today Date) error {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	usage, what := PremortemUsage, "the launch"
	if in.Kind == SessionRetro {
		usage, what = RetroUsage, "what the retro looks back on"
	}
	fail := func(field, format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	var closeIn error // a zero CloseIn means DefaultSessionWindow
	if in.CloseIn != 0 {
		closeIn = SessionWindowBounds.Check(Duration(in.CloseIn))
	}
	switch {
	case in.Name == "":
		return fail(FieldSessionName, "Name %s: %s.", what, usage)
	case len([]rune(in.Name)) > MaxSessionName:
		return fail(FieldSessionName, "That name is %d characters long; keep it under %d.", len([]rune(in.Name)), MaxSessionName)
	case closeIn != nil:
		return fail(FieldSessionCloseIn, "%s", ErrorMessage(closeIn))
	case in.Kind == SessionRetro && !in.LaunchOn.IsZero():
		return fail(FieldSessionLaunch, "A retro has no launch date; only a pre-mortem does: %s.", PremortemUsage)
	case !in.LaunchOn.IsZero() && in.LaunchOn.Before(today):
		return fail(FieldSessionLaunch, "The launch date %s is in the past; a pre-mortem looks ahead. For a launch that happened, run `/retro %s`.",
			in.LaunchOn, truncate(in.Name, 40))
	}
	return nil
}

// ParseRiskLevel reads "low", "medium" or "high" (or their first
// letters). Returns EINVALID for anything else.
func ParseRiskLevel(s string) (RiskLevel, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low", "l":
		return LevelLow, nil
	case "medium", "m", "med":
		return LevelMedium, nil
	case "high", "h":
		return LevelHigh, nil
	}
	return "", Errorf(EINVALID, "%q is not a level; use low, medium or high.", truncate(s, 20))
}

// ItemInput is what a person adds to a session, through its form or as a
// plain reply in its thread.
type ItemInput struct {
	Kind ItemKind
	Text string
	// Likelihood, Impact and Tag rate a pre-mortem's risk; a plain reply
	// leaves them unrated.
	Likelihood, Impact RiskLevel
	Tag                RiskTag
	// Anonymous keeps no author; only an elephant may be added so.
	Anonymous bool
	// Owner and Due make a retro's change an action item at once.
	Owner, OwnerName string
	OwnerZone        Zone
	Due              Date
	// SourceTS is the plain reply's ts, when it came from one.
	SourceTS string
}

// check trims the input and checks it against s's rules. today is the
// author's date. Returns EINVALID with a message per bad field.
func (in *ItemInput) check(s *Session, today Date) error {
	in.Text = strings.TrimSpace(in.Text)
	fields := map[string]string{}
	if err := s.takes(in.Kind); err != nil {
		return err
	}
	if msg := lengthProblem("The text", in.Text, MaxItemText, true); msg != "" {
		fields[FieldItemText] = msg
	}
	for field, l := range map[string]RiskLevel{FieldItemLikelihood: in.Likelihood, FieldItemImpact: in.Impact} {
		if l != "" && l.weight() == 0 {
			fields[field] = fmt.Sprintf("%q is not a level; use low, medium or high.", truncate(string(l), 20))
		}
	}
	switch in.Tag {
	case "", TagTiger, TagPaperTiger, TagElephant:
	default:
		fields[FieldItemTag] = fmt.Sprintf("%q is not a tag; use tiger, paper tiger or elephant.", truncate(string(in.Tag), 20))
	}
	if in.Anonymous && in.Tag != TagElephant {
		fields[FieldItemAnonymous] = "Only an elephant (what nobody says) may be added anonymously; tag it elephant, or add it under your name."
	}
	if (in.Owner != "" || !in.Due.IsZero()) && in.Kind == ItemChange {
		o := OwnerInput{Owner: in.Owner, Due: in.Due}
		for f, msg := range FieldErrors(o.Check(today)) {
			fields[f] = msg
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: firstOf(fields, FieldItemText, FieldItemLikelihood, FieldItemImpact,
		FieldItemTag, FieldItemAnonymous, FieldItemOwner, FieldItemDue), Fields: fields}
}

// firstOf returns the message of the first of order's fields that has one.
func firstOf(fields map[string]string, order ...string) string {
	for _, f := range order {
		if m, ok := fields[f]; ok {
			return m
		}
	}
	return ""
}

// OwnerInput names who owns an item's action, and by when it is due.
type OwnerInput struct {
	// Owner is a person; Team, instead, a channel whose members own it
	// together (Check makes it the Owner).
	Owner, OwnerName string
	Team             string
	// OwnerZone is the owner's time zone: the reminder comes on the due
	// day there.
	OwnerZone Zone
	Due       Date
}

// Check checks the input: an owner and a due day, not in the past (today
// is the assigner's date). Returns EINVALID with a message per bad field.
func (in *OwnerInput) Check(today Date) error {
	fields := map[string]string{}
	switch {
	case in.Owner != "" && in.Team != "":
		fields[FieldItemTeam] = "Choose a person or a team's channel, not both."
	case in.Team != "" && !IsTeamID(in.Team):
		fields[FieldItemTeam] = "Choose a channel."
	case in.Team != "":
		in.Owner, in.Team = in.Team, ""
	case in.Owner == "":
		fields[FieldItemOwner] = "Choose who owns it: a person, or a team's channel."
	}
	switch {
	case in.Due.IsZero():
		fields[FieldItemDue] = "Choose the day it is due; the owner is reminded then."
	case in.Due.Before(today):
		fields[FieldItemDue] = fmt.Sprintf("The due date %s is in the past.", in.Due)
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: firstOf(fields, FieldItemOwner, FieldItemTeam, FieldItemDue), Fields: fields}
}

// takes returns EINVALID unless the session takes items of kind.
func (s *Session) takes(kind ItemKind) error {
	if slices.Contains(s.Kind.Kinds(), kind) {
		return nil
	}
	return Errorf(EINVALID, "A %s takes no %q items.", strings.ToLower(s.Title()), kind)
}
