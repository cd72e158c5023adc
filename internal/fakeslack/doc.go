// Package fakeslack is a fake Slack workspace for end-to-end tests of alignbot.
//
// A Server listens on 127.0.0.1 and serves what the bot's slack-go client talks
// to: the Web API under URL() (for slack.OptionAPIURL), Socket Mode sockets
// handed out by apps.connections.open, response_url endpoints and file upload
// URLs. Tests declare the world (AddUser, AddChannel, AddUserGroup, AddGroup),
// drive the bot the way Slack would (SlashCommand, BlockAction, BlockSuggestion,
// ViewSubmission, Shortcut, Event, PostUserMessage, OpenHome, Resend) and then assert on what the bot did
// (Calls, Messages, DMs, Ephemerals, Views, Home, File). Nothing leaves loopback.
//
// Wiring the real client:
//
//	fs := fakeslack.NewT(t, fakeslack.Options{AckTimeout: time.Second})
//	fs.AddUser(fakeslack.User{ID: "U0ANN", Name: "ann"})
//	fs.AddChannel(fakeslack.Channel{ID: "C0TEAM", Name: "team", Members: []string{"U0ANN", fs.BotUserID()}})
//	api := slack.New(fs.BotToken(), slack.OptionAPIURL(fs.URL()), slack.OptionAppLevelToken(fs.AppToken()))
//	client := socketmode.New(api) // run the bot with it, then:
//	_ = fs.WaitConnections(ctx, 1)
//	ack, err := fs.SlashCommand(ctx, fakeslack.Slash{User: "U0ANN", Channel: "C0TEAM", Command: "/decide", Text: "ship it"})
//	err = fs.WaitFor(ctx, func() bool { return len(fs.Messages("C0TEAM")) == 1 })
//
// # Socket Mode
//
// Each socket gets hello first, then a WebSocket PING every PingInterval, and
// has its own writer goroutine and queue. Envelopes carry a UUID envelope_id,
// the right type and accepts_response_payload; each goes to one live socket,
// round-robin, and the driver call waits AckTimeout for the ack with that
// envelope_id. Un-acked events_api envelopes are redelivered on the
// EventRetryDelays schedule with retry_attempt and retry_reason; slash commands
// and interactions are not (Slack shows the user an error instead, and the call
// returns ErrNoAck). At most ten sockets are accepted; the eleventh gets a
// disconnect with reason too_many_websockets. Disconnect and DropConnections
// exercise the client's reconnect logic.
//
// # What it checks
//
// Tokens (not_authed, invalid_auth, not_allowed_token_type; the app token only
// as a Bearer header on apps.connections.open), unknown methods (HTTP 404),
// channels and membership (channel_not_found, not_in_channel, is_archived,
// user_not_in_channel), threads, message ownership for chat.update and
// chat.delete, text limits (msg_too_long; text over 40,000 characters is
// truncated), metadata shape, trigger_id issuance, single use and expiry, view
// hashes and stacks, response_url use counts and age, and the Block Kit limits of
// ../shared/slack/BLOCKKIT.md, minimums included (Slack refuses an empty text,
// value, ID or URL): block counts, section, header, button, option, overflow,
// confirm and context sizes, action and block IDs and their uniqueness,
// initial options that are not among the options, unknown block or element
// types, elements where they may not stand (input blocks outside modals, a
// button in an input, a text input outside one), modal title/submit/close,
// callback and external IDs, private_metadata, view size, and modals with
// inputs but no submit. Messages answer invalid_blocks and views
// invalid_arguments, with Slack-style response_metadata.messages. Every such
// refusal is recorded (Refusals) and, under NewT, fails the test that caused
// it, since real Slack would refuse it for every user (Options.AllowRefusals
// is for tests of the refusals themselves). CheckMessage and CheckView run the
// same checks on a payload directly, for renderer tests. Driver
// calls refuse what a user could not do: act in a private channel they are not
// in, click an element that is not in the message, pick an option that does not
// exist, submit a modal that is closed, not theirs, not on top, or has an empty
// required input.
//
// Faults: FailNext injects 429 with Retry-After, 5xx, error codes, delays and
// dropped connections; SetRateLimit, SetChannelPostRate and
// SetWorkspacePostLimit enforce limits with truthful Retry-After headers.
//
// # What it does not model
//
// OAuth, scopes (missing_scope is never returned), Enterprise Grid, the RTM API,
// message events for the bot's own posts or for API calls in general (only
// PostUserMessage emits an event), app_mention events, unfurls, message edits
// by users, rich text parsing of user messages, user groups beyond
// usergroups.list and their member lists, events over HTTP (Options.HTTP sends
// slash commands, interactions and options requests, signed, to an app's
// RequestURLs instead of the socket), the user's own slash-command message in the
// channel for in_channel responses, mpim beyond a member list, pins, stars,
// scheduled messages, and any method not listed in webapi.go.
//
// # Guesses
//
// Where PROTOCOL.md marks Slack's behaviour as unconfirmed, the fake picks one
// answer: retry_reason "timeout"; expired_url (HTTP 404) for a used-up
// response_url and invalid_url for an unknown one; invalid_blocks as HTTP 200
// JSON on response_url; not_in_channel for history of a public channel the bot
// has not joined; thread_not_found for chat.postMessage with an unknown
// thread_ts; file_not_found for completing an unknown upload; views.push with
// no open modal opens one; a response_action "push" keeps the submitted view
// open under the new one; block actions on ephemeral messages carry no
// "message"; tz_label is the zone abbreviation (e.g. "CET"); an inline
// slash-command ack with text or blocks is shown like a response_url post;
// a Retry-After of zero is sent as 1.
//
// The package is for tests only. It imports the standard library,
// gorilla/websocket and google/uuid; its own tests also use slack-go.
package fakeslack
