package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alignbot/alignbot/bot/delivery"
	"github.com/alignbot/alignbot/bot/metrics"
	"github.com/alignbot/alignbot/rituals"
)

// InboxStore is the inbox as the edge sees it (see storage/inbox.go).
type InboxStore interface {
	AcceptInbox(ctx context.Context, owner string, items []rituals.InboxItem) (fresh, claimed []bool, err error)
	ClaimInbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]rituals.InboxItem, error)
	ClaimInboxLane(ctx context.Context, owner, lane string, now time.Time, lease time.Duration) ([]rituals.InboxItem, error)
	FinishInbox(ctx context.Context, it rituals.InboxItem, state, reason string, at time.Time) error
	RetryInbox(ctx context.Context, it rituals.InboxItem, next time.Time, reason string) error
	ReleaseInbox(ctx context.Context, owner string, ids []string) error
	RenewInbox(ctx context.Context, owner string, until time.Time) error
	InboxClaimOwners(ctx context.Context, now time.Time) ([]string, error)
	ReleaseInboxOwner(ctx context.Context, owner string) (int64, error)
	InboxStats(ctx context.Context) (pending int, oldest time.Time, err error)
}

// Inbox settings. Times are by the real clock: they are about processes
// and Slack's deadlines, not about the rituals' time.
const (
	// inboxLease is how long a claim on a request holds; a process that
	// dies leaves its requests to others after it (sooner on its own
	// host, where its death is seen).
	inboxLease = 30 * time.Second
	// inboxHeld bounds the requests a process holds claimed at once;
	// beyond it, requests wait in the inbox for whoever is free.
	inboxHeld = 1024
	// inboxBatch bounds the requests written in one commit.
	inboxBatch = 512
	// inboxAttempts is how often a request failing for an internal
	// reason (the database too slow, Slack down) is taken up before the
	// person is told; a request that panics is parked at once.
	inboxAttempts = 5
	// inboxClaimGap is the least time between two claims of every lane's
	// head, which reads the whole backlog: freed room and new requests
	// written unclaimed claim again at most this often (a lane whose
	// request finished claims its next at once, from the lane index).
	inboxClaimGap = 100 * time.Millisecond
	// queuedNoteAfter is the expected wait above which a slash command's
	// ack tells the person it is queued, and for about how long.
	queuedNoteAfter = 2 * time.Second
)

// inbox is the durable intake and the pool that works from it. Requests
// are written in group commits (every request that arrives while one
// commit runs goes in the next), acked only once written, and handled by
// workers: at once when this process wrote them and has room, else when a
// poller claims them. Requests of one lane are handled one at a time, in
// the order they came.
type inbox struct {
	store   InboxStore
	owner   string
	log     *slog.Logger
	metrics *metrics.Metrics
	handle  func(ctx context.Context, it rituals.InboxItem) // runs one request; never panics
	workers int
	poll    time.Duration

	arrivals chan *arrival
	quit     chan struct{} // closed when intake stops
	quitOnce sync.Once
	// answering counts the arrivals written whose done has not returned:
	// their acks are still to go out.
	answering sync.WaitGroup

	mu      sync.Mutex
	lanes   map[string][]rituals.InboxItem // held requests not begun, by lane, oldest first
	busy    map[string]bool                // lanes with a request being handled
	ready   []string                       // lanes with a request to begin and none being handled
	held    int                            // room taken: requests claimed here and not finished, and room set aside
	queued  int                            // requests claimed here and not finished
	stopped bool
	backlog int // requests waiting in the inbox, as last counted
	// claimed holds the requests a claim took (lane heads, whose
	// successors may wait in the inbox): finishing one claims again at
	// once, not at the next poll.
	claimed map[string]bool
	// behind counts the times requests were left in the inbox unclaimed
	// (written when this process had no room, handed on, given back by a
	// dead process) since a claim last took all there was: freed room
	// then claims at once, not at the next poll.
	behind atomic.Uint64
	work   chan struct{}
	more   chan struct{}
	rate   rateMeter

	writerDone chan struct{}
	wg         sync.WaitGroup
}

// arrival is a request on its way into the inbox.
type arrival struct {
	item rituals.InboxItem
	// inline requests are answered by the ack's own goroutine, under
	// this process's claim.
	inline bool
	done   func(it rituals.InboxItem, fresh bool, err error)
}

func newInbox(store InboxStore, owner string, log *slog.Logger, m *metrics.Metrics, workers int,
	handle func(ctx context.Context, it rituals.InboxItem)) *inbox {
	return &inbox{
		store: store, owner: owner, log: log, metrics: m, handle: handle, workers: workers, poll: 250 * time.Millisecond,
		arrivals: make(chan *arrival, 4*inboxBatch), quit: make(chan struct{}),
		lanes: map[string][]rituals.InboxItem{}, busy: map[string]bool{}, claimed: map[string]bool{},
		work: make(chan struct{}, 1), more: make(chan struct{}, 1),
		writerDone: make(chan struct{}),
	}
}

// submit hands a request to the writer; done is called, in a goroutine of
// its own, once it is written (fresh: not a redelivery), with the item as
// written, or once it could not be. It waits only when the writer is far
// behind (the database is down or slow), which holds Slack's deliveries
// back instead of dropping them.
func (in *inbox) submit(ctx context.Context, it rituals.InboxItem, inline bool, done func(it rituals.InboxItem, fresh bool, err error)) {
	select {
	case <-in.quit:
		done(it, false, errIntakeStopped)
		return
	default:
	}
	select {
	case in.arrivals <- &arrival{item: it, inline: inline, done: done}:
	case <-in.quit:
		done(it, false, errIntakeStopped)
	case <-ctx.Done():
		done(it, false, fmt.Errorf("stopping: %w", ctx.Err()))
	}
}

// answer runs f, an answer to a request that needs no inbox, in a
// goroutine of its own that flushed waits for. Once intake has stopped it
// runs nothing and returns false.
func (in *inbox) answer(f func()) bool {
	select {
	case <-in.quit:
		return false
	default:
	}
	in.answering.Add(1)
	go func() {
		defer in.answering.Done()
		f()
	}()
	return true
}

// errIntakeStopped is why a request arriving once intake stopped is not
// taken in (nor acknowledged: Slack delivers it again, elsewhere).
var errIntakeStopped = errors.New("intake has stopped")

// closeIntake stops taking requests in; the writer writes what arrived
// before, and ends (see flushed).
func (in *inbox) closeIntake() { in.quitOnce.Do(func() { close(in.quit) }) }

// run writes arrivals until closeIntake, and works from the inbox until
// ctx ends: then the requests under way finish (Close bounds that), and
// stop gives back those not begun.
func (in *inbox) run(ctx context.Context) {
	in.wg.Add(3 + in.workers)
	go func() { defer in.wg.Done(); in.write(context.WithoutCancel(ctx)) }()
	go func() { defer in.wg.Done(); in.claim(ctx) }()
	go func() { defer in.wg.Done(); in.keep(ctx) }()
	for range in.workers {
		go func() { defer in.wg.Done(); in.work1(ctx) }()
	}
}

// write is the group-commit loop.
func (in *inbox) write(ctx context.Context) {
	defer close(in.writerDone)
	for {
		var first *arrival
		select {
		case first = <-in.arrivals:
		case <-in.quit:
			// Intake has stopped: write what arrived before it did.
			for {
				select {
				case a := <-in.arrivals:
					in.commit(ctx, in.gather(a))
				default:
					return
				}
			}
		}
		in.commit(ctx, in.gather(first))
	}
}

// gather takes first and whatever else has arrived, up to inboxBatch.
func (in *inbox) gather(first *arrival) []*arrival {
	batch := []*arrival{first}
	for len(batch) < inboxBatch {
		select {
		case a := <-in.arrivals:
			batch = append(batch, a)
		default:
			return batch
		}
	}
	return batch
}

// commit writes one batch, claiming for this process what it has room
// for, and hands the new ones on.
func (in *inbox) commit(ctx context.Context, batch []*arrival) {
	now := time.Now()
	items := make([]rituals.InboxItem, len(batch))
	room := in.reserve(len(batch))
	for i, a := range batch {
		items[i] = a.item
		if a.inline || room > 0 {
			items[i].ClaimedUntil = now.Add(inboxLease)
			items[i].Attempts = 1
			if !a.inline {
				room--
			}
		} else {
			in.behind.Add(1) // written unclaimed: claim it once there is room
		}
	}
	in.unreserve(room)
	fresh, claimed, err := in.store.AcceptInbox(ctx, in.owner, items)
	var own []rituals.InboxItem
	for i, a := range batch {
		isNew := err == nil && fresh[i]
		switch {
		case a.inline || items[i].ClaimedUntil.IsZero():
		case isNew && claimed[i]:
			own = append(own, items[i])
		default:
			in.unreserve(1) // room not used: a redelivery, not written, or waiting its turn
			if isNew {
				in.behind.Add(1)
			}
		}
		in.answering.Add(1)
		go func(it rituals.InboxItem) {
			defer in.answering.Done()
			a.done(it, isNew, err)
		}(items[i])
	}
	if err == nil {
		in.metrics.InboxWritten.Observe(float64(len(batch)))
	}
	in.push(own...)
}

// reserve sets aside room for up to n requests held here, and says how
// much it got.
func (in *inbox) reserve(n int) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	got := max(0, min(n, inboxHeld-in.held))
	if in.stopped {
		got = 0
	}
	in.held += got
	return got
}

func (in *inbox) unreserve(n int) {
	if n <= 0 {
		return
	}
	in.mu.Lock()
	in.held -= n
	in.mu.Unlock()
	in.wake(in.more)
}

// push queues held requests (already counted in held) for the workers.
func (in *inbox) push(items ...rituals.InboxItem) {
	if len(items) == 0 {
		return
	}
	in.mu.Lock()
	if in.stopped {
		// Claimed as the inbox stopped (a claim or a commit under way):
		// give them back with the rest.
		in.held -= len(items)
		in.mu.Unlock()
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		in.giveBack(context.Background(), ids)
		return
	}
	in.queued += len(items)
	for _, it := range items {
		if len(in.lanes[it.Lane]) == 0 && !in.busy[it.Lane] {
			in.ready = append(in.ready, it.Lane)
		}
		in.lanes[it.Lane] = append(in.lanes[it.Lane], it)
	}
	in.mu.Unlock()
	in.wake(in.work)
}

// next takes the oldest request of a lane with nothing under way, or
// waits for one; false once stopped.
func (in *inbox) next(ctx context.Context) (rituals.InboxItem, bool) {
	for {
		in.mu.Lock()
		if len(in.ready) > 0 && !in.stopped {
			lane := in.ready[0]
			in.ready = in.ready[1:]
			it := in.lanes[lane][0]
			if rest := in.lanes[lane][1:]; len(rest) > 0 {
				in.lanes[lane] = rest
			} else {
				delete(in.lanes, lane)
			}
			in.busy[lane] = true
			more := len(in.ready) > 0
			in.mu.Unlock()
			if more {
				in.wake(in.work) // pass the wake-up on to another worker
			}
			return it, true
		}
		in.mu.Unlock()
		select {
		case <-in.work:
		case <-ctx.Done():
			return rituals.InboxItem{}, false
		}
	}
}

// finished frees its request's lane and room. A request a claim took
// (its lane's head, whose successors may wait in the inbox) claims the
// lane's next at once, unless one is held here already.
func (in *inbox) finished(ctx context.Context, it rituals.InboxItem) {
	in.mu.Lock()
	delete(in.busy, it.Lane)
	local := len(in.lanes[it.Lane]) > 0
	if local {
		in.ready = append(in.ready, it.Lane)
	}
	in.held--
	in.queued--
	head := in.claimed[it.ID]
	delete(in.claimed, it.ID)
	in.mu.Unlock()
	in.rate.add(time.Now())
	in.wake(in.work)
	switch {
	case head && !local:
		in.claimNext(ctx, it.Lane)
	case !head:
		in.wake(in.more)
	}
}

// claimNext takes up the request after a finished one of lane, if it
// waits in the inbox: one probe of the lane index. With no room, or the
// database failing, it is left to the claim of every lane's head.
func (in *inbox) claimNext(ctx context.Context, lane string) {
	if ctx.Err() != nil || in.reserve(1) == 0 {
		in.handOn()
		return
	}
	items, err := in.store.ClaimInboxLane(ctx, in.owner, lane, time.Now(), inboxLease)
	if err != nil {
		if ctx.Err() == nil {
			in.log.Error("next request of the lane not claimed; left to the next claim", "err", err)
		}
		in.unreserve(1)
		in.handOn()
		return
	}
	in.unreserve(1 - len(items))
	in.took(items)
}

// took hands requests a claim took to the workers, remembering them as
// claimed: their lane's next may wait in the inbox.
func (in *inbox) took(items []rituals.InboxItem) {
	in.mu.Lock()
	for _, it := range items {
		in.claimed[it.ID] = true
	}
	in.mu.Unlock()
	in.push(items...)
}

// work1 is one worker.
func (in *inbox) work1(ctx context.Context) {
	for {
		it, ok := in.next(ctx)
		if !ok {
			return
		}
		in.handle(ctx, it)
		in.finished(ctx, it)
	}
}

// claim takes up requests waiting in the inbox while there is room:
// those written when this process was full, another's that it gave back
// or left behind when it died, and those to try again.
func (in *inbox) claim(ctx context.Context) {
	tick := time.NewTicker(in.poll)
	defer tick.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-in.more:
			if in.behind.Load() == 0 {
				continue // nothing known to wait: the next poll looks anyway
			}
			if !in.pause(ctx, time.Until(last.Add(inboxClaimGap))) {
				return
			}
		}
		room := in.reserve(inboxHeld / 4)
		if room == 0 {
			continue
		}
		hints := in.behind.Load()
		last = time.Now()
		items, err := in.store.ClaimInbox(ctx, in.owner, last, inboxLease, room)
		if err != nil && ctx.Err() == nil {
			in.log.Error("requests not claimed", "err", err)
		}
		// A claim takes only the head of each lane: finishing one claims
		// the lane's next (claimNext). Only a claim that finds nothing
		// (and no new hint meanwhile) forgets the hints.
		if err == nil && len(items) == 0 {
			in.behind.CompareAndSwap(hints, 0)
		}
		in.unreserve(room - len(items))
		in.took(items)
	}
}

// pause waits d, or until ctx ends (false).
func (in *inbox) pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// keep renews this process's claims, gives back those of processes on
// this host that died, and counts what waits.
func (in *inbox) keep(ctx context.Context) {
	in.releaseDead(ctx)
	tick := time.NewTicker(min(inboxLease/6, 5*time.Second))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := in.store.RenewInbox(ctx, in.owner, time.Now().Add(inboxLease)); err != nil && ctx.Err() == nil {
			in.log.Error("request claims not renewed", "err", err)
		}
		in.releaseDead(ctx)
		if n, oldest, err := in.store.InboxStats(ctx); err == nil {
			in.mu.Lock()
			in.backlog = n
			in.mu.Unlock()
			in.metrics.InboxDepth.Set(float64(n))
			age := 0.0
			if !oldest.IsZero() {
				age = time.Since(oldest).Seconds()
			}
			in.metrics.InboxAge.Set(age)
		}
	}
}

// releaseDead gives back the claims of processes on this host that have
// died: their requests are taken up again at once.
func (in *inbox) releaseDead(ctx context.Context) {
	owners, err := in.store.InboxClaimOwners(ctx, time.Now())
	if err != nil {
		if ctx.Err() == nil {
			in.log.Error("request claim owners unreadable", "err", err)
		}
		return
	}
	for _, o := range delivery.DeadOwners(owners, in.owner) {
		n, err := in.store.ReleaseInboxOwner(ctx, o)
		if err != nil {
			in.log.Error("requests of a dead process not released", "owner", o, "err", err)
			continue
		}
		if n > 0 {
			in.log.Info("took back the requests of a process that died", "owner", o, "requests", n)
			in.handOn()
		}
	}
}

// stop ends intake's side: the writer has written what arrived before ctx
// ended (wait for it with flushed). Then it gives back the held requests
// no worker has begun, for another process or the next start.
func (in *inbox) stop(ctx context.Context) {
	in.mu.Lock()
	in.stopped = true
	var ids []string
	for lane, items := range in.lanes {
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		delete(in.lanes, lane)
	}
	in.ready = nil
	in.held -= len(ids)
	in.queued -= len(ids)
	in.mu.Unlock()
	in.giveBack(ctx, ids)
}

// giveBack releases this process's claims on requests not begun, for
// another process or the next start.
func (in *inbox) giveBack(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	if err := in.store.ReleaseInbox(context.WithoutCancel(ctx), in.owner, ids); err != nil {
		in.log.Error("requests not given back at stop; they come back when their claim lapses", "requests", len(ids), "err", err)
		return
	}
	in.log.Info("gave back requests not begun", "requests", len(ids))
}

// flushed waits until the writer has written what arrived before intake
// stopped and every one of them has been answered, or ctx ends.
func (in *inbox) flushed(ctx context.Context) error {
	answered := make(chan struct{})
	go func() { <-in.writerDone; in.answering.Wait(); close(answered) }()
	select {
	case <-answered:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("requests still being written at shutdown: %w", ctx.Err())
	}
}

// wait waits for every goroutine of the inbox, or ctx.
func (in *inbox) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { in.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("requests still being handled at shutdown: %w", ctx.Err())
	}
}

// expectedWait is about how long a request arriving now waits to be
// begun: what waits ahead of it over how fast requests have been finished
// in the last few seconds (none finished: no basis for a guess, so 0).
func (in *inbox) expectedWait() time.Duration {
	in.mu.Lock()
	ahead := max(in.queued, in.backlog)
	in.mu.Unlock()
	perSecond := in.rate.perSecond(time.Now())
	if ahead < in.workers || perSecond <= 0 {
		return 0
	}
	return time.Duration(float64(ahead) / perSecond * float64(time.Second))
}

// handOn says requests were left in the inbox for whoever has room (this
// process first).
func (in *inbox) handOn() {
	in.behind.Add(1)
	in.wake(in.more)
}

func (in *inbox) wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// rateMeter counts events over the last few seconds.
type rateMeter struct {
	mu      sync.Mutex
	buckets [8]int
	at      [8]int64 // the second each bucket counts
}

func (m *rateMeter) add(t time.Time) {
	s := t.Unix()
	i := s % int64(len(m.buckets))
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.at[i] != s {
		m.at[i], m.buckets[i] = s, 0
	}
	m.buckets[i]++
}

// perSecond is the mean rate over the last full seconds counted.
func (m *rateMeter) perSecond(t time.Time) float64 {
	now := t.Unix()
	m.mu.Lock()
	defer m.mu.Unlock()
	n, secs := 0, 0
	for i := range m.buckets {
		if age := now - m.at[i]; age >= 1 && age < int64(len(m.buckets)) {
			n += m.buckets[i]
			secs++
		}
	}
	if secs == 0 {
		return 0
	}
	return float64(n) / float64(secs)
}
