package rituals

import (
	"testing"
	"time"
)

// Every key shape, as stored: the outbox and slack_messages keep these
// strings, so messages posted by an earlier version are found by them.
func TestMessageKeyShapes(t *testing.T) {
	at := time.UnixMilli(1700000000123).UTC()
	chk := &Checkin{Channel: "C1", ScheduledFor: at}
	pre := &Session{Kind: SessionPremortem, Number: 4}
	retro := &Session{Kind: SessionRetro, Number: 5}
	p := &Pulse{Number: 9}
	for _, tc := range []struct {
		name string
		got  MessageKey
		want string
	}{
		{"DecisionCard", (&Decision{Number: 12}).CardKey("C2"), "decision/12/card/C2"},
		{"BlockerCard", (&Blocker{Number: 7, Channel: "C3"}).CardKey(), "blocker/7/card/C3"},
		{"Checkin", chk.Key(), "checkin/C1/1700000000123"},
		{"CheckinAnswer", chk.AnswerKey("U1"), "checkin/C1/1700000000123/answer/U1"},
		{"Occurrence", (&Occurrence{Kind: "pulse/3", Channel: "C1", ScheduledFor: at}).Key(), "pulse/3/C1/1700000000123"},
		{"Digest", DigestRef{Channel: "C1", End: 1700000000123}.Key(), "digest/C1/1700000000123"},
		{"SessionThread", pre.ThreadKey(), "premortem/4"},
		{"SessionItem", pre.ItemKey(2), "premortem/4/item/2"},
		{"SessionSummary", retro.SummaryKey(), "retro/5/summary"},
		{"SessionFollowUp", pre.FollowUpKey(), "premortem/4/followup"},
		{"PulsePrompt", p.PromptKey("U1"), "pulse/9/dm/U1"},
		{"PulseResults", p.ResultsKey(), "pulse/9/results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := string(tc.got), tc.want; got != want {
				t.Fatalf("key=%q, want %q", got, want)
			}
		})
	}
}

func TestMessageKeyRitual(t *testing.T) {
	for key, want := range map[MessageKey]string{
		"checkin/C1/1700000000123": CheckinKind,
		"premortem/4":              string(SessionPremortem),
		"retro/5/item/2":           string(SessionRetro),
		"decision/12/card/C2":      "decision",
		"plain":                    "plain",
	} {
		if got := key.Ritual(); got != want {
			t.Errorf("%q.Ritual()=%q, want %q", key, got, want)
		}
	}
}

func TestMessageKeySessionThread(t *testing.T) {
	for _, tc := range []struct {
		key MessageKey
		n   int64
		ok  bool
	}{
		{(&Session{Kind: SessionPremortem, Number: 4}).ThreadKey(), 4, true},
		{(&Session{Kind: SessionRetro, Number: 5}).ThreadKey(), 5, true},
		{(&Session{Kind: SessionPremortem, Number: 4}).FollowUpKey(), 0, false},
		{(&Session{Kind: SessionRetro, Number: 5}).ItemKey(1), 0, false},
		{"checkin/C1/1700000000123", 0, false},
		{"retro", 0, false},
		{"retro/x", 0, false},
	} {
		n, ok := tc.key.SessionThread()
		if n != tc.n || ok != tc.ok {
			t.Errorf("%q.SessionThread()=%d, %v, want %d, %v", tc.key, n, ok, tc.n, tc.ok)
		}
	}
}
