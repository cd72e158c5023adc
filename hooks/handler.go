package hooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// MaxBody is the largest payload a hook takes: GitHub's pull request
// payloads run to tens of kilobytes.
const MaxBody = 1 << 20

// Receiver is what the hooks' handler needs of the domain: the hook a
// URL names, and somewhere to keep what came through it.
// rituals.Hooks implements it.
type Receiver interface {
	ByID(ctx context.Context, id string) (*rituals.Hook, error)
	Receive(ctx context.Context, h *rituals.Hook, delivery string, e rituals.DeliveryEvent) error
}

// Handler serves POST /hooks/{source}/{id}: it reads the body (413 past
// MaxBody), checks the sender's signature against the hook's secret (401
// for a hook that does not exist, a source that is not the hook's, or a
// bad or missing signature, with nothing kept), reads the payload (400
// for one it cannot read) and keeps its event once per delivery.
type Handler struct {
	Hooks Receiver
	// Now is the wall clock a signed event's timestamp is checked
	// against: the sender's clock, not alignbot's rituals' clock.
	Now func() time.Time
	Log *slog.Logger
}

// Routes registers the hooks' endpoints on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /hooks/{source}/{id}", h.serve)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	source, id := r.PathValue("source"), r.PathValue("id")
	log := h.Log.With("source", source)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		log.Warn("hook payload refused: too large")
		http.Error(w, fmt.Sprintf("The payload is over %d bytes.", MaxBody), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, "The payload could not be read.", http.StatusBadRequest)
		return
	}
	hook, err := h.Hooks.ByID(r.Context(), id)
	if err != nil && rituals.ErrorCode(err) != rituals.ENOTFOUND {
		log.Error("hook lookup failed", "err", err)
		http.Error(w, "alignbot could not check this hook; try again.", http.StatusServiceUnavailable)
		return
	}
	if err != nil || hook.Source != source || !verified(hook, r, body, h.Now()) {
		log.Warn("hook payload refused: unknown hook or bad signature")
		http.Error(w, "The hook is unknown or the signature does not match.", http.StatusUnauthorized)
		return
	}
	log = log.With("hook", hook.ID, "team", hook.Team, "channel", hook.Channel)
	events, delivery, err := read(source, r, body)
	if err != nil {
		log.Info("hook payload unreadable", "err", err)
		http.Error(w, "The payload could not be read: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(events) == 0 {
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "Nothing in this event counts toward the delivery figures.\n")
		return
	}
	for i, e := range events {
		key := delivery
		if len(events) > 1 {
			key = fmt.Sprintf("%s/%d", delivery, i)
		}
		err := h.Hooks.Receive(r.Context(), hook, key, e)
		switch {
		case errors.Is(err, rituals.ErrDuplicate):
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, "This delivery was received before; it is kept once.\n")
			return
		case err != nil:
			log.Error("hook event not kept", "err", err)
			http.Error(w, "alignbot could not keep this event; send it again.", http.StatusServiceUnavailable)
			return
		}
	}
	log.Info("hook event kept", "delivery", delivery, "kind", string(events[0].Kind))
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, "Kept.\n")
}

// verified checks the request's signature the way its sender signs.
func verified(hook *rituals.Hook, r *http.Request, body []byte, now time.Time) bool {
	switch hook.Source {
	case GitHub:
		return VerifyGitHub(hook.Secret, body, r.Header.Get("X-Hub-Signature-256"))
	case GitLab:
		return VerifyGitLab(hook.Secret, r.Header.Get("X-Gitlab-Token"))
	case Events:
		return VerifyEvent(hook.Secret, body, r.Header.Get("X-Alignbot-Timestamp"), r.Header.Get("X-Alignbot-Signature"), now)
	}
	return false
}

// read reads a verified payload into events, with the name of its
// delivery: what makes a second copy of it a duplicate.
func read(source string, r *http.Request, body []byte) ([]rituals.DeliveryEvent, string, error) {
	switch source {
	case GitHub:
		delivery := r.Header.Get("X-GitHub-Delivery")
		if delivery == "" {
			return nil, "", errors.New("the X-GitHub-Delivery header is missing")
		}
		evs, err := ParseGitHub(r.Header.Get("X-GitHub-Event"), body)
		return evs, delivery, err
	case GitLab:
		// GitLab names each delivery in X-Gitlab-Event-UUID; older
		// versions do not, and the payload itself names it then.
		delivery := r.Header.Get("X-Gitlab-Event-UUID")
		if delivery == "" {
			sum := sha256.Sum256(body)
			delivery = "sha256:" + hex.EncodeToString(sum[:])
		}
		evs, err := ParseGitLab(r.Header.Get("X-Gitlab-Event"), body)
		return evs, delivery, err
	default:
		e, key, err := ParseEvent(body, r.Header.Get("X-Alignbot-Timestamp"))
		if err != nil {
			return nil, "", err
		}
		return []rituals.DeliveryEvent{e}, key, nil
	}
}
