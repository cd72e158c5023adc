package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// crash is what -kill-at did and what the database held afterwards.
type crash struct {
	Seed     uint64  `json:"seed"`
	KilledAt float64 `json:"killed_at_s"` // from the start of sending
	Down     float64 `json:"down_ms"`     // SIGKILL → the new process ready
	Ready    float64 `json:"ready_ms"`    // its start → ready
	Err      string  `json:"error,omitempty"`
}

// killAndRestart SIGKILLs bot 0 at at, then starts it again on the same
// database at once, while the driver goes on sending.
func (l *loader) killAndRestart(ctx context.Context, start, at time.Time) {
	select {
	case <-time.After(time.Until(at)):
	case <-ctx.Done():
		return
	}
	l.mu.Lock()
	p := l.bots[0]
	l.mu.Unlock()
	st, _ := readProc(strconv.Itoa(p.pid))
	killed := time.Now()
	p.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	<-p.exited
	l.res.botLog(p)
	fmt.Fprintf(os.Stderr, "load: killed bot 0 (pid %d) %.1f s into the run; restarting it\n", p.pid, killed.Sub(start).Seconds())
	q, ready, err := l.startBot(ctx, 0)
	l.res.mu.Lock()
	defer l.res.mu.Unlock()
	l.res.Crash.KilledAt = killed.Sub(start).Seconds()
	if err != nil {
		l.res.Crash.Err = err.Error()
		return
	}
	l.res.Crash.Down, l.res.Crash.Ready = ms(time.Since(killed)), ms(ready)
	l.mu.Lock()
	l.bots[0] = q
	l.retired[0] += st.CPU
	l.mu.Unlock()
}

// exactlyOnce counts, for every command sent, how many decisions hold its
// text as their title: each acked one must have exactly one.
type exactlyOnce struct {
	Acked         int      `json:"acked"`
	Found         int      `json:"found"`
	Missing       int      `json:"missing"`
	Duplicated    int      `json:"duplicated"`
	UnackedFound  int      `json:"unacked_found"` // recorded though the fake saw no ack: the ack was lost
	InboxPending  int      `json:"inbox_pending"` // alignbot's requests not yet handled at the end
	MissingTitles []string `json:"missing_titles,omitempty"`
}

func checkExactlyOnce(cmds []sent, titles []string) exactlyOnce {
	count := make(map[string]int, len(titles))
	for _, t := range titles {
		count[t]++
	}
	var e exactlyOnce
	for _, c := range cmds {
		if c.due.IsZero() || c.skipped {
			continue
		}
		n := count[c.text]
		if c.err != nil || c.envelope == "" {
			if n > 0 {
				e.UnackedFound++
			}
			continue
		}
		e.Acked++
		switch {
		case n == 0:
			e.Missing++
			if len(e.MissingTitles) < 5 {
				e.MissingTitles = append(e.MissingTitles, c.text)
			}
		case n > 1:
			e.Duplicated++
			e.Found++
		default:
			e.Found++
		}
	}
	return e
}

// exportTitles reads every decision's title with `alignbot export`.
func exportTitles(ctx context.Context, bin, dsn string) ([]string, error) {
	out, err := exec.CommandContext(ctx, bin, "export", "decisions", "--format", "json", "--db", dsn).Output()
	if err != nil {
		return nil, fmt.Errorf("export decisions: %w", err)
	}
	var ds []struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(out, &ds); err != nil {
		return nil, fmt.Errorf("export decisions: %w", err)
	}
	titles := make([]string, len(ds))
	for i, d := range ds {
		titles[i] = d.Title
	}
	return titles, nil
}
