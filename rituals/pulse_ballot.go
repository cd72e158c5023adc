package rituals

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mathrand "math/rand/v2"
	"sort"
	"strconv"
)

// How an anonymous pulse stores its answers so that nothing ties them to
// people (see also pulse_seal.go):
//
//   - A person's answer goes into a ballot in their group's ballot box (one
//     for the whole audience, one for their role), keyed by a hash of the
//     random token in their DM, in a transaction that writes nothing about
//     them. Their "answered" mark is written in transactions of its own.
//   - A box is one row holding its ballots in key order, rewritten whole by
//     every answer: rows carry no per-answer system column (PostgreSQL's
//     xmin and ctid, SQLite's rowid) and no order but a random one. The
//     whole-audience ballot and the role ballot of one answer have keys no
//     one can relate without the token.
//   - Ballots carry no time and no user; the DM update that shows a person
//     their answer carries it only until it is sent.
//   - At close, each group's answers are counted, if its key can be
//     rebuilt, and the boxes are emptied: only counts per answer remain
//     (and the texts of a free-text pulse), for the groups that reached the
//     threshold.

// PulseTicket is what a person's DM holds to answer an anonymous pulse:
// a random token, whose hash keys their ballots so they can change their
// answer, and their shares of the keys of the groups they answer in (the
// whole audience first, then their role). It lives in Slack, and in the
// outbox only until their DM is sent.
type PulseTicket struct {
	Token  string   `json:"t"`
	Shares []string `json:"s,omitempty"`
}

// PulseKey is the public key of one group of a pulse's audience, and how
// many ballot boxes hold its answers.
type PulseKey struct {
	Role   string // "" for the whole audience
	Public []byte
	Boxes  int
}

// PulseResults is what a closed anonymous pulse keeps of its answers:
// how many gave each answer, for each group whose answers could be
// counted, and the texts of a free-text pulse, in text order.
type PulseResults struct {
	Tallies map[string]map[string]int // by role ("" for everyone), then answer
	Texts   []string
}

// ballot is one answer as stored in a group's ballot box. Its JSON is a
// wire format, not a domain struct's: the pulse seals and opens it here,
// and storage keeps it as opaque bytes in rows already written, so its
// short keys stay as they are.
type ballot struct {
	Share  string `json:"s,omitempty"` // the holder's key share; none for the creator's
	Sealed string `json:"a,omitempty"` // the answer, sealed to the group's key
	Own    string `json:"o,omitempty"` // the answer, sealed to the holder's token
	// Value and Role are the answer in clear, in ballots of pulses sent
	// before answers were sealed.
	Value string `json:"v,omitempty"`
	Role  string `json:"r,omitempty"`
}

// ballotsPerBox bounds how much one answer rewrites: a pulse's group has
// a box per this many members.
const ballotsPerBox = 200

// newToken returns a fresh random answer token.
func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("answer token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// BallotKey returns the key of the ballot given with token in the box of
// role ("" for everyone). The token is never stored, so the key cannot be
// traced back to a person, nor one group's key to another's.
func BallotKey(team string, n int64, role, token string) string {
	if role == "" {
		return AnswerKey(team, n, token)
	}
	sum := sha256.Sum256([]byte("alignbot pulse role ballot\x00" + team + "\x00" + strconv.FormatInt(n, 10) + "\x00" + token))
	return hex.EncodeToString(sum[:])
}

// deal makes the keys of an anonymous pulse's groups and everyone's
// ticket. The creator holds no share: they know their own answer, so a
// group's answers open only with threshold answers of others.
func deal(p *Pulse, members []PulseMember) ([]PulseKey, []PulseTicket, error) {
	tickets := make([]PulseTicket, len(members))
	for i := range tickets {
		token, err := newToken()
		if err != nil {
			return nil, nil, err
		}
		tickets[i].Token = token
	}
	if !p.Anonymous {
		return nil, tickets, nil
	}
	holders := map[string][]int{}
	var roles []string
	for i, m := range members {
		if m.User == p.CreatedBy {
			continue
		}
		if m.Role != "" && holders[m.Role] == nil {
			roles = append(roles, m.Role)
		}
		holders[""] = append(holders[""], i)
		if m.Role != "" {
			holders[m.Role] = append(holders[m.Role], i)
		}
	}
	var keys []PulseKey
	for _, role := range append([]string{""}, roles...) {
		public, shares, err := newGroupKey(len(holders[role]), p.Threshold)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, PulseKey{Role: role, Public: public, Boxes: (len(holders[role]) + ballotsPerBox - 1) / ballotsPerBox})
		// Shares go out in random order: a share's number, stored in the
		// ballot, must not say where its holder stands in the audience.
		order, err := randomOrder(len(shares))
		if err != nil {
			return nil, nil, err
		}
		for j, k := range order {
			i := holders[role][j]
			tickets[i].Shares = append(tickets[i].Shares, shares[k].String())
		}
	}
	return keys, tickets, nil
}

// randomOrder returns a random permutation of 0…n-1, from a source
// seeded by crypto/rand.
func randomOrder(n int) ([]int, error) {
	var seed [32]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("random order: %w", err)
	}
	return mathrand.New(mathrand.NewChaCha8(seed)).Perm(n), nil
}

// sealedAnswer is an answer as sealed: a choice by its number, padded to
// one size; a text padded to a multiple of 256 bytes.
func (p *Pulse) sealedAnswer(value string) []byte {
	if p.Kind == PulseText {
		return padded([]byte(value), 256)
	}
	for i, c := range p.Choices() {
		if c == value {
			return padded([]byte(strconv.Itoa(i)), 16)
		}
	}
	return padded([]byte("-1"), 16)
}

func (p *Pulse) unsealedAnswer(b []byte) (string, error) {
	raw, err := unpadded(b)
	if err != nil || p.Kind == PulseText {
		return string(raw), err
	}
	i, err := strconv.Atoi(string(raw))
	if cs := p.Choices(); err == nil && i >= 0 && i < len(cs) {
		return cs[i], nil
	}
	return "", fmt.Errorf("sealed answer is not a choice")
}

// ownContext binds a person's copy of their answer to its pulse.
func ownContext(team string, n int64) string { return team + "\x00" + strconv.FormatInt(n, 10) }

// ballotsOf seals value into the ballots of the person holding t, who
// answers in role: one per group they answer in, by role. A pulse sent
// before answers were sealed (no keys) gets one ballot in clear.
func (p *Pulse) ballotsOf(keys map[string]PulseKey, role string, t PulseTicket, value string) (map[string]ballot, error) {
	if len(keys) == 0 {
		return map[string]ballot{"": {Value: value, Role: role}}, nil
	}
	groups := []string{""}
	if _, ok := keys[role]; ok && role != "" {
		groups = append(groups, role)
	}
	out := map[string]ballot{}
	for i, g := range groups {
		sealed, err := sealTo(keys[g].Public, p.sealedAnswer(value))
		if err != nil {
			return nil, err
		}
		b := ballot{Sealed: sealed}
		if i < len(t.Shares) {
			b.Share = t.Shares[i]
		}
		if g == "" {
			if b.Own, err = sealForToken(t.Token, ownContext(p.Team, p.Number), p.sealedAnswer(value)); err != nil {
				return nil, err
			}
		}
		out[g] = b
	}
	return out, nil
}

// ownAnswer reads the answer in raw, a whole-audience ballot, with the
// token it was given with.
func (p *Pulse) ownAnswer(raw, token string) (string, error) {
	var b ballot
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		return "", fmt.Errorf("read ballot: %w", err)
	}
	if b.Own == "" {
		return b.Value, nil
	}
	plain, err := openWithToken(token, ownContext(p.Team, p.Number), b.Own)
	if err != nil {
		return "", fmt.Errorf("read own answer: %w", err)
	}
	return p.unsealedAnswer(plain)
}

// tallyIn counts closing pulse p's answers and empties its ballot boxes,
// inside the closing transaction. A group's answers are counted only if
// its key rebuilds from its ballots' shares, that is if at least the
// threshold of people other than the creator answered in it.
func tallyIn(ctx context.Context, tx ballotCounter, p *Pulse) error {
	if !p.Anonymous {
		return nil
	}
	keys, err := tx.PulseKeys(ctx, p.Team, p.Number)
	if err != nil {
		return err
	}
	boxes, err := tx.PulseBallots(ctx, p.Team, p.Number)
	if err != nil {
		return err
	}
	res := PulseResults{Tallies: map[string]map[string]int{}}
	for role, raws := range boxes {
		var key *PulseKey
		for i := range keys {
			if keys[i].Role == role {
				key = &keys[i]
			}
		}
		// A group whose ballots do not open (which only damage to the
		// database could cause) is left out, as if held back, rather than
		// keep the pulse from closing.
		groups, _ := p.openBallots(key, role, raws)
		for g, values := range groups {
			if len(values) < p.Threshold {
				continue // legacy ballots in clear: keep no group below the threshold
			}
			if p.Kind == PulseText {
				if g == "" {
					res.Texts = append(res.Texts, values...)
				}
				continue
			}
			if res.Tallies[g] == nil {
				res.Tallies[g] = map[string]int{}
			}
			for _, v := range values {
				res.Tallies[g][v]++
			}
		}
	}
	sort.Strings(res.Texts)
	return tx.SavePulseResults(ctx, p.Team, p.Number, res)
}

// openBallots returns the answers in one group's ballots, by group: the
// group itself, or, for ballots in clear, the whole audience and each
// role. A sealed group whose shares are too few gives nothing.
func (p *Pulse) openBallots(key *PulseKey, role string, raws []string) (map[string][]string, error) {
	out := map[string][]string{}
	var sealed []ballot
	shares := map[int]keyShare{}
	for _, raw := range raws {
		var b ballot
		if err := json.Unmarshal([]byte(raw), &b); err != nil {
			return nil, fmt.Errorf("read ballot: %w", err)
		}
		if b.Sealed == "" {
			out[""] = append(out[""], b.Value)
			if b.Role != "" {
				out[b.Role] = append(out[b.Role], b.Value)
			}
			continue
		}
		sealed = append(sealed, b)
		if s, err := parseShare(b.Share); err == nil {
			shares[s.X] = s
		}
	}
	if len(sealed) == 0 || key == nil || len(shares) < p.Threshold {
		return out, nil
	}
	xs := make([]int, 0, len(shares))
	for x := range shares {
		xs = append(xs, x)
	}
	sort.Ints(xs)
	use := make([]keyShare, p.Threshold)
	for i := range use {
		use[i] = shares[xs[i]]
	}
	priv, err := rebuildGroupKey(use, key.Public)
	if err != nil {
		return nil, err
	}
	for _, b := range sealed {
		plain, err := openWith(priv, b.Sealed)
		if err != nil {
			return nil, err
		}
		v, err := p.unsealedAnswer(plain)
		if err != nil {
			return nil, err
		}
		out[role] = append(out[role], v)
	}
	return out, nil
}
