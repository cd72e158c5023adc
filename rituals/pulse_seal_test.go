package rituals

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestPulseBallotsOpenAtThreshold deals an anonymous pulse's keys, seals
// answers the way Answer does and opens each group the way a close does:
// a group's answers read only once threshold people besides the creator
// answered in it, however few answered in another.
func TestPulseBallotsOpenAtThreshold(t *testing.T) {
	p := &Pulse{Team: "T1", Number: 7, Kind: PulseChoice, Options: []string{"Yes, clearly", "No"}, Anonymous: true,
		Threshold: 3, CreatedBy: "UC"}
	members := []PulseMember{{User: "UC", Role: "eng"}, {User: "U1", Role: "eng"}, {User: "U2", Role: "eng"},
		{User: "U3", Role: "eng"}, {User: "U4", Role: "ops"}, {User: "U5", Role: "ops"}, {User: "U6", Role: "ops"}, {User: "U7"}}
	list, tickets, err := deal(p, members)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]PulseKey{}
	for _, k := range list {
		keys[k.Role] = k
	}
	if len(keys) != 3 || keys[""].Boxes != 1 {
		t.Fatalf("keys %+v, want everyone, eng and ops", list)
	}
	if len(tickets[0].Shares) != 0 || len(tickets[1].Shares) != 2 || len(tickets[7].Shares) != 1 {
		t.Fatalf("shares %d %d %d, want none for the creator, two with a role, one without",
			len(tickets[0].Shares), len(tickets[1].Shares), len(tickets[7].Shares))
	}
	boxes := map[string][]string{}
	cast := func(i int, value string) {
		t.Helper()
		ballots, err := p.ballotsOf(keys, members[i].Role, tickets[i], value)
		if err != nil {
			t.Fatal(err)
		}
		for group, b := range ballots {
			raw, _ := json.Marshal(b)
			boxes[group] = append(boxes[group], string(raw))
		}
	}
	open := func(group string) []string {
		t.Helper()
		k := keys[group]
		out, err := p.openBallots(&k, group, boxes[group])
		if err != nil {
			t.Fatal(err)
		}
		values := out[group]
		slices.Sort(values)
		return values
	}

	cast(0, "No") // the creator
	cast(1, "Yes, clearly")
	cast(4, "No")
	if got := open(""); got != nil {
		t.Fatalf("everyone opened with two answers besides the creator's: %v", got)
	}
	if got := open("eng"); got != nil {
		t.Fatalf("eng, one answer besides the creator's, opened: %v", got)
	}
	cast(7, "No")
	if got := open(""); !slices.Equal(got, []string{"No", "No", "No", "Yes, clearly"}) {
		t.Fatalf("everyone opened to %v", got)
	}
	if got := open("ops"); got != nil {
		t.Fatalf("ops, one answer, opened: %v", got)
	}
	cast(2, "No")
	cast(3, "No")
	if got := open("eng"); !slices.Equal(got, []string{"No", "No", "No", "Yes, clearly"}) {
		t.Fatalf("eng opened to %v", got)
	}

	t.Run("SizeSaysNothing", func(t *testing.T) {
		var sizes []int
		for _, raw := range boxes[""] {
			var b ballot
			json.Unmarshal([]byte(raw), &b)
			sizes = append(sizes, len(b.Sealed), len(b.Own))
			if b.Role != "" || b.Value != "" {
				t.Fatalf("a sealed ballot carries %q %q in clear", b.Role, b.Value)
			}
		}
		for _, n := range sizes[2:] {
			if n != sizes[0] && n != sizes[1] {
				t.Fatalf("sealed answers of different sizes %v: the size tells the choice", sizes)
			}
		}
	})
	t.Run("OwnAnswerNeedsTheToken", func(t *testing.T) {
		if v, err := p.ownAnswer(boxes[""][1], tickets[1].Token); err != nil || v != "Yes, clearly" {
			t.Fatalf("own answer %q %v", v, err)
		}
		if _, err := p.ownAnswer(boxes[""][1], tickets[2].Token); err == nil {
			t.Fatal("another person's token read the answer")
		}
	})
	t.Run("ShareNumbersAreNotAudienceOrder", func(t *testing.T) {
		many := make([]PulseMember, 60)
		for i := range many {
			many[i] = PulseMember{User: FormatID("U", int64(i))}
		}
		_, tickets, err := deal(p, many)
		if err != nil {
			t.Fatal(err)
		}
		inOrder := true
		for i, tk := range tickets {
			s, err := parseShare(tk.Shares[0])
			if err != nil {
				t.Fatal(err)
			}
			inOrder = inOrder && s.X == i+1
		}
		if inOrder {
			t.Fatal("share numbers follow the audience's order")
		}
	})
}
