package rituals

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Comment is a person's reply in the thread of a proposal's card, in the
// proposal's own channel, while it was proposed: its comment period. The
// text is kept exactly as written, up to MaxComment characters.
type Comment struct {
	Team     string
	Decision int64 // the N of D-N
	Channel  string
	// TS is the reply's Slack timestamp, unique in its channel: a
	// redelivered reply finds it, and records nothing twice.
	TS       string
	ThreadTS string // the card's, whose thread it is in
	User     string
	UserName string // display name at the time, for exports
	Text     string
	// Clipped is true when the reply was longer than MaxComment: Text is
	// its first MaxComment characters; the whole reply stays in Slack.
	Clipped bool
	At      time.Time // when it was recorded
}

// MaxComment is the longest comment kept whole: as long as a decision's
// text may be.
const MaxComment = MaxDecisionText

// CommentInput is a reply as the edge reads it from Slack.
type CommentInput struct {
	Channel  string
	TS       string
	ThreadTS string
	UserName string
	Text     string
}

// Comment records the caller's reply in the thread of decision n's card
// as a comment, when n is a proposal and the thread is that of its card
// in its own channel (copies in informed channels hold other audiences'
// conversations, which may be private). Its text is kept exactly; a reply
// longer than MaxComment keeps its first MaxComment characters and is
// marked Clipped. Returns ECONFLICT when the reply is no comment (n is
// not proposed, or the thread is another channel's), EINVALID for a reply
// without author or words, ENOTFOUND for no decision n, and ErrDuplicate
// when the reply (its ts) or the request was already recorded.
func (s *Decisions) Comment(ctx context.Context, c Caller, n int64, in CommentInput) (*Decision, *Comment, error) {
	if c.User == "" || strings.TrimSpace(in.Text) == "" || in.TS == "" {
		return nil, nil, Errorf(EINVALID, "A comment needs its author, its words and its message.")
	}
	now := s.Now()
	cm := &Comment{Team: c.Team, Decision: n, Channel: in.Channel, TS: in.TS, ThreadTS: in.ThreadTS,
		User: c.User, UserName: in.UserName, Text: in.Text, At: now}
	cm.Text, cm.Clipped = clipComment(in.Text)
	var d *Decision
	err := s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, now); err != nil {
			return err
		}
		var err error
		if d, err = tx.Decision(ctx, c.Team, n); err != nil {
			return err
		}
		switch {
		case in.Channel != d.Channel:
			return Errorf(ECONFLICT, "Only replies in the thread of %s's card in <#%s> are its comments.", d.ID(), d.Channel)
		case d.Status != StatusProposed:
			return Errorf(ECONFLICT, "%s is %s: replies in its thread are no longer comments.", d.ID(), d.Status)
		}
		return tx.AddDecisionComment(ctx, cm)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("comment on decision %d: %w", n, err)
	}
	return d, cm, nil
}

// clipComment keeps text whole up to MaxComment characters, and its
// first MaxComment beyond, saying so.
func clipComment(text string) (string, bool) {
	if utf8.RuneCountInString(text) <= MaxComment {
		return text, false
	}
	return string([]rune(text)[:MaxComment]), true
}

// EditComment follows the caller's edit of their reply (in.TS, in
// in.Channel) that is a comment on decision n, while n is proposed: the
// comment then reads as the reply does. Once n is settled its comments
// stay as they were when it was decided. Returns ECONFLICT then,
// ENOTFOUND when the reply is no comment of theirs, EINVALID for an
// edit that leaves no words (Slack refuses one), and ErrDuplicate for a
// request already handled.
func (s *Decisions) EditComment(ctx context.Context, c Caller, n int64, in CommentInput) (*Comment, error) {
	if c.User == "" || strings.TrimSpace(in.Text) == "" {
		return nil, Errorf(EINVALID, "An edited comment needs its author and its words.")
	}
	text, clipped := clipComment(in.Text)
	err := s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, s.Now()); err != nil {
			return err
		}
		d, err := tx.Decision(ctx, c.Team, n)
		if err != nil {
			return err
		}
		if d.Status != StatusProposed {
			return Errorf(ECONFLICT, "%s is %s: its comments stay as they were when it was settled.", d.ID(), d.Status)
		}
		return tx.EditDecisionComment(ctx, c.Team, in.Channel, in.TS, c.User, text, clipped)
	})
	if err != nil {
		return nil, fmt.Errorf("edit comment on decision %d: %w", n, err)
	}
	return &Comment{Team: c.Team, Decision: n, Channel: in.Channel, TS: in.TS, User: c.User, Text: text, Clipped: clipped}, nil
}

// DeleteComment follows the deletion of the reply at ts in channel that
// is a comment on decision n: whoever deleted it in Slack (its author,
// or an admin) wanted it gone, so it goes from the record too, whatever
// n's status. Returns ENOTFOUND when the reply is no comment, and
// ErrDuplicate for a request already handled.
func (s *Decisions) DeleteComment(ctx context.Context, c Caller, n int64, channel, ts string) error {
	err := s.Store.InDecisionTx(ctx, func(tx DecisionTx) error {
		if err := claim(ctx, tx, c, s.Now()); err != nil {
			return err
		}
		return tx.DeleteDecisionComment(ctx, c.Team, channel, ts)
	})
	if err != nil {
		return fmt.Errorf("delete comment on decision %d: %w", n, err)
	}
	return nil
}

// Comments returns decision n, if the caller may see it, and its
// comments, oldest first. Returns ENOTFOUND otherwise.
func (s *Decisions) Comments(ctx context.Context, c Caller, n int64) (*Decision, []Comment, error) {
	d, err := s.Get(ctx, c, n)
	if err != nil {
		return nil, nil, err
	}
	cs, err := s.Store.DecisionComments(ctx, c.Team, n)
	if err != nil {
		return nil, nil, fmt.Errorf("comments on %s: %w", d.ID(), err)
	}
	return d, cs, nil
}

// Commenters returns who commented in cs.
func Commenters(cs []Comment) map[string]bool {
	out := map[string]bool{}
	for _, c := range cs {
		out[c.User] = true
	}
	return out
}
