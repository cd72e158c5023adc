package storage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

func newDecisions(t *testing.T) (*rituals.Decisions, *time.Time, *storage.DB) {
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	ctx := context.Background()
	for _, ch := range []rituals.Channel{
		{Team: "T1", ID: "CPUB", Name: "general"},
		{Team: "T1", ID: "COTHER", Name: "random"},
		{Team: "T1", ID: "GPRIV", Name: "secret", Private: true},
	} {
		if err := db.SaveChannel(ctx, ch, now); err != nil {
			t.Fatal(err)
		}
	}
	return &rituals.Decisions{Store: db, Now: fixedClock(&now)}, &now, db
}

func caller(user, channel, req string) rituals.Caller {
	return rituals.Caller{Team: "T1", User: user, Channel: channel, Location: time.UTC, RequestID: req}
}

func TestDecisionsRecord(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newDecisions(t)

	d, err := svc.Record(ctx, caller("UANN", "CPUB", "env-1"), rituals.QuickDecision("Use semver for public APIs"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.ID(), "D-1"; got != want {
		t.Fatalf("ID=%v, want %v", got, want)
	}
	got, err := svc.Get(ctx, caller("UBOB", "CPUB", ""), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Use semver for public APIs" || got.Owner != "UANN" || got.Date != "2026-11-24" || got.Status != rituals.StatusDecided {
		t.Fatalf("stored %+v", got)
	}

	t.Run("CardEnqueuedInSameTransaction", func(t *testing.T) {
		items, err := db.ClaimOutbox(ctx, "test", *now, *now, time.Minute, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].Kind != rituals.KindDecisionCard || items[0].Ref != 1 || items[0].Channel != "CPUB" || items[0].Key != d.CardKey("CPUB") {
			t.Fatalf("outbox=%+v", items)
		}
	})

	t.Run("ErrDuplicateRequest", func(t *testing.T) {
		_, err := svc.Record(ctx, caller("UANN", "CPUB", "env-1"), rituals.QuickDecision("again"))
		if !errors.Is(err, rituals.ErrDuplicate) {
			t.Fatalf("err=%v, want ErrDuplicate", err)
		}
		if _, err := svc.Get(ctx, caller("UANN", "CPUB", ""), 2); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("a duplicate wrote D-2: %v", err)
		}
	})

	t.Run("ErrInvalidWritesNothing", func(t *testing.T) {
		_, err := svc.Record(ctx, caller("UANN", "CPUB", "env-2"), rituals.DecisionInput{Text: "no title"})
		if rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("err=%v, want EINVALID", err)
		}
		// The request was not claimed either: a corrected retry works.
		if _, err := svc.Record(ctx, caller("UANN", "CPUB", "env-2"), rituals.QuickDecision("fixed")); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDecisionsNumbersUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newDecisions(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := svc.Record(ctx, caller("UANN", "CPUB", fmt.Sprint("r", i)), rituals.QuickDecision(fmt.Sprint("d", i))); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	ds, err := svc.List(ctx, caller("UANN", "CPUB", ""), 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, d := range ds {
		seen[d.Number] = true
	}
	for n := int64(1); n <= 20; n++ {
		if !seen[n] {
			t.Fatalf("numbers %v lack %d", seen, n)
		}
	}
}

func TestDecisionsVisibility(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newDecisions(t)
	if _, err := svc.Record(ctx, caller("UANN", "GPRIV", "a"), rituals.QuickDecision("Secret pricing change")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Record(ctx, caller("UANN", "CPUB", "b"), rituals.QuickDecision("Public pricing page")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Record(ctx, caller("UANN", "CUNKNOWN", "c"), rituals.QuickDecision("Pricing in a channel never seen")); err != nil {
		t.Fatal(err)
	}

	titles := func(ds []*rituals.Decision) string {
		var s []string
		for _, d := range ds {
			s = append(s, d.Title)
		}
		return strings.Join(s, "|")
	}
	t.Run("SearchFromOtherChannelHidesPrivate", func(t *testing.T) {
		ds, err := svc.Search(ctx, caller("UBOB", "COTHER", ""), "pricing")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := titles(ds), "Public pricing page"; got != want {
			t.Fatalf("results=%q, want %q", got, want)
		}
	})
	t.Run("SearchInsidePrivateChannelShowsIt", func(t *testing.T) {
		ds, err := svc.Search(ctx, caller("UANN", "GPRIV", ""), "pricing")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 {
			t.Fatalf("results=%q, want the private and the public one", titles(ds))
		}
	})
	t.Run("ShowFromOtherChannelIsNotFound", func(t *testing.T) {
		if _, err := svc.Get(ctx, caller("UBOB", "COTHER", ""), 1); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("err=%v, want ENOTFOUND", err)
		}
	})
	t.Run("ListIsPerChannel", func(t *testing.T) {
		ds, err := svc.List(ctx, caller("UBOB", "CPUB", ""), 10)
		if err != nil || titles(ds) != "Public pricing page" {
			t.Fatalf("list=%q err=%v", titles(ds), err)
		}
	})
	t.Run("SearchSyntaxIsInert", func(t *testing.T) {
		for _, q := range []string{`"`, `pricing OR secret`, `NEAR(a b)`, `*`, `-pricing`, `pri*`} {
			if _, err := svc.Search(ctx, caller("UBOB", "COTHER", ""), q); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
		}
	})
	t.Run("SearchPrefixAndDiacritics", func(t *testing.T) {
		if _, err := svc.Record(ctx, caller("UANN", "CPUB", "d"), rituals.QuickDecision("Café opening hours")); err != nil {
			t.Fatal(err)
		}
		ds, err := svc.Search(ctx, caller("UBOB", "CPUB", ""), "cafe open")
		if err != nil || titles(ds) != "Café opening hours" {
			t.Fatalf("results=%q err=%v", titles(ds), err)
		}
	})
}

func TestDecisionsEdit(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newDecisions(t)
	if _, err := svc.Record(ctx, caller("UANN", "CPUB", "a"), rituals.QuickDecision("First wording")); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrForbiddenForOthers", func(t *testing.T) {
		_, err := svc.AddRationale(ctx, caller("UEVE", "CPUB", "x"), 1, "because")
		if rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("err=%v, want EFORBIDDEN", err)
		}
	})
	t.Run("AdminMay", func(t *testing.T) {
		c := caller("UADM", "CPUB", "y")
		c.Admin = true
		d, err := svc.AddRationale(ctx, c, 1, "Because it is simpler")
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 2 || d.Rationale != "Because it is simpler" {
			t.Fatalf("after rationale: %+v", d)
		}
	})
	t.Run("OwnerEditsAndSearchFollows", func(t *testing.T) {
		in := rituals.DecisionInput{Title: "Second wording", Text: "Use calver", Rationale: "r", Status: rituals.StatusDecided}
		d, err := svc.Edit(ctx, caller("UANN", "CPUB", "z"), 1, in)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 3 || d.Owner != "UANN" {
			t.Fatalf("after edit: %+v", d)
		}
		if ds, _ := svc.Search(ctx, caller("UANN", "CPUB", ""), "first"); len(ds) != 0 {
			t.Fatal("search still finds the old wording")
		}
		if ds, _ := svc.Search(ctx, caller("UANN", "CPUB", ""), "calver"); len(ds) != 1 {
			t.Fatal("search does not find the new wording")
		}
	})
	t.Run("ErrEmptyRationale", func(t *testing.T) {
		_, err := svc.AddRationale(ctx, caller("UANN", "CPUB", "w"), 1, "   ")
		if rituals.FieldErrors(err)[rituals.FieldRationale] == "" {
			t.Fatalf("err=%v, want a rationale field error", err)
		}
	})
}

func TestDecisionLifecycleRules(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newDecisions(t)
	in := rituals.QuickDecision("Use semver")
	d1, err := svc.Record(ctx, caller("UANN", "CPUB", "r1"), in)
	if err != nil {
		t.Fatal(err)
	}
	prop := rituals.DecisionInput{Title: "Pick a queue", Text: "SQS or Kafka", Status: rituals.StatusProposed, DecideBy: "2026-12-01"}
	p, err := svc.Record(ctx, caller("UANN", "CPUB", "r2"), prop)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		do   func() error
		code string
	}{
		{"ErrDropDecided", func() error { _, err := svc.Drop(ctx, caller("UANN", "CPUB", "a"), d1.Number); return err }, rituals.ECONFLICT},
		{"ErrDeprecateProposal", func() error { _, err := svc.Deprecate(ctx, caller("UANN", "CPUB", "b"), p.Number); return err }, rituals.ECONFLICT},
		{"ErrMarkDecidedTwice", func() error { _, err := svc.MarkDecided(ctx, caller("UANN", "CPUB", "c"), d1.Number, "x"); return err }, rituals.ECONFLICT},
		{"ErrSupersedeProposal", func() error {
			_, err := svc.Supersede(ctx, caller("UANN", "CPUB", "d"), p.Number, rituals.QuickDecision("new"))
			return err
		}, rituals.EINVALID},
		{"ErrSupersedeByOther", func() error {
			_, err := svc.Supersede(ctx, caller("UEVE", "CPUB", "e"), d1.Number, rituals.QuickDecision("new"))
			return err
		}, rituals.EFORBIDDEN},
		{"ErrSupersedeFromOtherChannelPrivate", func() error {
			priv, err := svc.Record(ctx, caller("UANN", "GPRIV", "f"), rituals.QuickDecision("secret"))
			if err != nil {
				return err
			}
			_, err = svc.Supersede(ctx, caller("UANN", "CPUB", "g"), priv.Number, rituals.QuickDecision("new"))
			return err
		}, rituals.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(); rituals.ErrorCode(err) != tc.code {
				t.Fatalf("err=%v, want %s", err, tc.code)
			}
		})
	}
	t.Run("SupersedeTwiceIsRefused", func(t *testing.T) {
		d2, err := svc.Supersede(ctx, caller("UANN", "CPUB", "h"), d1.Number, rituals.QuickDecision("Use calver"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Supersede(ctx, caller("UANN", "CPUB", "i"), d1.Number, rituals.QuickDecision("Use nothing"))
		if rituals.ErrorCode(err) != rituals.ECONFLICT || !strings.Contains(err.Error(), "already superseded by "+d2.ID()) {
			t.Fatalf("err=%v", err)
		}
	})
}
