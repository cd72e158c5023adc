package delivery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// memOutbox is an outbox in memory: every pending item unclaimed, or
// whose claim lapsed on the wall clock, is due.
type memOutbox struct {
	mu      sync.Mutex
	pending []rituals.OutboxItem
	claimed map[string]time.Time // id → claimed until
	done    map[string]string    // id → "sent" or the outcome
	reasons map[string]string
	retries []rituals.OutboxItem // as given to RetryOutbox, with the doubt it was given
	// workdays are the channels' working days; deferred, the holds.
	workdays map[string]rituals.Workdays
	deferred map[string]time.Time
}

var _ OutboxStore = (*memOutbox)(nil)

func newMemOutbox(items ...rituals.OutboxItem) *memOutbox {
	return &memOutbox{pending: items, claimed: map[string]time.Time{}, done: map[string]string{}, reasons: map[string]string{},
		workdays: map[string]rituals.Workdays{}, deferred: map[string]time.Time{}}
}

func (o *memOutbox) ClaimOutbox(_ context.Context, _ string, _, wall time.Time, lease time.Duration, limit int, _ bool) ([]rituals.OutboxItem, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []rituals.OutboxItem
	for i := range o.pending {
		it := &o.pending[i]
		if until, held := o.claimed[it.ID]; (held && until.After(wall)) || o.done[it.ID] != "" || len(out) == limit {
			continue
		}
		it.Attempts++
		it.ClaimedUntil = wall.Add(lease)
		o.claimed[it.ID] = it.ClaimedUntil
		out = append(out, *it)
	}
	return out, nil
}

func (o *memOutbox) MarkSent(_ context.Context, it rituals.OutboxItem, _, _ string, _ time.Time) error {
	return o.end(it.ID, "sent", "")
}

func (o *memOutbox) FinishOutbox(_ context.Context, id, outcome, reason string, _ time.Time) error {
	return o.end(id, outcome, reason)
}

func (o *memOutbox) end(id, outcome, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.done[id], o.reasons[id] = outcome, reason
	delete(o.claimed, id)
	return nil
}

func (o *memOutbox) RetryOutbox(_ context.Context, it rituals.OutboxItem, _ time.Time, _ string, doubt bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	it.Doubt = doubt
	o.retries = append(o.retries, it)
	return nil // held: the test looks at one attempt
}

func (o *memOutbox) DeferOutbox(_ context.Context, it rituals.OutboxItem, until time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.deferred[it.ID] = until // and still claimed: not tried again
	return nil
}

func (o *memOutbox) ChannelWorkdays(_ context.Context, _, channel string) (rituals.Workdays, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	days, ok := o.workdays[channel]
	return days, ok, nil
}
func (o *memOutbox) RemindersSent(context.Context, string, string, time.Time) (int, error) {
	return 0, nil
}
func (o *memOutbox) SlackMessage(_ context.Context, _ string, key rituals.MessageKey) (string, string, error) {
	return "", "", rituals.Errorf(rituals.ENOTFOUND, "no message %s", key)
}
func (o *memOutbox) MessageKeyAt(context.Context, string, string, string) (rituals.MessageKey, error) {
	return "", rituals.Errorf(rituals.ENOTFOUND, "no message")
}
func (o *memOutbox) OutboxStats(context.Context) (int, time.Time, error) { return 0, time.Time{}, nil }
func (o *memOutbox) OutboxClaimOwners(context.Context, time.Time) ([]string, error) {
	return nil, nil
}
func (o *memOutbox) ReleaseOutboxClaims(context.Context, string, time.Time) (int64, error) {
	return 0, nil
}

// outcomes returns each item's end, once all n have ended.
func (o *memOutbox) outcomes(n int) (map[string]string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.done) < n {
		return nil, false
	}
	out := map[string]string{}
	for id, v := range o.done {
		out[id] = v
	}
	return out, true
}

// everyDay has the test sender send on any day, today's included.
const everyDay rituals.Workdays = 1<<7 - 1

// newTestSender returns a sender on store that delivers with deliver.
func newTestSender(store OutboxStore, deliver func(context.Context, rituals.OutboxItem) (string, string, error)) *Sender {
	return &Sender{
		store: store, deliver: deliver, now: time.Now, wall: time.Now, metrics: metrics.New(),
		log: slog.New(slog.NewJSONHandler(io.Discard, nil)), owner: "test/1/a",
		userZone: func(context.Context, string, string) *time.Location { return time.UTC },
		Workers:  4, BulkWorkers: 4, Lease: 30 * time.Second, GiveUpAfter: time.Hour, Poll: 10 * time.Millisecond,
		ReminderCap: 3, WorkStart: 0, WorkEnd: 24, Workdays: everyDay, wake: make(chan struct{}, 1),
	}
}

// runUntil runs s until cond holds or 10 s pass.
func runUntil(t *testing.T, s *Sender, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// An item whose send panics is parked with the panic as its reason, and
// the sender, still running, delivers the rest.
func TestSenderParksAnItemThatPanics(t *testing.T) {
	var items []rituals.OutboxItem
	for i := range 5 {
		kind := rituals.Kind("notice")
		if i == 1 {
			kind = "poison"
		}
		items = append(items, rituals.OutboxItem{ID: fmt.Sprintf("item-%d", i), Outgoing: rituals.Outgoing{Team: "T1", Kind: kind, Channel: "C1"},
			CreatedAt: time.Now()})
	}
	store := newMemOutbox(items...)
	s := newTestSender(store, func(_ context.Context, it rituals.OutboxItem) (string, string, error) {
		if it.Kind == "poison" {
			var data map[string]string
			data["boom"] = "assignment to entry in nil map"
		}
		return it.Channel, "1.000001", nil
	})
	var got map[string]string
	runUntil(t, s, func() (ok bool) { got, ok = store.outcomes(len(items)); return ok })
	for _, it := range items {
		want := "sent"
		if it.Kind == "poison" {
			want = rituals.OutcomeParked
		}
		if got[it.ID] != want {
			t.Errorf("%s (%s) ended %q, want %q", it.ID, it.Kind, got[it.ID], want)
		}
	}
	if r := store.reasons["item-1"]; r != "panicked: assignment to entry in nil map" {
		t.Errorf("parked with reason %q", r)
	}
	if n := testutil.ToFloat64(s.metrics.Panics.WithLabelValues(metrics.PanicSender)); n != 1 {
		t.Errorf("alignbot_panics_total{where=sender} = %v, want 1", n)
	}
	if n := testutil.ToFloat64(s.metrics.OutboxSent.WithLabelValues("poison", rituals.OutcomeParked)); n != 1 {
		t.Errorf("parked poison items counted %v, want 1", n)
	}
}

// An attempt ends a third of the lease before its claim lapses, however
// long the claim took to come back: an attempt that outlived its claim
// was still posting when another sender took the item and posted it too.
func TestSenderAttemptEndsBeforeItsClaimLapses(t *testing.T) {
	const lease = 15 * time.Second
	s := newTestSender(nil, nil)
	s.Lease = lease
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		left time.Duration // of the claim when the attempt starts
		want time.Duration
	}{
		{"ClaimAtOnce", lease, 10 * time.Second},
		{"ClaimAfter4s", lease - 4*time.Second, 6 * time.Second},
		{"LongLease", 10 * time.Minute, 20 * time.Second},
		{"ClaimAfter11s", lease - 11*time.Second, -time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := rituals.OutboxItem{ClaimedUntil: now.Add(tc.left)}
			if tc.name == "LongLease" {
				s.Lease = 10 * time.Minute
				defer func() { s.Lease = lease }()
			}
			if got := s.attemptBudget(it, now); got != tc.want {
				t.Fatalf("budget %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("TooLateIsGivenBackUntried", func(t *testing.T) {
		store := newMemOutbox()
		s := newTestSender(store, func(context.Context, rituals.OutboxItem) (string, string, error) {
			t.Fatal("an attempt started with its claim about to lapse")
			return "", "", nil
		})
		s.Lease = lease
		it := rituals.OutboxItem{ID: "late", Outgoing: rituals.Outgoing{Kind: "notice", Channel: "C1"}, Doubt: true,
			CreatedAt: time.Now(), ClaimedUntil: time.Now().Add(lease / 3)}
		s.send(context.Background(), it)
		if len(store.retries) != 1 || store.retries[0].ID != "late" || !store.retries[0].Doubt {
			t.Fatalf("retries %+v, want the item given back, still in doubt", store.retries)
		}
	})
	t.Run("TheAttemptsDeadline", func(t *testing.T) {
		var deadline time.Time
		store := newMemOutbox()
		s := newTestSender(store, func(ctx context.Context, _ rituals.OutboxItem) (string, string, error) {
			deadline, _ = ctx.Deadline()
			return "C1", "1.000001", nil
		})
		s.Lease = lease
		start := time.Now()
		s.send(context.Background(), rituals.OutboxItem{ID: "slow claim", Outgoing: rituals.Outgoing{Kind: "notice", Channel: "C1"},
			CreatedAt: start, ClaimedUntil: start.Add(lease - 7*time.Second)})
		if left := deadline.Sub(start); left > 4*time.Second || left < 2*time.Second {
			t.Fatalf("the attempt may run %v, want about 3 s: 8 s of claim less a third of the lease", left)
		}
	})
}

// An item in doubt stays in doubt when an attempt fails before it posts
// (its search for the earlier post not sent, for Slack's limit): the next
// attempt searches again instead of posting a second copy.
func TestSenderKeepsAnItemInDoubtUntilSettled(t *testing.T) {
	store := newMemOutbox()
	s := newTestSender(store, func(context.Context, rituals.OutboxItem) (string, string, error) {
		return "", "", fmt.Errorf("conversations.history: %w", slackapi.NotSentError{Err: context.DeadlineExceeded})
	})
	s.send(context.Background(), rituals.OutboxItem{ID: "doubtful", Outgoing: rituals.Outgoing{Kind: "notice", Channel: "C1"},
		Doubt: true, Attempts: 2, CreatedAt: time.Now(), ClaimedUntil: time.Now().Add(time.Minute)})
	if len(store.retries) != 1 || !store.retries[0].Doubt {
		t.Fatalf("retries %+v, want the item back, still in doubt", store.retries)
	}
}

// The bot's clock jumping ahead while an item is on the wire does not
// lapse its claim: tests move a fake clock a week at a time, and a claim
// measured on it came back to another claim and was sent twice
// (TestPulseRepeatShowsChangeSinceLastRun, now and then: the reply to
// `/pulse stop` posted again after the clock moved). Claims are measured
// on the wall clock.
func TestSenderClaimOutlivesAJumpOfTheBotsClock(t *testing.T) {
	var mu sync.Mutex
	botNow := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	store := newMemOutbox(rituals.OutboxItem{ID: "reply", Outgoing: rituals.Outgoing{Team: "T1", Kind: "reply", Lane: "reply:U1", Channel: "C1"},
		CreatedAt: botNow})
	onWire, release := make(chan struct{}), make(chan struct{})
	var sends int
	s := newTestSender(store, func(context.Context, rituals.OutboxItem) (string, string, error) {
		mu.Lock()
		sends++
		first := sends == 1
		mu.Unlock()
		if first {
			close(onWire)
			<-release
		}
		return "", "", nil
	})
	s.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return botNow }
	ctx := context.Background()

	s.fill(ctx)
	select {
	case <-onWire:
	case <-time.After(10 * time.Second):
		t.Fatal("the reply was never sent")
	}
	mu.Lock()
	botNow = botNow.Add(7 * 24 * time.Hour)
	mu.Unlock()
	s.fill(ctx) // the week's tick wakes the sender while the reply is on the wire
	close(release)
	s.wg.Wait()

	if out, ok := store.outcomes(1); !ok || out["reply"] != "sent" {
		t.Fatalf("outcomes %v", out)
	}
	if sends != 1 {
		t.Fatalf("sent %d times, want once", sends)
	}
}

// Reminders and escalations wait for the working days of the channel
// they are about, at the start of working hours in the person's zone;
// Monday to Friday when they are about no channel, or it set none.
func TestSenderHoldsRemindersForWorkingDays(t *testing.T) {
	sat := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC) // a Saturday
	fri := sat.AddDate(0, 0, -1)
	sun := sat.AddDate(0, 0, 1)
	mon8 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	sun8 := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		now  time.Time
		out  rituals.Outgoing
		want time.Time // zero: sent now
	}{
		{"ReminderOnSaturdayWaitsForMonday", sat, rituals.Outgoing{User: "U1", Reminder: true}, mon8},
		{"EscalationOnSaturdayWaitsForMonday", sat, rituals.Outgoing{User: "U1", Held: true}, mon8},
		{"ChannelWithoutDaysWaitsForMonday", sat, rituals.Outgoing{User: "U1", Reminder: true, Origin: "CNONE"}, mon8},
		{"SunThuChannelOnFridayWaitsForSunday", fri, rituals.Outgoing{User: "U1", Reminder: true, Origin: "CSUN"}, sun8},
		{"SunThuChannelOnSundayGoes", sun, rituals.Outgoing{User: "U1", Reminder: true, Origin: "CSUN"}, time.Time{}},
		{"FridayGoes", fri, rituals.Outgoing{User: "U1", Reminder: true}, time.Time{}},
		{"NoticeIsNotHeld", sat, rituals.Outgoing{User: "U1"}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := newMemOutbox()
			store.workdays["CSUN"] = 1<<time.Sunday | 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday
			sent := false
			s := newTestSender(store, func(context.Context, rituals.OutboxItem) (string, string, error) {
				sent = true
				return "D1", "1.000001", nil
			})
			s.WorkStart, s.WorkEnd, s.Workdays = 8, 19, rituals.DefaultWorkdays
			s.now = func() time.Time { return tc.now }
			s.wall = s.now // the item was claimed at tc.now, a minute to go
			tc.out.Team, tc.out.Kind, tc.out.Channel = "T1", "notice", "U1"
			s.send(context.Background(), rituals.OutboxItem{ID: "it", Outgoing: tc.out, CreatedAt: tc.now, ClaimedUntil: tc.now.Add(time.Minute)})
			got, held := store.deferred["it"]
			switch {
			case tc.want.IsZero() && (held || !sent):
				t.Fatalf("held until %v (sent %v), want sent now", got, sent)
			case !tc.want.IsZero() && (!got.Equal(tc.want) || sent):
				t.Fatalf("held until %v (sent %v), want held until %v", got, sent, tc.want)
			}
		})
	}
}

// A reminder about something settled while it waited (a decision
// decided, an action item done) goes nowhere and ends expired, not sent:
// the weekly cap counts only reminders that reached the person.
func TestSenderSettledReminderIsNotCountedAsSent(t *testing.T) {
	store := newMemOutbox(rituals.OutboxItem{ID: "r", Outgoing: rituals.Outgoing{Team: "T1", Kind: "decision.reminder", Channel: "U1", User: "U1", Reminder: true},
		CreatedAt: time.Now()})
	s := newTestSender(store, func(context.Context, rituals.OutboxItem) (string, string, error) {
		return "", "", errSettled{"decided meanwhile"}
	})
	var got map[string]string
	runUntil(t, s, func() (ok bool) { got, ok = store.outcomes(1); return ok })
	if got["r"] != rituals.OutcomeExpired || store.reasons["r"] != "decided meanwhile" {
		t.Fatalf("ended %q (%q), want expired", got["r"], store.reasons["r"])
	}
}
