package rituals_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

func TestBlockerInputCheck(t *testing.T) {
	bob := rituals.Party{Kind: rituals.PartyUser, ID: "UBOB"}
	valid := func() rituals.BlockerInput {
		return rituals.BlockerInput{Text: "  Waiting on the schema review  ", Parties: []rituals.Party{bob, bob}}
	}
	t.Run("TrimsAndDedupes", func(t *testing.T) {
		in := valid()
		if err := in.Check("2026-11-25"); err != nil {
			t.Fatal(err)
		}
		if in.Text != "Waiting on the schema review" || len(in.Parties) != 1 {
			t.Fatalf("checked input %+v", in)
		}
	})
	for name, tc := range map[string]struct {
		change      func(*rituals.BlockerInput)
		field, want string
	}{
		"ErrTextRequired":  {func(in *rituals.BlockerInput) { in.Text = " \n " }, rituals.FieldBlockerText, "What is blocked is required."},
		"ErrTextTooLong":   {func(in *rituals.BlockerInput) { in.Text = strings.Repeat("x", 3001) }, rituals.FieldBlockerText, "3001 characters long; the limit is 3000"},
		"ErrNoParty":       {func(in *rituals.BlockerInput) { in.Parties = nil }, rituals.FieldParties, "Name who must act"},
		"ErrImpactTooLong": {func(in *rituals.BlockerInput) { in.Impact = strings.Repeat("x", 3001) }, rituals.FieldImpact, "The impact is 3001"},
		"ErrNeededByPast":  {func(in *rituals.BlockerInput) { in.NeededBy = "2026-11-24" }, rituals.FieldNeededBy, "2026-11-24 is in the past"},
		"ErrTooManyParties": {func(in *rituals.BlockerInput) {
			for i := range 21 {
				in.Parties = append(in.Parties, rituals.Party{Kind: rituals.PartyChannel, ID: fmt.Sprintf("C%d", i)})
			}
		}, rituals.FieldParties, "name at most 20"},
		"ErrTooManyPeople": {func(in *rituals.BlockerInput) {
			g := rituals.Party{Kind: rituals.PartyGroup, ID: "SBIG"}
			for i := range 101 {
				g.Members = append(g.Members, fmt.Sprintf("U%03d", i))
			}
			in.Parties = []rituals.Party{g}
		}, rituals.FieldParties, "That would DM 101 people"},
	} {
		t.Run(name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			err := in.Check("2026-11-25")
			if got := rituals.FieldErrors(err)[tc.field]; !strings.Contains(got, tc.want) {
				t.Fatalf("field %s error %q, want %q (err %v)", tc.field, got, tc.want, err)
			}
		})
	}
	t.Run("NeededByTodayIsFine", func(t *testing.T) {
		in := valid()
		in.NeededBy = "2026-11-25"
		if err := in.Check("2026-11-25"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBlockerAudienceAndParties(t *testing.T) {
	b := &rituals.Blocker{Reporter: "UANN", Channel: "CHOME", Parties: []rituals.Party{
		{Kind: rituals.PartyUser, ID: "UBOB"},
		{Kind: rituals.PartyGroup, ID: "SPLAT", Members: []string{"UBOB", "UCAT", "UANN"}},
		{Kind: rituals.PartyChannel, ID: "CPLAT"},
		{Kind: rituals.PartyChannel, ID: "CHOME"},
	}}
	if diff := cmp.Diff([]string{"UBOB", "UCAT", "CPLAT"}, b.Audience(false)); diff != "" {
		t.Errorf("Audience(false) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"UANN", "UBOB", "UCAT", "CPLAT"}, b.Audience(true)); diff != "" {
		t.Errorf("Audience(true) (-want +got):\n%s", diff)
	}
	for user, want := range map[string]bool{"UBOB": true, "UCAT": true, "UDAN": false, "CPLAT": false} {
		if got := b.Names(user); got != want {
			t.Errorf("Names(%s)=%v, want %v", user, got, want)
		}
	}
	if got, want := b.CardKey(), rituals.MessageKey("blocker/0/card/CHOME"); got != want {
		t.Errorf("CardKey=%q, want %q", got, want)
	}
}
