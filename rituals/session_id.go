package rituals

import (
	"strconv"
	"strings"
)

// Prefix is the ID prefix of sessions of kind: "PM" for a pre-mortem,
// "R" for a retro. Both kinds share one sequence of numbers, so a number
// names one session whatever the prefix; alignbot showed every session as
// "R-n" before pre-mortems had their own prefix.
func (k SessionKind) Prefix() string {
	if k == SessionPremortem {
		return "PM"
	}
	return "R"
}

// Noun names one session of kind in a sentence: "pre-mortem" or "retro".
func (k SessionKind) Noun() string {
	if k == SessionPremortem {
		return "pre-mortem"
	}
	return "retro"
}

// SessionID is a session's ID as someone wrote it.
type SessionID struct {
	Number int64
	// Kind is the kind its prefix names: SessionPremortem for "PM-3", and
	// empty for "R-3" or a bare "3", which may name either (pre-mortems
	// were "R-n" before they had their own prefix).
	Kind SessionKind
}

// String writes the ID as it was written, in its canonical form.
func (id SessionID) String() string {
	if id.Kind == "" {
		return strconv.FormatInt(id.Number, 10)
	}
	return FormatID(id.Kind.Prefix(), id.Number)
}

// ParseSessionID reads "PM-3", "pm3", "R-4", "r4" or "4"; kind, the
// command's, picks the example in the error. Returns EINVALID for
// anything else.
func ParseSessionID(kind SessionKind, s string) (SessionID, error) {
	t := strings.TrimSpace(s)
	id := SessionID{}
	switch u := strings.ToUpper(t); {
	case strings.HasPrefix(u, "PM"):
		id.Kind, t = SessionPremortem, t[2:]
	case strings.HasPrefix(u, "R"):
		t = t[1:]
	}
	if id.Kind != "" || len(t) < len(strings.TrimSpace(s)) {
		t = strings.TrimPrefix(t, "-")
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || strings.HasPrefix(t, "+") {
		return SessionID{}, Errorf(EINVALID, "%q is not a %s ID; write it like %s-4 or 4.", truncate(s, 40), kind.Noun(), kind.Prefix())
	}
	id.Number = n
	return id, nil
}

// notFound is the error for no session id that the caller can see, from
// the command of kind: "There is no retro R-9 …".
func (id SessionID) notFound(kind SessionKind) error {
	if id.Kind != "" {
		kind = id.Kind
	}
	return Errorf(ENOTFOUND, "There is no %s %s that you can see from this channel.", kind.Noun(), FormatID(kind.Prefix(), id.Number))
}

// Matches checks that ses is the session id names, and of kind, the
// command's, which verb (e.g. "close") was given. Returns ENOTFOUND when
// id's prefix names another kind than ses's (PM-4 when 4 is a retro), and
// EINVALID naming the right command when ses is of another kind than the
// command's.
func (id SessionID) Matches(ses *Session, kind SessionKind, verb string) error {
	if id.Kind != "" && id.Kind != ses.Kind {
		return Errorf(ENOTFOUND, "There is no %s %s that you can see from this channel; %s is a %s.",
			id.Kind.Noun(), id, ses.ID(), ses.Kind.Noun())
	}
	if ses.Kind != kind {
		return Errorf(EINVALID, "%s is a %s; %s it with `/%s %s %s`.", ses.ID(), ses.Kind.Noun(), verb, ses.Kind, verb, ses.ID())
	}
	return nil
}
