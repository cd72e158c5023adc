package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// pendingHomes returns the waiting App Home items as "kind>lane" (with
// "!" for interactive), in order.
func pendingHomes(t *testing.T, db *storage.DB) []string {
	t.Helper()
	var out []string
	rows, err := db.QueryRowsForTest(context.Background(), `SELECT kind, lane, interactive FROM outbox
		WHERE state = 'pending' AND kind LIKE 'home.%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, lane string
		var interactive bool
		if err := rows.Scan(&kind, &lane, &interactive); err != nil {
			t.Fatal(err)
		}
		s := kind + ">" + lane
		if interactive {
			s += "!"
		}
		out = append(out, s)
	}
	return out
}

func TestHomeRefreshesCoalesce(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	in := func(fn func(tx rituals.Tx) error) {
		t.Helper()
		if err := db.InTx(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	refresh := func(team string, ids ...string) {
		t.Helper()
		in(func(tx rituals.Tx) error { return tx.RefreshHomes(ctx, team, ids) })
	}
	want := func(want ...string) {
		t.Helper()
		if diff := cmp.Diff(want, pendingHomes(t, db)); diff != "" {
			t.Fatalf("pending App Home items (-want +got):\n%s", diff)
		}
	}

	refresh("T1", "UANN", "CPUB")
	want() // nobody has opened App Home: nothing to refresh, no channel to fan out to

	in(func(tx rituals.Tx) error { return tx.OpenedHome(ctx, "T1", "UANN") })
	want("home.refresh>home:UANN!")

	t.Run("OneWaitingPerPerson", func(t *testing.T) {
		refresh("T1", "UANN", "UBOB", "UANN", "")
		want("home.refresh>home:UANN!") // Bob never opened his; Ann's waiting one takes this in
	})
	t.Run("OneBeingSentDoesNotCount", func(t *testing.T) {
		items, err := db.ClaimOutbox(ctx, "test", now, now, time.Minute, 10, false)
		if err != nil || len(items) != 1 || items[0].User != "UANN" || items[0].Kind != rituals.KindHomeRefresh {
			t.Fatalf("claimed %+v, %v", items, err)
		}
		refresh("T1", "UANN")
		want("home.refresh>home:UANN!", "home.refresh>home:UANN") // it may have read the data before the change
		refresh("T1", "UANN")
		want("home.refresh>home:UANN!", "home.refresh>home:UANN")
		if err := db.MarkSent(ctx, items[0], "", "", now); err != nil {
			t.Fatal(err)
		}
		want("home.refresh>home:UANN")
	})
	t.Run("OneWhoseClaimLapsedDoesNotCount", func(t *testing.T) {
		// Its sender may be slow rather than dead, and finish it with the
		// data it read before this change: the change needs its own.
		items, err := db.ClaimOutbox(ctx, "test", now, now, time.Minute, 10, false)
		if err != nil || len(items) != 1 {
			t.Fatalf("claimed %+v, %v", items, err)
		}
		now = now.Add(2 * time.Minute)
		refresh("T1", "UANN")
		want("home.refresh>home:UANN", "home.refresh>home:UANN")
		if err := db.MarkSent(ctx, items[0], "", "", now); err != nil {
			t.Fatal(err)
		}
		want("home.refresh>home:UANN")
	})
	t.Run("OpeningMakesTheWaitingOneInteractive", func(t *testing.T) {
		in(func(tx rituals.Tx) error { return tx.OpenedHome(ctx, "T1", "UANN") })
		want("home.refresh>home:UANN!")
	})
	t.Run("ChannelsFanOutOnceSomeoneUsesAppHome", func(t *testing.T) {
		refresh("T1", "CPUB", "GPRIV", "CPUB")
		want("home.refresh>home:UANN!", "home.channel>home:CPUB", "home.channel>home:GPRIV")
		refresh("T1", "CPUB")
		want("home.refresh>home:UANN!", "home.channel>home:CPUB", "home.channel>home:GPRIV")
		refresh("T2", "CPUB", "UANN") // another workspace: Ann has not opened App Home there
		want("home.refresh>home:UANN!", "home.channel>home:CPUB", "home.channel>home:GPRIV")
	})
	t.Run("ManyPeopleInChunks", func(t *testing.T) {
		var ids []string
		for i := range 1200 {
			u := fmt.Sprintf("UX%04d", i)
			ids = append(ids, u)
			if i%2 == 0 {
				in(func(tx rituals.Tx) error { return tx.OpenedHome(ctx, "T3", u) })
			}
		}
		drain(t, db, now)
		refresh("T3", ids...)
		if got := len(pendingHomes(t, db)); got != 600 {
			t.Fatalf("%d refreshes for the 600 of 1200 people who opened App Home", got)
		}
	})
}

// homeWorld records, through the use cases, a workspace where Ann has
// something of every kind waiting, Bob a little, and Eve nothing.
type homeWorld struct {
	db  *storage.DB
	now *time.Time
}

func newHomeWorld(t *testing.T) homeWorld {
	t.Helper()
	ctx := context.Background()
	decisions, now, db := newDecisions(t)
	for _, ch := range []rituals.Channel{{Team: "T1", ID: "CPLAT", Name: "platform"}} {
		if err := db.SaveChannel(ctx, ch, *now); err != nil {
			t.Fatal(err)
		}
	}
	blockers := &rituals.Blockers{Store: db, Now: decisions.Now}
	pulses := &rituals.Pulses{Store: db, Now: decisions.Now}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	propose := func(owner, channel, title string, by rituals.Date) {
		t.Helper()
		c := caller("UANN", channel, "")
		c.ChannelPrivate = channel[0] == 'G'
		must(decisions.Record(ctx, c, rituals.DecisionInput{Title: title, Text: title, Owner: owner,
			Status: rituals.StatusProposed, DecideBy: by}))
	}
	propose("UANN", "CPUB", "Due later", "2026-12-10")    // D-1
	propose("UANN", "GPRIV", "Secret plan", "2026-11-30") // D-2
	propose("UBOB", "CPUB", "Bob's", "2026-11-25")        // D-3
	propose("UANN", "CPUB", "Due first", "2026-11-25")    // D-4
	for i := range 3 {                                    // D-5, D-6, D-7
		must(decisions.Record(ctx, caller("UBOB", []string{"CPUB", "COTHER", "GPRIV"}[i], ""), rituals.QuickDecision(fmt.Sprintf("Decided %d", i))))
	}

	report := func(reporter, channel, text string, parties ...rituals.Party) *rituals.Blocker {
		t.Helper()
		c := caller(reporter, channel, "")
		c.ChannelPrivate = channel[0] == 'G'
		b, err := blockers.Report(ctx, c, rituals.BlockerInput{Text: text, Parties: parties})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	user := func(id string) rituals.Party { return rituals.Party{Kind: rituals.PartyUser, ID: id} }
	group := func(ms ...string) rituals.Party {
		return rituals.Party{Kind: rituals.PartyGroup, ID: "SPLAT", Name: "@platform", Members: ms}
	}
	channel := func(id string) rituals.Party { return rituals.Party{Kind: rituals.PartyChannel, ID: id} }
	report("UANN", "CPUB", "Reported by Ann", user("UBOB"))              // B-1
	report("UBOB", "CPUB", "Names Ann", user("UANN"))                    // B-2
	report("UBOB", "CPUB", "Ann's group", group("UCAT", "UANN"))         // B-3
	report("UBOB", "CPUB", "Ann's channel", channel("CPLAT"))            // B-4
	report("UBOB", "CPUB", "Not Ann's channel", channel("COTHER"))       // B-5
	report("UBOB", "CPUB", "A group of others", group("UANNA", "XUANN")) // B-6
	report("UBOB", "GPRIV", "In secret, naming Ann", user("UANN"))       // B-7
	resolved := report("UBOB", "CPUB", "Resolved since", user("UANN"))   // B-8
	must(blockers.Resolve(ctx, caller("UBOB", "CPUB", ""), resolved.Number, "done"))

	in := func(fn func(tx rituals.Tx) error) {
		t.Helper()
		if err := db.InTx(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	for i, ch := range []string{"CPUB", "COTHER", "CPLAT", "GPRIV"} {
		chk := &rituals.Checkin{Team: "T1", Channel: ch, ScheduledFor: now.Add(-time.Hour), OpenedAt: now.Add(-time.Hour),
			ClosesAt: now.Add(time.Duration(10-i) * time.Hour), Zone: rituals.StoredZone("UTC")}
		in(func(tx rituals.Tx) error { return tx.CreateCheckin(ctx, chk) })
		switch ch {
		case "COTHER": // Ann answered this one
			in(func(tx rituals.Tx) error {
				_, err := tx.SaveCheckinAnswer(ctx, &rituals.CheckinAnswer{Team: "T1", Channel: ch, ScheduledFor: chk.ScheduledFor,
					User: "UANN", Outcomes: "shipped", AnsweredAt: *now})
				return err
			})
		case "CPLAT": // and replied in this one's thread
			in(func(tx rituals.Tx) error {
				return tx.AddCheckinReply(ctx, "T1", ch, chk.ScheduledFor, rituals.CheckinReply{User: "UANN", TS: "1.1", Text: "hi", At: *now})
			})
		}
	}
	closed := &rituals.Checkin{Team: "T1", Channel: "CPUB", ScheduledFor: now.Add(-8 * 24 * time.Hour), OpenedAt: now.Add(-8 * 24 * time.Hour),
		ClosesAt: now.Add(-7 * 24 * time.Hour), ClosedAt: now.Add(-7 * 24 * time.Hour), Zone: rituals.StoredZone("UTC")}
	in(func(tx rituals.Tx) error { return tx.CreateCheckin(ctx, closed) })

	ask := func(channel string, users ...string) *rituals.Pulse {
		t.Helper()
		c := caller("UBOB", channel, "")
		c.ChannelPrivate = channel[0] == 'G'
		in := rituals.PulseInput{Question: "Clear priorities in " + channel + "?", Kind: rituals.PulseYesNo,
			Audience: rituals.AudiencePeople, People: users, Threshold: "3"}
		p, err := pulses.Create(ctx, c, in)
		if err != nil {
			t.Fatal(err)
		}
		if p, err = pulses.Launch(ctx, "T1", p.Number, people("", users...)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ask("CPUB", "UANN", "UBOB", "UCAT")             // P-1
	answered := ask("CPUB", "UANN", "UBOB", "UCAT") // P-2: Ann answered
	ask("GPRIV", "UANN", "UBOB", "UCAT")            // P-3
	in(func(tx rituals.Tx) error { return tx.MarkPulseAnswered(ctx, "T1", answered.Number, "UANN", "") })

	drain(t, db, *now)
	// Reminders: one folded a while ago, two folded for one proposal,
	// one for a decided decision's due day (stale), one sent.
	remind := func(kind rituals.Kind, ref int64, data any, folded bool, at time.Time) {
		t.Helper()
		raw, _ := json.Marshal(data)
		*now = at
		in(func(tx rituals.Tx) error {
			return tx.Enqueue(ctx, rituals.Outgoing{Team: "T1", Kind: kind, Channel: "UANN", User: "UANN", Ref: ref, Data: raw, Reminder: true})
		})
		for _, it := range drainUnsent(t, db, at) {
			outcome := "sent"
			if folded {
				outcome = rituals.OutcomeFolded
				if err := db.FinishOutbox(ctx, it.ID, outcome, "capped", at); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := db.MarkSent(ctx, it, it.Channel, "1.0", at); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := *now
	remind(rituals.KindDecisionReminder, 1, rituals.ReminderData{Kind: rituals.ReminderDue}, true, start.Add(-8*24*time.Hour))
	remind(rituals.KindDecisionReminder, 4, rituals.ReminderData{Kind: rituals.ReminderDue}, true, start.Add(-2*time.Hour))
	remind(rituals.KindDecisionReminder, 4, rituals.ReminderData{Kind: rituals.ReminderAfter}, true, start.Add(-time.Hour))
	remind(rituals.KindDecisionReminder, 5, rituals.ReminderData{Kind: rituals.ReminderDue}, true, start.Add(-time.Hour))
	remind(rituals.KindDecisionReminder, 2, rituals.ReminderData{Kind: rituals.ReminderDue}, true, start.Add(-time.Hour))
	remind(rituals.KindPulseReminder, 1, nil, true, start.Add(-30*time.Minute))
	remind(rituals.KindPulseReminder, 2, nil, true, start.Add(-30*time.Minute))
	remind(rituals.KindDecisionReminder, 1, rituals.ReminderData{Kind: rituals.ReminderAfter}, false, start.Add(-time.Minute))
	*now = start
	return homeWorld{db: db, now: now}
}

// drainUnsent claims what waits, leaving it to the caller to settle.
func drainUnsent(t *testing.T, db *storage.DB, now time.Time) []rituals.OutboxItem {
	t.Helper()
	items, err := db.ClaimOutbox(context.Background(), "test", now, now, time.Minute, 1000, false)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// inChannels is a rituals.Memberships with fixed answers.
type inChannels map[string][]string // user → channels

func (m inChannels) MemberOf(_ context.Context, _, user string, channels []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, ch := range channels {
		out[ch] = slices.Contains(m[user], ch)
	}
	return out, nil
}

func TestHomeQueries(t *testing.T) {
	ctx := context.Background()
	w := newHomeWorld(t)
	db, now := w.db, *w.now
	ids := func(get func() ([]string, error)) []string {
		t.Helper()
		got, err := get()
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("Channels", func(t *testing.T) {
		got := ids(func() ([]string, error) { return db.HomeChannels(ctx, "T1") })
		if diff := cmp.Diff([]string{"COTHER", "CPLAT", "CPUB", "GPRIV"}, got); diff != "" {
			t.Fatalf("channels (-want +got):\n%s", diff)
		}
		if got := ids(func() ([]string, error) { return db.HomeChannels(ctx, "T2") }); len(got) != 0 {
			t.Fatalf("another workspace's channels: %v", got)
		}
	})
	t.Run("ProposalsDueFirst", func(t *testing.T) {
		got := ids(func() ([]string, error) {
			ds, err := db.OwnedProposals(ctx, "T1", "UANN")
			return decisionIDs(ds), err
		})
		if diff := cmp.Diff([]string{"D-4", "D-2", "D-1"}, got); diff != "" {
			t.Fatalf("Ann's proposals (-want +got):\n%s", diff)
		}
	})
	t.Run("BlockersReportedOrToActOn", func(t *testing.T) {
		got := ids(func() ([]string, error) {
			bs, err := db.BlockersFor(ctx, "T1", "UANN", []string{"CPUB", "CPLAT", "GPRIV"})
			var out []string
			for _, b := range bs {
				out = append(out, b.ID())
			}
			return out, err
		})
		// Not B-5 (a channel she is not in), B-6 (a group of others whose
		// IDs contain hers) nor B-8 (resolved).
		if diff := cmp.Diff([]string{"B-1", "B-2", "B-3", "B-4", "B-7"}, got); diff != "" {
			t.Fatalf("Ann's blockers (-want +got):\n%s", diff)
		}
		bs, err := db.BlockersFor(ctx, "T1", "UANN", nil)
		if err != nil || len(bs) != 4 {
			t.Fatalf("in no channel: %d blockers, %v; want B-1, B-2, B-3, B-7", len(bs), err)
		}
	})
	t.Run("CheckinsNotTakenPartIn", func(t *testing.T) {
		cs, err := db.CheckinsAwaiting(ctx, "T1", "UANN", []string{"CPUB", "COTHER", "CPLAT", "GPRIV"}, now)
		var got []string
		for _, c := range cs {
			got = append(got, c.Channel)
		}
		if diff := cmp.Diff([]string{"GPRIV", "CPUB"}, got); err != nil || diff != "" {
			t.Fatalf("Ann's check-ins, closing first (-want +got):\n%s %v", diff, err)
		}
		if cs, _ := db.CheckinsAwaiting(ctx, "T1", "UANN", []string{"CPUB"}, now.Add(11*time.Hour)); len(cs) != 0 {
			t.Fatalf("a check-in past its close still waits: %+v", cs)
		}
	})
	t.Run("PulsesNotAnswered", func(t *testing.T) {
		ps, err := db.PulsesAwaiting(ctx, "T1", "UANN", now)
		var got []string
		for _, p := range ps {
			got = append(got, p.ID())
		}
		if diff := cmp.Diff([]string{"P-1", "P-3"}, got); err != nil || diff != "" {
			t.Fatalf("Ann's pulses (-want +got):\n%s %v", diff, err)
		}
		if ps, _ := db.PulsesAwaiting(ctx, "T1", "UANN", now.Add(49*time.Hour)); len(ps) != 0 {
			t.Fatalf("pulses past their close still wait: %d", len(ps))
		}
	})
	t.Run("RecentNewestFirst", func(t *testing.T) {
		ds, err := db.RecentDecisions(ctx, "T1", []string{"CPUB", "COTHER"}, 3)
		if diff := cmp.Diff([]string{"D-6", "D-5", "D-4"}, decisionIDs(ds)); err != nil || diff != "" {
			t.Fatalf("recent (-want +got):\n%s %v", diff, err)
		}
		if ds, err := db.RecentDecisions(ctx, "T1", nil, 10); err != nil || len(ds) != 0 {
			t.Fatalf("in no channel: %v %v", ds, err)
		}
	})
	t.Run("FoldedRemindersOfTheWeek", func(t *testing.T) {
		items, err := db.FoldedReminders(ctx, "T1", "UANN", now.Add(-rituals.HomeHeldFor), 10)
		var got []string
		for _, it := range items {
			got = append(got, fmt.Sprintf("%s/%d", it.Kind, it.Ref))
		}
		want := []string{"pulse.reminder/2", "pulse.reminder/1", "decision.reminder/2", "decision.reminder/5",
			"decision.reminder/4", "decision.reminder/4"}
		if diff := cmp.Diff(want, got); err != nil || diff != "" {
			t.Fatalf("folded (-want +got):\n%s %v", diff, err)
		}
	})
}

func decisionIDs(ds []*rituals.Decision) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ID())
	}
	return out
}

func TestHomeBuild(t *testing.T) {
	ctx := context.Background()
	w := newHomeWorld(t)
	homes := &rituals.Homes{Store: w.db, Now: fixedClock(w.now),
		Members: inChannels{"UANN": {"CPUB", "COTHER", "CPLAT", "GPRIV"}, "UBOB": {"CPUB", "COTHER"}}}
	lines := func(h *rituals.Home) string {
		var b strings.Builder
		for _, it := range h.Proposed.Items {
			fmt.Fprintf(&b, "proposed %s %q hidden=%t\n", it.Entry.ID(), it.Entry.Title, it.Hidden)
		}
		for _, it := range h.Blockers.Items {
			fmt.Fprintf(&b, "blocker %s %q hidden=%t\n", it.Entry.ID(), it.Entry.Text, it.Hidden)
		}
		for _, it := range h.Checkins.Items {
			fmt.Fprintf(&b, "checkin %s\n", it.Entry.Channel)
		}
		for _, it := range h.Pulses.Items {
			fmt.Fprintf(&b, "pulse %s %q hidden=%t\n", it.Entry.ID(), it.Entry.Question, it.Hidden)
		}
		for _, it := range h.Held.Items {
			fmt.Fprintf(&b, "held %s %s hidden=%t\n", it.Entry.ID(), it.Entry.Reminder, it.Hidden)
		}
		for _, d := range h.Recent {
			fmt.Fprintf(&b, "recent %s\n", d.ID())
		}
		return b.String()
	}

	build := func(t *testing.T, user string) *rituals.Home {
		t.Helper()
		h, err := homes.Build(ctx, "T1", user, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}

	t.Run("MemberSeesEverything", func(t *testing.T) {
		h := build(t, "UANN")
		want := `proposed D-4 "Due first" hidden=false
proposed D-2 "Secret plan" hidden=false
proposed D-1 "Due later" hidden=false
blocker B-1 "Reported by Ann" hidden=false
blocker B-2 "Names Ann" hidden=false
blocker B-3 "Ann's group" hidden=false
blocker B-4 "Ann's channel" hidden=false
blocker B-5 "Not Ann's channel" hidden=false
blocker B-7 "In secret, naming Ann" hidden=false
checkin GPRIV
checkin CPUB
pulse P-1 "Clear priorities in CPUB?" hidden=false
pulse P-3 "Clear priorities in GPRIV?" hidden=false
held P-1  hidden=false
held D-2 due hidden=false
held D-4 after hidden=false
recent D-7
recent D-6
recent D-5
recent D-4
recent D-3
recent D-2
recent D-1
`
		if diff := cmp.Diff(want, lines(h)); diff != "" {
			t.Fatalf("Ann's Home (-want +got):\n%s", diff)
		}
		if h.Today != "2026-11-24" || !h.Waiting() {
			t.Fatalf("today=%s waiting=%t", h.Today, h.Waiting())
		}
	})
	t.Run("NonMemberSeesNoPrivateContent", func(t *testing.T) {
		homes.Members = inChannels{"UANN": {"CPUB", "COTHER", "CPLAT"}}
		want := `proposed D-4 "Due first" hidden=false
proposed D-2 "" hidden=true
proposed D-1 "Due later" hidden=false
blocker B-1 "Reported by Ann" hidden=false
blocker B-2 "Names Ann" hidden=false
blocker B-3 "Ann's group" hidden=false
blocker B-4 "Ann's channel" hidden=false
blocker B-5 "Not Ann's channel" hidden=false
blocker B-7 "" hidden=true
checkin CPUB
pulse P-1 "Clear priorities in CPUB?" hidden=false
pulse P-3 "" hidden=true
held P-1  hidden=false
held D-2 due hidden=true
held D-4 after hidden=false
recent D-6
recent D-5
recent D-4
recent D-3
recent D-1
`
		if diff := cmp.Diff(want, lines(build(t, "UANN"))); diff != "" {
			t.Fatalf("Ann's Home outside #secret (-want +got):\n%s", diff)
		}
	})
	t.Run("NothingWaiting", func(t *testing.T) {
		if h := build(t, "UEVE"); h.Waiting() || len(h.Recent) != 0 {
			t.Fatalf("Eve, in no channel, has: %s", lines(h))
		}
	})
	t.Run("ListsCapped", func(t *testing.T) {
		decisions := &rituals.Decisions{Store: w.db, Now: fixedClock(w.now)}
		for i := range rituals.HomeListCap + 3 {
			ch := []string{"CPUB", "COTHER"}[i%2]
			if _, err := decisions.Record(ctx, caller("UBOB", ch, ""), rituals.DecisionInput{Title: fmt.Sprintf("More %d", i),
				Text: "x", Owner: "UEVE", Status: rituals.StatusProposed, DecideBy: "2026-12-01"}); err != nil {
				t.Fatal(err)
			}
		}
		l := build(t, "UEVE").Proposed
		if len(l.Items) != rituals.HomeListCap || l.More != 3 || len(l.MoreIDs) != 3 || l.MoreIDs[0] != "D-18" {
			t.Fatalf("items=%d more=%d ids=%v", len(l.Items), l.More, l.MoreIDs)
		}
		if diff := cmp.Diff([]rituals.ChannelCount{{Channel: "CPUB", N: 2}, {Channel: "COTHER", N: 1}}, l.MoreIn); diff != "" {
			t.Fatalf("more in (-want +got):\n%s", diff)
		}
	})
}

// The tour shows while someone's last opening of their Home was the first,
// through every refresh of that visit, and never once they open it again.
func TestHomeTour(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = fixedClock(&now)
	homes := &rituals.Homes{Store: db, Now: fixedClock(&now), Members: inChannels{}}
	open := func(id string) {
		t.Helper()
		if err := homes.Opened(ctx, rituals.Caller{Team: "T1", User: "UANN", RequestID: id}); err != nil {
			t.Fatal(err)
		}
	}
	tour := func() bool {
		t.Helper()
		h, err := homes.Build(ctx, "T1", "UANN", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		return h.Tour
	}
	if tour() {
		t.Fatal("a tour before the Home was ever opened")
	}
	open("ev-1")
	if !tour() {
		t.Fatal("no tour on the first opening")
	}
	now = now.Add(time.Minute)
	if err := homes.Refresh(ctx, "T1", "UANN"); err != nil {
		t.Fatal(err)
	}
	if !tour() {
		t.Fatal("the tour left on a refresh during the first visit")
	}
	open("ev-2")
	if tour() {
		t.Fatal("the tour shows again on the second opening")
	}
	if h, err := homes.Build(ctx, "T1", "UBOB", time.UTC); err != nil || h.Tour {
		t.Fatalf("Bob, who never opened his Home: tour=%v, %v", h != nil && h.Tour, err)
	}
}
