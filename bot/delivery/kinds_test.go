package delivery

import (
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// Every outbox kind, the domain's (rituals.Kinds) and the edge's
// (EdgeKinds), has a sender, and the routes send no kind that neither
// declares: a kind without a sender would be parked on its first try.
func TestOutboxRoutesSendEveryKind(t *testing.T) {
	routes := (&Deliverer{}).table()
	domain := rituals.Kinds()
	for _, k := range EdgeKinds {
		if slices.Contains(domain, k) {
			t.Errorf("edge kind %q is also a domain kind", k)
		}
	}
	kinds := append(domain, EdgeKinds...)
	for _, k := range kinds {
		if routes[k] == nil {
			t.Errorf("no sender for outbox kind %q", k)
		}
	}
	for k := range routes {
		if !slices.Contains(kinds, k) {
			t.Errorf("a sender for %q, which neither rituals.Kinds nor EdgeKinds lists", k)
		}
	}
	if _, ok := routes["no.such.kind"]; ok {
		t.Error("a sender for an unknown kind")
	}
}

// An item of a kind no sender knows (one stored by a newer version, or
// one since retired) is parked on its first try, saying which kind.
func TestSenderParksAnUnknownKind(t *testing.T) {
	dl := &Deliverer{}
	dl.senders = dl.table()
	store := newMemOutbox(rituals.OutboxItem{ID: "item-1", CreatedAt: time.Now(),
		Outgoing: rituals.Outgoing{Team: "T1", Kind: "retired.kind", Channel: "C1"}})
	s := newTestSender(store, dl.Deliver)
	var got map[string]string
	runUntil(t, s, func() (ok bool) { got, ok = store.outcomes(1); return ok })
	if got, want := got["item-1"], rituals.OutcomeParked; got != want {
		t.Fatalf("ended %q, want %q", got, want)
	}
	if got, want := store.reasons["item-1"], "unknown outbox kind retired.kind"; got != want {
		t.Fatalf("parked with reason %q, want %q", got, want)
	}
	if got := len(store.retries); got != 0 {
		t.Fatalf("retried %d times, want 0", got)
	}
}
