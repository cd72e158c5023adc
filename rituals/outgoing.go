package rituals

import "time"

// Kind names what an outbox item does in Slack: the edge has one sender
// per kind, and renders the item into Slack calls at send time, from the
// entry's current state. Its value is stored in the outbox (kind) and must
// not change.
type Kind string

// Kinds lists every kind the domain sends, each ritual's beside the ritual
// (KindCheckin… in checkins.go, and so on). The edge's test holds it to
// having a sender for each; the rituals test holds every Kind constant to
// being listed here.
func Kinds() []Kind {
	return []Kind{
		KindNotice, KindDecisionCard, KindDecisionCardUpdate, KindDecisionReminder,
		KindCheckinPrompt, KindCheckinAnswer, KindCheckinSummary, KindCheckinReminder,
		KindBlockerCard, KindBlockerCardUpdate, KindBlockerNotice,
		KindPulseLaunch, KindPulsePrompt, KindPulsePromptUpdate, KindPulseReminder, KindPulseResults,
		KindHomeRefresh, KindHomeChannel,
		KindSessionOpen, KindSessionUpdate, KindSessionItem, KindSessionItemUpdate,
		KindSessionSummary, KindSessionSummaryUpdate, KindSessionFollowUp, KindSessionFollowUpUpdate,
		KindSessionReminder,
		KindDigest, KindDigestChart, KindDigestRollup,
	}
}

// Message kinds the domain sends. Package bot renders each into Slack calls
// at send time, from the entry's current state.
const (
	// KindNotice posts a plain notice (Data: NoticeData) into Channel; with
	// a user ID as Channel, a DM.
	KindNotice Kind = "notice"
	// KindDecisionCard posts the card of decision Ref into Channel.
	KindDecisionCard Kind = "decision.card"
	// KindDecisionCardUpdate re-renders the card posted under Target.
	KindDecisionCardUpdate Kind = "decision.card.update"
	// KindDecisionReminder reminds the owner of decision Ref by DM (Data:
	// ReminderData).
	KindDecisionReminder Kind = "decision.reminder"
)

// Outgoing is one thing to send to Slack. It is written to the outbox in the
// same transaction as the change that caused it and sent after commit, so a
// crash loses nothing and a retry sends nothing twice.
type Outgoing struct {
	Team string
	Kind Kind
	// Lane orders delivery: messages in one lane go out in the order they
	// were enqueued. Empty means Channel.
	Lane    string
	Channel string // a conversation ID, or a user ID for the DM with that user
	User    string // the recipient of an ephemeral, or the owner of a view
	Ref     int64  // the entry the message is about, e.g. the N of D-N
	// Key names the message once posted; Target names the message to
	// update or to reply under.
	Key    MessageKey
	Target MessageKey
	// Data is a payload the edge rendered itself (replies, modals).
	Data []byte
	// ReplyURL is a short-lived handle from an interaction.
	ReplyURL string
	// ExpiresAt, when set, is when sending stops making sense.
	ExpiresAt time.Time
	// Interactive marks what a person is waiting for (a reply, a modal): it
	// goes out ahead of bulk messages.
	Interactive bool
	// Reminder marks a nudge to User: capped per person per week and held
	// outside their working time (see Origin). A ritual's own prompts are
	// not reminders.
	Reminder bool
	// Held marks an escalation to User: held outside their working time
	// as a reminder is, but never folded by the cap.
	Held bool
	// Origin is the channel of the item a reminder or an escalation is
	// about (a decision's, a blocker's, a check-in's, an action item's
	// session's): it waits for that channel's working days. Empty: the
	// default, Monday to Friday.
	Origin string
	// Private marks Data that must not outlive the send (a person's
	// anonymous answer, confirmed to them alone): erased once the item is
	// done, whatever the outcome.
	Private bool
}

// OutboxItem is an Outgoing message waiting in the outbox.
type OutboxItem struct {
	ID string // time-ordered: a lane's items go out in ID order
	Outgoing
	// Attempts counts the attempts started, this one included.
	Attempts int
	// Doubt is true when an earlier attempt may have reached Slack: it
	// failed without a clear answer, or its process died mid-send.
	Doubt     bool
	CreatedAt time.Time
	// FirstTry is when the first attempt at it began, by the real clock
	// that Slack's message timestamps come from (the bot's own may be a
	// test's): a search for an earlier attempt's message starts there.
	FirstTry time.Time
	// ClaimedUntil is when the claim this attempt runs under lapses: the
	// attempt must be over well before, since another sender may then
	// take the item.
	ClaimedUntil time.Time
}

// NoticeData is the payload of a KindNotice message: Text, after a mention
// of each person in Mention. With the Outgoing's Target set, the notice is
// a reply in the thread of the message Target names.
type NoticeData struct {
	Text    string   `json:"text"`
	Mention []string `json:"mention,omitempty"`
}

// How an outbox item ended when it was not sent.
const (
	OutcomeParked  = "parked"  // failed for good; the reason is kept
	OutcomeExpired = "expired" // its moment passed (its pulse or check-in closed)
	OutcomeFolded  = "folded"  // a reminder over the person's weekly cap
)

// ReminderData is the payload of a KindDecisionReminder.
type ReminderData struct {
	Kind ReminderKind `json:"kind"`
	// To is whom an escalation addresses: the area's Accountable owner.
	To string `json:"to,omitempty"`
}

// heldFor makes out a message to user about an item of channel origin
// that waits for user's working time: on origin's working days, within
// working hours, in user's time zone. A reminder also counts against the
// person's weekly cap; an escalation does not. Unless out has a lane, it
// gets one of its own per person and channel, so that a hold over a
// weekend keeps none of the person's other messages back.
func heldFor(out Outgoing, user, origin string, reminder bool) Outgoing {
	out.User, out.Origin = user, origin
	out.Reminder, out.Held = reminder, !reminder
	if out.Lane == "" {
		out.Lane = "held:" + user + ":" + origin
	}
	return out
}
