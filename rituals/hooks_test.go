package rituals_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func newHooks(w *world) *rituals.Hooks {
	n := 0
	next := func(prefix string) func() (string, error) {
		return func() (string, error) { n++; return fmt.Sprintf("%s%d", prefix, n), nil }
	}
	return &rituals.Hooks{Store: w.db, Now: w.clock.Now, NewID: next("h"), NewSecret: next("secret-")}
}

// Connecting a hook gives a secret once; connecting again rotates it (the
// old URL stops working); only admins may, when there are admins; a
// source alignbot does not take is refused.
func TestHooksConnect(t *testing.T) {
	w := newWorld(t)
	hooks := newHooks(w)
	h, err := hooks.Connect(w.ctx, caller("U1"), rituals.HookGitHub)
	if err != nil || h.Secret == "" || h.Channel != channel {
		t.Fatalf("connect: %+v, %v", h, err)
	}
	again, err := hooks.Connect(w.ctx, caller("U1"), rituals.HookGitHub)
	if err != nil || again.ID == h.ID || again.Secret == h.Secret {
		t.Fatalf("connect again: %+v, %v; want a new id and secret", again, err)
	}
	if _, err := hooks.ByID(w.ctx, h.ID); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("the rotated hook: %v, want ENOTFOUND", err)
	}
	list, err := hooks.List(w.ctx, caller("U2"))
	if err != nil || len(list) != 1 || list[0].Secret != "" || list[0].ID != again.ID {
		t.Fatalf("list %+v, %v; want the new hook, its secret blank", list, err)
	}
	if _, err := hooks.Connect(w.ctx, caller("U1"), "bitbucket"); rituals.ErrorCode(err) != rituals.EINVALID {
		t.Fatalf("bitbucket: %v, want EINVALID", err)
	}
	notAdmin := caller("U2")
	notAdmin.AdminsOnly = true
	if _, err := hooks.Connect(w.ctx, notAdmin, rituals.HookGitLab); rituals.ErrorCode(err) != rituals.EFORBIDDEN {
		t.Fatalf("a non-admin with admins set: %v, want EFORBIDDEN", err)
	}
	if err := hooks.Disconnect(w.ctx, caller("U1"), rituals.HookGitLab); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("disconnect a hook never connected: %v, want ENOTFOUND", err)
	}
	if err := hooks.Disconnect(w.ctx, caller("U1"), rituals.HookGitHub); err != nil {
		t.Fatal(err)
	}
}

func TestReviewSLABounds(t *testing.T) {
	w := newWorld(t)
	hooks := newHooks(w)
	for sla, code := range map[rituals.Duration]string{
		rituals.Duration(30 * time.Minute):    rituals.EINVALID,
		rituals.Duration(31 * 24 * time.Hour): rituals.EINVALID,
		rituals.Duration(24 * time.Hour):      "",
		0:                                     "",
	} {
		if err := hooks.SetReviewSLA(w.ctx, caller("U1"), sla); rituals.ErrorCode(err) != code {
			t.Errorf("SLA %v: %v, want code %q", sla, err, code)
		}
	}
}

// The digest's delivery figures come from what the channel's hooks
// brought, this week's and last week's apart, with the channel's review
// SLA; another channel's events are not counted.
func TestDigestCountsDelivery(t *testing.T) {
	w := newWorld(t)
	hooks := newHooks(w)
	h, err := hooks.Connect(w.ctx, caller("U1"), rituals.HookEvents)
	if err != nil {
		t.Fatal(err)
	}
	other, err := hooks.Connect(w.ctx, callerIn("U1", "C2"), rituals.HookEvents)
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks.SetReviewSLA(w.ctx, caller("U1"), rituals.Duration(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 3, 6, 17, 0, 0, 0, time.UTC) // a Friday
	at := func(days, hours int) time.Time { return end.AddDate(0, 0, -days).Add(time.Duration(hours) * time.Hour) }
	receive := func(h *rituals.Hook, key string, e rituals.DeliveryEvent) {
		t.Helper()
		if err := hooks.Receive(w.ctx, h, key, e); err != nil {
			t.Fatal(err)
		}
	}
	receive(h, "1", rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "a", At: at(9, 0), OK: true})
	receive(h, "2", rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "b", At: at(2, 0), OK: true, Started: at(2, -5)})
	receive(h, "3", rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "c", At: at(1, 0), OK: false})
	receive(h, "4", rituals.DeliveryEvent{Kind: rituals.EventPRReviewed, Ref: "r#1", At: at(1, 0), Started: at(3, 0)})
	if err := hooks.Receive(w.ctx, h, "4", rituals.DeliveryEvent{Kind: rituals.EventPRReviewed, Ref: "r#1", At: at(1, 0)}); !errors.Is(err, rituals.ErrDuplicate) {
		t.Fatalf("the same delivery again: %v, want ErrDuplicate", err)
	}
	receive(other, "1", rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "x", At: at(1, 0), OK: true})

	g, err := w.digests.Build(w.ctx, team, rituals.DigestRef{Channel: channel, End: end.UnixMilli(), Zone: rituals.StoredZone("UTC")})
	if err != nil {
		t.Fatal(err)
	}
	d := g.Delivery
	if d.Deploys != 2 || d.Failures != 1 || !d.HasLeadTime || d.LeadTime != 5*time.Hour {
		t.Errorf("this week: %+v; want 2 deploys, 1 failed, lead time 5h", d)
	}
	if d.Reviewed != 1 || d.WithinSLA != 0 || g.ReviewSLA != 24*time.Hour {
		t.Errorf("reviews %d, within SLA %d, SLA %v; want 1, 0 (48h > 1d), 1d", d.Reviewed, d.WithinSLA, g.ReviewSLA)
	}
	if g.DeliveryBefore.Deploys != 1 {
		t.Errorf("last week: %d deploys, want 1", g.DeliveryBefore.Deploys)
	}
}
