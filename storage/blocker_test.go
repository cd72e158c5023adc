package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// members is a rituals.ChannelMembers with fixed answers.
type members map[string][]string // channel → users

func (m members) IsMember(_ context.Context, _, channel, user string) (bool, error) {
	return slices.Contains(m[channel], user), nil
}

func newBlockers(t *testing.T) (*rituals.Blockers, *time.Time, *storage.DB) {
	svc, now, db := newDecisions(t)
	return &rituals.Blockers{Store: db, Now: svc.Now, Members: members{"CPLAT": {"UPAM"}}}, now, db
}

// schemaBlocker names Bob, the @platform group (Cat and Bob) and #platform.
func schemaBlocker() rituals.BlockerInput {
	return rituals.BlockerInput{Text: "Waiting on the schema review", ReporterName: "Ann Lee", Parties: []rituals.Party{
		{Kind: rituals.PartyUser, ID: "UBOB"},
		{Kind: rituals.PartyGroup, ID: "SPLAT", Name: "@platform", Members: []string{"UCAT", "UBOB"}},
		{Kind: rituals.PartyChannel, ID: "CPLAT", Name: "platform"},
	}}
}

// drain claims every pending outbox item, as the sender would.
func drain(t *testing.T, db *storage.DB, now time.Time) []rituals.OutboxItem {
	t.Helper()
	var all []rituals.OutboxItem
	for {
		items, err := db.ClaimOutbox(context.Background(), "test", now, now, time.Minute, 100, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			return all
		}
		for _, it := range items {
			if err := db.MarkSent(context.Background(), it, it.Channel, "1.0", now); err != nil {
				t.Fatal(err)
			}
		}
		all = append(all, items...)
	}
}

func describe(items []rituals.OutboxItem) []string {
	var out []string
	for _, it := range items {
		s := string(it.Kind) + ">" + it.Channel
		if it.Kind == rituals.KindBlockerNotice {
			var d rituals.BlockerNoticeData
			json.Unmarshal(it.Data, &d)
			s += ":" + d.Event
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestBlockersReport(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newBlockers(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	c := caller("UANN", "CPUB", "env-1")
	c.Location = berlin
	in := schemaBlocker()
	in.NeededBy = "2026-11-30"
	b, err := svc.Report(ctx, c, in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.ID(), "B-1"; got != want {
		t.Fatalf("ID=%v, want %v", got, want)
	}
	got, err := db.Blocker(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != in.Text || got.Reporter != "UANN" || got.ReporterName != "Ann Lee" || got.Status != rituals.BlockerOpen ||
		!got.CreatedAt.Equal(*now) || len(got.Parties) != 3 || got.Parties[1].Name != "@platform" ||
		!slices.Equal(got.Parties[1].Members, []string{"UCAT", "UBOB"}) {
		t.Fatalf("stored %+v", got)
	}
	if want := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC); !got.DueAt.Equal(want) {
		t.Errorf("DueAt=%v, want the end of 2026-11-30 in Berlin, %v", got.DueAt, want)
	}

	t.Run("CardAndEachPartyOnceInSameTransaction", func(t *testing.T) {
		want := []string{"blocker.card>CPUB", "blocker.notice>CPLAT:reported", "blocker.notice>UBOB:reported", "blocker.notice>UCAT:reported"}
		if got := describe(drain(t, db, *now)); !slices.Equal(got, want) {
			t.Fatalf("outbox %v, want %v", got, want)
		}
	})
	t.Run("ErrDuplicateRequest", func(t *testing.T) {
		if _, err := svc.Report(ctx, c, in); !errors.Is(err, rituals.ErrDuplicate) {
			t.Fatalf("err=%v, want ErrDuplicate", err)
		}
		if bs, _ := db.Blockers(ctx, rituals.BlockerFilter{}); len(bs) != 1 {
			t.Fatalf("%d blockers after a redelivery", len(bs))
		}
		if items := drain(t, db, *now); len(items) != 0 {
			t.Fatalf("the redelivery enqueued %v", describe(items))
		}
	})
	t.Run("ErrInvalidWritesNothing", func(t *testing.T) {
		_, err := svc.Report(ctx, caller("UANN", "CPUB", "env-2"), rituals.BlockerInput{Text: "No one named"})
		if rituals.FieldErrors(err)[rituals.FieldParties] == "" {
			t.Fatalf("err=%v, want a parties field error", err)
		}
		if items := drain(t, db, *now); len(items) != 0 {
			t.Fatalf("a refused report enqueued %v", describe(items))
		}
	})
}

func TestBlockersListAndVisibility(t *testing.T) {
	ctx := context.Background()
	svc, now, _ := newBlockers(t)
	report := func(user, channel, text string) *rituals.Blocker {
		t.Helper()
		in := schemaBlocker()
		in.Text = text
		b, err := svc.Report(ctx, caller(user, channel, ""), in)
		if err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour)
		return b
	}
	report("UANN", "CPUB", "first")
	report("UANN", "GPRIV", "secret")
	report("UBOB", "CPUB", "second")
	report("UBOB", "COTHER", "elsewhere")
	third := report("UANN", "CPUB", "third")
	if _, err := svc.Resolve(ctx, caller("UANN", "CPUB", ""), third.Number, ""); err != nil {
		t.Fatal(err)
	}

	bs, err := svc.List(ctx, caller("UEVE", "CPUB", ""))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, b := range bs {
		texts = append(texts, b.Text)
	}
	if !slices.Equal(texts, []string{"first", "second"}) {
		t.Fatalf("list %q, want this channel's open ones, oldest first", texts)
	}
	if _, err := svc.Get(ctx, caller("UANN", "CPUB", ""), 2); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("a private blocker seen from another channel: err=%v", err)
	}
	if _, err := svc.Get(ctx, caller("UANN", "GPRIV", ""), 2); err != nil {
		t.Fatalf("the private blocker unseen in its own channel: %v", err)
	}
	if _, err := svc.Get(ctx, caller("UANN", "GPRIV", ""), 4); err != nil {
		t.Fatalf("a public blocker unseen from a private channel: %v", err)
	}
}

func TestBlockersResolve(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		c    rituals.Caller
		want string
	}{
		"Reporter":       {caller("UANN", "CPUB", ""), ""},
		"NamedPerson":    {caller("UBOB", "CPUB", ""), ""},
		"GroupMember":    {caller("UCAT", "CPUB", ""), ""},
		"ChannelMember":  {caller("UPAM", "CPUB", ""), ""},
		"Admin":          {rituals.Caller{Team: "T1", User: "UADM", Channel: "CPUB", Admin: true}, ""},
		"ErrOutsider":    {caller("UEVE", "CPUB", ""), rituals.EFORBIDDEN},
		"ErrPrivateElse": {caller("UANN", "COTHER", ""), ""},
	} {
		t.Run(name, func(t *testing.T) {
			svc, now, db := newBlockers(t)
			if _, err := svc.Report(ctx, caller("UANN", "CPUB", ""), schemaBlocker()); err != nil {
				t.Fatal(err)
			}
			drain(t, db, *now)
			*now = now.Add(50 * time.Hour)
			b, err := svc.Resolve(ctx, tc.c, 1, "  Approved  ")
			if got := rituals.ErrorCode(err); got != tc.want {
				t.Fatalf("code %q (%v), want %q", got, err, tc.want)
			}
			stored, _ := db.Blocker(ctx, "T1", 1)
			if tc.want != "" {
				if stored.Status != rituals.BlockerOpen || len(drain(t, db, *now)) != 0 {
					t.Fatal("a refused resolve changed something")
				}
				return
			}
			if b.Status != rituals.BlockerResolved || stored.Status != rituals.BlockerResolved || stored.Resolution != "Approved" ||
				stored.ResolvedBy != tc.c.User || stored.TimeToResolve != 50*time.Hour {
				t.Fatalf("stored %+v", stored)
			}
			want := []string{"blocker.card.update>CPUB"}
			if tc.c.User != "UANN" {
				want = append(want, "blocker.notice>UANN:resolved")
			}
			if got := describe(drain(t, db, *now)); !slices.Equal(got, want) {
				t.Fatalf("outbox %v, want %v", got, want)
			}
			if _, err := svc.Resolve(ctx, tc.c, 1, ""); rituals.ErrorCode(err) != rituals.ECONFLICT {
				t.Fatalf("resolving twice: err=%v, want ECONFLICT", err)
			}
			week, err := db.Blockers(ctx, rituals.BlockerFilter{Team: "T1", ResolvedSince: now.Add(-time.Hour), ResolvedBefore: now.Add(time.Hour)})
			if err != nil || len(week) != 1 || week[0].TimeToResolve != 50*time.Hour {
				t.Fatalf("resolved this week: %v, %v", week, err)
			}
		})
	}
	t.Run("ErrNoteTooLong", func(t *testing.T) {
		svc, _, _ := newBlockers(t)
		_, err := svc.Resolve(ctx, caller("UANN", "CPUB", ""), 1, string(make([]byte, 3001)))
		if rituals.FieldErrors(err)[rituals.FieldNote] == "" {
			t.Fatalf("err=%v, want a note field error", err)
		}
	})
}

func TestBlockersAcknowledge(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newBlockers(t)
	if _, err := svc.Report(ctx, caller("UANN", "CPUB", ""), schemaBlocker()); err != nil {
		t.Fatal(err)
	}
	drain(t, db, *now)
	if _, err := svc.Acknowledge(ctx, caller("UCAT", "CPUB", "a1"), 1); err != nil {
		t.Fatal(err)
	}
	if got := describe(drain(t, db, *now)); !slices.Equal(got, []string{"blocker.card.update>CPUB"}) {
		t.Fatalf("outbox %v", got)
	}
	for name, tc := range map[string]struct {
		user, want string
	}{
		"ErrTwice":    {"UCAT", rituals.ECONFLICT},
		"ErrReporter": {"UANN", rituals.EFORBIDDEN},
		"ErrOutsider": {"UEVE", rituals.EFORBIDDEN},
	} {
		if _, err := svc.Acknowledge(ctx, caller(tc.user, "CPUB", ""), 1); rituals.ErrorCode(err) != tc.want {
			t.Errorf("%s: err=%v, want %s", name, err, tc.want)
		}
	}
	b, _ := db.Blocker(ctx, "T1", 1)
	if len(b.Acks) != 1 || b.Acks[0].User != "UCAT" || !b.AckedBy("UCAT") {
		t.Fatalf("acks %+v", b.Acks)
	}
}

func TestBlockersSLA(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newBlockers(t)
	c := caller("UANN", "CPUB", "")
	if d, def, err := svc.SLA(ctx, c); err != nil || d != 72*time.Hour || !def {
		t.Fatalf("SLA=%v default=%v err=%v, want the 72h default", d, def, err)
	}
	if err := svc.SetSLA(ctx, c, 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	if d, def, _ := svc.SLA(ctx, c); d != 48*time.Hour || def {
		t.Fatalf("SLA=%v default=%v, want 48h set", d, def)
	}
	if d, _, _ := svc.SLA(ctx, caller("UANN", "COTHER", "")); d != 72*time.Hour {
		t.Fatalf("another channel's SLA=%v, want the default", d)
	}
	t.Run("ErrNotAdminWhenAdminsSet", func(t *testing.T) {
		c := caller("UANN", "CPUB", "")
		c.AdminsOnly = true
		if err := svc.SetSLA(ctx, c, time.Hour); rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("err=%v, want EFORBIDDEN", err)
		}
		c.Admin = true
		if err := svc.SetSLA(ctx, c, time.Hour); err != nil {
			t.Fatalf("admin refused: %v", err)
		}
	})
	t.Run("ErrOutOfRange", func(t *testing.T) {
		if err := svc.SetSLA(ctx, c, time.Minute); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("err=%v, want EINVALID", err)
		}
	})
}

func TestBlockerWatch(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newBlockers(t)
	watch := &rituals.BlockerWatch{Store: db}
	start := *now
	if err := svc.SetSLA(ctx, caller("UADM", "COTHER", ""), 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	in := schemaBlocker()
	in.NeededBy = "2026-11-24"                              // today: it ends at midnight UTC, 15 hours on
	for _, ch := range []string{"CPUB", "CPUB", "COTHER"} { // B-1, B-2 (resolved), B-3 (24h SLA)
		if _, err := svc.Report(ctx, caller("UANN", ch, ""), in); err != nil {
			t.Fatal(err)
		}
	}
	drain(t, db, *now)
	tick := func(at time.Time) []string {
		t.Helper()
		*now = at
		if err := watch.Due(ctx, at); err != nil {
			t.Fatal(err)
		}
		return describe(drain(t, db, at))
	}

	// All three are overdue, once.
	if got := tick(start.Add(16 * time.Hour)); !slices.Equal(got, []string{"blocker.card.update>COTHER", "blocker.card.update>CPUB", "blocker.card.update>CPUB"}) {
		t.Fatalf("overdue tick sent %v", got)
	}
	if got := tick(start.Add(17 * time.Hour)); len(got) != 0 {
		t.Fatalf("a second tick sent %v", got)
	}
	escalated := []string{"blocker.card.update>COTHER", "blocker.notice>CPLAT:escalated", "blocker.notice>UANN:escalated",
		"blocker.notice>UBOB:escalated", "blocker.notice>UCAT:escalated"}
	if got := tick(start.Add(24 * time.Hour)); !slices.Equal(got, escalated) {
		t.Fatalf("at 24h: %v, want B-3 escalated under its channel's 24h SLA: %v", got, escalated)
	}
	// B-2 is resolved a minute before its 72h SLA: never escalated.
	*now = start.Add(72*time.Hour - time.Minute)
	if _, err := svc.Resolve(ctx, caller("UANN", "CPUB", ""), 2, ""); err != nil {
		t.Fatal(err)
	}
	drain(t, db, *now)
	escalated[0] = "blocker.card.update>CPUB"
	slices.Sort(escalated)
	for i, at := range []time.Duration{72 * time.Hour, 73 * time.Hour, 200 * time.Hour} {
		got := tick(start.Add(at))
		if i == 0 && !slices.Equal(got, escalated) {
			t.Fatalf("at 72h: %v, want only B-1 escalated: %v", got, escalated)
		}
		if i > 0 && len(got) != 0 {
			t.Fatalf("tick %d after the escalation sent %v", i, got)
		}
	}
	t.Run("ClaimsAreOnce", func(t *testing.T) {
		// A replica that read the same stale list claims after this one.
		for name, claim := range map[string]func(tx rituals.Tx) error{
			"EscalateAgain":    func(tx rituals.Tx) error { return tx.ClaimEscalation(ctx, "T1", 1, *now) },
			"OverdueAgain":     func(tx rituals.Tx) error { return tx.ClaimOverdue(ctx, "T1", 1, *now) },
			"EscalateResolved": func(tx rituals.Tx) error { return tx.ClaimEscalation(ctx, "T1", 2, *now) },
		} {
			if err := db.InTx(ctx, claim); !errors.Is(err, rituals.ErrDuplicate) {
				t.Errorf("%s: err=%v, want ErrDuplicate", name, err)
			}
		}
	})
	b1, _ := db.Blocker(ctx, "T1", 1)
	b2, _ := db.Blocker(ctx, "T1", 2)
	if !b1.EscalatedAt.Equal(start.Add(72*time.Hour)) || b1.OverdueAt.IsZero() || !b2.EscalatedAt.IsZero() {
		t.Fatalf("B-1 escalated %v overdue %v; B-2 escalated %v", b1.EscalatedAt, b1.OverdueAt, b2.EscalatedAt)
	}
}
