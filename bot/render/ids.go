package render

// The IDs alignbot's messages, views and inputs carry, which routing reads
// back: action IDs of buttons and selects, callback IDs of views, and block
// IDs of inputs that are not domain fields (rituals.Field*). Each is
// defined here once, for the renderer that sets it and the route that
// reads it.

// ValueAction is the action_id of every input in alignbot's modals; the
// block_id names the field.
const ValueAction = "value"

// Action IDs on decision cards.
const (
	ActionDecisionEdit      = "decision.edit"
	ActionDecisionRationale = "decision.rationale"
	ActionDecisionDecide    = "decision.decide"
	// Accept and Send back answer a proposal waiting for its area's
	// Accountable owner.
	ActionDecisionAccept   = "decision.accept"
	ActionDecisionSendBack = "decision.send_back"
	ActionDecisionMore     = "decision.more" // overflow: history, drop, deprecate
	// ActionDecisionHistory stands for the overflow when History is its
	// only entry: Slack wants two to five options in an overflow menu.
	ActionDecisionHistory = "decision.history"
)

// ActionDecisionArea is the area select in the decision form: choosing
// one suggests the area's owner.
const ActionDecisionArea = "decision.area"

// Callback IDs of the decision modals.
const (
	CallbackDecisionNew       = "decision.new" // with meta.Number: superseding it
	CallbackDecisionEdit      = "decision.edit"
	CallbackDecisionRationale = "decision.rationale"
	CallbackDecisionDecide    = "decision.decide"    // Mark decided
	CallbackDecisionStatus    = "decision.status"    // drop or deprecate, confirmed
	CallbackDecisionSendBack  = "decision.send_back" // the reason a proposal is sent back
)

// Action IDs on blocker cards.
const (
	ActionBlockerResolve = "blocker.resolve"
	ActionBlockerAck     = "blocker.ack"
	ActionBlockerEdit    = "blocker.edit"
)

// Callback IDs of the blocker modals.
const (
	CallbackBlockerNew     = "blocker.new"
	CallbackBlockerResolve = "blocker.resolve"
	CallbackBlockerEdit    = "blocker.edit"
)

// Block IDs of the blocker form's inputs that are not domain fields: the
// people picker is rituals.FieldParties, so "name who must act" shows
// there.
const (
	FieldBlockerGroup    = "group"
	FieldBlockerChannels = "channels"
)

// Check-in action and callback IDs.
const (
	ActionCheckinAnswer   = "checkin.answer"  // value: "<channel>|<scheduled ms>"
	ActionCheckinAhead    = "checkin.ahead"   // opens the answer-ahead form
	CallbackCheckinAnswer = "checkin.answer"  // the answer form
	CallbackCheckinAhead  = "checkin.ahead"   // the answer-ahead form
	FieldCheckinParties   = "blocker_parties" // who must act on the blockers listed
)

// Action IDs of pulse messages. Slack wants the action IDs of one block
// unique, so each answer button has its own: pulse.answer.0 to .4.
const (
	ActionPulseAnswer     = "pulse.answer."
	ActionPulseAnswerForm = "pulse.answer.form"
	ActionPulseTemplate   = "pulse.template"
	// ActionPulseDecide and ActionPulseBlocker, on a pulse's results, open
	// the decision and blocker forms filled from them; value: the "P-N".
	ActionPulseDecide  = "pulse.decide"
	ActionPulseBlocker = "pulse.blocker"
)

// Callback IDs of the pulse modals.
const (
	CallbackPulseNew    = "pulse.new"
	CallbackPulseAnswer = "pulse.answer"
)

// Action IDs on pre-mortem and retro messages. The add buttons carry the
// session number; the others "<session>/<item>".
const (
	ActionSessionAdd      = "session.add." // + the item kind
	ActionSessionVote     = "session.vote"
	ActionSessionBlocker  = "session.blocker"
	ActionSessionOwner    = "session.owner"
	ActionSessionDone     = "session.done"
	ActionSessionHappened = "session.happened"
)

// Callback IDs of the pre-mortem and retro modals.
const (
	CallbackSessionItem  = "session.item"
	CallbackSessionOwner = "session.owner"
	// CallbackSessionStart is the form that starts one, behind a bare
	// /premortem's or /retro's Start button (ActionSessionStart, whose
	// value is the kind).
	CallbackSessionStart = "session.start"
	ActionSessionStart   = "session.start"
)

// ActionDigestMore shows one of a digest's lists in full, to the person
// who asked; its value is a DigestMore.
const ActionDigestMore = "digest.more"

// The buttons under `/digest`'s status: post this week's digest now, and
// show it, only to the person who pressed, first.
const (
	ActionDigestNow     = "digest.now"
	ActionDigestPreview = "digest.preview"
)

// App Home's callback ID and the action IDs of its buttons.
const (
	callbackHome      = "home"
	ActionHomeDecide  = "home.decide"
	ActionHomeBlocker = "home.blocker"
)

// FieldHomeChannel is the channel picker of a form opened from App Home,
// which has no channel of its own.
const FieldHomeChannel = "channel"

// ActionSetup is a button of /alignbot's "get started" checklist; its value
// names the setting (Setup*).
const ActionSetup = "alignbot.setup"

// BlockSetup, followed by the setting, is the block_id of each checklist
// line: its buttons share ActionSetup.
const BlockSetup = "alignbot.setup."
