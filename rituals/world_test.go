package rituals_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// The team and channels of the tests.
const (
	team    = "T1"
	channel = "C1"
	// platformTeam is a user group of U4 and U5.
	platformTeam = "S1"
)

// friday is when every world starts: the Friday before monday.
var (
	friday = time.Date(2026, 2, 27, 12, 0, 0, 0, time.UTC)
	monday = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

// world is the domain wired as cmd/alignbot wires it (the services, and
// rituals.NewRunner over them) on a real database of the dialect under
// test, with a frozen fake clock and a fake directory of people. Nothing
// listens and nothing polls: the tests call the use cases, tick the runner
// at fixed instants and read what was enqueued.
type world struct {
	ctx   context.Context
	db    *storage.DB
	clock *clock.Fake
	dir   *directory

	decisions *rituals.Decisions
	rights    *rituals.Rights
	blockers  *rituals.Blockers
	checkins  *rituals.Checkins
	pulses    *rituals.Pulses
	sessions  *rituals.Sessions
	digests   *rituals.Digests
	homes     *rituals.Homes
	runner    *rituals.Runner

	sends int // numbers the fake Slack timestamps of sent items
}

func newWorld(tb testing.TB) *world {
	tb.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, testdb.New(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	clk := clock.New(friday)
	clk.Freeze()
	clk.Set(friday) // Freeze stops it a few nanoseconds on
	db.Now = clk.Now
	log := slog.New(slog.DiscardHandler)
	dir := &directory{channels: map[string][]string{channel: {"U1", "U2", "U3"}},
		groups: map[string][]string{platformTeam: {"U4", "U5"}}}
	w := &world{ctx: ctx, db: db, clock: clk, dir: dir}
	w.decisions = &rituals.Decisions{Store: db, Now: clk.Now, Members: dir}
	w.rights = &rituals.Rights{Store: db, Now: clk.Now, Members: dir}
	w.blockers = &rituals.Blockers{Store: db, Now: clk.Now, Members: dir}
	w.checkins = &rituals.Checkins{Store: db, Now: clk.Now, Log: log, People: dir}
	w.pulses = &rituals.Pulses{Store: db, Now: clk.Now, Log: log}
	w.sessions = &rituals.Sessions{Store: db, Now: clk.Now, Log: log, Members: dir}
	w.homes = &rituals.Homes{Store: db, Now: clk.Now, Members: dir}
	w.digests = &rituals.Digests{Store: db, Now: clk.Now, Pulses: w.pulses, Sessions: w.sessions, Rollups: db}
	w.runner = rituals.NewRunner(db, log, dir, w.checkins, w.pulses, w.sessions, w.digests, nil)
	return w
}

// at moves the clock to t, for the use cases called next.
func (w *world) at(t time.Time) *world {
	w.clock.Set(t)
	return w
}

// tick runs the scheduler at at, as its heartbeat would, and returns what
// it enqueued.
func (w *world) tick(tb testing.TB, at time.Time) []rituals.OutboxItem {
	tb.Helper()
	w.clock.Set(at)
	if err := w.runner.Tick(w.ctx, at); err != nil {
		tb.Fatalf("Tick(%v): %v", at, err)
	}
	return w.sent(tb)
}

// tickTwice ticks at at twice, as two replicas or a double heartbeat
// would, and returns what the first tick enqueued; the second must
// enqueue nothing.
func (w *world) tickTwice(tb testing.TB, at time.Time) []rituals.OutboxItem {
	tb.Helper()
	first := w.tick(tb, at)
	if again := w.tick(tb, at); len(again) > 0 {
		tb.Fatalf("second tick at %v enqueued %q, want nothing", at, kinds(again))
	}
	return first
}

// sent drains the outbox as the sender would, marking every item sent,
// and returns the items in the order they were enqueued (with their data,
// which a private item loses once sent).
func (w *world) sent(tb testing.TB) []rituals.OutboxItem {
	tb.Helper()
	return w.drain(tb, func(rituals.OutboxItem) string { return "" })
}

// drain claims every item of the outbox, lane by lane as the sender does,
// and ends each as outcome says: sent when it returns "", else with that
// outcome (rituals.OutcomeFolded, ...). It returns the items in the order
// they were enqueued.
func (w *world) drain(tb testing.TB, outcome func(rituals.OutboxItem) string) []rituals.OutboxItem {
	tb.Helper()
	var all []rituals.OutboxItem
	for {
		now := w.clock.Now()
		items, err := w.db.ClaimOutbox(w.ctx, "test", now, now, time.Minute, 1000, false)
		if err != nil {
			tb.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			w.sends++
			if o := outcome(it); o != "" {
				err = w.db.FinishOutbox(w.ctx, it.ID, o, "test", now)
			} else {
				err = w.db.MarkSent(w.ctx, it, it.Channel, fmt.Sprintf("%d.%06d", now.Unix(), w.sends), now)
			}
			if err != nil {
				tb.Fatal(err)
			}
		}
		all = append(all, items...)
	}
	slices.SortFunc(all, func(a, b rituals.OutboxItem) int { return cmp.Compare(a.ID, b.ID) })
	return all
}

// must takes a call's value and error, and returns what fails tb on the
// error and returns the value: must(w.blockers.Get(ctx, c, 1))(t).
func must[T any](v T, err error) func(tb testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

// must2 is must for calls that return two values and an error.
func must2[A, B any](a A, b B, err error) func(tb testing.TB) (A, B) {
	return func(tb testing.TB) (A, B) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return a, b
	}
}

// ok fails the test on err.
func ok(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// wantCode fails the test unless err carries code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := rituals.ErrorCode(err); got != code {
		tb.Fatalf("err=%v (code %q), want code %q", err, got, code)
	}
}

// caller is user asking from channel, in UTC.
func caller(user string) rituals.Caller { return callerIn(user, channel) }

// callerIn is user asking from ch, in UTC.
func callerIn(user, ch string) rituals.Caller {
	return rituals.Caller{Team: team, User: user, Channel: ch, Location: time.UTC}
}

// kinds returns the kinds of items, in order. Kinds are compared as
// strings, whatever type the outbox gives them.
func kinds(items []rituals.OutboxItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it.Kind)
	}
	return out
}

// strs returns ks as strings.
func strs[K ~string](ks ...K) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// ofKind returns the items of kind k.
func ofKind[K ~string](items []rituals.OutboxItem, k K) []rituals.OutboxItem {
	var out []rituals.OutboxItem
	for _, it := range items {
		if string(it.Kind) == string(k) {
			out = append(out, it)
		}
	}
	return out
}

// recipients returns the channels (user IDs for DMs) of items, sorted.
func recipients(items []rituals.OutboxItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Channel
	}
	slices.Sort(out)
	return out
}

// decode reads an item's JSON data into v.
func decode(tb testing.TB, it rituals.OutboxItem, v any) {
	tb.Helper()
	if err := json.Unmarshal(it.Data, v); err != nil {
		tb.Fatalf("data of %s: %v", it.Kind, err)
	}
}

// directory is the fake Slack directory: who is in which channel, and
// who a person is. Each function field, when set, replaces the default,
// which reads channels (members by channel) and zones (time zones by
// user, UTC when unset).
type directory struct {
	channels map[string][]string
	groups   map[string][]string
	zones    map[string]*time.Location

	MembersFunc  func(ctx context.Context, team, channel string) ([]string, error)
	PersonFunc   func(ctx context.Context, team, user string) (name string, loc *time.Location, err error)
	IsMemberFunc func(ctx context.Context, team, channel, user string) (bool, error)
	MemberOfFunc func(ctx context.Context, team, user string, channels []string) (map[string]bool, error)
}

var (
	_ rituals.People         = (*directory)(nil)
	_ rituals.ChannelMembers = (*directory)(nil)
	_ rituals.Memberships    = (*directory)(nil)
	_ rituals.TeamMembers    = (*directory)(nil)
)

// InTeam answers from the groups and channels the world knows.
func (d *directory) InTeam(_ context.Context, _, owner, user string) (bool, error) {
	if rituals.IsGroupID(owner) {
		return slices.Contains(d.groups[owner], user), nil
	}
	return slices.Contains(d.channels[owner], user), nil
}

// GroupMembers lists a user group's members, as Slack's
// usergroups.users.list does.
func (d *directory) GroupMembers(_ context.Context, _, group string) ([]string, error) {
	return d.groups[group], nil
}

func (d *directory) Members(ctx context.Context, team, channel string) ([]string, error) {
	if d.MembersFunc != nil {
		return d.MembersFunc(ctx, team, channel)
	}
	return d.channels[channel], nil
}

func (d *directory) Person(ctx context.Context, team, user string) (string, *time.Location, error) {
	if d.PersonFunc != nil {
		return d.PersonFunc(ctx, team, user)
	}
	loc := d.zones[user]
	if loc == nil {
		loc = time.UTC
	}
	return "Name of " + user, loc, nil
}

func (d *directory) IsMember(ctx context.Context, team, channel, user string) (bool, error) {
	if d.IsMemberFunc != nil {
		return d.IsMemberFunc(ctx, team, channel, user)
	}
	return slices.Contains(d.channels[channel], user), nil
}

func (d *directory) MemberOf(ctx context.Context, team, user string, channels []string) (map[string]bool, error) {
	if d.MemberOfFunc != nil {
		return d.MemberOfFunc(ctx, team, user, channels)
	}
	out := map[string]bool{}
	for _, ch := range channels {
		out[ch] = slices.Contains(d.channels[ch], user)
	}
	return out, nil
}
