package rituals

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"time"
)

// Hook sources: where a channel's delivery events come from.
const (
	HookGitHub = "github"
	HookGitLab = "gitlab"
	HookEvents = "events" // alignbot's own signed JSON events, from any CI or script
)

// HookSources lists them, in the order /digest shows them.
func HookSources() []string { return []string{HookGitHub, HookGitLab, HookEvents} }

// Review SLA bounds.
const (
	MinReviewSLA = time.Hour
	MaxReviewSLA = 30 * 24 * time.Hour
)

// Hook is a channel's connection to one source of delivery events: its
// URL carries ID, and Secret signs (or, for GitLab, is) what is sent.
type Hook struct {
	ID      string
	Team    string
	Channel string
	Source  string
	// Secret is shown once, to whoever connected the hook.
	Secret    string
	CreatedBy string
	CreatedAt time.Time
	// LastDelivery is when it last brought an event; zero before the
	// first.
	LastDelivery time.Time
}

// HookStore is what Hooks reads and writes. storage.DB implements it.
type HookStore interface {
	// Hook returns the hook with public ID id. Returns ENOTFOUND.
	Hook(ctx context.Context, id string) (*Hook, error)
	// ChannelHooks returns channel's hooks, in source order.
	ChannelHooks(ctx context.Context, team, channel string) ([]*Hook, error)
	// SaveHook stores h, replacing the channel's hook of h.Source.
	SaveHook(ctx context.Context, h *Hook) error
	// DeleteHook removes the channel's hook of source. Returns ENOTFOUND
	// when there is none.
	DeleteHook(ctx context.Context, team, channel, source string) error
	// RecordDeliveryEvent keeps e, which came through hook in the
	// sender's delivery named delivery, and notes the hook's last
	// delivery. Returns ErrDuplicate when that delivery was recorded.
	RecordDeliveryEvent(ctx context.Context, hook *Hook, delivery string, e DeliveryEvent, at time.Time) error
	// ReviewSLA returns channel's review SLA; zero when unset.
	ReviewSLA(ctx context.Context, team, channel string) (time.Duration, error)
	// SetReviewSLA sets it; zero clears it.
	SetReviewSLA(ctx context.Context, team, channel string, sla time.Duration, by string, at time.Time) error
}

// Hooks connects a channel's repositories, pipelines and scripts, and
// takes in what they send.
type Hooks struct {
	Store HookStore
	Now   func() time.Time
	// NewID and NewSecret make a hook's public ID and its secret; nil
	// means 12 and 32 random bytes, URL-safe.
	NewID, NewSecret func() (string, error)
}

// randomToken returns n random bytes, URL-safe base64.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (s *Hooks) maySetUp(c Caller) error {
	if !c.MaySetUp() {
		return Errorf(EFORBIDDEN, "Only alignbot's admins can connect this channel's repositories.")
	}
	return nil
}

// Connect gives the channel a hook for source, with a new secret, in
// place of the one it had: connecting again is how a secret is rotated.
func (s *Hooks) Connect(ctx context.Context, c Caller, source string) (*Hook, error) {
	if err := s.maySetUp(c); err != nil {
		return nil, err
	}
	if !slices.Contains(HookSources(), source) {
		return nil, Errorf(EINVALID, "alignbot takes hooks from github, gitlab and events (your own CI or scripts), not %q.", source)
	}
	newID, newSecret := s.NewID, s.NewSecret
	if newID == nil {
		newID = func() (string, error) { return randomToken(12) }
	}
	if newSecret == nil {
		newSecret = func() (string, error) { return randomToken(32) }
	}
	id, err := newID()
	if err != nil {
		return nil, fmt.Errorf("hook id: %w", err)
	}
	secret, err := newSecret()
	if err != nil {
		return nil, fmt.Errorf("hook secret: %w", err)
	}
	h := &Hook{ID: id, Team: c.Team, Channel: c.Channel, Source: source, Secret: secret, CreatedBy: c.User, CreatedAt: s.Now()}
	if err := s.Store.SaveHook(ctx, h); err != nil {
		return nil, fmt.Errorf("save hook: %w", err)
	}
	return h, nil
}

// Disconnect removes the channel's hook for source: what it sends from
// then on is refused. Events it brought stay in the figures.
func (s *Hooks) Disconnect(ctx context.Context, c Caller, source string) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	err := s.Store.DeleteHook(ctx, c.Team, c.Channel, source)
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ENOTFOUND, "This channel has no %s hook to remove.", source)
	}
	return err
}

// List returns the channel's hooks, their secrets blanked.
func (s *Hooks) List(ctx context.Context, c Caller) ([]*Hook, error) {
	hs, err := s.Store.ChannelHooks(ctx, c.Team, c.Channel)
	if err != nil {
		return nil, fmt.Errorf("list hooks: %w", err)
	}
	for _, h := range hs {
		h.Secret = ""
	}
	return hs, nil
}

// SetReviewSLA sets how long a pull or merge request may wait for its
// first review before the digest counts it late; zero clears it.
func (s *Hooks) SetReviewSLA(ctx context.Context, c Caller, sla Duration) error {
	if err := s.maySetUp(c); err != nil {
		return err
	}
	if sla != 0 {
		if err := ReviewSLABounds.Check(sla); err != nil {
			return err
		}
	}
	if err := s.Store.SetReviewSLA(ctx, c.Team, c.Channel, time.Duration(sla), c.User, s.Now()); err != nil {
		return fmt.Errorf("set review SLA: %w", err)
	}
	return nil
}

// ReviewSLA returns the channel's review SLA; zero when unset.
func (s *Hooks) ReviewSLA(ctx context.Context, c Caller) (time.Duration, error) {
	return s.Store.ReviewSLA(ctx, c.Team, c.Channel)
}

// Receive keeps an event that came through h, in the sender's delivery
// named delivery; an event that says not when it happened happened now.
// A delivery sent twice is kept once: ErrDuplicate.
func (s *Hooks) Receive(ctx context.Context, h *Hook, delivery string, e DeliveryEvent) error {
	now := s.Now()
	e.Team, e.Channel, e.Source = h.Team, h.Channel, h.Source
	if e.At.IsZero() {
		e.At = now
	}
	return s.Store.RecordDeliveryEvent(ctx, h, delivery, e, now)
}

// ByID returns the hook whose URL carries id, secret included, for
// checking what is sent through it. Returns ENOTFOUND.
func (s *Hooks) ByID(ctx context.Context, id string) (*Hook, error) {
	return s.Store.Hook(ctx, id)
}
