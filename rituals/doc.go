// Package rituals is alignbot's domain: decisions, blockers, check-ins, pulses,
// pre-mortems, retros and digests, with the rules that govern them.
//
// It knows nothing of Slack and nothing of SQL. It declares the small
// interfaces it consumes (Store, Tx) and the values that cross its edges
// (Caller, Outgoing); package bot turns Slack envelopes into calls here and
// renders what comes back, package storage implements the store. It imports
// only the standard library.
//
// Text fields hold what the person typed, unescaped: Slack's entity escaping
// is undone at the edge on the way in and redone on the way out.
package rituals
