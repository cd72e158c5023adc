package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func TestCheckinStore(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)
	chk := &rituals.Checkin{Team: "T1", Channel: "C1", ScheduledFor: at, OpenedAt: at, ClosesAt: at.Add(24 * time.Hour),
		Zone: rituals.StoredZone("Europe/Berlin"), NextDue: "2026-12-07", Agenda: rituals.Agenda{Blockers: []rituals.AgendaBlocker{{Number: 3, Text: "dns"}}}}
	in := func(fn func(tx rituals.Tx) error) error { return db.InTx(ctx, fn) }
	if err := in(func(tx rituals.Tx) error { return tx.CreateCheckin(ctx, chk) }); err != nil {
		t.Fatal(err)
	}
	open, err := db.Checkins(ctx, rituals.CheckinFilter{Open: true})
	if err != nil || len(open) != 1 || open[0].Agenda.Blockers[0].Text != "dns" || open[0].Zone.String() != "Europe/Berlin" {
		t.Fatalf("open=%+v err=%v", open, err)
	}

	t.Run("AnswersReplaceAndSayFirst", func(t *testing.T) {
		a := &rituals.CheckinAnswer{Team: "T1", Channel: "C1", ScheduledFor: at, User: "U1", Outcomes: "one",
			Blockers: []rituals.BlockerLine{{Text: "b", Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}}, AnsweredAt: at}
		var first1, first2 bool
		in(func(tx rituals.Tx) (err error) { first1, err = tx.SaveCheckinAnswer(ctx, a); return })
		a.Outcomes = "two"
		in(func(tx rituals.Tx) (err error) { first2, err = tx.SaveCheckinAnswer(ctx, a); return })
		got, _ := db.CheckinAnswers(ctx, "T1", "C1", at)
		if !first1 || first2 || len(got) != 1 || got[0].Outcomes != "two" || got[0].Blockers[0].Parties[0].ID != "U2" {
			t.Fatalf("first=%v,%v answers=%+v", first1, first2, got)
		}
	})
	t.Run("RepliesOnceEach", func(t *testing.T) {
		r := rituals.CheckinReply{User: "U3", TS: "1.1", Text: "hi", At: at}
		for i := 0; i < 2; i++ {
			if err := in(func(tx rituals.Tx) error { return tx.AddCheckinReply(ctx, "T1", "C1", at, r) }); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := db.CheckinReplies(ctx, "T1", "C1", at); len(got) != 1 {
			t.Fatalf("replies=%+v", got)
		}
	})
	t.Run("RemindedAndClosedOnce", func(t *testing.T) {
		for i, want := range []error{nil, rituals.ErrDuplicate} {
			if err := in(func(tx rituals.Tx) error { return tx.MarkCheckinReminded(ctx, chk, at) }); err != want {
				t.Fatalf("remind #%d err=%v, want %v", i+1, err, want)
			}
		}
		chk.ClosedAt, chk.Members, chk.Answered, chk.Blockers = at.Add(time.Hour), 4, 2, []int64{7, 8}
		for i, want := range []error{nil, rituals.ErrDuplicate} {
			if err := in(func(tx rituals.Tx) error { return tx.CloseCheckin(ctx, chk) }); err != want {
				t.Fatalf("close #%d err=%v, want %v", i+1, err, want)
			}
		}
		got, err := db.Checkin(ctx, "T1", "C1", at)
		if err != nil || got.Open() || got.Answered != 2 || len(got.Blockers) != 2 || got.Blockers[1] != 8 {
			t.Fatalf("closed=%+v err=%v", got, err)
		}
	})
	t.Run("PendingTakenOnce", func(t *testing.T) {
		a := &rituals.CheckinAnswer{Team: "T1", Channel: "C1", User: "U5", Outcomes: "ahead", AnsweredAt: at}
		in(func(tx rituals.Tx) error { return tx.SavePendingAnswer(ctx, a) })
		var got1, got2 []rituals.CheckinAnswer
		in(func(tx rituals.Tx) (err error) { got1, err = tx.TakePendingAnswers(ctx, "T1", "C1"); return })
		in(func(tx rituals.Tx) (err error) { got2, err = tx.TakePendingAnswers(ctx, "T1", "C1"); return })
		if len(got1) != 1 || got1[0].Outcomes != "ahead" || len(got2) != 0 {
			t.Fatalf("taken %+v then %+v", got1, got2)
		}
	})
	t.Run("AwaySkipsWindow", func(t *testing.T) {
		in(func(tx rituals.Tx) error { return tx.SetAway(ctx, "T1", "U6", "2026-12-10") })
		in(func(tx rituals.Tx) error { return tx.AddCheckinSkip(ctx, "T1", "C1", "2026-12-24", "U1") })
		in(func(tx rituals.Tx) error { return tx.SaveCheckinWindow(ctx, "T1", "C1", 8*time.Hour, at) })
		if away, _ := db.AwayThrough(ctx, "T1", "2026-12-10"); len(away) != 1 {
			t.Fatalf("away on the last day: %v", away)
		}
		if away, _ := db.AwayThrough(ctx, "T1", "2026-12-11"); len(away) != 0 {
			t.Fatalf("away after it: %v", away)
		}
		if skips, _ := db.CheckinSkips(ctx, "T1", "C1", "2026-12-01"); len(skips) != 1 || skips[0] != "2026-12-24" {
			t.Fatalf("skips=%v", skips)
		}
		if w, _ := db.CheckinWindow(ctx, "T1", "C1"); w != 8*time.Hour {
			t.Fatalf("window=%v", w)
		}
		if w, _ := db.CheckinWindow(ctx, "T1", "C2"); w != rituals.DefaultCheckinWindow {
			t.Fatalf("default window=%v", w)
		}
	})
}
