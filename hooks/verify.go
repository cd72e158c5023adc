// Package hooks takes in the events a channel's repositories, pipelines
// and scripts send alignbot (GitHub's and GitLab's webhooks, and a signed
// JSON event of alignbot's own), checks who sent them, and reads them
// into rituals.DeliveryEvents for the digest's delivery figures.
//
// It knows HTTP and the senders' formats; no Slack and no SQL.
package hooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Sources are the hooks a channel can connect, as they appear in URLs and
// in `/digest hook <source>`.
const (
	GitHub = "github"
	GitLab = "gitlab"
	Events = "events"
)

// Sources lists them.
func Sources() []string { return []string{GitHub, GitLab, Events} }

// ReplayWindow is how old a signed event's timestamp may be, either way.
const ReplayWindow = 5 * time.Minute

// Sign returns the hex HMAC-SHA256 of msg under secret.
func Sign(secret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyGitHub checks X-Hub-Signature-256 ("sha256=<hex>"), GitHub's
// HMAC-SHA256 of the body under the hook's secret.
func VerifyGitHub(secret string, body []byte, header string) bool {
	sig, ok := strings.CutPrefix(header, "sha256=")
	return ok && hmac.Equal([]byte(sig), []byte(Sign(secret, body)))
}

// VerifyGitLab checks X-Gitlab-Token, which GitLab sends as set.
func VerifyGitLab(secret, header string) bool {
	return header != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(header)) == 1
}

// EventSignature is what a sender of alignbot's own events puts in
// X-Alignbot-Signature: "sha256=" and the hex HMAC-SHA256, under the
// hook's secret, of the timestamp in X-Alignbot-Timestamp (Unix
// seconds), a dot, and the body.
func EventSignature(secret string, ts int64, body []byte) string {
	msg := append([]byte(strconv.FormatInt(ts, 10)+"."), body...)
	return "sha256=" + Sign(secret, msg)
}

// VerifyEvent checks an event's signature and that its timestamp is
// within ReplayWindow of now: a request seen once cannot be sent again
// later.
func VerifyEvent(secret string, body []byte, tsHeader, sigHeader string, now time.Time) bool {
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > ReplayWindow || d < -ReplayWindow {
		return false
	}
	return hmac.Equal([]byte(sigHeader), []byte(EventSignature(secret, ts, body)))
}
