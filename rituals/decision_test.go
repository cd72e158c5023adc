package rituals

import (
	"strings"
	"testing"
)

func TestQuickDecision(t *testing.T) {
	t.Run("ShortTextIsTitleAndDecision", func(t *testing.T) {
		in := QuickDecision("  Use semver for public APIs ")
		if in.Title != "Use semver for public APIs" || in.Text != "Use semver for public APIs" {
			t.Fatalf("title=%q text=%q", in.Title, in.Text)
		}
		if in.Status != StatusDecided {
			t.Fatalf("status=%q, want decided", in.Status)
		}
	})
	t.Run("LongTextTitleIsFirst150", func(t *testing.T) {
		text := strings.Repeat("é", 149) + " and then some more words follow"
		in := QuickDecision(text)
		if got := len([]rune(in.Title)); got > MaxTitle {
			t.Fatalf("title has %d runes, want ≤ %d", got, MaxTitle)
		}
		if !strings.HasPrefix(text, in.Title) {
			t.Fatalf("title %q is not a prefix of the text", in.Title)
		}
		if in.Text != text {
			t.Fatal("decision text lost words")
		}
	})
	t.Run("NewlinesFoldedInTitleOnly", func(t *testing.T) {
		in := QuickDecision("first\nsecond")
		if in.Title != "first second" || in.Text != "first\nsecond" {
			t.Fatalf("title=%q text=%q", in.Title, in.Text)
		}
	})
}

func TestDecisionInputNormalize(t *testing.T) {
	valid := func() DecisionInput {
		return DecisionInput{Title: "T", Text: "D", Owner: "U1", Status: StatusDecided}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*DecisionInput)
		field string
	}{
		{"ErrTitleRequired", func(in *DecisionInput) { in.Title = "  " }, FieldTitle},
		{"ErrTitleTooLong", func(in *DecisionInput) { in.Title = strings.Repeat("x", 151) }, FieldTitle},
		{"ErrDecisionRequired", func(in *DecisionInput) { in.Text = "" }, FieldText},
		{"ErrDecisionTooLong", func(in *DecisionInput) { in.Text = strings.Repeat("x", MaxDecisionText+1) }, FieldText},
		{"ErrRationaleTooLong", func(in *DecisionInput) { in.Rationale = strings.Repeat("x", MaxRationale+1) }, FieldRationale},
		{"ErrOwnerRequired", func(in *DecisionInput) { in.Owner = "" }, FieldOwner},
		{"ErrProposedWithoutDate", func(in *DecisionInput) { in.Status = StatusProposed }, FieldDecideBy},
		{"ErrProposedInPast", func(in *DecisionInput) { in.Status = StatusProposed; in.DecideBy = "2026-01-01" }, FieldDecideBy},
		{"ErrBadStatus", func(in *DecisionInput) { in.Status = "maybe" }, FieldStatus},
		{"ErrBadLink", func(in *DecisionInput) { in.Links = []string{"ftp://x"} }, FieldLinks},
		{"ErrLinkWithoutHost", func(in *DecisionInput) { in.Links = []string{"https://"} }, FieldLinks},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(&in)
			err := in.normalize("2026-06-01")
			if ErrorCode(err) != EINVALID {
				t.Fatalf("err=%v, want EINVALID", err)
			}
			if FieldErrors(err)[tc.field] == "" {
				t.Fatalf("field errors %v lack %q", FieldErrors(err), tc.field)
			}
		})
	}
	t.Run("ProposedWithFutureDate", func(t *testing.T) {
		in := valid()
		in.Status, in.DecideBy = StatusProposed, "2026-06-01"
		in.Links = []string{" https://tracker.test/1 ", ""}
		if err := in.normalize("2026-06-01"); err != nil {
			t.Fatal(err)
		}
		if len(in.Links) != 1 || in.Links[0] != "https://tracker.test/1" {
			t.Fatalf("links=%q", in.Links)
		}
	})
	t.Run("DecidedDropsDecideBy", func(t *testing.T) {
		in := valid()
		in.DecideBy = "2030-01-01"
		if err := in.normalize("2026-06-01"); err != nil || in.DecideBy != "" {
			t.Fatalf("err=%v decideBy=%q", err, in.DecideBy)
		}
	})
}

func TestParseID(t *testing.T) {
	for in, want := range map[string]int64{"D-12": 12, "d-12": 12, "D12": 12, "12": 12, " 7 ": 7} {
		if got, err := ParseID("D", in); err != nil || got != want {
			t.Errorf("ParseID(%q)=%d,%v want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "D-", "B-12", "x", "-3", "0", "D-1.5", "99999999999999999999"} {
		if _, err := ParseID("D", in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseID(%q) err=%v, want EINVALID", in, err)
		}
	}
}

func TestDecisionCanEdit(t *testing.T) {
	d := &Decision{Owner: "UOWN", Author: "UAUT", Channel: "C1"}
	for _, tc := range []struct {
		c    Caller
		want bool
	}{
		{Caller{User: "UOWN"}, true},
		{Caller{User: "UAUT"}, true},
		{Caller{User: "UX", Admin: true}, true},
		{Caller{User: "UX"}, false},
		{Caller{}, false},
	} {
		if got := d.CanEdit(tc.c); got != tc.want {
			t.Errorf("CanEdit(%+v)=%v, want %v", tc.c, got, tc.want)
		}
	}
}
