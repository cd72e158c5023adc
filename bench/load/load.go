// Command load drives the real alignbot binary through the fake Slack over
// loopback and reports what a team would feel: how fast slash commands are
// acked, how many are carried through to the database per second, what
// failed, the bot's memory at idle and under load, and how long it takes
// to start. It needs no network beyond 127.0.0.1.
//
//	go run ./bench/load -rate 500 -duration 60s
//
// It builds ./cmd/alignbot into a temp dir and starts it as a child
// process, with its SQLite file in that dir (or a fresh schema of the
// PostgreSQL at -postgres). The fake Slack (internal/fakeslack) runs in
// this process: it hands the bot its Socket Mode socket and Web API, and
// this tool sends `/decide <unique text>` envelopes on that socket at a
// fixed open-loop rate: each at its scheduled time, whether or not earlier
// ones were answered. The fake and the driver share the machine with the
// bot; the report gives the CPU each side used.
//
// What is measured:
//
//   - ack latency: from the envelope's frame being queued on the socket to
//     the bot's ack frame being read back (what Slack's 3 s clock sees);
//   - completed: commands whose decision was committed with its card
//     queued in the outbox (one transaction), seen as the bot's
//     "decision recorded" log line for that envelope, which it writes
//     right after the commit; checked at the end against the decisions an
//     `alignbot export` finds in the database;
//   - errors: envelopes not acked within 3 s, commands never completed,
//     and error lines in the bot's log;
//   - RSS (VmRSS, VmHWM from /proc/<pid>/status): at idle, the highest
//     sampled under load, and after the backlog drained;
//   - start to ready: process start to the first 200 from /readyz (Socket
//     Mode connected and the database answering), on a fresh database and
//     again on the migrated one.
//
// Several connections mean several bot processes (-bots), each with its
// own Socket Mode socket, sharing one PostgreSQL database (-postgres): the
// fake spreads envelopes over the sockets round-robin, as Slack does.
//
// After the run every acked command's text is looked for among the
// decisions' titles: found once, missing, or duplicated. -kill-at SIGKILLs
// the bot during the run and restarts it at once on the same database, to
// show that what was acked before the kill is recorded exactly once.
// -peer bolt runs the minimal Bolt for JavaScript app of bench/bolt in
// the bot's place, measured the same way, for comparison.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are the tool's flags.
type options struct {
	rate     float64
	duration time.Duration
	drain    time.Duration
	users    int
	channels int
	bots     int
	postgres string
	bin      string
	pprofDir string
	jsonOut  string
	keep     bool
	posts    int
	inflight int
	corpus   string
	peer     string
	killAt   string        // the -kill-at flag as given
	kill     time.Duration // when to SIGKILL bot 0, from the start of sending; 0: never
	seed     uint64
}

func main() {
	var o options
	flag.Float64Var(&o.rate, "rate", 500, "commands a second, open loop")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "how long to send")
	flag.DurationVar(&o.drain, "drain", 60*time.Second, "how long to wait, after sending, for commands still being handled")
	// The bot learns each person and channel from Slack once (users.info,
	// 100 a minute; conversations.info, 50 a minute) and keeps it 10
	// minutes: the defaults fit in the first minute, so the run measures
	// the steady state, not a cold directory.
	flag.IntVar(&o.users, "users", 100, "people sending commands, round-robin")
	flag.IntVar(&o.channels, "channels", 40, "channels the commands are sent in, round-robin")
	flag.IntVar(&o.bots, "bots", 1, "bot processes, one Socket Mode connection each; more than one needs -postgres")
	flag.StringVar(&o.postgres, "postgres", "", "PostgreSQL URL; a fresh schema in it is used and dropped (default: SQLite in the temp dir)")
	flag.StringVar(&o.bin, "bin", "", "an alignbot binary to run (default: go build ./cmd/alignbot)")
	flag.StringVar(&o.pprofDir, "pprof", "", "write CPU and heap profiles of the bot (built with -tags pprof) and a CPU profile of this tool into this dir")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file")
	flag.BoolVar(&o.keep, "keep", false, "keep the temp dir (database, bot logs) and print its path")
	flag.IntVar(&o.posts, "posts-per-minute", 0, "ALIGNBOT_POSTS_PER_MINUTE for the bot (default: the bot's own, 300)")
	flag.IntVar(&o.inflight, "max-inflight", 20000, "commands waiting for their ack at once before new ones count as errors instead of being sent")
	flag.StringVar(&o.corpus, "corpus", "realistic", "command texts: realistic (bench/corpus titles with common words recurring) or similar (\"Adopt X for Y (#n)\" from a small vocabulary: titles that resemble each other)")
	flag.StringVar(&o.peer, "peer", "alignbot", "the app under load: alignbot, or bolt (the minimal Bolt for JavaScript app in bench/bolt, for comparison)")
	flag.StringVar(&o.killAt, "kill-at", "", "SIGKILL the bot this long after sending starts (or at a random moment within the run: random), restart it on the same database at once, and check at the end that every acked command was recorded exactly once")
	flag.Uint64Var(&o.seed, "seed", 0, "seed for the command texts and a random -kill-at (default: from the clock; the report prints it)")
	flag.Parse()
	if err := o.check(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := run(ctx, o)
	if res != nil {
		res.print(os.Stdout)
		if o.jsonOut != "" {
			if werr := res.writeJSON(o.jsonOut); werr != nil {
				err = errors.Join(err, werr)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// check validates the flags and resolves the seed and the kill moment.
func (o *options) check() error {
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano())
	}
	switch o.killAt {
	case "":
	case "random":
		// Somewhere in the middle 80 % of the run, so there is load on
		// both sides of the kill.
		rng := rand.New(rand.NewPCG(o.seed, 15))
		o.kill = o.duration/10 + time.Duration(rng.Int64N(int64(o.duration*8/10)))
	default:
		d, err := time.ParseDuration(o.killAt)
		if err != nil || d <= 0 || d >= o.duration {
			return errors.New("-kill-at takes a duration within -duration, or random")
		}
		o.kill = d
	}
	switch {
	case o.corpus != "realistic" && o.corpus != "similar":
		return errors.New("-corpus is realistic or similar")
	case o.peer != "alignbot" && o.peer != "bolt":
		return errors.New("-peer is alignbot or bolt")
	case o.peer == "bolt" && (o.postgres != "" || o.bots > 1 || o.bin != ""):
		return errors.New("-peer bolt runs one process on SQLite: no -postgres, -bots or -bin")
	case o.rate <= 0:
		return errors.New("-rate must be above zero")
	case o.duration <= 0:
		return errors.New("-duration must be above zero")
	case o.users < 1 || o.channels < 1:
		return errors.New("-users and -channels must be at least 1")
	case o.bots < 1 || o.bots > 10:
		return errors.New("-bots must be between 1 and 10 (Slack's limit on sockets per app)")
	case o.bots > 1 && o.postgres == "":
		return errors.New("several bot processes share one database: give -postgres")
	}
	return nil
}

// run sets the stage, runs the load and tears everything down.
func run(ctx context.Context, o options) (*results, error) {
	dir, err := os.MkdirTemp("", "alignbot-load-*")
	if err != nil {
		return nil, err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "load: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := o.bin
	if o.peer == "bolt" {
		if bin, err = boltApp(ctx); err != nil {
			return nil, err
		}
	} else if bin == "" {
		fmt.Fprintln(os.Stderr, "load: building alignbot")
		if bin, err = build(ctx, dir, o.pprofDir != ""); err != nil {
			return nil, err
		}
	}
	dsn, dropDB, err := database(ctx, o, dir)
	if err != nil {
		return nil, err
	}
	defer dropDB()

	w, err := newWorld(o)
	if err != nil {
		return nil, err
	}
	defer w.fs.Close()
	res := newResults(o, dsn)
	l := &loader{o: o, w: w, bin: bin, dir: dir, dsn: dsn, res: res}
	defer l.stopAll()
	if err := l.startBots(ctx); err != nil {
		return res, err
	}
	if err := l.load(ctx); err != nil {
		return res, err
	}
	return res, l.finish(ctx)
}
