package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alignbot/alignbot/bench/corpus"
	"github.com/alignbot/alignbot/internal/fakeslack"
)

// world is the fake Slack and the people and channels commands come from.
type world struct {
	fs       *fakeslack.Server
	users    []string
	channels []string
}

// newWorld starts the fake Slack with o.users people (in a few time
// zones) and o.channels public channels everyone, the bot included, is in.
func newWorld(o options) (*world, error) {
	fs, err := fakeslack.New(fakeslack.Options{})
	if err != nil {
		return nil, err
	}
	w := &world{fs: fs}
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"}
	for i := range o.users {
		id := fmt.Sprintf("U0LOAD%05d", i)
		fs.AddUser(fakeslack.User{ID: id, Name: fmt.Sprintf("load%05d", i), RealName: fmt.Sprintf("Load Person %d", i), TZ: zones[i%len(zones)]})
		w.users = append(w.users, id)
	}
	members := append([]string{fs.BotUserID()}, w.users...)
	for i := range o.channels {
		id := fmt.Sprintf("C0LOAD%04d", i)
		fs.AddChannel(fakeslack.Channel{ID: id, Name: fmt.Sprintf("load-%d", i), Members: members})
		w.channels = append(w.channels, id)
	}
	return w, nil
}

// loader runs one load test.
type loader struct {
	o    options
	w    *world
	bin  string // alignbot's binary, or the Bolt peer's app.js
	dir  string
	dsn  string
	res  *results
	cmds []sent

	mu      sync.Mutex
	bots    []*botProc
	retired []time.Duration // CPU time of processes -kill-at killed, by bot
}

// procs is the bots running now (-kill-at replaces one).
func (l *loader) procs() []*botProc {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*botProc(nil), l.bots...)
}

// startBots measures start to ready on a fresh database, then on the
// migrated one, and leaves o.bots processes running.
func (l *loader) startBots(ctx context.Context) error {
	first, ready, err := l.startBot(ctx, 0)
	if err != nil {
		return err
	}
	l.res.ReadyFresh = ms(ready)
	if _, err := first.stop(15 * time.Second); err != nil {
		return fmt.Errorf("stop the first start: %w", err)
	}
	if err := l.w.fs.WaitFor(ctx, func() bool { return l.w.fs.Connections() == 0 }); err != nil {
		return err
	}
	for n := range l.o.bots {
		p, ready, err := l.startBot(ctx, n)
		if err != nil {
			return err
		}
		l.bots = append(l.bots, p)
		l.retired = append(l.retired, 0)
		l.res.ReadyMigrated = append(l.res.ReadyMigrated, ms(ready))
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := l.w.fs.WaitConnections(wctx, l.o.bots); err != nil {
		return fmt.Errorf("waiting for %d sockets: %w", l.o.bots, err)
	}
	// Idle: connected, nothing to do. Let start-up garbage be collected.
	time.Sleep(3 * time.Second)
	for _, p := range l.bots {
		st, err := readProc(strconv.Itoa(p.pid))
		if err != nil {
			return err
		}
		l.res.IdleRSS = append(l.res.IdleRSS, mb(st.RSS))
	}
	return nil
}

// sent is what the driver knows of one command.
type sent struct {
	due      time.Time // its place in the open-loop schedule
	text     string
	envelope string
	ack      time.Duration // as the fake measured it: frame queued → ack read
	acked    time.Time
	err      error
	skipped  bool // too many waiting: not sent
}

// load sends the commands on schedule and samples the bots meanwhile.
func (l *loader) load(ctx context.Context) error {
	total := int(l.o.rate * l.o.duration.Seconds())
	interval := time.Duration(float64(time.Second) / l.o.rate)
	cmds := make([]sent, total)
	rng := rand.New(rand.NewPCG(l.o.seed, 11))
	title := corpus.Title
	if l.o.corpus == "similar" {
		title = corpus.SimilarTitle
	}

	stopProfiles, err := l.startProfiles(ctx)
	if err != nil {
		return err
	}
	sampleCtx, stopSampling := context.WithCancel(ctx)
	samplesDone := make(chan struct{})
	before := l.cpuNow()
	l.res.LoadBefore = loadavg()
	go func() {
		defer close(samplesDone)
		l.sample(sampleCtx)
	}()

	var wg sync.WaitGroup
	var waiting atomic.Int64
	start := time.Now().Add(10 * time.Millisecond)
	if l.o.kill > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.killAndRestart(ctx, start, start.Add(l.o.kill))
		}()
	}
	for i := 0; i < total; {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		if ctx.Err() != nil {
			break
		}
		now := time.Now()
		for ; i < total && !start.Add(time.Duration(i)*interval).After(now); i++ {
			c := &cmds[i]
			c.due = start.Add(time.Duration(i) * interval)
			if waiting.Load() >= int64(l.o.inflight) {
				c.skipped = true
				continue
			}
			waiting.Add(1)
			wg.Add(1)
			c.text = title(rng, i)
			slash := fakeslack.Slash{
				User: l.w.users[i%len(l.w.users)], Channel: l.w.channels[i%len(l.w.channels)],
				Command: "/decide", Text: c.text,
			}
			go func() {
				defer wg.Done()
				defer waiting.Add(-1)
				ack, err := l.w.fs.SlashCommand(ctx, slash)
				c.acked = time.Now()
				c.err = err
				if ack != nil {
					c.envelope, c.ack = ack.EnvelopeID, ack.Latency
				}
			}()
		}
	}
	sendEnd := time.Now()
	wg.Wait()
	l.res.SendSeconds = sendEnd.Sub(start).Seconds()

	// Wait for the commands still being handled, up to o.drain.
	acked := 0
	for i := range cmds {
		if cmds[i].err == nil && cmds[i].envelope != "" {
			acked++
		}
	}
	// After a SIGKILL a few commands may be recorded with no log line to
	// show it (killed between commit and log), so there, stop once nothing
	// has completed for 5 s; the database check at the end is the judge.
	drainEnd := time.Now().Add(l.o.drain)
	last, lastAt := l.res.completedCount(), time.Now()
	for last < acked && time.Now().Before(drainEnd) && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
		if n := l.res.completedCount(); n != last {
			last, lastAt = n, time.Now()
		} else if l.o.kill > 0 && time.Since(lastAt) > 5*time.Second {
			break
		}
	}
	after := l.cpuNow()
	l.res.LoadAfter = loadavg()
	stopSampling()
	<-samplesDone
	stopProfiles()
	l.res.cpu(before, after)
	l.cmds = cmds
	l.res.record(cmds, start, sendEnd)
	for _, c := range l.w.fs.Calls("chat.postMessage") {
		if c.OK {
			l.res.Posted++
		}
	}
	l.res.Replies = len(l.w.fs.Calls("response_url"))
	for _, p := range l.procs() {
		if st, err := readProc(strconv.Itoa(p.pid)); err == nil {
			l.res.DrainedRSS = append(l.res.DrainedRSS, mb(st.RSS))
			l.res.HWM = append(l.res.HWM, mb(st.HWM))
		}
	}
	return ctx.Err()
}

// sample reads each bot's memory and the CPU every 100 ms until ctx ends.
func (l *loader) sample(ctx context.Context) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for i, p := range l.procs() {
			if st, err := readProc(strconv.Itoa(p.pid)); err == nil {
				l.res.peak(i, mb(st.RSS))
			}
		}
	}
}

// cpuTimes are the CPU seconds used so far by each bot and by this tool.
type cpuTimes struct {
	at   time.Time
	bots []time.Duration
	self time.Duration
}

func (l *loader) cpuNow() cpuTimes {
	c := cpuTimes{at: time.Now()}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, p := range l.bots {
		st, _ := readProc(strconv.Itoa(p.pid))
		c.bots = append(c.bots, st.CPU+l.retired[i])
	}
	st, _ := readProc("self")
	c.self = st.CPU
	return c
}

// startProfiles starts the CPU profiles, when asked for, and returns what
// stops them and collects the heap profiles.
func (l *loader) startProfiles(ctx context.Context) (func(), error) {
	if l.o.pprofDir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(l.o.pprofDir, 0o755); err != nil {
		return nil, err
	}
	self, err := os.Create(filepath.Join(l.o.pprofDir, "load-cpu.pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(self); err != nil {
		return nil, err
	}
	secs := max(1, int(l.o.duration.Seconds()))
	var wg sync.WaitGroup
	for _, p := range l.bots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", p.pprof, secs)
			if err := fetch(ctx, url, filepath.Join(l.o.pprofDir, fmt.Sprintf("bot%d-cpu.pprof", p.n))); err != nil {
				fmt.Fprintln(os.Stderr, "load: bot CPU profile:", err)
			}
		}()
	}
	// Halfway through, where each bot's goroutines wait.
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-time.After(l.o.duration / 2):
		case <-ctx.Done():
			return
		}
		for _, p := range l.procs() {
			if err := fetch(ctx, p.pprof+"/debug/pprof/goroutine?debug=1", filepath.Join(l.o.pprofDir, fmt.Sprintf("bot%d-goroutines.txt", p.n))); err != nil {
				fmt.Fprintln(os.Stderr, "load: bot goroutines:", err)
			}
		}
	}()
	return func() {
		pprof.StopCPUProfile()
		self.Close()
		wg.Wait()
		for _, p := range l.procs() {
			if err := fetch(ctx, p.pprof+"/debug/pprof/heap", filepath.Join(l.o.pprofDir, fmt.Sprintf("bot%d-heap.pprof", p.n))); err != nil {
				fmt.Fprintln(os.Stderr, "load: bot heap profile:", err)
			}
		}
	}, nil
}

// finish stops the bots, then reads the decisions in the database: every
// acked command must have exactly one.
func (l *loader) finish(ctx context.Context) error {
	var errs []error
	for _, p := range l.bots {
		took, err := p.stop(15 * time.Second)
		l.res.StopSeconds = append(l.res.StopSeconds, took.Seconds())
		errs = append(errs, err)
		l.res.botLog(p)
	}
	l.bots = nil
	titles, err := l.decisionTitles(ctx)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	l.res.InDatabase = len(titles)
	l.res.Once = checkExactlyOnce(l.cmds, titles)
	if l.o.peer == "alignbot" {
		l.res.Once.InboxPending = l.inboxPending(ctx)
	}
	return errors.Join(errs...)
}

// stopAll stops the bots still running (after a failure).
func (l *loader) stopAll() {
	for _, p := range l.bots {
		p.stop(15 * time.Second)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mb(b int64) float64         { return float64(b) / (1 << 20) }

// loadavg is /proc/loadavg's first three fields: the machine's load.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	var one, five, fifteen string
	fmt.Sscan(string(b), &one, &five, &fifteen)
	return one + " " + five + " " + fifteen
}
