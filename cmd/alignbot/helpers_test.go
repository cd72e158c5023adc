package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

var faultUnavailable = fakeslack.Fault{Status: 503}

func slashDecide(user, channel, text string) fakeslack.Slash {
	return fakeslack.Slash{User: user, Channel: channel, Command: "/decide", Text: text}
}

func itoa(i int) string { return strconv.Itoa(i) }

// countDecisions counts the decisions in db through the export command,
// as an operator would.
func countDecisions(t *testing.T, db string) int {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"export", "decisions", "--format", "json", "--db", db}, noEnv, &out, &errOut); code != 0 {
		return -1
	}
	var ds []any
	if err := json.Unmarshal(out.Bytes(), &ds); err != nil {
		return -1
	}
	return len(ds)
}
