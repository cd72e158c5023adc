// Package render is Block Kit built from domain values: pure functions, no
// I/O, golden-tested; imports rituals and slack-go, never storage or the
// network.
//
// It renders every message, modal and App Home alignbot sends: cards,
// prompts, summaries, reminders, notices, replies and the forms behind
// them, for bot's handlers and the senders of its outbox alike. It also
// owns what those payloads carry back: the action, callback and block IDs
// routing reads (ids.go), and the values of buttons and the metadata of
// modals, with the functions that read them. What people type into a form
// is parsed in bot, next to the commands.
//
// The tests compare what is rendered with testdata/*.golden.json; run
// go test ./bot/render -update to rewrite them, and review the diff.
// surfaces_test.go renders every surface with hostile text and holds it
// to Slack's Block Kit limits and to mentioning no crowd.
package render
