package rituals

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PulseKind is how a pulse is answered.
type PulseKind string

const (
	PulseScale  PulseKind = "scale"  // 1 to 5, with optional words for the two ends
	PulseYesNo  PulseKind = "yesno"  // yes or no
	PulseChoice PulseKind = "choice" // one option from a list
	PulseText   PulseKind = "text"   // free text
)

// PulseAudience is who a pulse asks.
type PulseAudience string

const (
	AudienceChannel PulseAudience = "channel" // the members of the pulse's channel
	AudienceGroup   PulseAudience = "group"   // the members of a user group
	AudiencePeople  PulseAudience = "people"  // people chosen by name
)

// PulseRepeat is how often a pulse runs again. Each run is a pulse of its
// own (its own P- ID) in the series of the first one.
type PulseRepeat string

const (
	RepeatNone     PulseRepeat = ""
	RepeatWeekly   PulseRepeat = "weekly"
	RepeatBiweekly PulseRepeat = "biweekly"
	RepeatMonthly  PulseRepeat = "monthly"
)

// PulseStatus is where a pulse stands: pending (its audience is being
// worked out) → open → closed, or pending → canceled (nobody to ask).
type PulseStatus string

const (
	PulsePending  PulseStatus = "pending"
	PulseOpen     PulseStatus = "open"
	PulseClosed   PulseStatus = "closed"
	PulseCanceled PulseStatus = "canceled"
)

// Limits and defaults of a pulse. The threshold is the smallest group whose
// anonymous answers may be shown; the contract says never below 3.
const (
	MaxPulseQuestion      = 300
	MinPulseOptions       = 2
	MaxPulseOptions       = 20
	MaxPulseOption        = 75 // fits a button
	MaxScaleLabel         = 40
	MaxPulseAnswer        = 2000
	MaxPulsePeople        = 500
	DefaultPulseThreshold = 5
	MinPulseThreshold     = 3
	MaxPulseThreshold     = 1000
	DefaultPulseOpenFor   = 48 * time.Hour
	MinPulseOpenFor       = time.Hour
	MaxPulseOpenFor       = 30 * 24 * time.Hour
	// PulseReminderLead is how long before close non-responders are
	// reminded, once; pulses open for no longer than this get no reminder.
	PulseReminderLead = 24 * time.Hour
	DefaultPulseList  = 10
)

// Pulse is one run of a survey sent by DM.
type Pulse struct {
	Team   string
	Number int64 // the N of "P-N"
	// Series is the number of the first run of a repeating pulse (its own
	// number for a one-off); Run counts the runs from 1.
	Series int64
	Run    int

	Channel        string // where it was asked from, and where results go
	ChannelPrivate bool
	CreatedBy      string

	Question  string
	Kind      PulseKind
	Options   []string // the choices of a PulseChoice
	ScaleLow  string   // what 1 means, for a PulseScale; may be empty
	ScaleHigh string   // what 5 means

	Audience    PulseAudience
	AudienceRef []string // the group's ID, or the people's
	Anonymous   bool
	// Threshold is fixed once the pulse is sent: anonymous results of any
	// group smaller than this are never shown.
	Threshold int
	OpenFor   time.Duration
	Repeat    PulseRepeat

	Status PulseStatus
	Note   string // why it was canceled

	CreatedAt  time.Time
	SentAt     time.Time
	RemindAt   time.Time // zero: no reminder
	RemindedAt time.Time
	ClosesAt   time.Time
	ClosedAt   time.Time

	// Asked and Answered count its audience, filled by reads.
	Asked, Answered int
}

// ID returns the pulse's user-facing ID, e.g. "P-3".
func (p *Pulse) ID() string { return FormatID("P", p.Number) }

// Choices returns the answers a person picks from, in order: 1 to 5, yes
// and no, or the options. A free-text pulse has none.
func (p *Pulse) Choices() []string {
	switch p.Kind {
	case PulseScale:
		return []string{"1", "2", "3", "4", "5"}
	case PulseYesNo:
		return []string{"Yes", "No"}
	case PulseChoice:
		return p.Options
	}
	return nil
}

// ChoiceLabel returns choice i as people see it: a scale's ends carry
// their words ("5 · Very clear").
func (p *Pulse) ChoiceLabel(i int) string {
	cs := p.Choices()
	if i < 0 || i >= len(cs) {
		return ""
	}
	switch {
	case p.Kind == PulseScale && i == 0 && p.ScaleLow != "":
		return cs[i] + " · " + p.ScaleLow
	case p.Kind == PulseScale && i == len(cs)-1 && p.ScaleHigh != "":
		return cs[i] + " · " + p.ScaleHigh
	}
	return cs[i]
}

// PromptKey names the DM that asks user, so answers can update it.
func (p *Pulse) PromptKey(user string) MessageKey { return pulsePromptKey(p.Number, user) }

// ResultsKey names the results message in the pulse's channel.
func (p *Pulse) ResultsKey() MessageKey { return pulseResultsKey(p.Number) }

// ScheduleKind is the schedule kind of a repeating pulse's series.
func (p *Pulse) ScheduleKind() string { return fmt.Sprintf("pulse/%d", p.Series) }

// VisibleIn reports whether the pulse may be shown in channel: pulses of a
// private channel stay inside it.
func (p *Pulse) VisibleIn(channel string) bool {
	return !p.ChannelPrivate || p.Channel == channel
}

// CanManage reports whether c may close or stop the pulse: its creator or
// an admin.
func (p *Pulse) CanManage(c Caller) bool {
	return c.Admin || (c.User != "" && c.User == p.CreatedBy)
}

// PulseMember is one person a pulse asks, with the role they answer under
// ("" for none).
type PulseMember struct {
	User     string
	Role     string
	Answered bool
}

// PulseAnswer is one person's answer to a pulse that is not anonymous:
// only those store who answered what.
type PulseAnswer struct {
	User  string
	Role  string
	Value string
}

// PulseCount is how many of a role were asked and have answered; Others
// leaves the pulse's creator out, who knows their own answer.
type PulseCount struct {
	Role     string
	Asked    int
	Answered int
	Others   int
}

// PulseRole groups a channel's answers: the members of user group Group,
// or the person User (a workspace on Slack's free plan has no user
// groups), answer as Role. One of Group and User is set.
type PulseRole struct {
	Group string
	User  string
	Role  string
}

// PulseRoleOf is the role given to id, a user group's or a person's ID.
func PulseRoleOf(id, role string) PulseRole {
	if isUserID(id) {
		return PulseRole{User: id, Role: role}
	}
	return PulseRole{Group: id, Role: role}
}

// Who is the ID of the user group or person given the role.
func (r PulseRole) Who() string {
	if r.User != "" {
		return r.User
	}
	return r.Group
}

// AnswerKey returns the key of the whole-audience ballot given with token.
// The token is random and never stored, so the key cannot be traced back
// to a person.
func AnswerKey(team string, n int64, token string) string {
	sum := sha256.Sum256([]byte("alignbot pulse answer\x00" + team + "\x00" + strconv.FormatInt(n, 10) + "\x00" + token))
	return hex.EncodeToString(sum[:])
}

// PulseFilter selects pulses for lists and exports.
type PulseFilter struct {
	Team    string
	Channel string
	Series  int64
	// Closed keeps only closed pulses; Limit caps the number (0: all),
	// newest first unless Oldest.
	Closed bool
	Limit  int
	Oldest bool
}

// optionLines returns the non-blank lines of s, each trimmed and with its
// runs of spaces folded, so "Ops " and "Ops" are the same option.
func optionLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return out
}
