package fakeslack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ErrNoAck is returned (wrapped) by driver calls when the app did not ack the
// envelope within AckTimeout, or when no socket came up to carry it. Test with
// errors.Is.
var ErrNoAck = errors.New("fakeslack: envelope not acked in time")

// Ack is the app's acknowledgement of one envelope. Payload is the ack's
// "payload" (nil if it had none); Latency runs from queueing the envelope on a
// socket to reading the ack.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage
	Latency    time.Duration
}

// envelope is one Socket Mode envelope the fake has built. It is kept for
// Resend and for late acks.
type envelope struct {
	id, typ, eventID string
	attempt          int
	raw              []byte
	sentAt           time.Time
	acks             []Ack
	waiters          []chan Ack
}

// wireEnvelope is the JSON Slack sends over the socket.
type wireEnvelope struct {
	EnvelopeID             string          `json:"envelope_id"`
	Payload                json.RawMessage `json:"payload"`
	Type                   string          `json:"type"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           *int            `json:"retry_attempt,omitempty"`
	RetryReason            *string         `json:"retry_reason,omitempty"`
}

// newEnvelope builds and registers an envelope around an encoded payload.
// events_api envelopes carry retry_attempt and retry_reason ("timeout" on
// redeliveries) and do not accept a response payload; the others do.
func (s *Server) newEnvelope(typ string, payload json.RawMessage, attempt int, eventID string) *envelope {
	w := wireEnvelope{EnvelopeID: uuid.NewString(), Payload: payload, Type: typ, AcceptsResponsePayload: typ != "events_api"}
	if typ == "block_suggestion" {
		w.Type = "interactive" // as Slack sends it; typ routes it to the options URL in HTTP mode
	}
	if typ == "events_api" {
		reason := ""
		if attempt > 0 {
			reason = "timeout"
		}
		w.RetryAttempt, w.RetryReason = &attempt, &reason
	}
	raw, _ := json.Marshal(w)
	env := &envelope{id: w.EnvelopeID, typ: typ, eventID: eventID, attempt: attempt, raw: raw}
	s.mu.Lock()
	s.st.envelopes[env.id] = env
	s.mu.Unlock()
	return env
}

// mustJSON encodes a payload built from fake-made values, which always encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakeslack: encode payload: %v", err))
	}
	return b
}

// deliver queues env on one live connection, waiting up to AckTimeout for one,
// and registers w to receive its next ack. sent is false if no connection came.
func (s *Server) deliver(ctx context.Context, env *envelope, w chan Ack) (sent bool, err error) {
	c, err := s.waitConn(ctx, s.opts.AckTimeout)
	if err != nil || c == nil {
		if c == nil && err == nil {
			s.logf("no socket for %s %s", env.typ, env.id)
		}
		return false, err
	}
	s.mu.Lock()
	env.waiters = append(env.waiters, w)
	env.sentAt = time.Now()
	s.st.deliveries = append(s.st.deliveries, Delivery{
		EnvelopeID: env.id, Type: env.typ, EventID: env.eventID,
		RetryAttempt: env.attempt, Conn: c.id, At: env.sentAt,
	})
	s.mu.Unlock()
	select {
	case c.out <- env.raw:
	case <-c.done: // the socket died first: the envelope is lost, as on a real network
	}
	s.logf("sent %s %s (attempt %d) on socket %d", env.typ, env.id, env.attempt, c.id)
	return true, nil
}

// send delivers env once and waits AckTimeout for its ack: over Socket
// Mode, or to the app's URL for it in HTTP mode (see RequestURLs).
func (s *Server) send(ctx context.Context, env *envelope) (*Ack, error) {
	if target, secret := s.httpTarget(env.typ); target != "" {
		return s.post(ctx, env, target, secret)
	}
	w := make(chan Ack, 1)
	sent, err := s.deliver(ctx, env, w)
	if err != nil {
		return nil, err
	}
	if !sent {
		return &Ack{EnvelopeID: env.id}, fmt.Errorf("%w: no Socket Mode connection within %v", ErrNoAck, s.opts.AckTimeout)
	}
	t := time.NewTimer(s.opts.AckTimeout)
	defer t.Stop()
	select {
	case a := <-w:
		return &a, nil
	case <-t.C:
		s.logf("no ack for %s %s within %v", env.typ, env.id, s.opts.AckTimeout)
		return &Ack{EnvelopeID: env.id}, ErrNoAck
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.closed:
		return nil, ErrClosed
	}
}

// handleFrame matches a frame from the app to a pending envelope. Anything else
// is recorded as a stray frame.
func (s *Server) handleFrame(c *conn, data []byte) {
	var f struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	now := time.Now()
	s.mu.Lock()
	var env *envelope
	if json.Unmarshal(data, &f) == nil && f.EnvelopeID != "" {
		env = s.st.envelopes[f.EnvelopeID]
	}
	if env == nil {
		s.st.frames = append(s.st.frames, Frame{Conn: c.id, At: now, Data: append(json.RawMessage(nil), data...)})
		s.mu.Unlock()
		s.logf("stray frame on socket %d (%d bytes)", c.id, len(data))
		return
	}
	if string(f.Payload) == "null" {
		f.Payload = nil
	}
	a := Ack{EnvelopeID: env.id, Payload: f.Payload, Latency: now.Sub(env.sentAt)}
	env.acks = append(env.acks, a)
	waiters := env.waiters
	env.waiters = nil
	s.mu.Unlock()
	s.logf("ack for %s %s after %v", env.typ, env.id, a.Latency.Round(time.Microsecond))
	for _, w := range waiters {
		select {
		case w <- a:
		default:
		}
	}
}

// Resend sends an envelope again exactly as before, same envelope_id and payload,
// as Slack sometimes does, and waits AckTimeout for a new ack.
func (s *Server) Resend(ctx context.Context, envelopeID string) (*Ack, error) {
	s.mu.Lock()
	env := s.st.envelopes[envelopeID]
	s.mu.Unlock()
	if env == nil {
		return nil, fmt.Errorf("fakeslack: Resend: unknown envelope %q", envelopeID)
	}
	return s.send(ctx, env)
}

// Event delivers an Events API event. inner is the inner event (it must have a
// "type"; event_ts is added if missing), wrapped in an event_callback with a
// fresh event_id. An attempt not acked within AckTimeout is redelivered after
// EventRetryDelays with retry_attempt 1, 2, 3 and retry_reason "timeout": same
// event_id, new envelope_id, maybe another socket. Event returns the first ack
// of any attempt, or ErrNoAck when every attempt went unacked. Redelivery is the
// server's, not the caller's: cancelling ctx stops the wait, not the retries.
func (s *Server) Event(ctx context.Context, inner map[string]any) (*Ack, error) {
	if t, _ := inner["type"].(string); t == "" {
		return nil, errors.New("fakeslack: Event: inner event has no type")
	}
	s.mu.Lock()
	ev := cloneJSON(inner).(map[string]any)
	if _, ok := ev["event_ts"]; !ok {
		ev["event_ts"] = s.nextTS()
	}
	payload := s.eventCallback(ev)
	s.mu.Unlock()
	return s.deliverEvent(ctx, payload)
}

// eventCallback wraps an inner event. Callers hold s.mu.
func (s *Server) eventCallback(ev map[string]any) map[string]any {
	id := s.nextID("Ev")
	return map[string]any{
		"token":           "fake-verification-token",
		"team_id":         s.opts.TeamID,
		"context_team_id": s.opts.TeamID,
		"api_app_id":      s.opts.AppID,
		"event":           ev,
		"type":            "event_callback",
		"event_id":        id,
		"event_time":      time.Now().Unix(),
		"event_context":   "4-" + id,
		"authorizations": []any{map[string]any{
			"enterprise_id": nil, "team_id": s.opts.TeamID, "user_id": s.opts.BotUserID,
			"is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
	}
}

func (s *Server) deliverEvent(ctx context.Context, payload map[string]any) (*Ack, error) {
	eventID := payload["event_id"].(string)
	raw := mustJSON(payload)
	delays := s.opts.EventRetryDelays
	acks := make(chan Ack, len(delays)+1)
	type result struct {
		ack *Ack
		err error
	}
	done := make(chan result, 1)
	started := s.goTracked(func() {
		var last *envelope
		for attempt := 0; attempt <= len(delays); attempt++ {
			if attempt > 0 {
				t := time.NewTimer(delays[attempt-1])
				select {
				case a := <-acks: // a late ack of an earlier attempt
					t.Stop()
					done <- result{&a, nil}
					return
				case <-t.C:
				case <-s.closed:
					t.Stop()
					done <- result{nil, ErrClosed}
					return
				}
			}
			last = s.newEnvelope("events_api", raw, attempt, eventID)
			sent, err := s.deliver(context.Background(), last, acks)
			if err != nil {
				done <- result{nil, err}
				return
			}
			if !sent {
				continue
			}
			t := time.NewTimer(s.opts.AckTimeout)
			select {
			case a := <-acks:
				t.Stop()
				done <- result{&a, nil}
				return
			case <-t.C:
				s.logf("event %s attempt %d not acked within %v", eventID, attempt, s.opts.AckTimeout)
			case <-s.closed:
				t.Stop()
				done <- result{nil, ErrClosed}
				return
			}
		}
		done <- result{&Ack{EnvelopeID: last.id}, ErrNoAck}
	})
	if !started {
		return nil, ErrClosed
	}
	select {
	case r := <-done:
		return r.ack, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
