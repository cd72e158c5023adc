// Package rituals is alignbot's domain: decisions, blockers, check-ins, pulses,
// pre-mortems, retros and digests, with the rules that govern them.
//
// It knows nothing of Slack and nothing of SQL. Each service declares,
// beside it, the small port it consumes (Decisions{Store DecisionStore}:
// DecisionStore lists only what Decisions reads, and its InDecisionTx
// hands each transaction as the narrow DecisionTx); Store and Tx are only
// the unions of the ports, which storage implements. It declares the
// values that cross its edges too (Caller, Outgoing). Package bot turns
// Slack envelopes into calls here and renders what comes back, package
// storage implements the ports, and package logfile writes and reads the
// exports. It imports only the standard library.
//
// Domain structs carry no JSON tags: the files people export are
// logfile's structs and the JSON kept in columns is storage's. The only
// tags here are on wire payloads this package serializes itself, the
// Data of outbox items, the values of Slack buttons and sealed ballots.
//
// Text fields hold what the person typed, unescaped: Slack's entity escaping
// is undone at the edge on the way in and redone on the way out.
package rituals
