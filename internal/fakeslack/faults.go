package fakeslack

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is an injected failure for one Web API call.
//
//   - Status 429: HTTP 429 with Retry-After (RetryAfter in whole seconds, rounded
//     up, at least 1) and {"ok":false,"error":"ratelimited"}.
//   - Status 5xx (or any other non-200): that status with a short JSON body.
//   - Error: HTTP 200 with {"ok":false,"error":Error}.
//   - Delay: sleep before answering, honouring the request's context; with nothing
//     else set the call is then answered normally.
//   - Drop: close the connection without answering; the call has no effect.
//   - After: Delay and Drop apply after the call took effect: Slack did it,
//     but the app hears late or never (the window of doubt). If the app
//     goes away during the delay, the effect stays.
type Fault struct {
	Status     int
	RetryAfter time.Duration
	Error      string
	Delay      time.Duration
	Drop       bool
	After      bool
}

// FailNext makes the next n calls of method fail with f. Faulted calls are still
// recorded. Faults queue up: FailNext twice gives the first faults first.
func (s *Server) FailNext(method string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.st.faults[method] = append(s.st.faults[method], f)
	}
}

// SetRateLimit limits method to perMinute calls in any sliding 60 s window; calls
// beyond it get HTTP 429 with a Retry-After that says truthfully when the next
// call will pass. perMinute <= 0 removes the limit.
func (s *Server) SetRateLimit(method string, perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perMinute <= 0 {
		delete(s.st.rates, method)
		return
	}
	s.st.rates[method] = &window{limit: perMinute}
}

// SetChannelPostRate limits chat.postMessage per channel with a token bucket of
// perSecond refill and burst capacity, like Slack's "1 per second per channel,
// short bursts allowed". Posts beyond it get HTTP 429 with a truthful
// Retry-After. perSecond <= 0 removes the limit, which is the default.
func (s *Server) SetChannelPostRate(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.buckets = map[string]*bucket{}
	if perSecond <= 0 {
		s.st.chanRate = nil
		return
	}
	s.st.chanRate = &bucketConfig{rate: perSecond, burst: float64(max(burst, 1))}
}

// SetWorkspacePostLimit caps chat.postMessage across all channels at perMinute
// in any sliding 60 s window. perMinute <= 0 removes the cap, the default.
func (s *Server) SetWorkspacePostLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perMinute <= 0 {
		s.st.postLimit = nil
		return
	}
	s.st.postLimit = &window{limit: perMinute}
}

// Hold makes calls of method wait, unanswered and without effect, until
// release is called: Slack slow to answer. A caller that gives up while
// held (its context ends, its process dies) leaves no effect. Calls made
// after release go straight through.
func (s *Server) Hold(method string) (release func()) {
	held := make(chan struct{})
	s.mu.Lock()
	s.st.holds[method] = held
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.st.holds[method] == held {
				delete(s.st.holds, method)
			}
			s.mu.Unlock()
			close(held)
		})
	}
}

// waitHeld waits while the call's method is held. It reports whether the
// call goes on: false if its caller gave up or the server closed.
func (s *Server) waitHeld(rq *apiRequest) bool {
	s.mu.Lock()
	held := s.st.holds[rq.method]
	s.mu.Unlock()
	if held == nil {
		return true
	}
	select {
	case <-held:
		return true
	case <-rq.r.Context().Done():
		return false
	case <-s.closed:
		return false
	}
}

// applyFault applies the next queued fault of the call's method. handled reports
// that the call is answered (res.status 0: already answered or abandoned).
// A fault with After set is returned as after, for the caller to apply once
// the call has taken effect.
func (s *Server) applyFault(w http.ResponseWriter, rq *apiRequest, idx int) (res apiResult, handled bool, after *Fault) {
	s.mu.Lock()
	q := s.st.faults[rq.method]
	if len(q) == 0 {
		s.mu.Unlock()
		return apiResult{}, false, nil
	}
	f := q[0]
	s.st.faults[rq.method] = q[1:]
	s.mu.Unlock()
	s.logf("fault on %s (call %d): status=%d error=%q delay=%v drop=%v after=%v", rq.method, idx, f.Status, f.Error, f.Delay, f.Drop, f.After)
	if f.After {
		return apiResult{}, false, &f
	}

	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-rq.r.Context().Done():
			return apiResult{}, true, nil
		case <-s.closed:
			return apiResult{}, true, nil
		}
	}
	switch {
	case f.Drop:
		dropConnection(w)
		return apiResult{}, true, nil
	case f.Status == http.StatusTooManyRequests:
		return rateLimited(f.RetryAfter), true, nil
	case f.Status != 0 && f.Status != http.StatusOK:
		code := strings.ReplaceAll(strings.ToLower(http.StatusText(f.Status)), " ", "_")
		if f.Status == http.StatusInternalServerError {
			code = "internal_error"
		}
		return apiResult{status: f.Status, body: map[string]any{"ok": false, "error": code}}, true, nil
	case f.Error != "":
		return errResult(f.Error), true, nil
	}
	return apiResult{}, false, nil
}

// applyAfter delays or drops the answer to a call that already took
// effect. It reports whether the answer is still to be written.
func (s *Server) applyAfter(w http.ResponseWriter, rq *apiRequest, f *Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-rq.r.Context().Done():
			return false
		case <-s.closed:
			return false
		}
	}
	if f.Drop {
		dropConnection(w)
		return false
	}
	return true
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
		}
	}
}

// ClearFaults drops the faults still queued for method ("" for every
// method).
func (s *Server) ClearFaults(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method == "" {
		clear(s.st.faults)
		return
	}
	delete(s.st.faults, method)
}

// rateLimited is a 429 answer whose Retry-After is d in whole seconds, rounded up.
func rateLimited(d time.Duration) apiResult {
	secs := max(1, int(math.Ceil(d.Seconds())))
	res := apiResult{status: http.StatusTooManyRequests, body: map[string]any{"ok": false, "error": "ratelimited"}}
	res.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	return res
}

// checkLimits applies SetRateLimit, SetChannelPostRate and SetWorkspacePostLimit.
// A call that is refused consumes no capacity.
func (s *Server) checkLimits(rq *apiRequest) (apiResult, bool) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var wait time.Duration
	limited := false
	check := func(d time.Duration, full bool) {
		if full {
			limited = true
			wait = max(wait, d)
		}
	}
	perMethod := s.st.rates[rq.method]
	if perMethod != nil {
		check(perMethod.wait(now))
	}
	var b *bucket
	isPost := rq.method == "chat.postMessage"
	if isPost && s.st.postLimit != nil {
		check(s.st.postLimit.wait(now))
	}
	if isPost && s.st.chanRate != nil {
		key := s.channelKey(rq.str("channel"))
		b = s.st.buckets[key]
		if b == nil {
			b = &bucket{tokens: s.st.chanRate.burst, last: now}
			s.st.buckets[key] = b
		}
		check(b.wait(now, s.st.chanRate))
	}
	if limited {
		s.logf("rate limited %s, retry after %v", rq.method, wait)
		return rateLimited(wait), true
	}
	if perMethod != nil {
		perMethod.take(now)
	}
	if isPost && s.st.postLimit != nil {
		s.st.postLimit.take(now)
	}
	if b != nil {
		b.tokens--
	}
	return apiResult{}, false
}

// channelKey maps a user ID to the ID of the bot's DM with them, so that posting
// to U… and to D… share one bucket.
func (s *Server) channelKey(id string) string {
	if strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") {
		for _, ch := range s.st.channels {
			if ch.im && ch.imUser == id {
				return ch.id
			}
		}
	}
	return id
}

// window is a sliding 60-second window of accepted calls.
type window struct {
	limit int
	times []time.Time
}

// wait reports whether the window is full and, if so, how long until it is not.
func (w *window) wait(now time.Time) (time.Duration, bool) {
	cut := now.Add(-time.Minute)
	i := 0
	for i < len(w.times) && !w.times[i].After(cut) {
		i++
	}
	w.times = w.times[i:]
	if len(w.times) < w.limit {
		return 0, false
	}
	return w.times[len(w.times)-w.limit].Add(time.Minute).Sub(now), true
}

func (w *window) take(now time.Time) { w.times = append(w.times, now) }

type bucketConfig struct{ rate, burst float64 }

// bucket is a token bucket; a post takes one token.
type bucket struct {
	tokens float64
	last   time.Time
}

// wait refills the bucket and reports whether it is empty and, if so, how long
// until it holds a whole token.
func (b *bucket) wait(now time.Time, cfg *bucketConfig) (time.Duration, bool) {
	b.tokens = min(cfg.burst, b.tokens+now.Sub(b.last).Seconds()*cfg.rate)
	b.last = now
	if b.tokens >= 1 {
		return 0, false
	}
	return time.Duration((1 - b.tokens) / cfg.rate * float64(time.Second)), true
}
