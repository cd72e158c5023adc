package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGroupOptions(t *testing.T) {
	opts := GroupOptions([]GroupChoice{{ID: "S0PLAT", Handle: "platform", Name: "Platform team"}, {ID: "S0DATA", Handle: "data", Name: "data"}})
	if len(opts) != 2 || opts[0].Text.Text != "@platform · Platform team" || opts[0].Value != "S0PLAT|@platform" || opts[1].Text.Text != "@data" {
		t.Fatalf("options %+v %+v", opts[0], opts[1])
	}
	if got := GroupOptions(nil); got == nil || len(got) != 0 {
		t.Fatalf("no groups: %#v", got)
	}
	t.Run("KeptWithinSlacksLimits", func(t *testing.T) {
		var many []GroupChoice
		for i := range 300 {
			many = append(many, GroupChoice{ID: fmt.Sprintf("S%07d", i), Handle: strings.Repeat("h", 21), Name: strings.Repeat("<&>", 40)})
		}
		opts := GroupOptions(many)
		b, _ := json.Marshal(map[string]any{"envelope_id": "0bd8c7c7-6d4f-4b7e-a1b2-3c4d5e6f7a8b", "payload": map[string]any{"options": opts}})
		if len(opts) == 0 || len(opts) > 100 || len(b) >= 20480 {
			t.Fatalf("%d options in %d bytes", len(opts), len(b))
		}
		for _, o := range opts {
			if n := utf8.RuneCountInString(o.Text.Text); n > 75 || len(o.Value) > 150 {
				t.Fatalf("option %q (%d characters), value %q", o.Text.Text, n, o.Value)
			}
		}
	})
}
