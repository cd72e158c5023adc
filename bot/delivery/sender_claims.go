package delivery

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// deadOwnerGrace is how long the items of a process that died stay
// claimed: a post it had on the wire may still be reaching Slack, and
// must be there before another sender looks for it and resends.
const deadOwnerGrace = 5 * time.Second

// releaseDeadClaims frees the outbox claims of processes on this host that
// no longer run (killed mid-send), so their items go out after
// deadOwnerGrace instead of when their lease lapses. Claims from other
// hosts wait for the lease.
func (s *Sender) releaseDeadClaims(ctx context.Context) {
	owners, err := s.store.OutboxClaimOwners(ctx, s.wall())
	if err != nil {
		s.log.Error("outbox claim owners unreadable", "err", err)
		return
	}
	for _, o := range DeadOwners(owners, s.owner) {
		n, err := s.store.ReleaseOutboxClaims(ctx, o, s.wall().Add(deadOwnerGrace))
		if err != nil {
			s.log.Error("claims of a dead process not released", "owner", o, "err", err)
			continue
		}
		if n > 0 {
			s.log.Info("released the outbox claims of a process that died", "owner", o, "items", n, "after", deadOwnerGrace.String())
		}
	}
}

// DeadOwners returns the claim owners (InstanceID's "host/pid/random") of
// processes on self's host that are no longer running.
func DeadOwners(owners []string, self string) []string {
	host, _, _ := strings.Cut(self, "/")
	var dead []string
	for _, o := range owners {
		h, rest, _ := strings.Cut(o, "/")
		pidText, _, _ := strings.Cut(rest, "/")
		pid, err := strconv.Atoi(pidText)
		if h != host || err != nil || o == self || processAlive(pid) {
			continue
		}
		dead = append(dead, o)
	}
	return dead
}

// processAlive reports whether a process with that PID runs on this host.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
