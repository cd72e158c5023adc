package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// cookieName holds the proof of the token a reader's browser got from a
// ?token= link.
const cookieName = "alignbot_log"

// gate lets a request through when no token is set, or when it carries
// the token: as "Authorization: Bearer <token>", or the cookie a
// ?token=<token> link sets (that link then redirects to itself without
// the token, so it does not stay in the address bar or the history).
// Comparisons take constant time. Anything else gets 401 and a page that
// says how to get in.
func (s *Site) gate(next http.Handler) http.Handler {
	if s.Token == "" {
		return next
	}
	want := sha256.Sum256([]byte(s.Token))
	proof := cookieProof(s.Token)
	equal := func(given string) bool {
		got := sha256.Sum256([]byte(given))
		return subtle.ConstantTimeCompare(got[:], want[:]) == 1
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Has("token") {
			if !equal(q.Get("token")) {
				s.deny(w, r)
				return
			}
			http.SetCookie(w, &http.Cookie{
				Name: cookieName, Value: proof, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
				MaxAge: 90 * 24 * 3600,
			})
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && equal(strings.TrimSpace(bearer)) {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(cookieName); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(proof)) == 1 {
			next.ServeHTTP(w, r)
			return
		}
		s.deny(w, r)
	})
}

// cookieProof is what the cookie holds: a digest of the token, so the
// cookie jar never holds the token itself.
func cookieProof(token string) string {
	sum := sha256.Sum256([]byte("alignbot decision log cookie\x00" + token))
	return hex.EncodeToString(sum[:])
}

func (s *Site) deny(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="alignbot decision log"`)
	s.fail(w, r, &httpError{http.StatusUnauthorized, "This decision log is closed with a shared token. " +
		"Open the link with ?token=… that your team shared (it sets a cookie and drops the token from the address), " +
		"or send the header Authorization: Bearer <token>. Ask whoever runs alignbot for the link."})
}

// accessNote is what the first page says about who can read the site.
func (s *Site) accessNote(m mode) string {
	switch {
	case m == static:
		return "This is a static copy of the decision log: whoever can reach this host can read it. Only decisions from public Slack channels are in it."
	case s.Token != "":
		return "This site is closed with a shared token: you are in through the link your team shared (a cookie) or a bearer token. Only decisions from public Slack channels appear."
	default:
		return "This site is open to whoever can reach it: run it behind your company's SSO proxy, or set ALIGNBOT_WEB_TOKEN. Only decisions from public Slack channels appear."
	}
}
