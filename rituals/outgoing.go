package rituals

import "time"

// Message kinds the domain sends. Package bot renders each into Slack calls
// at send time, from the entry's current state.
const (
	// KindDecisionCard posts the card of decision Ref into Channel.
	KindDecisionCard = "decision.card"
	// KindDecisionCardUpdate re-renders the card posted under Target.
	KindDecisionCardUpdate = "decision.card.update"
)

// Outgoing is one thing to send to Slack. It is written to the outbox in the
// same transaction as the change that caused it and sent after commit, so a
// crash loses nothing and a retry sends nothing twice.
type Outgoing struct {
	Team string
	Kind string
	// Lane orders delivery: messages in one lane go out in the order they
	// were enqueued. Empty means Channel.
	Lane    string
	Channel string // a conversation ID, or a user ID for the DM with that user
	User    string // the recipient of an ephemeral, or the owner of a view
	Ref     int64  // the entry the message is about, e.g. the N of D-N
	// Key names the message once posted; Target names the message to
	// update or to reply under.
	Key    string
	Target string
	// Data is a payload the edge rendered itself (replies, modals).
	Data []byte
	// ReplyURL and Trigger are short-lived handles from an interaction.
	ReplyURL string
	Trigger  string
	// ExpiresAt, when set, is when sending stops making sense.
	ExpiresAt time.Time
}

// OutboxItem is an Outgoing message waiting in the outbox.
type OutboxItem struct {
	ID string // time-ordered: a lane's items go out in ID order
	Outgoing
	Attempts  int
	CreatedAt time.Time
}
