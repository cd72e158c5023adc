// Package bot is alignbot's Slack edge and the only importer of slack-go.
//
// Envelopes come in over Socket Mode; each is acked at once and handled
// after the ack, in a tracked goroutine (view submissions are the one
// exception: Slack shows modal field errors only when they come in the
// ack, so those are checked and saved first, within a deadline). Handlers
// parse the payload into rituals calls and render what comes back as Block
// Kit, built by package render. Each feature's handlers are methods of a
// type of its own embedding *Bot (decisions, blockers, checkins, pulses,
// sessions, digests, homes), which registers its routes. Nothing here
// posts: every message is an outbox row, sent by package delivery; every
// call handlers make themselves (views.open, a permalink) goes through the
// paced slackapi.Client.
//
// It imports rituals, slack-go and its own subpackages; never storage or
// SQL.
package bot
