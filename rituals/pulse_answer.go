package rituals

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Answer records the caller's answer to pulse n, given with the ticket of
// their DM, and queues the update that shows it to them. Answering again
// with the same ticket changes the answer until the pulse closes. Returns
// ECONFLICT once it has closed, EFORBIDDEN for someone it did not ask,
// EINVALID for an answer it cannot take.
//
// An anonymous answer is written in a transaction of its own, between two
// that name the person (marking them answered, then queueing their DM's
// update) and that write nothing of the answer: no transaction ID, time or
// row order ties the two. A failure in between leaves the person marked
// answered with their answer unsaved; they are told, and answer again.
func (s *Pulses) Answer(ctx context.Context, c Caller, n int64, t PulseTicket, a AnswerInput) error {
	if t.Token == "" {
		return Errorf(EINVALID, "That button is not a pulse answer alignbot recognises.")
	}
	now := s.Now()
	var p *Pulse
	var role, value string
	err := s.Store.InPulseAnswerTx(ctx, func(tx PulseAnswerTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		var err error
		if p, err = tx.Pulse(ctx, c.Team, n); err != nil {
			return err
		}
		if err := p.TakesAnswers(now); err != nil {
			return err
		}
		m, err := tx.PulseMember(ctx, c.Team, n, c.User)
		if ErrorCode(err) == ENOTFOUND {
			return Errorf(EFORBIDDEN, "%s did not ask you, so it cannot take your answer.", p.ID())
		}
		if err != nil {
			return err
		}
		if value, err = p.value(a); err != nil {
			return err
		}
		role = m.Role
		if !p.Anonymous {
			if err := tx.MarkPulseAnswered(ctx, c.Team, n, c.User, value); err != nil {
				return err
			}
			return showAnswerIn(ctx, tx, p, c.User, t, value)
		}
		if err := tx.ForgetPulsePrompt(ctx, c.Team, n, c.User); err != nil {
			return err
		}
		if m.Answered {
			return nil
		}
		return tx.MarkPulseAnswered(ctx, c.Team, n, c.User, "")
	})
	if err == nil && p.Anonymous {
		err = s.castBallots(ctx, p, role, t, value)
		if err == nil {
			err = s.Store.InPulseAnswerTx(ctx, func(tx PulseAnswerTx) error { return showAnswerIn(ctx, tx, p, c.User, t, value) })
		}
	}
	if err != nil {
		return fmt.Errorf("answer pulse %d: %w", n, err)
	}
	return nil
}

// castBallots stores an anonymous answer, in a transaction that names
// nobody.
func (s *Pulses) castBallots(ctx context.Context, p *Pulse, role string, t PulseTicket, value string) error {
	return s.Store.InPulseAnswerTx(ctx, func(tx PulseAnswerTx) error {
		list, err := tx.PulseKeys(ctx, p.Team, p.Number)
		if err != nil {
			return err
		}
		keys := make(map[string]PulseKey, len(list))
		for _, k := range list {
			keys[k.Role] = k
		}
		ballots, err := p.ballotsOf(keys, role, t, value)
		if err != nil {
			return err
		}
		// In role order, the whole audience first, as a close holds them:
		// two transactions never wait on each other's boxes.
		for _, group := range slices.Sorted(maps.Keys(ballots)) {
			raw, err := json.Marshal(ballots[group])
			if err != nil {
				return err
			}
			if err := tx.PutPulseBallot(ctx, p.Team, p.Number, group, BallotKey(p.Team, p.Number, group, t.Token), string(raw)); err != nil {
				if ErrorCode(err) == ECONFLICT {
					return p.TakesAnswers(p.ClosesAt)
				}
				return err
			}
		}
		return nil
	})
}

// showAnswerIn queues the update of user's DM that shows them their
// answer. It has a lane of its own: a reminder held for working hours in
// the person's lane must not hold back the answer they just gave.
func showAnswerIn(ctx context.Context, tx PulseAnswerTx, p *Pulse, user string, t PulseTicket, value string) error {
	data, err := json.Marshal(PulsePromptData{PulseTicket: t, Value: value})
	if err != nil {
		return err
	}
	if err := tx.Enqueue(ctx, Outgoing{Team: p.Team, Kind: KindPulsePromptUpdate, Lane: "pulse-answer:" + user,
		Channel: user, User: user, Ref: p.Number, Target: p.PromptKey(user), Data: data, Private: true, Interactive: true}); err != nil {
		return err
	}
	return refreshHomes(ctx, tx, p.Team, user)
}

// TakesAnswers returns why p takes no answers at now, or nil.
func (p *Pulse) TakesAnswers(now time.Time) error {
	switch {
	case p.Status == PulseCanceled:
		return Errorf(ECONFLICT, "%s was canceled before it was sent, so it takes no answers.", p.ID())
	case p.Status == PulseClosed || (p.Status == PulseOpen && !now.Before(p.ClosesAt)):
		return Errorf(ECONFLICT, "This pulse has closed, so answers can no longer be given or changed. Its results are posted in <#%s>.", p.Channel)
	case p.Status != PulseOpen:
		return Errorf(ECONFLICT, "%s is still being sent; try again in a moment.", p.ID())
	}
	return nil
}

// MyAnswer returns user's answer to pulse n, read with the token of their
// DM, so a person changing it sees what they said. Returns ENOTFOUND if
// they have given none.
func (s *Pulses) MyAnswer(ctx context.Context, team string, n int64, user, token string) (string, error) {
	none := Errorf(ENOTFOUND, "No answer was given.")
	p, err := s.Store.Pulse(ctx, team, n)
	if err != nil {
		return "", err
	}
	if !p.Anonymous {
		answers, err := s.Store.NamedPulseAnswers(ctx, team, n)
		for _, a := range answers {
			if a.User == user {
				return a.Value, nil
			}
		}
		if err == nil {
			err = none
		}
		return "", err
	}
	if token == "" {
		return "", none
	}
	raw, err := s.Store.PulseBallot(ctx, team, n, BallotKey(team, n, "", token))
	if err != nil {
		return "", err
	}
	return p.ownAnswer(raw, token)
}
