// Package logfile is the decision log and the ritual histories as files:
// CSV, JSON, Markdown and MADR exports of decisions, blockers, check-ins,
// pulses, pre-mortems and retros, and the importer that reads a decision
// log back.
//
// The files are read by people and by their scripts, so their bytes are a
// contract: the JSON exports use this package's own structs, mapped from
// the domain's, and golden files in testdata/export hold every format
// still. What an import means (numbering, duplicates, supersession) is
// rituals.Decisions.Import; this package only turns a file into the
// decisions it holds, checked as the decision form checks them.
//
// It imports the standard library and rituals; never slack-go, never
// sqlx. cmd/alignbot is its only caller.
package logfile
