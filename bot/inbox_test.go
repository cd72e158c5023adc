package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// memInbox is an InboxStore in memory, with the same rules as storage's:
// redeliveries are not new, claims take lane heads, finishing drops the
// payload. Tests set its hooks to make writes slow or fail.
type memInbox struct {
	mu       sync.Mutex
	rows     map[string]*memRow
	order    []string       // ids in arrival order
	waiting  map[string]int // by lane: requests waiting unclaimed
	batches  []int          // sizes of the batches written
	released []string
	// headClaims and laneClaims count ClaimInbox and ClaimInboxLane calls.
	headClaims, laneClaims int
	// accept, when set, runs before each batch is written; an error fails it.
	accept func(n int) error
}

type memRow struct {
	it    rituals.InboxItem
	state string
	by    string
	next  time.Time
}

func newMemInbox() *memInbox { return &memInbox{rows: map[string]*memRow{}, waiting: map[string]int{}} }

func (m *memInbox) AcceptInbox(ctx context.Context, owner string, items []rituals.InboxItem) ([]bool, []bool, error) {
	if m.accept != nil {
		if err := m.accept(len(items)); err != nil {
			return nil, nil, err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches = append(m.batches, len(items))
	fresh, claimed := make([]bool, len(items)), make([]bool, len(items))
	for i, it := range items {
		if _, ok := m.rows[it.ID]; ok {
			continue
		}
		r := &memRow{it: it, state: rituals.InboxPending}
		// One owner here: a request waits its turn behind its lane's
		// unclaimed ones.
		if !it.ClaimedUntil.IsZero() && (it.Inline || m.waiting[it.Lane] == 0) {
			r.by, claimed[i] = owner, true
		} else {
			r.it.ClaimedUntil, r.it.Attempts = time.Time{}, 0
			m.waiting[it.Lane]++
		}
		m.rows[it.ID] = r
		m.order = append(m.order, it.ID)
		fresh[i] = true
	}
	return fresh, claimed, nil
}

func (m *memInbox) ClaimInbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]rituals.InboxItem, error) {
	m.mu.Lock()
	m.headClaims++
	m.mu.Unlock()
	return m.claim(owner, "", now, lease, limit), nil
}

func (m *memInbox) ClaimInboxLane(ctx context.Context, owner, lane string, now time.Time, lease time.Duration) ([]rituals.InboxItem, error) {
	m.mu.Lock()
	m.laneClaims++
	m.mu.Unlock()
	return m.claim(owner, lane, now, lease, 1), nil
}

// claim takes the heads of lanes (of lane, if not empty), up to limit.
func (m *memInbox) claim(owner, lane string, now time.Time, lease time.Duration, limit int) []rituals.InboxItem {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []rituals.InboxItem
	seen := map[string]bool{}
	for _, id := range m.order {
		r := m.rows[id]
		if r.state != rituals.InboxPending || seen[r.it.Lane] || (lane != "" && r.it.Lane != lane) {
			continue
		}
		seen[r.it.Lane] = true // only a lane's oldest waiting request is taken
		if len(out) == limit || r.it.ClaimedUntil.After(now) || r.next.After(now) {
			continue
		}
		r.by, r.it.ClaimedUntil = owner, now.Add(lease)
		r.it.Attempts++
		m.waiting[r.it.Lane]--
		out = append(out, r.it)
	}
	return out
}

func (m *memInbox) FinishInbox(ctx context.Context, it rituals.InboxItem, state, reason string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.rows[it.ID]; r != nil && r.state == rituals.InboxPending {
		r.state, r.it.Payload, r.it.ClaimedUntil = state, nil, time.Time{}
	}
	return nil
}

func (m *memInbox) RetryInbox(ctx context.Context, it rituals.InboxItem, next time.Time, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.rows[it.ID]; r != nil && r.state == rituals.InboxPending && r.it.Attempts == it.Attempts && !r.it.ClaimedUntil.IsZero() {
		r.next, r.by, r.it.ClaimedUntil = next, "", time.Time{}
		m.waiting[r.it.Lane]++
	}
	return nil
}

func (m *memInbox) ReleaseInbox(ctx context.Context, owner string, ids []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if r := m.rows[id]; r != nil && r.state == rituals.InboxPending && r.by == owner {
			r.by, r.it.ClaimedUntil = "", time.Time{}
			r.it.Attempts--
			m.waiting[r.it.Lane]++
			m.released = append(m.released, id)
		}
	}
	return nil
}

func (m *memInbox) RenewInbox(ctx context.Context, owner string, until time.Time) error { return nil }

func (m *memInbox) InboxClaimOwners(ctx context.Context, now time.Time) ([]string, error) {
	return nil, nil
}

func (m *memInbox) ReleaseInboxOwner(ctx context.Context, owner string) (int64, error) {
	return 0, nil
}

func (m *memInbox) InboxStats(ctx context.Context) (int, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.rows {
		if r.state == rituals.InboxPending {
			n++
		}
	}
	return n, time.Time{}, nil
}

// state returns the state of the request id.
func (m *memInbox) state(id string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.rows[id]; r != nil {
		return r.state
	}
	return ""
}

var quietLog = slog.New(slog.NewJSONHandler(io.Discard, nil))

// newBot builds a bot as cmd does: its Slack client, directory and
// deliverer first. The deliverer has no store: these tests send nothing.
func newBot(sc slackapi.Config, store Store, svc Services, log *slog.Logger) *Bot {
	c := slackapi.New(sc, nil, log)
	dir := slackapi.NewDirectory(c, store, time.Now)
	m := metrics.New()
	out := delivery.New(c, dir, nil, delivery.Services{}, m, log, time.Now)
	return New(Config{}, c, dir, out, store, svc, m, log, time.Now)
}

// startInbox runs an inbox over store with handle, stopped when t ends.
func startInbox(t *testing.T, store InboxStore, workers int, handle func(context.Context, rituals.InboxItem)) *inbox {
	t.Helper()
	in := newInbox(store, "test-owner", quietLog, metrics.New(), workers, handle)
	in.poll = 5 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	in.run(ctx)
	t.Cleanup(func() {
		in.closeIntake()
		cancel()
		in.stop(context.Background())
		if err := in.wait(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return in
}

// submitted is what submit reported for one request.
type submitted struct {
	fresh bool
	err   error
}

// submitWait submits it and waits for its answer.
func submitWait(in *inbox, it rituals.InboxItem) submitted {
	got := make(chan submitted, 1)
	in.submit(context.Background(), it, false, func(_ rituals.InboxItem, fresh bool, err error) { got <- submitted{fresh, err} })
	return <-got
}

func newItem(id, lane string) rituals.InboxItem {
	return rituals.InboxItem{ID: id, Team: "T1", Kind: "slash_commands", Lane: lane, Received: time.Now()}
}

// waitUntil polls cond until it holds, or fails t after 5 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Requests of one lane are handled one at a time, in the order they came;
// different lanes are handled at once.
func TestInboxKeepsEachLaneInOrder(t *testing.T) {
	var (
		mu      sync.Mutex
		handled = map[string][]string{}
		running = map[string]int{}
		most    int
		total   int
	)
	store := newMemInbox()
	in := startInbox(t, store, 8, func(ctx context.Context, it rituals.InboxItem) {
		mu.Lock()
		running[it.Lane]++
		if running[it.Lane] > 1 {
			t.Errorf("lane %s: two requests at once", it.Lane)
		}
		busy := 0
		for _, n := range running {
			busy += n
		}
		most = max(most, busy)
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		running[it.Lane]--
		handled[it.Lane] = append(handled[it.Lane], it.ID)
		total++
		mu.Unlock()
	})
	const lanes, each = 4, 50
	var want = map[string][]string{}
	for i := range each {
		for l := range lanes {
			lane := fmt.Sprintf("T1/C%d", l)
			id := fmt.Sprintf("%s-%03d", lane, i)
			want[lane] = append(want[lane], id)
			in.submit(context.Background(), newItem(id, lane), false, func(rituals.InboxItem, bool, error) {})
		}
	}
	waitUntil(t, "every request handled", func() bool { mu.Lock(); defer mu.Unlock(); return total == lanes*each })
	for lane, ids := range want {
		if !slices.Equal(handled[lane], ids) {
			t.Errorf("lane %s handled out of order:\n got %v\nwant %v", lane, handled[lane], ids)
		}
	}
	if most < 2 {
		t.Errorf("at most %d requests ran at once over %d lanes", most, lanes)
	}
	for _, ids := range want {
		for _, id := range ids {
			if s := store.state(id); s != rituals.InboxPending {
				// The handler (the bot's) finishes requests; this one did not.
				t.Fatalf("%s is %q: the inbox itself must not finish a request", id, s)
			}
		}
	}
}

// A backlog left in the inbox (written while the process was full, or by
// another) is drained lane by lane: finishing a lane's request claims the
// lane's next from the lane index, not every lane's head, which reads the
// whole backlog each time (the drain slowed as the backlog grew).
func TestBacklogDrainsLaneByLane(t *testing.T) {
	store := newMemInbox()
	const lanes, each = 3, 20
	var backlog []rituals.InboxItem
	want := map[string][]string{}
	for i := range each {
		for l := range lanes {
			it := newItem(fmt.Sprintf("C%d-%02d", l, i), fmt.Sprintf("T1/C%d", l))
			backlog = append(backlog, it)
			want[it.Lane] = append(want[it.Lane], it.ID)
		}
	}
	if _, _, err := store.AcceptInbox(context.Background(), "another", backlog); err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		handled = map[string][]string{}
		total   int
	)
	in := newInbox(store, "test-owner", quietLog, metrics.New(), 4, func(ctx context.Context, it rituals.InboxItem) {
		store.FinishInbox(ctx, it, rituals.InboxDone, "", time.Now()) // as the bot's handler does
		mu.Lock()
		defer mu.Unlock()
		handled[it.Lane] = append(handled[it.Lane], it.ID)
		total++
	})
	in.poll = time.Hour // only hints claim: no poll hides what a finish does
	ctx, cancel := context.WithCancel(context.Background())
	in.run(ctx)
	defer func() {
		in.closeIntake()
		cancel()
		in.stop(context.Background())
		in.wait(context.Background())
	}()
	in.handOn()
	waitUntil(t, "the backlog handled", func() bool { mu.Lock(); defer mu.Unlock(); return total == lanes*each })
	for lane, ids := range want {
		if !slices.Equal(handled[lane], ids) {
			t.Errorf("lane %s handled out of order:\n got %v\nwant %v", lane, handled[lane], ids)
		}
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.laneClaims < lanes*(each-1) || store.headClaims > lanes+2 {
		t.Fatalf("%d claims of every lane's head and %d of a lane's next, want at most %d and at least %d",
			store.headClaims, store.laneClaims, lanes+2, lanes*(each-1))
	}
}

// Requests arriving while a batch is being written go into the next one
// together: a commit per batch, not per request.
func TestInboxGroupCommits(t *testing.T) {
	store := newMemInbox()
	first, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	store.accept = func(n int) error {
		once.Do(func() { close(first); <-release })
		return nil
	}
	in := startInbox(t, store, 1, func(context.Context, rituals.InboxItem) {})
	answers := make(chan submitted, 101)
	answer := func(_ rituals.InboxItem, fresh bool, err error) { answers <- submitted{fresh, err} }
	in.submit(context.Background(), newItem("first", "T1/C1"), false, answer)
	<-first
	for i := range 100 {
		in.submit(context.Background(), newItem(fmt.Sprint("r", i), "T1/C1"), false, answer)
	}
	select {
	case a := <-answers:
		t.Fatalf("a request was answered (%+v) before its batch was written", a)
	default:
	}
	close(release)
	for range 101 {
		if a := <-answers; !a.fresh || a.err != nil {
			t.Fatalf("answered %+v, want fresh", a)
		}
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if !slices.Equal(store.batches, []int{1, 100}) {
		t.Fatalf("batches written: %v, want [1 100]", store.batches)
	}
}

// A request the inbox could not write is reported as such (and so never
// acknowledged) and never handled; a redelivery is reported as not new
// and handled once.
func TestInboxReportsFailedWritesAndRedeliveries(t *testing.T) {
	store := newMemInbox()
	down := errors.New("disk full")
	var fail sync.Mutex
	failing := true
	store.accept = func(int) error {
		fail.Lock()
		defer fail.Unlock()
		if failing {
			return down
		}
		return nil
	}
	var mu sync.Mutex
	handled := map[string]int{}
	in := startInbox(t, store, 2, func(ctx context.Context, it rituals.InboxItem) {
		mu.Lock()
		handled[it.ID]++
		mu.Unlock()
	})
	if got := submitWait(in, newItem("a", "T1/C1")); !errors.Is(got.err, down) || got.fresh {
		t.Fatalf("write failed, but submit answered %+v", got)
	}
	fail.Lock()
	failing = false
	fail.Unlock()
	if got := submitWait(in, newItem("b", "T1/C1")); got.err != nil || !got.fresh {
		t.Fatalf("first delivery answered %+v", got)
	}
	if got := submitWait(in, newItem("b", "T1/C1")); got.err != nil || got.fresh {
		t.Fatalf("redelivery answered %+v, want not fresh", got)
	}
	// A later request of the same lane is handled after anything the
	// redelivery could have queued.
	submitWait(in, newItem("c", "T1/C1"))
	waitUntil(t, "c handled", func() bool { mu.Lock(); defer mu.Unlock(); return handled["c"] == 1 })
	mu.Lock()
	defer mu.Unlock()
	if handled["a"] != 0 || handled["b"] != 1 {
		t.Fatalf("handled %v, want b once and a never", handled)
	}
}

// More requests than a process holds wait in the inbox and are claimed as
// room frees up; stopping gives back those claimed and not begun.
func TestInboxStopGivesBackWhatWasNotBegun(t *testing.T) {
	store := newMemInbox()
	begun, release := make(chan string, 100), make(chan struct{})
	in := newInbox(store, "test-owner", quietLog, metrics.New(), 1, func(ctx context.Context, it rituals.InboxItem) {
		begun <- it.ID
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	in.run(ctx)
	for i := range 10 {
		submitWait(in, newItem(fmt.Sprint("r", i), fmt.Sprintf("T1/C%d", i)))
	}
	first := <-begun
	in.closeIntake()
	if got := submitWait(in, newItem("late", "T1/C1")); !errors.Is(got.err, errIntakeStopped) {
		t.Fatalf("a request after intake closed answered %+v", got)
	}
	cancel()
	in.stop(context.Background())
	close(release)
	if err := in.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.released) != 9 || slices.Contains(store.released, first) {
		t.Fatalf("gave back %v; want the 9 not begun (%s was)", store.released, first)
	}
	for _, id := range store.released {
		if r := store.rows[id]; r.by != "" || r.it.Attempts != 0 {
			t.Fatalf("%s given back still claimed (%q, attempts %d)", id, r.by, r.it.Attempts)
		}
	}
}

// inboxOnlyStore is a bot store with only the inbox behind it: enough for
// handleItem, whose handlers here touch nothing else.
type inboxOnlyStore struct {
	Store
	in *memInbox
}

func (s inboxOnlyStore) FinishInbox(ctx context.Context, it rituals.InboxItem, state, reason string, at time.Time) error {
	return s.in.FinishInbox(ctx, it, state, reason, at)
}

func (s inboxOnlyStore) RetryInbox(ctx context.Context, it rituals.InboxItem, next time.Time, reason string) error {
	return s.in.RetryInbox(ctx, it, next, reason)
}

// newItemBot returns a bot whose /decide handler is slash and whose store
// is only an inbox in memory.
func newItemBot(t *testing.T, slash slashHandler) (*Bot, *memInbox) {
	t.Helper()
	mem := newMemInbox()
	b := newBot(slackapi.Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: "http://127.0.0.1:1/api/"},
		inboxOnlyStore{in: mem}, Services{}, quietLog)
	b.route.slash["/decide"] = slash
	return b, mem
}

// slashItem writes /decide text to mem as claimed on its attempt-th try,
// and returns it.
func slashItem(t *testing.T, mem *memInbox, id, text string, attempt int) rituals.InboxItem {
	t.Helper()
	payload, err := json.Marshal(slack.SlashCommand{Command: "/decide", Text: text, TeamID: "T1", ChannelID: "C1", UserID: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	it := newItem(id, "T1/"+id) // a lane each: a waiting request holds its lane back
	it.Payload, it.Attempts, it.ClaimedUntil = payload, attempt, time.Now().Add(time.Minute)
	if _, _, err := mem.AcceptInbox(context.Background(), "test-owner", []rituals.InboxItem{it}); err != nil {
		t.Fatal(err)
	}
	return it
}

// A handler that panics parks its own request, counted, and the next
// request is handled.
func TestHandlerPanicParksItsRequestOnly(t *testing.T) {
	var handled []string
	b, mem := newItemBot(t, func(ctx context.Context, r *request, text string) {
		if text == "poison" {
			panic("a bug")
		}
		handled = append(handled, text)
	})
	b.handleItem(context.Background(), slashItem(t, mem, "p", "poison", 1))
	b.handleItem(context.Background(), slashItem(t, mem, "f", "fine", 1))
	if s := mem.state("p"); s != rituals.InboxParked {
		t.Fatalf("the panicking request is %q, want parked", s)
	}
	if s := mem.state("f"); s != rituals.InboxDone || !slices.Equal(handled, []string{"fine"}) {
		t.Fatalf("the request after the panic is %q, handled %v", s, handled)
	}
	if n := testutil.ToFloat64(b.metrics.Panics.WithLabelValues(metrics.PanicHandler)); n != 1 {
		t.Fatalf("alignbot_panics_total{where=handler} = %v, want 1", n)
	}
	if n := testutil.ToFloat64(b.metrics.InboxOutcomes.WithLabelValues(rituals.InboxParked)); n != 1 {
		t.Fatalf("parked requests counted %v, want 1", n)
	}
}

// A request failing for an internal reason is put back to be tried again
// later, with a wait that grows with each attempt, and not told to the
// person until its last attempt.
func TestInternalFailureIsTriedAgainLater(t *testing.T) {
	var b *Bot
	b, mem := newItemBot(t, func(ctx context.Context, r *request, text string) {
		b.replyError(ctx, r, rituals.Errorf(rituals.EINTERNAL, "the database is too busy"))
	})
	b.cfg.RetryBase = time.Second
	for attempt, wait := range map[int]time.Duration{1: time.Second, 3: 4 * time.Second, 4: 8 * time.Second} {
		id := fmt.Sprint("r", attempt)
		it := slashItem(t, mem, id, "ship it", attempt)
		before := time.Now()
		b.handleItem(context.Background(), it)
		mem.mu.Lock()
		r := mem.rows[id]
		next, by, state := r.next, r.by, r.state
		mem.mu.Unlock()
		if state != rituals.InboxPending || by != "" {
			t.Fatalf("attempt %d: request is %q claimed by %q, want pending and given back", attempt, state, by)
		}
		if got := next.Sub(before); got < wait || got > wait+time.Second {
			t.Fatalf("attempt %d: tried again after %v, want %v", attempt, got, wait)
		}
	}
	if n := testutil.ToFloat64(b.metrics.InboxOutcomes.WithLabelValues("retried")); n != 3 {
		t.Fatalf("retries counted %v, want 3", n)
	}
}
