// Package clock provides a controllable clock for tests: it starts at a
// chosen instant and runs with real time (so timeouts and backoff still
// elapse), and tests may jump it forward or freeze it.
package clock

import (
	"sync"
	"time"
)

// Fake is a clock that tests control. The zero value is not usable; call
// New.
type Fake struct {
	mu     sync.Mutex
	base   time.Time // clock reading at realAt
	realAt time.Time
	frozen bool
}

// New returns a clock reading at, running with real time from now on.
func New(at time.Time) *Fake {
	return &Fake{base: at, realAt: time.Now()}
}

// Now returns the clock's reading.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.base
	}
	return c.base.Add(time.Since(c.realAt))
}

// Advance moves the clock forward by d.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rebase()
	c.base = c.base.Add(d)
}

// Set moves the clock to t.
func (c *Fake) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.realAt, c.base = time.Now(), t
}

// Freeze stops the clock where it is until Run.
func (c *Fake) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rebase()
	c.frozen = true
}

// Run lets the clock run with real time again.
func (c *Fake) Run() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.realAt, c.frozen = time.Now(), false
}

func (c *Fake) rebase() {
	if !c.frozen {
		now := time.Now()
		c.base = c.base.Add(now.Sub(c.realAt))
		c.realAt = now
	}
}
