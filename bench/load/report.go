package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// results are one run's numbers. Times are in milliseconds, memory in MiB.
type results struct {
	Machine  machine `json:"machine"`
	Peer     string  `json:"peer"`
	Corpus   string  `json:"corpus"`
	Seed     uint64  `json:"seed"`
	Rate     float64 `json:"rate"`
	Duration string  `json:"duration"`
	Bots     int     `json:"bots"`
	Database string  `json:"database"`
	Users    int     `json:"users"`
	Channels int     `json:"channels"`

	ReadyFresh    float64   `json:"ready_fresh_ms"`
	ReadyMigrated []float64 `json:"ready_migrated_ms"`

	Scheduled   int     `json:"scheduled"`
	Sent        int     `json:"sent"`
	Acked       int     `json:"acked"`
	NoAck       int     `json:"no_ack"`
	Refused     int     `json:"refused"`
	Skipped     int     `json:"skipped"`
	SendSeconds float64 `json:"send_seconds"`
	Ack         dist    `json:"ack_ms"`
	Lag         dist    `json:"schedule_lag_ms"`

	Completed          int         `json:"completed"`
	CompletedInWindow  int         `json:"completed_in_window"`
	CompletedPerSecond float64     `json:"completed_per_second"`
	Completion         dist        `json:"completion_ms"`
	InDatabase         int         `json:"in_database"`
	Once               exactlyOnce `json:"exactly_once"`
	Crash              *crash      `json:"crash,omitempty"`

	// The backlog: acked commands not yet completed when sending stopped,
	// and how fast they were done after it.
	Backlog          int     `json:"backlog_at_send_end"`
	SendingPerSecond float64 `json:"completed_per_second_while_sending"`
	DrainSeconds     float64 `json:"drain_s"`
	DrainPerSecond   float64 `json:"drain_per_second"`

	IdleRSS    []float64 `json:"idle_rss_mib"`
	PeakRSS    []float64 `json:"peak_rss_mib"`
	DrainedRSS []float64 `json:"drained_rss_mib"`
	HWM        []float64 `json:"hwm_mib"`

	BotCores    []float64 `json:"bot_cores"`
	LoaderCores float64   `json:"loader_cores"`
	LoadBefore  string    `json:"loadavg_before"`
	LoadAfter   string    `json:"loadavg_after"`

	Posted      int            `json:"cards_posted"`
	Replies     int            `json:"replies"`
	StopSeconds []float64      `json:"stop_seconds"`
	LogLevels   map[string]int `json:"log_levels"`
	Problems    map[string]int `json:"log_problems"`
	ErrorTail   []string       `json:"error_tail,omitempty"`

	mu          sync.Mutex
	completions map[string]time.Time // envelope ID → "decision recorded" seen
}

type machine struct {
	CPUs      int    `json:"cpus"`
	Model     string `json:"cpu_model"`
	GoVersion string `json:"go"`
	Kernel    string `json:"kernel"`
}

// dist is a latency distribution in milliseconds.
type dist struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func distOf(ds []time.Duration) dist {
	if len(ds) == 0 {
		return dist{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 { return ms(ds[min(len(ds)-1, int(q*float64(len(ds))))]) }
	return dist{N: len(ds), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(ds[len(ds)-1])}
}

func newResults(o options, dsn string) *results {
	db := "SQLite (file in a temp dir)"
	if o.postgres != "" {
		db = "PostgreSQL (" + o.postgres + ", fresh schema)"
	}
	var c *crash
	if o.kill > 0 {
		c = &crash{Seed: o.seed}
	}
	return &results{
		Machine: machine{CPUs: runtime.NumCPU(), Model: cpuModel(), GoVersion: runtime.Version(), Kernel: kernel()},
		Peer:    o.peer, Corpus: o.corpus, Seed: o.seed, Crash: c,
		Rate: o.rate, Duration: o.duration.String(), Bots: o.bots, Database: db,
		Users: o.users, Channels: o.channels, LogLevels: map[string]int{}, Problems: map[string]int{},
		completions: map[string]time.Time{},
	}
}

// complete notes a command the bot reports done. Each bot's log reader
// calls it.
func (r *results) complete(envelope string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.completions[envelope]; !ok {
		r.completions[envelope] = at
	}
}

func (r *results) completedCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.completions)
}

func (r *results) peak(bot int, rss float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.PeakRSS) <= bot {
		r.PeakRSS = append(r.PeakRSS, 0)
	}
	r.PeakRSS[bot] = max(r.PeakRSS[bot], rss)
}

// cpu records the cores each side used between before and after, over the
// sending and draining.
func (r *results) cpu(before, after cpuTimes) {
	wall := after.at.Sub(before.at).Seconds()
	for i := range before.bots {
		r.BotCores = append(r.BotCores, (after.bots[i]-before.bots[i]).Seconds()/wall)
	}
	r.LoaderCores = (after.self - before.self).Seconds() / wall
}

// record turns the driver's view and the completions into the numbers.
func (r *results) record(cmds []sent, start, sendEnd time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Scheduled = len(cmds)
	var acks, lags, completion []time.Duration
	var lastDone time.Time
	for _, c := range cmds {
		switch {
		case c.skipped:
			r.Skipped++
			continue
		case c.due.IsZero():
			continue // never scheduled: the run was interrupted
		}
		r.Sent++
		switch {
		case errors.Is(c.err, fakeslack.ErrNoAck):
			r.NoAck++
			continue
		case c.err != nil:
			r.Refused++
			continue
		}
		r.Acked++
		acks = append(acks, c.ack)
		// Scheduled time → ack read, less the ack latency: how late the
		// envelope reached the socket (the driver's and the fake's delay).
		lags = append(lags, max(0, c.acked.Sub(c.due)-c.ack))
		if done, ok := r.completions[c.envelope]; ok {
			r.Completed++
			completion = append(completion, done.Sub(c.due))
			if !done.After(sendEnd) {
				r.CompletedInWindow++
			}
			if done.After(lastDone) {
				lastDone = done
			}
		}
	}
	r.Ack, r.Lag, r.Completion = distOf(acks), distOf(lags), distOf(completion)
	if r.Completed > 0 {
		r.CompletedPerSecond = float64(r.Completed) / lastDone.Sub(start).Seconds()
	}
	r.Backlog = r.Acked - r.CompletedInWindow
	r.SendingPerSecond = float64(r.CompletedInWindow) / sendEnd.Sub(start).Seconds()
	if after := r.Completed - r.CompletedInWindow; after > 0 {
		r.DrainSeconds = lastDone.Sub(sendEnd).Seconds()
		r.DrainPerSecond = float64(after) / r.DrainSeconds
	}
}

// botLog folds a stopped bot's log counts into the results.
func (r *results) botLog(p *botProc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, v := range p.levels {
		r.LogLevels[k] += v
	}
	for k, v := range p.problems {
		r.Problems[k] += v
	}
	r.ErrorTail = append(r.ErrorTail, p.tail...)
}

func (r *results) print(w io.Writer) {
	f := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	f("%s load test: /decide at %.0f/s for %s, %d process(es), %s; %s corpus, seed %d", r.Peer, r.Rate, r.Duration, r.Bots, r.Database, r.Corpus, r.Seed)
	f("machine: %d CPUs, %s, %s, %s", r.Machine.CPUs, r.Machine.Model, r.Machine.GoVersion, r.Machine.Kernel)
	f("load average: %s before the load, %s after", r.LoadBefore, r.LoadAfter)
	if r.ReadyFresh == 0 {
		return // it never started
	}
	f("start to ready: %.0f ms on a fresh database (migrations applied), %s ms on the migrated one", r.ReadyFresh, floats(r.ReadyMigrated, "%.0f"))
	if r.Scheduled == 0 {
		return
	}
	f("sent %d of %d scheduled in %.1f s (%d not sent: too many waiting); acked %d; not acked within 3 s: %d; refused: %d",
		r.Sent, r.Scheduled, r.SendSeconds, r.Skipped, r.Acked, r.NoAck, r.Refused)
	f("ack latency (socket frame queued → ack read), ms:    %s", r.Ack)
	f("schedule lag (due → frame queued, driver + fake), ms: %s", r.Lag)
	f("completed (\"decision recorded\" logged after its commit): %d of %d acked, %.0f/s; %d by the end of sending; %d decisions in the database",
		r.Completed, r.Acked, r.CompletedPerSecond, r.CompletedInWindow, r.InDatabase)
	f("completion latency (due → \"decision recorded\"), ms: %s", r.Completion)
	f("backlog when sending stopped: %d acked, not yet completed (%.0f/s completed while sending); drained in %.1f s at %.0f/s",
		r.Backlog, r.SendingPerSecond, r.DrainSeconds, r.DrainPerSecond)
	o := r.Once
	f("exactly once (titles in the database): acked %d, found %d, missing %d, duplicated %d; recorded though not acked: %d; still pending in the inbox: %d",
		o.Acked, o.Found, o.Missing, o.Duplicated, o.UnackedFound, o.InboxPending)
	for _, t := range o.MissingTitles {
		f("  missing: %q", t)
	}
	if c := r.Crash; c != nil {
		if c.Err != "" {
			f("SIGKILL at %.1f s (seed %d); restart failed: %s", c.KilledAt, c.Seed, c.Err)
		} else {
			f("SIGKILL at %.1f s (seed %d); ready again %.0f ms later (start to ready %.0f ms)", c.KilledAt, c.Seed, c.Down, c.Ready)
		}
	}
	f("posted by the end: %d cards (paced to ALIGNBOT_POSTS_PER_MINUTE and 1 a second a channel; the rest wait in the outbox), %d private replies",
		r.Posted, r.Replies)
	f("bot RSS, MiB: idle %s, peak under load %s, after draining %s (VmHWM %s)",
		floats(r.IdleRSS, "%.1f"), floats(r.PeakRSS, "%.1f"), floats(r.DrainedRSS, "%.1f"), floats(r.HWM, "%.1f"))
	f("CPU while sending and draining, cores of %d: bot %s, load tool (fake Slack + driver) %.2f",
		r.Machine.CPUs, floats(r.BotCores, "%.2f"), r.LoaderCores)
	f("stop on SIGTERM: %s s", floats(r.StopSeconds, "%.2f"))
	f("bot log lines by level: %v", r.LogLevels)
	keys := make([]string, 0, len(r.Problems))
	for k := range r.Problems {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return r.Problems[keys[i]] > r.Problems[keys[j]] })
	for _, k := range keys {
		f("  %6d × %s", r.Problems[k], k)
	}
	for _, line := range r.ErrorTail {
		f("  last error: %s", line)
	}
}

func (d dist) String() string {
	return fmt.Sprintf("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (n=%d)", d.P50, d.P90, d.P99, d.Max, d.N)
}

func floats(xs []float64, format string) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(s, ", ")
}

func (r *results) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, val, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(val)
		}
	}
	return "?"
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "?"
	}
	return "Linux " + strings.TrimSpace(string(b))
}
