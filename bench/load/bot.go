package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the -postgres schema is made with database/sql
)

// build compiles ./cmd/alignbot of this module into dir, with the
// profiler endpoint when profile is set (see cmd/alignbot/pprof.go).
func build(ctx context.Context, dir string, profile bool) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "alignbot")
	args := []string{"build", "-o", bin}
	if profile {
		args = append(args, "-tags", "pprof")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/alignbot")...)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/alignbot: %v\n%s", err, msg)
	}
	return bin, nil
}

// moduleRoot is the directory of the alignbot module the tool runs in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 || string(bytes.TrimSpace(out)) == os.DevNull {
		return "", errors.New("run the load tool from inside the alignbot module (go run ./bench/load)")
	}
	return filepath.Dir(string(bytes.TrimSpace(out))), nil
}

// database returns the DSN the bots use: a SQLite file in dir, or a fresh
// schema in the PostgreSQL at o.postgres, dropped by the returned func.
func database(ctx context.Context, o options, dir string) (dsn string, drop func(), err error) {
	if o.postgres == "" {
		return filepath.Join(dir, o.peer+".db"), func() {}, nil
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "load_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", o.postgres)
	if err != nil {
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("postgres: create schema: %w", err)
	}
	drop = func() {
		if o.keep {
			fmt.Fprintln(os.Stderr, "load: keeping schema", schema)
			return
		}
		if db, err := sql.Open("pgx", o.postgres); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	}
	u, err := url.Parse(o.postgres)
	if err != nil {
		drop()
		return "", nil, errors.New("the -postgres URL does not parse")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// botProc is one running alignbot process.
type botProc struct {
	n         int
	cmd       *exec.Cmd
	pid       int
	health    string // base URL of /healthz, /readyz, /metrics (the ops listener)
	pprof     string // base URL of /debug/pprof, when built with it
	started   time.Time
	exited    chan struct{}
	exitErr   error
	logFile   *os.File
	completed func(envelopeID string, at time.Time)

	// readyMsg, when set, is the log message that says the process is
	// ready (the Bolt peer has no /readyz); ready is closed when it shows.
	readyMsg  string
	ready     chan struct{}
	readyOnce sync.Once

	mu       sync.Mutex
	levels   map[string]int // log lines by level
	problems map[string]int // warn and error lines by message
	tail     []string       // the last error lines, for the report
}

// startBot starts process number n of the app under load (alignbot, or
// the Bolt peer) on l.dsn against the fake Slack, and returns once it is
// ready (/readyz answers 200, or the Bolt app says so), with how long that
// took.
func (l *loader) startBot(ctx context.Context, n int) (*botProc, time.Duration, error) {
	healthAddr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	p := &botProc{n: n, health: "http://" + healthAddr, exited: make(chan struct{}), ready: make(chan struct{}),
		levels: map[string]int{}, problems: map[string]int{}, completed: l.res.complete}
	if l.o.pprofDir != "" {
		p.pprof = p.health // a -tags pprof build serves it beside /metrics
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		"SLACK_BOT_TOKEN=" + l.w.fs.BotToken(), "SLACK_APP_TOKEN=" + l.w.fs.AppToken(),
		"SLACK_API_URL=" + l.w.fs.URL(),
	}
	if l.o.peer == "bolt" {
		p.cmd = exec.Command("node", l.bin)
		p.cmd.Env = append(env, "BOLT_DB="+l.dsn)
		p.readyMsg, p.pprof = boltReady, ""
	} else {
		env = append(env, "ALIGNBOT_DB="+l.dsn, "ALIGNBOT_HTTP_ADDR="+healthAddr, "ALIGNBOT_LOG_LEVEL=info")
		if l.o.posts > 0 {
			env = append(env, "ALIGNBOT_POSTS_PER_MINUTE="+strconv.Itoa(l.o.posts))
		}
		p.cmd = exec.Command(l.bin, "run")
		p.cmd.Env = env
	}
	if p.logFile, err = os.Create(filepath.Join(l.dir, fmt.Sprintf("bot%d-%d.log", n, time.Now().UnixNano()))); err != nil {
		return nil, 0, err
	}
	p.cmd.Dir = l.dir
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		return nil, 0, err
	}
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", l.o.peer, err)
	}
	p.pid = p.cmd.Process.Pid
	logsDone := make(chan struct{})
	go func() {
		defer close(logsDone)
		p.readLog(stderr)
	}()
	go func() {
		<-logsDone // Wait closes the pipe: read it all first
		p.exitErr = p.cmd.Wait()
		p.logFile.Close()
		close(p.exited)
	}()
	ready, err := p.waitReady(ctx, 30*time.Second)
	if err != nil {
		p.stop(5 * time.Second)
		return nil, 0, fmt.Errorf("bot %d: %w\n%s", n, err, strings.Join(p.lastProblems(), "\n"))
	}
	return p, ready, nil
}

// waitReady polls /readyz every millisecond until it answers 200, or
// waits for the readyMsg log line.
func (p *botProc) waitReady(ctx context.Context, limit time.Duration) (time.Duration, error) {
	if p.readyMsg != "" {
		select {
		case <-p.ready:
			return time.Since(p.started), nil
		case <-p.exited:
			return 0, fmt.Errorf("it exited before it was ready: %v", p.exitErr)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(limit):
			return 0, fmt.Errorf("not ready after %v", limit)
		}
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := client.Get(p.health + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(p.started), nil
			}
		}
		select {
		case <-p.exited:
			return 0, fmt.Errorf("alignbot exited before it was ready: %v", p.exitErr)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
	return 0, fmt.Errorf("not ready after %v", limit)
}

// logLine is what the load tool reads from the bot's JSON log lines.
type logLine struct {
	Level      string `json:"level"`
	Msg        string `json:"msg"`
	EnvelopeID string `json:"envelope_id"`
	Request    string `json:"request"` // an inbox worker's: "req:" and the envelope ID
}

// readLog copies the bot's log to its file and notes each completed
// command and each warning or error.
func (p *botProc) readLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	w := bufio.NewWriter(p.logFile)
	defer w.Flush()
	for sc.Scan() {
		line := sc.Bytes()
		now := time.Now()
		w.Write(line)
		w.WriteByte('\n')
		var l logLine
		if json.Unmarshal(line, &l) != nil {
			l = logLine{Level: "TEXT", Msg: string(line)}
		}
		if l.Msg == "decision recorded" {
			// Intake logs the envelope ID; an inbox worker, its request
			// ID, which for a slash command is made of it.
			if id := cmp.Or(l.EnvelopeID, strings.TrimPrefix(l.Request, "req:")); id != "" {
				p.completed(id, now)
			}
		}
		if p.readyMsg != "" && l.Msg == p.readyMsg {
			p.readyOnce.Do(func() { close(p.ready) })
		}
		p.mu.Lock()
		p.levels[l.Level]++
		if l.Level == "WARN" || l.Level == "ERROR" || l.Level == "TEXT" {
			p.problems[l.Level+" "+l.Msg]++
		}
		if l.Level == "ERROR" || l.Level == "TEXT" {
			p.tail = append(p.tail, string(line))
			if len(p.tail) > 5 {
				p.tail = p.tail[1:]
			}
		}
		p.mu.Unlock()
	}
}

func (p *botProc) lastProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.tail...)
}

// stop sends SIGTERM and waits up to grace for the process to exit, then
// kills it. It returns how long the exit took.
func (p *botProc) stop(grace time.Duration) (time.Duration, error) {
	start := time.Now()
	select {
	case <-p.exited:
		return 0, p.exitErr
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return time.Since(start), p.exitErr
	case <-time.After(grace):
		p.cmd.Process.Kill()
		<-p.exited
		return time.Since(start), fmt.Errorf("bot %d did not stop within %v; killed", p.n, grace)
	}
}

// procStatus is a process's memory and CPU time as /proc tells them.
type procStatus struct {
	RSS, HWM int64         // bytes
	CPU      time.Duration // user + system
}

// readProc reads /proc/<pid>/status and /proc/<pid>/stat ("self" for
// this process).
func readProc(pid string) (procStatus, error) {
	var s procStatus
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return s, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			s.RSS = kb << 10
		case "VmHWM":
			s.HWM = kb << 10
		}
	}
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return s, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: utime and stime are the 14th and 15th fields of the line.
	rest := string(stat[bytes.LastIndexByte(stat, ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return s, fmt.Errorf("/proc/%s/stat: short", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	s.CPU = time.Duration(utime+stime) * time.Second / clockTicks
	return s, nil
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux the tool is meant for.
const clockTicks = 100

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// fetch GETs url into path.
func fetch(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
