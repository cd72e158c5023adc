package fakeslack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Options configures a Server. Every zero field gets the default noted next to it.
type Options struct {
	TeamID, TeamDomain string // default "T0TEAM", "acme"
	// BotToken and AppToken are the only tokens the fake accepts. They carry no digit
	// runs so that secret scanners and log redactors leave them alone.
	BotToken, AppToken string // default "xoxb-fake-bot", "xapp-fake-app"
	BotUserID, BotID   string // default "U0BOT", "B0BOT"
	AppID              string // default "A0APP"
	BotName            string // the bot user's name; default "alignbot"

	// PingInterval is how often each socket gets a WebSocket PING. slack-go gives up
	// on a socket that sees no ping for 30 s. Default 5 s.
	PingInterval time.Duration
	// AckTimeout is how long a driver call waits for the app to ack an envelope.
	// Default 3 s, Slack's own deadline.
	AckTimeout time.Duration
	// EventRetryDelays is the redelivery schedule of un-acked events_api envelopes:
	// retry i is sent EventRetryDelays[i-1] after attempt i-1 timed out. Default
	// {0, 1m, 5m}, Slack's schedule; tests pass e.g. {0, 50ms, 100ms}.
	EventRetryDelays []time.Duration
	// TriggerTTL is how long a trigger_id stays usable. Default 3 s.
	TriggerTTL time.Duration
	// Logf, when set, receives a line per notable event (connections, envelopes,
	// faults). Tokens are never logged.
	Logf func(format string, args ...any)
	// OnRefusal, when set, hears of every payload refused for its form
	// (invalid_blocks, invalid_arguments, msg_too_long, …; see Refusals).
	// NewT sets it to fail the test, unless AllowRefusals is set.
	OnRefusal func(Refusal)
	// HTTP, when its URLs are set, makes the fake deliver to an app in HTTP
	// mode: slash commands, interactions and options requests are POSTed,
	// signed, to the app's URLs instead of sent over Socket Mode (events
	// still go over the socket). See RequestURLs and SetRequestURLs.
	HTTP RequestURLs
	// AllowRefusals keeps NewT from failing the test when a payload is
	// refused: for tests of the refusals themselves.
	AllowRefusals bool
}

func (o *Options) setDefaults() {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.TeamID, "T0TEAM")
	def(&o.TeamDomain, "acme")
	def(&o.BotToken, "xoxb-fake-bot")
	def(&o.AppToken, "xapp-fake-app")
	def(&o.BotUserID, "U0BOT")
	def(&o.BotID, "B0BOT")
	def(&o.AppID, "A0APP")
	def(&o.BotName, "alignbot")
	if o.PingInterval <= 0 {
		o.PingInterval = 5 * time.Second
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 3 * time.Second
	}
	if o.EventRetryDelays == nil {
		o.EventRetryDelays = []time.Duration{0, time.Minute, 5 * time.Minute}
	}
	if o.TriggerTTL <= 0 {
		o.TriggerTTL = 3 * time.Second
	}
}

// ErrClosed is returned by driver calls made while or after the Server closes.
var ErrClosed = errors.New("fakeslack: server closed")

// Server is a fake Slack workspace: a Web API, Socket Mode sockets and the state
// behind them, all on one loopback listener. It is safe for concurrent use.
type Server struct {
	opts     Options
	base     string // "http://127.0.0.1:PORT"
	srv      *http.Server
	upgrader websocket.Upgrader
	methods  map[string]apiMethod
	closed   chan struct{}
	wg       sync.WaitGroup

	// logMu guards isClosed so that no log line is written once Close has begun
	// (t.Logf panics after the test ends).
	logMu    sync.RWMutex
	isClosed bool

	mu sync.Mutex // guards everything below
	st state
}

// New starts a Server on 127.0.0.1 with a free port.
func New(opts Options) (*Server, error) {
	opts.setDefaults()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fakeslack: listen: %w", err)
	}
	s := &Server{
		opts:   opts,
		base:   "http://" + ln.Addr().String(),
		closed: make(chan struct{}),
		st:     newState(),
	}
	s.upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
		o := r.Header.Get("Origin")
		return o == "" || o == "https://api.slack.com"
	}}
	s.methods = s.apiMethods()
	s.st.addUser(User{ID: opts.BotUserID, Name: opts.BotName, RealName: opts.BotName, IsBot: true})

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link/", s.serveLink)
	mux.HandleFunc("/response/", s.serveResponseURL)
	mux.HandleFunc("/upload/", s.serveUpload)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.srv.Serve(ln)
	}()
	s.logf("listening on %s", s.base)
	return s, nil
}

// NewT starts a Server for a test, logs through t.Logf unless opts.Logf is set,
// fails the test when a payload is refused for its form (as real Slack would
// refuse it; see Options.AllowRefusals), and closes it when the test ends. It calls t.Fatal if the server cannot start.
func NewT(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	if opts.OnRefusal == nil && !opts.AllowRefusals {
		opts.OnRefusal = func(r Refusal) {
			t.Errorf("fakeslack: Slack would refuse this payload: %s", r)
		}
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the listener, drops every socket and waits for the fake's own
// goroutines. Driver calls in flight return ErrClosed. Close is idempotent.
func (s *Server) Close() {
	s.logMu.Lock()
	if s.isClosed {
		s.logMu.Unlock()
		return
	}
	s.isClosed = true
	s.logMu.Unlock()

	s.mu.Lock()
	close(s.closed)
	conns := s.st.liveConns(true)
	s.mu.Unlock()

	_ = s.srv.Close()
	for _, c := range conns {
		s.dropConn(c, ErrClosed)
	}
	s.wg.Wait()
}

// URL returns the Web API base for slack.OptionAPIURL, with its trailing slash.
func (s *Server) URL() string { return s.base + "/api/" }

// BotToken returns the bot token (xoxb) the fake accepts.
func (s *Server) BotToken() string { return s.opts.BotToken }

// AppToken returns the app-level token (xapp) the fake accepts.
func (s *Server) AppToken() string { return s.opts.AppToken }

// TeamID returns the workspace ID.
func (s *Server) TeamID() string { return s.opts.TeamID }

// BotUserID returns the bot's user ID.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// BotID returns the bot's bot ID (B…), which Slack puts on the bot's messages.
func (s *Server) BotID() string { return s.opts.BotID }

// WaitFor polls cond every 5 ms until it returns true or ctx is done, in which
// case it returns ctx's error.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// logf writes one log line through Options.Logf, unless the server is closing.
func (s *Server) logf(format string, args ...any) {
	s.logMu.RLock()
	defer s.logMu.RUnlock()
	if s.isClosed || s.opts.Logf == nil {
		return
	}
	s.opts.Logf("fakeslack: "+format, args...)
}

// goTracked runs f in a goroutine that Close waits for. It returns false, and
// does not run f, if the server is already closed. Callers must not hold s.mu.
func (s *Server) goTracked(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
		return false
	default:
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}
