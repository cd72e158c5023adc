package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
)

// The replica test runs this test binary as each alignbot process, so one
// can be killed with SIGKILL. replicaEnv makes TestMain run a replica;
// replicaClockEnv ("<fake time>@<real time>", RFC 3339) gives every
// replica the same clock, running with real time from that instant.
const (
	replicaEnv      = "ALIGNBOT_TEST_REPLICA"
	replicaClockEnv = "ALIGNBOT_TEST_REPLICA_CLOCK"
)

// runReplica is `alignbot run` with the test's clock, a fast scheduler
// tick and a shorter outbox lease. Configuration comes from the environment.
func runReplica() int {
	cfg, _, err := parseConfig("run", nil, os.LookupEnv, os.Stderr, nil)
	if err == nil {
		err = cfg.validateRun()
	}
	fakeAt, realAt, _ := strings.Cut(os.Getenv(replicaClockEnv), "@")
	at, err1 := time.Parse(time.RFC3339Nano, fakeAt)
	ref, err2 := time.Parse(time.RFC3339Nano, realAt)
	if err = errors.Join(err, err1, err2); err != nil {
		fmt.Fprintln(os.Stderr, "replica:", err)
		return 2
	}
	offset := at.Sub(ref)
	m := &Main{Config: cfg, Log: newLogger(os.Stderr, slog.LevelInfo),
		Now: func() time.Time { return time.Now().Add(offset) }, TickEvery: 500 * time.Millisecond}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	code := 0
	if err := m.Open(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "replica:", err)
		code = 1
	} else {
		m.Sender.Lease = 15 * time.Second
		if err := m.Run(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "replica:", err)
			code = 1
		}
	}
	cctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := m.Close(cctx); err != nil {
		fmt.Fprintln(os.Stderr, "replica close:", err)
	}
	return code
}

// replica is one alignbot process of the replica test.
type replica struct {
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

func startReplica(t *testing.T, fs *fakeslack.Server, dsn, clock string) *replica {
	t.Helper()
	r := &replica{logs: &syncBuffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(os.Args[0], "-test.run=^$")
	r.cmd.Env = append(os.Environ(),
		replicaEnv+"=1", replicaClockEnv+"="+clock,
		"SLACK_BOT_TOKEN="+fs.BotToken(), "SLACK_APP_TOKEN="+fs.AppToken(), "SLACK_API_URL="+fs.URL(),
		"ALIGNBOT_DB="+dsn, "ALIGNBOT_HTTP_ADDR=127.0.0.1:0", "ALIGNBOT_ADMINS="+adm,
		"ALIGNBOT_POSTS_PER_MINUTE=60000", "ALIGNBOT_MODE=socket")
	r.cmd.Stdout, r.cmd.Stderr = r.logs, r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			r.cmd.Process.Kill()
			<-r.done
		}
		if t.Failed() || os.Getenv("ALIGNBOT_TEST_DEBUG") != "" {
			t.Logf("replica %d logs:\n%s", r.cmd.Process.Pid, r.logs.String())
		}
	})
	return r
}

// TestReplicasActAsOneBot runs three alignbot processes on one PostgreSQL
// database behind the fake Slack, which spreads envelopes across their
// sockets. 1,000 /decide commands and a check-in scheduled in 40 channels
// each have exactly one effect, though one replica is killed with SIGKILL
// while it holds outbox claims mid-fan-out.
func TestReplicasActAsOneBot(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("replicas share a PostgreSQL database")
	}
	// Three replicas and the fake share two cores with the rest of the
	// suite: this test is about effects happening once, not about speed,
	// so acks may take longer than Slack's 3 s here.
	fs := newWorldWith(t, fakeslack.Options{AckTimeout: 20 * time.Second})
	t.Parallel()
	const channels, perChannel = 40, 25
	var chans []string
	for i := range channels {
		id := fmt.Sprintf("C0REP%02d", i)
		fs.AddChannel(fakeslack.Channel{ID: id, Name: fmt.Sprintf("rep-%02d", i), Members: []string{ann, bob, eve, adm, fs.BotUserID()}})
		chans = append(chans, id)
	}
	dsn := testdb.New(t)
	// Tuesday 08:59 UTC: the check-ins scheduled for 09:00 open a minute
	// after the replicas start, while the commands come in.
	fakeStart, realStart := time.Date(2026, 11, 24, 8, 59, 0, 0, time.UTC), time.Now()
	clock := fakeStart.Format(time.RFC3339Nano) + "@" + realStart.Format(time.RFC3339Nano)
	replicas := map[int]*replica{}
	for range 3 {
		r := startReplica(t, fs, dsn, clock)
		replicas[r.cmd.Process.Pid] = r
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := fs.WaitConnections(ctx, 3); err != nil {
		t.Fatalf("three replicas never connected: %v", err)
	}
	h := &harness{t: t, fs: fs, db: dsn, logs: &syncBuffer{}}

	for _, ch := range chans {
		if got := h.ask(adm, ch, "/checkin", "every tue 09:00 UTC"); !strings.Contains(got, "next one opens Tue 24 Nov 09:00") {
			t.Fatalf("check-in not scheduled in %s:\n%s", ch, got)
		}
	}
	if elapsed := time.Since(realStart); elapsed > 50*time.Second {
		t.Fatalf("setting up took %v: the 09:00 check-in may have passed", elapsed)
	}

	// Slack answers no post until a replica is killed: however fast the
	// replicas send and however slowly the commands come in, the victim
	// dies holding claims on posts it has begun and Slack never took.
	release := fs.Hold("chat.postMessage")
	defer release()

	// 1,000 commands, eight at a time, spread by the fake across sockets.
	texts := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for text := range texts {
				ch := chans[mustAtoi(text[len(text)-4:])%channels]
				if _, err := fs.SlashCommand(context.Background(), fakeslack.Slash{User: ann, Channel: ch, Command: "/decide", Text: text}); err != nil {
					t.Errorf("/decide %q: %v", text, err)
				}
			}
		}()
	}
	for i := range channels * perChannel {
		texts <- fmt.Sprintf("Replica decision %04d", i)
	}
	close(texts)
	wg.Wait()
	onConns := map[int]int{}
	for _, d := range fs.Deliveries() {
		if d.Type == "slash_commands" {
			onConns[d.Conn]++
		}
	}
	if len(onConns) != 3 {
		t.Fatalf("commands went to %d sockets, want all 3: %v", len(onConns), onConns)
	}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(query string, args ...any) int {
		var n int
		if err := db.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	h.waitLong("1,000 decisions recorded", func() bool { return count(`SELECT count(*) FROM decisions`) == channels*perChannel })

	// Kill the replica holding the most outbox claims: it is sending now.
	var victim *replica
	held := 0
	h.waitFor("a replica holding outbox claims", func() bool {
		var owner string
		err := db.QueryRow(`SELECT claimed_by, count(*) FROM outbox
			WHERE state = 'pending' AND claimed_until > 1 AND claimed_by <> ''
			GROUP BY claimed_by ORDER BY count(*) DESC LIMIT 1`).Scan(&owner, &held)
		if err != nil {
			return false
		}
		parts := strings.Split(owner, "/") // host/pid/random
		pid, _ := strconv.Atoi(parts[len(parts)-2])
		victim = replicas[pid]
		return victim != nil
	})
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	t.Logf("killed replica %d holding %d claims", victim.cmd.Process.Pid, held)
	release()

	h.waitLong("every card and check-in out", func() bool {
		if len(decisionCards(fs, chans)) < channels*perChannel {
			return false
		}
		for _, ch := range chans {
			if len(h.checkinPrompts(ch)) == 0 {
				return false
			}
		}
		return count(`SELECT count(*) FROM outbox WHERE state = 'pending'`) == 0
	})

	t.Logf("Web API calls: %d chat.postMessage, %d conversations.info, %d conversations.history, %d users.info",
		len(fs.Calls("chat.postMessage")), len(fs.Calls("conversations.info")), len(fs.Calls("conversations.history")), len(fs.Calls("users.info")))
	cards := decisionCards(fs, chans)
	for i := range channels * perChannel {
		text := fmt.Sprintf("Replica decision %04d", i)
		if n := cards[text]; n != 1 {
			t.Errorf("%q: %d cards, want 1", text, n)
		}
	}
	if len(cards) != channels*perChannel {
		t.Errorf("%d distinct cards, want %d", len(cards), channels*perChannel)
	}
	for _, ch := range chans {
		if n := len(h.checkinPrompts(ch)); n != 1 {
			t.Errorf("%s: %d check-ins opened, want 1", ch, n)
		}
	}
	if n := count(`SELECT count(*) FROM decisions`); n != channels*perChannel {
		t.Errorf("%d decisions, want %d", n, channels*perChannel)
	}
	if n := count(`SELECT count(*) FROM checkins`); n != channels {
		t.Errorf("%d check-ins recorded, want %d", n, channels)
	}
	if n := count(`SELECT count(*) FROM outbox WHERE state <> 'sent'`); n != 0 {
		t.Errorf("%d outbox items not sent (parked or pending)", n)
	}
}

// decisionCards counts the bot's top-level messages in chans by the
// "Replica decision NNNN" they carry in their notification text: a
// check-in prompt lists proposals in its blocks too, but is not a card.
func decisionCards(fs *fakeslack.Server, chans []string) map[string]int {
	out := map[string]int{}
	for _, ch := range chans {
		for _, m := range fs.Messages(ch) {
			if m.BotID == "" || (m.ThreadTS != "" && m.ThreadTS != m.TS) {
				continue
			}
			text := m.Text
			if i := strings.Index(text, "Replica decision "); i >= 0 && len(text) >= i+21 {
				out[text[i:i+21]]++
			}
		}
	}
	return out
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}
