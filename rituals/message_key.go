package rituals

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MessageKey names a message the bot posts (Outgoing.Key), so that later
// outbox items can update it or reply in its thread (Outgoing.Target), the
// edge can link to it, and a reply in its thread can find its ritual. Keys
// are stored (the outbox's msg_key and target, slack_messages.msg_key), so
// their shapes, built and read only in this file, must not change. Each
// entry names its messages with a method (Decision.CardKey, Pulse.PromptKey,
// Session.ThreadKey, …) that calls the constructor here.
type MessageKey string

// decisionCardKey is "decision/<n>/card/<channel>": decision n's card in
// channel.
func decisionCardKey(n int64, channel string) MessageKey {
	return MessageKey(fmt.Sprintf("decision/%d/card/%s", n, channel))
}

// blockerCardKey is "blocker/<n>/card/<channel>": blocker n's card.
func blockerCardKey(n int64, channel string) MessageKey {
	return MessageKey(fmt.Sprintf("blocker/%d/card/%s", n, channel))
}

// occurrenceKey is "<kind>/<channel>/<ms>": the message a scheduled
// ritual of kind posts in channel for its occurrence at (a check-in's
// parent message, a digest), at in Unix milliseconds.
func occurrenceKey(kind, channel string, at time.Time) MessageKey {
	return MessageKey(fmt.Sprintf("%s/%s/%d", kind, channel, at.UnixMilli()))
}

// checkinAnswerKey is "<check-in key>/answer/<user>": user's answer in
// the thread of the check-in whose parent is checkin.
func checkinAnswerKey(checkin MessageKey, user string) MessageKey {
	return checkin + "/answer/" + MessageKey(user)
}

// sessionThreadKey is "<kind>/<n>": session n's parent message. Its first
// part, the session's kind, routes replies in its thread (see Ritual).
func sessionThreadKey(kind SessionKind, n int64) MessageKey {
	return MessageKey(fmt.Sprintf("%s/%d", kind, n))
}

// sessionItemKey is "<kind>/<n>/item/<item>": the reply showing an item.
func sessionItemKey(kind SessionKind, n, item int64) MessageKey {
	return MessageKey(fmt.Sprintf("%s/%d/item/%d", kind, n, item))
}

// sessionSummaryKey is "<kind>/<n>/summary": the ranked summary.
func sessionSummaryKey(kind SessionKind, n int64) MessageKey {
	return MessageKey(fmt.Sprintf("%s/%d/summary", kind, n))
}

// sessionFollowUpKey is "<kind>/<n>/followup": the follow-up's parent.
func sessionFollowUpKey(kind SessionKind, n int64) MessageKey {
	return MessageKey(fmt.Sprintf("%s/%d/followup", kind, n))
}

// pulsePromptKey is "pulse/<n>/dm/<user>": the DM asking user.
func pulsePromptKey(n int64, user string) MessageKey {
	return MessageKey(fmt.Sprintf("pulse/%d/dm/%s", n, user))
}

// pulseResultsKey is "pulse/<n>/results": the results in the channel.
func pulseResultsKey(n int64) MessageKey {
	return MessageKey(fmt.Sprintf("pulse/%d/results", n))
}

// Ritual returns the first part of k, which says whose message it is:
// "checkin", "premortem", "retro", "decision", …. The edge routes replies
// in a thread by the ritual of the thread's parent.
func (k MessageKey) Ritual() string {
	ritual, _, _ := strings.Cut(string(k), "/")
	return ritual
}

// SessionThread returns the number of the session whose parent message k
// names ("premortem/4", "retro/4"). Other keys, a session's follow-up's
// among them, are not threads that take items: ok is false.
func (k MessageKey) SessionThread() (n int64, ok bool) {
	kind, num, ok := strings.Cut(string(k), "/")
	if !ok || (kind != string(SessionPremortem) && kind != string(SessionRetro)) {
		return 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	return n, err == nil
}

// parseCheckinKey reads "checkin/<channel>/<ms>", a check-in's parent
// (or, past it, a message in its thread), into the check-in's channel and
// scheduled time.
func parseCheckinKey(key MessageKey) (string, time.Time, error) {
	parts := strings.Split(string(key), "/")
	if len(parts) < 3 || parts[0] != CheckinKind {
		return "", time.Time{}, fmt.Errorf("not a check-in key: %q", key)
	}
	ms, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("check-in key %q: %w", key, err)
	}
	return parts[1], time.UnixMilli(ms).UTC(), nil
}

// DecisionCard returns the decision and channel of a decision's card
// key ("decision/<n>/card/<channel>"); ok is false for any other key.
func (k MessageKey) DecisionCard() (n int64, channel string, ok bool) {
	parts := strings.Split(string(k), "/")
	if len(parts) != 4 || parts[0] != "decision" || parts[2] != "card" || parts[3] == "" {
		return 0, "", false
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, parts[3], true
}
