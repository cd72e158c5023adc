package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/clock"
	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
)

// decisionTitles counts the decisions in db by title, through the export
// command, as an operator would.
func decisionTitles(t *testing.T, db string) map[string]int {
	t.Helper()
	h := &harness{t: t, db: db}
	out := map[string]int{}
	for _, d := range h.exportJSON() {
		title, _ := d["title"].(string)
		out[title]++
	}
	return out
}

// burst sends /decide "<prefix> NNNN" n times, eight at a time, spread over
// three channels, and returns the texts Slack saw acknowledged. It sends
// no more once onAck says stop.
func burst(fs *fakeslack.Server, prefix string, n int, onAck func(acked int) (stop bool)) []string {
	channels := []string{general, random, secret}
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
		done  = make(chan struct{})
		once  sync.Once
	)
	texts := make(chan string)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for text := range texts {
				ch := channels[len(text)%3]
				if _, err := fs.SlashCommand(context.Background(), slashDecide(ann, ch, text)); err == nil {
					mu.Lock()
					acked = append(acked, text)
					k := len(acked)
					mu.Unlock()
					if onAck != nil && onAck(k) {
						once.Do(func() { close(done) })
					}
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case texts <- fmt.Sprintf("%s %04d", prefix, i):
		case <-done:
			break feed
		}
	}
	close(texts)
	wg.Wait()
	return acked
}

// TestSIGKILLMidBurstHandlesEveryAckOnce kills alignbot with SIGKILL while
// commands keep coming and every one acknowledged so far waits in the
// inbox (Slack holds the bot's first lookup, so none is done yet): after a
// restart every acknowledged command has its effect exactly once, and an
// envelope Slack delivers again meanwhile is dropped.
func TestSIGKILLMidBurstHandlesEveryAckOnce(t *testing.T) {
	fs := newWorldWith(t, fakeslack.Options{AckTimeout: 3 * time.Second})
	db := testdb.New(t)
	env := map[string]string{
		"SLACK_BOT_TOKEN": fs.BotToken(), "SLACK_APP_TOKEN": fs.AppToken(), "SLACK_API_URL": fs.URL(),
		"ALIGNBOT_DB": db, "ALIGNBOT_HTTP_ADDR": "", "ALIGNBOT_POSTS_PER_MINUTE": "100000",
	}
	p := startProcess(t, env)
	waitSockets(t, fs, 1, p)
	release := fs.Hold("users.info")
	defer release()

	const n, killAt = 300, 150
	var once sync.Once
	acked := burst(fs, "Burst decision", n, func(k int) bool {
		if k == killAt {
			once.Do(func() { p.cmd.Process.Signal(syscall.SIGKILL) })
		}
		return k >= killAt
	})
	<-p.done
	if len(acked) < killAt || len(acked) == n {
		t.Fatalf("%d of %d acknowledged: the kill did not land mid-burst", len(acked), n)
	}
	if got := decisionTitles(t, db); len(got) != 0 {
		t.Fatalf("%d decisions before the restart; the held lookup should have kept every one waiting", len(got))
	}
	release()

	p2 := startProcess(t, env)
	waitSockets(t, fs, 1, p2)
	// Slack delivers some of the acknowledged envelopes again: each is
	// acknowledged and changes nothing.
	var resent int
	for _, d := range fs.Deliveries() {
		if d.Acked && d.Type == "slash_commands" && resent < 20 {
			if _, err := fs.Resend(context.Background(), d.EnvelopeID); err != nil {
				t.Fatalf("redelivery not acknowledged: %v", err)
			}
			resent++
		}
	}
	h := &harness{t: t, fs: fs, db: db, logs: p2.stderr}
	waitInboxDrained(h, db)
	everyOnce(t, decisionTitles(t, db), acked)
	t.Logf("%d of %d acknowledged before the kill; %d redelivered after it", len(acked), n, resent)
}

// waitSockets waits until n sockets are connected.
func waitSockets(t *testing.T, fs *fakeslack.Server, n int, p *process) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := fs.WaitConnections(ctx, n); err != nil {
		t.Fatalf("not connected: %v\n%s", err, p.stderr.String())
	}
}

// TestSIGTERMInHTTPModeLosesNothingAnswered sends /decide over HTTP, many
// at a time, and stops alignbot with SIGTERM in the middle: every request
// answered 200 is recorded exactly once, by the time a new process has
// worked through what the old one left in the inbox.
func TestSIGTERMInHTTPModeLosesNothingAnswered(t *testing.T) {
	fs := newWorld(t)
	db := testdb.New(t)
	secret := "http-mode-secret"
	addr := freeAddr(t)
	env := map[string]string{
		"SLACK_BOT_TOKEN": fs.BotToken(), "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": fs.URL(),
		"ALIGNBOT_DB": db, "ALIGNBOT_MODE": "http", "ALIGNBOT_HTTP_ADDR": addr, "ALIGNBOT_OPS_ADDR": "",
		"ALIGNBOT_POSTS_PER_MINUTE": "100000",
	}
	p := startProcess(t, env)
	waitListening(t, addr, p)
	release := fs.Hold("users.info") // nothing is done before the stop: all of it waits in the inbox
	defer release()

	const n, stopAt = 400, 100
	sign := signWith(secret)
	var (
		mu       sync.Mutex
		answered []string
		wg       sync.WaitGroup
		once     sync.Once
	)
	texts := make(chan string)
	client := &http.Client{Timeout: 5 * time.Second}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for text := range texts {
				body := slashForm(ann, general, "/decide", text)
				ts := time.Now()
				req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(ts.Unix()))
				req.Header.Set("X-Slack-Signature", sign(fmt.Sprintf("v0:%d:%s", ts.Unix(), body)))
				resp, err := client.Do(req)
				if err != nil {
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					continue
				}
				mu.Lock()
				answered = append(answered, text)
				k := len(answered)
				mu.Unlock()
				if k == stopAt {
					once.Do(func() { p.cmd.Process.Signal(syscall.SIGTERM) })
				}
			}
		}()
	}
	for i := range n {
		texts <- fmt.Sprintf("HTTP decision %04d", i)
	}
	close(texts)
	wg.Wait()
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Fatal("alignbot did not stop within 15 s of SIGTERM")
	}
	if len(answered) < stopAt || len(answered) == n {
		t.Fatalf("%d of %d answered: the stop did not land mid-load", len(answered), n)
	}
	release()

	p2 := startProcess(t, env)
	waitListening(t, addr, p2)
	h := &harness{t: t, fs: fs, db: db, logs: p2.stderr}
	waitInboxDrained(h, db)
	everyOnce(t, decisionTitles(t, db), answered)
	t.Logf("%d of %d answered 200 before the stop", len(answered), n)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitListening waits until the process answers on addr.
func waitListening(t *testing.T, addr string, p *process) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s:\n%s", addr, p.stderr.String())
}

// TestPoisonedRequestIsParked puts a request nobody can read in the inbox,
// as a bug or a damaged row would leave it: it is parked with its reason,
// once, and the requests after it are handled.
func TestPoisonedRequestIsParked(t *testing.T) {
	fs := newWorld(t)
	t.Parallel()
	dsn := testdb.New(t)
	ctx := context.Background()
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	poison := rituals.InboxItem{ID: "req:poison", Team: fs.TeamID(), Kind: "slash_commands", Lane: fs.TeamID() + "/" + general,
		Payload: []byte(`{"command": "/decide", "text": `), Received: time.Now()}
	if _, _, err := db.AcceptInbox(ctx, "test", []rituals.InboxItem{poison}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	h := startBotOn(t, fs, dsn, clock.New(testStart))
	h.decide(ann, general, "Ship the inbox")
	h.waitCards(general, 1)
	raw, err := sql.Open(sqlDriver(dsn), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var state, reason string
	var attempts int
	h.waitFor("the poisoned request parked", func() bool {
		err := raw.QueryRow(`SELECT state, last_error, attempts FROM inbox WHERE id = 'req:poison'`).Scan(&state, &reason, &attempts)
		return err == nil && state == rituals.InboxParked
	})
	if !strings.Contains(reason, "unreadable") || attempts != 1 {
		t.Fatalf("parked after %d attempts, reason %q", attempts, reason)
	}
	var payload string
	if err := raw.QueryRow(`SELECT payload FROM inbox WHERE id = 'req:poison'`).Scan(&payload); err != nil || payload != "" {
		t.Fatalf("parked request keeps its payload %q (%v)", payload, err)
	}
	if !strings.Contains(h.logs.String(), "request parked") {
		t.Fatal("no log line for the parked request")
	}
}

// everyOnce checks that each of want was recorded, and nothing twice.
func everyOnce(t *testing.T, got map[string]int, want []string) {
	t.Helper()
	for _, text := range want {
		if got[text] == 0 {
			t.Errorf("%q was acknowledged but never recorded", text)
		}
	}
	for title, k := range got {
		if k != 1 {
			t.Errorf("%q recorded %d times", title, k)
		}
	}
}

// waitInboxDrained waits until no request waits in the inbox of the
// database dsn, so counts of effects are final.
func waitInboxDrained(h *harness, dsn string) {
	h.t.Helper()
	raw, err := sql.Open(sqlDriver(dsn), dsn)
	if err != nil {
		h.t.Fatal(err)
	}
	defer raw.Close()
	h.waitLong("the inbox to drain", func() bool {
		var n int
		err := raw.QueryRow(`SELECT count(*) FROM inbox WHERE state = 'pending'`).Scan(&n)
		return err == nil && n == 0
	})
}

// sqlDriver is database/sql's driver name for dsn.
func sqlDriver(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "pgx"
	}
	return "sqlite"
}
