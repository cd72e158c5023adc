package rituals

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// Outbox kinds of pulses. Package bot renders each at send time.
const (
	// KindPulseLaunch works out pulse Ref's audience from Slack and calls
	// Pulses.Launch; it posts nothing itself.
	KindPulseLaunch Kind = "pulse.launch"
	// KindPulsePrompt asks User, by DM, to answer pulse Ref, under Key.
	KindPulsePrompt Kind = "pulse.prompt"
	// KindPulsePromptUpdate shows User their recorded answer in the DM
	// named Target. Its Data (PulsePromptData) is Private.
	KindPulsePromptUpdate Kind = "pulse.prompt.update"
	// KindPulseReminder nudges User, once, to answer pulse Ref.
	KindPulseReminder Kind = "pulse.reminder"
	// KindPulseResults posts pulse Ref's results into Channel.
	KindPulseResults Kind = "pulse.results"
)

// PulsePromptData is the private data of a DM that asks a person to
// answer, or shows them their answer: their ticket, and the answer to
// show. Next to the recipient it ties a person to their answer, so it only
// ever travels in Private outbox items, erased once sent.
type PulsePromptData struct {
	PulseTicket
	Value string `json:"v,omitempty"`
}

// Pulses is the pulse survey's use cases. It is also the "pulse" ritual
// (Open starts a repeating pulse's next run) and a scheduler stage (Due
// reminds and closes).
type Pulses struct {
	Store PulseStore
	Now   func() time.Time
	Log   *slog.Logger
}

func (s *Pulses) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Create records a pulse asked from the caller's channel and queues its
// sending; a repeating pulse also gets its schedule. Returns EINVALID with
// per-field messages for bad input, and ErrDuplicate for a redelivery.
func (s *Pulses) Create(ctx context.Context, c Caller, in PulseInput) (*Pulse, error) {
	now := s.Now()
	p, err := in.pulse(c.MaySetUp(), c.User)
	if err != nil {
		return nil, err
	}
	p.Team, p.Channel, p.CreatedBy = c.Team, c.Channel, c.User
	p.Run, p.Status, p.CreatedAt = 1, PulsePending, now
	err = s.Store.InPulseTx(ctx, func(tx PulseTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		n, err := tx.NextNumber(ctx, c.Team, "P")
		if err != nil {
			return err
		}
		p.Number, p.Series = n, n
		if err := tx.CreatePulse(ctx, p); err != nil {
			return err
		}
		if p.Repeat != RepeatNone {
			sched, err := repeatSchedule(p, c.Location, now)
			if err != nil {
				return err
			}
			if err := tx.SaveSchedule(ctx, sched, now); err != nil {
				return err
			}
		}
		return tx.Enqueue(ctx, launchOf(p))
	})
	if err != nil {
		return nil, fmt.Errorf("create pulse: %w", err)
	}
	return p, nil
}

// launchOf is the outbox item that sends p.
func launchOf(p *Pulse) Outgoing {
	return Outgoing{Team: p.Team, Kind: KindPulseLaunch, Lane: "pulse/" + strconv.FormatInt(p.Number, 10),
		Channel: p.Channel, User: p.CreatedBy, Ref: p.Number}
}

// repeatSchedule returns the schedule of p's series: the time of day and
// weekday (or day of month, at most the 28th) it was created, in loc.
func repeatSchedule(p *Pulse, loc *time.Location, now time.Time) (*Schedule, error) {
	zone := ZoneOf(loc)
	t := now.In(zone.Location())
	spec := fmt.Sprintf("%d %d * * %d", t.Minute(), t.Hour(), int(t.Weekday()))
	if p.Repeat == RepeatMonthly {
		spec = fmt.Sprintf("%d %d %d * *", t.Minute(), t.Hour(), min(t.Day(), 28))
	}
	sched := &Schedule{Team: p.Team, Channel: p.Channel, Kind: p.ScheduleKind(), Spec: spec, Zone: zone,
		Window: p.OpenFor, CreatedBy: p.CreatedBy}
	next, err := sched.Next(now)
	if err != nil {
		return nil, err
	}
	sched.NextRunAt = next
	return sched, nil
}

// Launch sends pending pulse n to members, the audience the edge worked
// out from Slack: it opens the pulse and queues one DM each. A pulse with
// nobody to ask, or too few for its anonymity threshold, is canceled and
// its creator told why. Returns ErrDuplicate if it was already launched.
func (s *Pulses) Launch(ctx context.Context, team string, n int64, members []PulseMember) (*Pulse, error) {
	now := s.Now()
	var out *Pulse
	err := s.Store.InPulseTx(ctx, func(tx PulseTx) error {
		p, err := pendingPulse(ctx, tx, team, n)
		if err != nil {
			return err
		}
		out = p
		members = audienceOf(p, members)
		others := len(members)
		for _, m := range members {
			if m.User == p.CreatedBy {
				others--
			}
		}
		switch {
		case len(members) == 0:
			return cancelIn(ctx, tx, p, now, "nobody in its audience could be asked (bots and deactivated accounts are left out)")
		case p.Anonymous && others < p.Threshold:
			return cancelIn(ctx, tx, p, now, fmt.Sprintf("its audience is %s besides you, fewer than its anonymity threshold of %d, so its results could never be shown "+
				"(your own answer does not count towards it: you know it). Ask a larger group, or make it not anonymous",
				countOf(others, "person", "people"), p.Threshold))
		}
		p.Status, p.SentAt, p.ClosesAt = PulseOpen, now, now.Add(p.OpenFor)
		if p.OpenFor > PulseReminderLead {
			p.RemindAt = p.ClosesAt.Add(-PulseReminderLead)
		}
		if err := tx.UpdatePulse(ctx, p, PulsePending); err != nil {
			return err
		}
		if err := tx.AddPulseMembers(ctx, team, n, members); err != nil {
			return err
		}
		keys, tickets, err := deal(p, members)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			if err := tx.SavePulseKeys(ctx, team, n, keys); err != nil {
				return err
			}
		}
		p.Asked = len(members)
		msgs := make([]Outgoing, 0, len(members))
		asked := make([]string, 0, len(members))
		for i, m := range members {
			data, err := json.Marshal(PulsePromptData{PulseTicket: tickets[i]})
			if err != nil {
				return err
			}
			msgs = append(msgs, Outgoing{Team: team, Kind: KindPulsePrompt, Channel: m.User, User: m.User,
				Ref: n, Key: p.PromptKey(m.User), Data: data, Private: true, ExpiresAt: p.ClosesAt})
			asked = append(asked, m.User)
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return refreshHomes(ctx, tx, team, asked...)
	})
	if err != nil {
		return out, fmt.Errorf("launch pulse %d: %w", n, err)
	}
	s.log().Info("pulse sent", "team", team, "pulse", out.ID(), "status", string(out.Status), "audience", out.Asked)
	return out, nil
}

// audienceOf returns members once each. For an anonymous pulse, a role
// held by fewer people than the threshold, the creator left out, is
// dropped: its answers could never be shown apart, and the role would only
// narrow down who gave them. Roles are fixed here, when the pulse is sent.
func audienceOf(p *Pulse, members []PulseMember) []PulseMember {
	var out []PulseMember
	seen := map[string]bool{}
	roles := map[string]int{}
	for _, m := range members {
		if m.User == "" || seen[m.User] {
			continue
		}
		seen[m.User] = true
		out = append(out, PulseMember{User: m.User, Role: m.Role})
		if m.User != p.CreatedBy {
			roles[m.Role]++
		}
	}
	if p.Anonymous {
		for i := range out {
			if roles[out[i].Role] < p.Threshold {
				out[i].Role = ""
			}
		}
	}
	return out
}

// Cancel ends pending pulse n unsent, telling its creator why (reason is a
// clause: "its channel could not be read"). Returns ErrDuplicate if it was
// no longer pending.
func (s *Pulses) Cancel(ctx context.Context, team string, n int64, reason string) error {
	err := s.Store.InPulseTx(ctx, func(tx PulseTx) error {
		p, err := pendingPulse(ctx, tx, team, n)
		if err != nil {
			return err
		}
		return cancelIn(ctx, tx, p, s.Now(), reason)
	})
	if err != nil {
		return fmt.Errorf("cancel pulse %d: %w", n, err)
	}
	return nil
}

// pendingPulse returns pulse n if it is still pending, and ErrDuplicate
// if someone already launched or canceled it.
func pendingPulse(ctx context.Context, tx PulseTx, team string, n int64) (*Pulse, error) {
	p, err := tx.Pulse(ctx, team, n)
	if err == nil && p.Status != PulsePending {
		err = ErrDuplicate
	}
	return p, err
}

func cancelIn(ctx context.Context, tx PulseTx, p *Pulse, now time.Time, reason string) error {
	p.Status, p.Note, p.ClosedAt = PulseCanceled, reason, now
	if err := tx.UpdatePulse(ctx, p, PulsePending); err != nil {
		return err
	}
	data, err := json.Marshal(NoticeData{Text: fmt.Sprintf(":warning: Your pulse %s (“%s”) was not sent: %s.", p.ID(), truncate(p.Question, 80), reason)})
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, Outgoing{Team: p.Team, Kind: KindNotice, Channel: p.CreatedBy, User: p.CreatedBy, Ref: p.Number, Data: data})
}

// Get returns pulse n if the caller may see it from their channel.
// Returns ENOTFOUND otherwise, so private pulses do not leak.
func (s *Pulses) Get(ctx context.Context, c Caller, n int64) (*Pulse, error) {
	p, err := s.Store.Pulse(ctx, c.Team, n)
	if err != nil {
		return nil, err
	}
	if !p.VisibleIn(c.Channel) {
		return nil, notFoundPulse(n)
	}
	return p, nil
}

// List returns the caller's channel's latest pulses, newest first.
func (s *Pulses) List(ctx context.Context, c Caller, limit int) ([]*Pulse, error) {
	return s.Store.Pulses(ctx, PulseFilter{Team: c.Team, Channel: c.Channel, Limit: limit})
}

// Close ends pulse n now and posts its results. Only its creator or an
// admin may. Returns EINVALID unless it is open.
func (s *Pulses) Close(ctx context.Context, c Caller, n int64) (*Pulse, error) {
	var out *Pulse
	err := s.manage(ctx, c, n, func(tx PulseTx, p *Pulse, now time.Time) error {
		switch p.Status {
		case PulseClosed:
			return Errorf(EINVALID, "%s is already closed; see its results with `/pulse results %s`.", p.ID(), p.ID())
		case PulseCanceled:
			return Errorf(EINVALID, "%s was canceled before it was sent, so there is nothing to close.", p.ID())
		case PulsePending:
			return Errorf(EINVALID, "%s is still being sent; close it in a moment.", p.ID())
		}
		out = p
		return closeIn(ctx, tx, p, now)
	})
	if err != nil {
		return nil, fmt.Errorf("close pulse %d: %w", n, err)
	}
	s.log().Info("pulse closed early", "team", c.Team, "pulse", out.ID(), "by", c.User)
	return out, nil
}

// closeIn closes open pulse p at now and queues its results. Returns
// ErrDuplicate if someone else closed it first.
func closeIn(ctx context.Context, tx pulseCloser, p *Pulse, now time.Time) error {
	p.Status, p.ClosedAt = PulseClosed, now
	if err := tx.UpdatePulse(ctx, p, PulseOpen); err != nil {
		return err
	}
	if err := tallyIn(ctx, tx, p); err != nil {
		return err
	}
	if err := tx.Enqueue(ctx, Outgoing{Team: p.Team, Kind: KindPulseResults, Channel: p.Channel, Ref: p.Number, Key: p.ResultsKey()}); err != nil {
		return err
	}
	waiting, err := tx.PulseNonResponders(ctx, p.Team, p.Number)
	if err != nil {
		return err
	}
	return refreshHomes(ctx, tx, p.Team, waiting...)
}

// manage runs change on pulse n in one transaction that claims c's
// request, if c may see and manage the pulse: its creator or an admin.
// Returns ENOTFOUND or EFORBIDDEN otherwise.
func (s *Pulses) manage(ctx context.Context, c Caller, n int64, change func(tx PulseTx, p *Pulse, now time.Time) error) error {
	now := s.Now()
	return s.Store.InPulseTx(ctx, func(tx PulseTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		p, err := tx.Pulse(ctx, c.Team, n)
		if err != nil {
			return err
		}
		if !p.VisibleIn(c.Channel) {
			return notFoundPulse(n)
		}
		if !p.CanManage(c) {
			return Errorf(EFORBIDDEN, "Only whoever sent %s (<@%s>) or an admin can change it.", p.ID(), p.CreatedBy)
		}
		return change(tx, p, now)
	})
}

func notFoundPulse(n int64) error {
	return Errorf(ENOTFOUND, "There is no pulse %s that you can see from this channel.", FormatID("P", n))
}
