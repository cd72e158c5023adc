// Package bot is alignbot's Slack edge and the only importer of slack-go.
//
// Envelopes come in over Socket Mode; each is acked at once and handled
// after the ack, in a tracked goroutine (view submissions are the one
// exception: Slack shows modal field errors only when they come in the
// ack, so those are checked and saved first, within a deadline). Handlers
// parse the payload into rituals calls and render what comes back as Block
// Kit, built by package render. Nothing here calls chat.postMessage from feature code: every message
// is an outbox row, sent by Sender.
//
// It imports rituals and slack-go; never storage or SQL.
package bot
