package fakeslack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// maxConns is Slack's cap on simultaneous Socket Mode connections per app.
const maxConns = 10

// conn is one Socket Mode WebSocket. Only its writeLoop writes data frames, from
// its own queue; no queue is ever shared between connections.
type conn struct {
	id       int
	ws       *websocket.Conn
	out      chan []byte
	done     chan struct{}
	once     sync.Once
	draining bool // sent a disconnect; gets no new envelopes
}

// connectionsOpen answers apps.connections.open with a single-use socket URL.
func (s *Server) connectionsOpen(rq *apiRequest) apiResult {
	ticket := randHex(16)
	s.mu.Lock()
	s.st.tickets[ticket] = time.Now()
	s.mu.Unlock()
	url := "ws" + s.base[len("http"):] + "/link/?ticket=" + ticket + "&app_id=" + s.opts.AppID
	return okResult(map[string]any{"url": url})
}

// serveLink upgrades GET /link/?ticket=… to a Socket Mode connection. The ticket
// must come from apps.connections.open and works once. Other query parameters,
// such as debug_reconnects, are ignored.
func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	_, ok := s.st.tickets[ticket]
	delete(s.st.tickets, ticket)
	s.mu.Unlock()
	if !ok {
		s.logf("socket refused: unknown or used ticket")
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.logf("socket upgrade failed: %v", err)
		return
	}
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		_ = ws.Close()
		return
	default:
	}
	if len(s.st.conns) >= maxConns {
		s.mu.Unlock()
		s.logf("socket refused: too_many_websockets")
		_ = ws.SetWriteDeadline(time.Now().Add(time.Second))
		_ = ws.WriteMessage(websocket.TextMessage, s.disconnectFrame("too_many_websockets"))
		_ = ws.Close()
		return
	}
	s.st.connSeq++
	c := &conn{id: s.st.connSeq, ws: ws, out: make(chan []byte, 256), done: make(chan struct{})}
	s.st.conns[c.id] = c
	n := len(s.st.conns)
	c.out <- s.helloFrame(n)
	s.notifyConns()
	s.wg.Add(2)
	s.mu.Unlock()
	s.logf("socket %d connected (%d live)", c.id, n)
	go s.writeLoop(c)
	go s.readLoop(c)
}

func (s *Server) helloFrame(n int) []byte {
	b, _ := json.Marshal(map[string]any{
		"type":            "hello",
		"num_connections": n,
		"debug_info": map[string]any{
			"host":                        "applink-fakeslack",
			"started":                     time.Now().UTC().Format("2006-01-02 15:04:05.000"),
			"build_number":                1,
			"approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": s.opts.AppID},
	})
	return b
}

func (s *Server) disconnectFrame(reason string) []byte {
	b, _ := json.Marshal(map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "applink-fakeslack"},
	})
	return b
}

// writeLoop writes c's queued frames and a PING every PingInterval (one right
// away, so that a client's ping watchdog is satisfied from the start).
func (s *Server) writeLoop(c *conn) {
	defer s.wg.Done()
	ping := time.NewTicker(s.opts.PingInterval)
	defer ping.Stop()
	sendPing := func() bool {
		err := c.ws.WriteControl(websocket.PingMessage, []byte("fakeslack"), time.Now().Add(10*time.Second))
		if err != nil {
			s.dropConn(c, err)
			return false
		}
		return true
	}
	first := true
	for {
		select {
		case <-c.done:
			return
		case b := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				s.dropConn(c, err)
				return
			}
			if first && !sendPing() {
				return
			}
			first = false
		case <-ping.C:
			if !sendPing() {
				return
			}
		}
	}
}

// readLoop reads the app's frames until the socket fails.
func (s *Server) readLoop(c *conn) {
	defer s.wg.Done()
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			s.dropConn(c, err)
			return
		}
		s.handleFrame(c, data)
	}
}

// dropConn closes c's socket at once, without a close frame, and forgets it.
// Its un-acked envelopes stay pending.
func (s *Server) dropConn(c *conn, why error) {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
		s.mu.Lock()
		delete(s.st.conns, c.id)
		n := len(s.st.conns)
		s.notifyConns()
		s.mu.Unlock()
		s.logf("socket %d closed (%d left): %v", c.id, n, why)
	})
}

// notifyConns wakes everyone waiting for a change in the set of connections.
// Callers hold s.mu.
func (s *Server) notifyConns() {
	close(s.st.connCh)
	s.st.connCh = make(chan struct{})
}

// liveConns returns the open connections by ID; draining ones only if asked.
// Callers hold s.mu.
func (st *state) liveConns(withDraining bool) []*conn {
	var out []*conn
	for _, c := range st.conns {
		if withDraining || !c.draining {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *conn) int { return a.id - b.id })
	return out
}

// pickConn returns the next live connection, round-robin, or nil. Callers hold s.mu.
func (s *Server) pickConn() *conn {
	live := s.st.liveConns(false)
	if len(live) == 0 {
		return nil
	}
	s.st.rr++
	return live[s.st.rr%len(live)]
}

// waitConn returns a live connection, waiting up to d for one; nil if none came.
func (s *Server) waitConn(ctx context.Context, d time.Duration) (*conn, error) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		s.mu.Lock()
		c := s.pickConn()
		changed := s.st.connCh
		s.mu.Unlock()
		if c != nil {
			return c, nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.closed:
			return nil, ErrClosed
		}
	}
}

// Connections returns the number of live Socket Mode connections, not counting
// those that were sent a disconnect.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.liveConns(false))
}

// WaitConnections waits until at least n connections are live (as counted by
// Connections) or ctx is done.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		have := len(s.st.liveConns(false))
		changed := s.st.connCh
		s.mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return ErrClosed
		}
	}
}

// Disconnect sends {"type":"disconnect","reason":reason} on every live
// connection, as Slack does before refreshing a socket ("warning",
// "refresh_requested", "link_disabled", "too_many_websockets"). Those
// connections get no further envelopes; slack-go closes them and reconnects,
// and the fake closes any still open after 10 s.
func (s *Server) Disconnect(reason string) {
	frame := s.disconnectFrame(reason)
	s.mu.Lock()
	conns := s.st.liveConns(false)
	for _, c := range conns {
		c.draining = true
		select {
		case c.out <- frame:
		default:
		}
	}
	s.notifyConns()
	s.mu.Unlock()
	s.logf("sent disconnect %q to %d sockets", reason, len(conns))
	for _, c := range conns {
		s.goTracked(func() {
			t := time.NewTimer(10 * time.Second)
			defer t.Stop()
			select {
			case <-t.C:
				s.dropConn(c, errDrainTimeout)
			case <-c.done:
			case <-s.closed:
			}
		})
	}
}

// DropConnections closes every socket abruptly, with no close frame, like a
// network failure.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := s.st.liveConns(true)
	s.mu.Unlock()
	for _, c := range conns {
		s.dropConn(c, errDropped)
	}
}

type connError string

func (e connError) Error() string { return string(e) }

const (
	errDropped      = connError("dropped by test")
	errDrainTimeout = connError("still open 10s after disconnect")
)

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
