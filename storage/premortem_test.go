package storage_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

func newSessions(t *testing.T) (*rituals.Sessions, *time.Time, *storage.DB) {
	t.Helper()
	svc, now, db := newDecisions(t)
	return &rituals.Sessions{Store: db, Now: svc.Now}, now, db
}

// openPremortem opens a pre-mortem in channel as Ann and returns it.
func openPremortem(t *testing.T, svc *rituals.Sessions, channel, req string, launch rituals.Date) *rituals.Session {
	t.Helper()
	ses, err := svc.Open(context.Background(), caller("UANN", channel, req),
		rituals.SessionInput{Kind: rituals.SessionPremortem, Name: "Checkout v2", CreatorName: "Ann Lee", LaunchOn: launch})
	if err != nil {
		t.Fatal(err)
	}
	return ses
}

func addRisk(t *testing.T, svc *rituals.Sessions, c rituals.Caller, n int64, in rituals.ItemInput) *rituals.Item {
	t.Helper()
	if in.Kind == "" {
		in.Kind = rituals.ItemFailure
	}
	_, it, err := svc.AddItem(context.Background(), c, n, in)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestPremortemItemsVotesAndClose(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newSessions(t)
	ses := openPremortem(t, svc, "CPUB", "env-1", "")
	if got, want := ses.ID(), "PM-1"; got != want {
		t.Fatalf("ID=%v, want %v", got, want)
	}
	if want := now.Add(rituals.DefaultSessionWindow); !ses.ClosesAt.Equal(want) {
		t.Fatalf("ClosesAt=%v, want the default 48 h, %v", ses.ClosesAt, want)
	}
	low := addRisk(t, svc, caller("UANN", "CPUB", "env-2"), 1, rituals.ItemInput{Text: "Payments time out", Likelihood: "low", Impact: "high"})
	high := addRisk(t, svc, caller("UBOB", "CPUB", "env-3"), 1, rituals.ItemInput{Text: "Nobody owns on-call", Likelihood: "high", Impact: "high"})
	elephant := addRisk(t, svc, caller("UCAT", "CPUB", "env-4"), 1, rituals.ItemInput{Kind: rituals.ItemAssumption,
		Text: "The date was never realistic", Likelihood: "medium", Impact: "high", Tag: rituals.TagElephant, Anonymous: true})
	plain := addRisk(t, svc, caller("UBOB", "CPUB", "ev-5"), 1, rituals.ItemInput{Kind: "", Text: "  Search index lags  ", SourceTS: "9.1"})

	got, err := db.Session(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 4 {
		t.Fatalf("stored %d items, want 4", len(got.Items))
	}
	t.Run("AnonymousElephantHasNoAuthor", func(t *testing.T) {
		e := got.Item(elephant.Number)
		if e.Author != "" || !e.Anonymous || e.Tag != rituals.TagElephant || e.Kind != rituals.ItemAssumption {
			t.Fatalf("stored %+v, want an anonymous elephant with no author", e)
		}
	})
	t.Run("PlainReplyIsUnratedFailureMode", func(t *testing.T) {
		p := got.Item(plain.Number)
		if p.Kind != rituals.ItemFailure || p.Text != "Search index lags" || p.Author != "UBOB" || p.SourceTS != "9.1" || p.Score() != 0 {
			t.Fatalf("stored %+v", p)
		}
	})
	t.Run("VotesToggleOnePerPerson", func(t *testing.T) {
		vote := func(user, req string, item int64, want bool) {
			t.Helper()
			voted, _, err := svc.Vote(ctx, caller(user, "CPUB", req), 1, item)
			if err != nil || voted != want {
				t.Fatalf("%s voting: voted=%v err=%v, want %v", user, voted, err, want)
			}
		}
		vote("UANN", "v1", low.Number, true)
		vote("UBOB", "v2", low.Number, true)
		vote("UBOB", "v3", low.Number, false) // taken back
		vote("UBOB", "v4", plain.Number, true)
		vote("UCAT", "v5", plain.Number, true)
		if _, _, err := svc.Vote(ctx, caller("UCAT", "CPUB", "v5"), 1, plain.Number); !errors.Is(err, rituals.ErrDuplicate) {
			t.Fatalf("redelivered vote: err=%v, want ErrDuplicate", err)
		}
		ses, _ := db.Session(ctx, "T1", 1)
		var order []int64
		for _, it := range ses.Ranked() {
			order = append(order, it.Number)
		}
		// plain (2 votes), low (1 vote), then high (9) over the elephant (6).
		if want := []int64{plain.Number, low.Number, high.Number, elephant.Number}; !slices.Equal(order, want) {
			t.Fatalf("ranked %v, want %v", order, want)
		}
		if v := ses.Item(plain.Number).Votes; v != 2 {
			t.Fatalf("votes=%d, want 2", v)
		}
	})
	drain(t, db, *now)

	t.Run("ClosedByTheStageOnce", func(t *testing.T) {
		*now = now.Add(rituals.DefaultSessionWindow - time.Minute)
		if err := svc.Due(ctx, *now); err != nil {
			t.Fatal(err)
		}
		if items := drain(t, db, *now); len(items) != 0 {
			t.Fatalf("closed early: %v", describe(items))
		}
		*now = now.Add(time.Minute)
		for range 2 {
			if err := svc.Due(ctx, *now); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"session.summary>CPUB", "session.update>CPUB"}
		if got := describe(drain(t, db, *now)); !slices.Equal(got, want) {
			t.Fatalf("outbox %v, want %v", got, want)
		}
		ses, _ := db.Session(ctx, "T1", 1)
		if ses.Open() || !ses.ClosedAt.Equal(*now) || ses.ClosedBy != "" {
			t.Fatalf("stored %+v", ses)
		}
	})
	t.Run("ErrVoteAfterClose", func(t *testing.T) {
		_, _, err := svc.Vote(ctx, caller("UANN", "CPUB", "v9"), 1, high.Number)
		if rituals.ErrorCode(err) != rituals.ECONFLICT {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
		_, _, err = svc.AddItem(ctx, caller("UANN", "CPUB", "a9"), 1, rituals.ItemInput{Kind: rituals.ItemFailure, Text: "Late"})
		if rituals.ErrorCode(err) != rituals.ECONFLICT {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
	})
}

func TestPremortemInputAndVisibility(t *testing.T) {
	ctx := context.Background()
	svc, _, db := newSessions(t)
	secret := openPremortem(t, svc, "GPRIV", "", "")
	openPremortem(t, svc, "CPUB", "", "")
	c := caller("UANN", "CPUB", "")

	t.Run("ErrAnonymousOnlyForElephants", func(t *testing.T) {
		_, _, err := svc.AddItem(ctx, c, 2, rituals.ItemInput{Kind: rituals.ItemFailure, Text: "x", Tag: rituals.TagTiger, Anonymous: true})
		if rituals.FieldErrors(err)[rituals.FieldItemAnonymous] == "" {
			t.Fatalf("err=%v, want an anonymity field error", err)
		}
	})
	t.Run("ErrRetroKindInPremortem", func(t *testing.T) {
		_, _, err := svc.AddItem(ctx, c, 2, rituals.ItemInput{Kind: rituals.ItemWell, Text: "x"})
		if rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("err=%v, want EINVALID", err)
		}
	})
	t.Run("ErrPrivateNotFoundElsewhere", func(t *testing.T) {
		if _, err := svc.Get(ctx, c, secret.Number); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("err=%v, want ENOTFOUND", err)
		}
		if _, _, err := svc.Vote(ctx, c, secret.Number, 1); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("err=%v, want ENOTFOUND", err)
		}
		ss, _ := db.Sessions(ctx, rituals.SessionFilter{Team: "T1", ViewerChannel: "CPUB"})
		if len(ss) != 1 || ss[0].Channel != "CPUB" {
			t.Fatalf("a viewer in CPUB sees %d sessions", len(ss))
		}
	})
	t.Run("ErrRetroCloseOfPremortem", func(t *testing.T) {
		for _, id := range []rituals.SessionID{{Number: 2}, {Number: 2, Kind: rituals.SessionPremortem}} {
			_, err := svc.Close(ctx, caller("UANN", "CPUB", ""), rituals.SessionRetro, id)
			if got, want := rituals.ErrorMessage(err), "PM-2 is a pre-mortem; close it with `/premortem close PM-2`."; got != want {
				t.Fatalf("close %v as a retro: %q, want %q", id, got, want)
			}
		}
		if ses, err := svc.Get(ctx, c, 2); err != nil || !ses.Open() {
			t.Fatalf("after a refused retro close: %v, err %v; want it open", ses, err)
		}
	})
	t.Run("ErrEarlyCloseByOthers", func(t *testing.T) {
		pm2 := rituals.SessionID{Number: 2, Kind: rituals.SessionPremortem}
		_, err := svc.Close(ctx, caller("UBOB", "CPUB", ""), rituals.SessionPremortem, pm2)
		if rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("err=%v, want EFORBIDDEN", err)
		}
		if _, err := svc.Close(ctx, caller("UANN", "CPUB", ""), rituals.SessionPremortem, pm2); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Close(ctx, caller("UANN", "CPUB", ""), rituals.SessionPremortem, pm2); rituals.ErrorCode(err) != rituals.ECONFLICT {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
	})
	t.Run("ErrLaunchInThePast", func(t *testing.T) {
		_, err := svc.Open(ctx, c, rituals.SessionInput{Kind: rituals.SessionPremortem, Name: "Old", LaunchOn: "2026-11-23"})
		if rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("err=%v, want EINVALID", err)
		}
	})
}

func TestPremortemMakeBlockerAndFollowUp(t *testing.T) {
	ctx := context.Background()
	svc, now, db := newSessions(t)
	ses := openPremortem(t, svc, "CPUB", "", "2026-12-01")
	if want := time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC); !ses.FollowUpAt.Equal(want) {
		t.Fatalf("FollowUpAt=%v, want %v", ses.FollowUpAt, want)
	}
	risk := addRisk(t, svc, caller("UBOB", "CPUB", ""), 1, rituals.ItemInput{Text: "Fraud checks block orders", Likelihood: "medium", Impact: "high"})
	drain(t, db, *now)

	b, it, err := svc.MakeBlocker(ctx, caller("UCAT", "CPUB", "mb-1"), 1, risk.Number, "Cat", "")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID() != "B-1" || it.Blocker != 1 || b.Reporter != "UCAT" || b.Channel != "CPUB" || b.Text != risk.Text ||
		len(b.Parties) != 1 || b.Parties[0].Kind != rituals.PartyChannel || b.Parties[0].ID != "CPUB" {
		t.Fatalf("blocker %+v from item %+v", b, it)
	}
	if want := []string{"blocker.card>CPUB", "session.item.update>CPUB"}; !slices.Equal(describe(drain(t, db, *now)), want) {
		t.Fatalf("outbox, want %v", want)
	}
	_, _, err = svc.MakeBlocker(ctx, caller("UCAT", "CPUB", "mb-2"), 1, risk.Number, "Cat", "")
	if rituals.ErrorCode(err) != rituals.ECONFLICT {
		t.Fatalf("second blocker: err=%v, want ECONFLICT", err)
	}
	if bs, _ := db.Blockers(ctx, rituals.BlockerFilter{}); len(bs) != 1 {
		t.Fatalf("%d blockers, want 1", len(bs))
	}

	t.Run("FollowUpTwoWeeksAfterLaunchOnce", func(t *testing.T) {
		*now = time.Date(2026, 12, 15, 9, 59, 0, 0, time.UTC)
		if err := svc.Due(ctx, *now); err != nil {
			t.Fatal(err)
		}
		if items := drain(t, db, *now); slices.Contains(describe(items), "session.followup>CPUB") {
			t.Fatal("followed up before its time")
		}
		*now = now.Add(time.Minute)
		for range 2 {
			if err := svc.Due(ctx, *now); err != nil {
				t.Fatal(err)
			}
		}
		if got := describe(drain(t, db, *now)); !slices.Equal(got, []string{"session.followup>CPUB"}) {
			t.Fatalf("outbox %v, want one follow-up", got)
		}
		happened, err := svc.ToggleHappened(ctx, caller("UANN", "CPUB", ""), 1, risk.Number)
		if err != nil || !happened {
			t.Fatalf("happened=%v err=%v", happened, err)
		}
		got, _ := db.Session(ctx, "T1", 1)
		if got.Item(risk.Number).HappenedBy != "UANN" {
			t.Fatalf("stored %+v", got.Item(risk.Number))
		}
	})
}
