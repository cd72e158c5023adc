package fakeslack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// defaultMinQueryLength is how many characters Slack waits for before it asks
// an external select's options, when the element does not say.
const defaultMinQueryLength = 3

// Suggest is User typing Value into the external select ActionID (in block
// BlockID, which may be empty) of their open modal ViewID.
type Suggest struct {
	User, ViewID, BlockID, ActionID, Value string
}

// Option is one option of a select as Slack shows it: its text and value.
type Option struct {
	Text, Value string
}

// BlockSuggestion delivers a block_suggestion interaction for what the user
// typed, as Slack does while someone types into an external select, and
// returns the options the app answered with. Over Socket Mode the options are
// read from the ack's payload; with an options URL set (see RequestURLs), the
// payload is POSTed there, signed, and the options read from the response
// body. It refuses, sending nothing, when the element is not an
// external select of the user's open modal, or Value is shorter than the
// element's min_query_length (3 unless set), since Slack would not ask. An
// answer Slack would not show (more than 100 options, texts or values too
// long or empty, no options list) is recorded as a Refusal with the method
// "block_suggestion" and returned as an error. Options offered are remembered
// for the modal: a submission may pick only those (or the initial ones).
func (s *Server) BlockSuggestion(ctx context.Context, sg Suggest) ([]Option, *Ack, error) {
	s.mu.Lock()
	p, v, key, err := s.suggestionPayload(sg)
	if err != nil {
		s.mu.Unlock()
		return nil, nil, fmt.Errorf("fakeslack: BlockSuggestion: %w", err)
	}
	raw := mustJSON(p)
	s.mu.Unlock()
	ack, err := s.send(ctx, s.newEnvelope("block_suggestion", raw, 0, ""))
	if err != nil {
		return nil, ack, err
	}
	opts, list, msgs := readOptions(ack.Payload)
	if len(msgs) > 0 {
		r := Refusal{Method: "block_suggestion", Error: "invalid_options", Messages: msgs}
		s.mu.Lock()
		s.st.refusals = append(s.st.refusals, r)
		s.mu.Unlock()
		s.logMu.RLock()
		if !s.isClosed && s.opts.OnRefusal != nil {
			s.opts.OnRefusal(r)
		}
		s.logMu.RUnlock()
		return nil, ack, fmt.Errorf("fakeslack: BlockSuggestion: Slack would show no options: %s", strings.Join(msgs, "; "))
	}
	s.mu.Lock()
	if v.offered == nil {
		v.offered = map[string][]any{}
	}
	v.offered[key] = append(v.offered[key], list...)
	s.mu.Unlock()
	return opts, ack, nil
}

// suggestionPayload builds the block_suggestion payload, and returns the view
// and the key its element's offered options go under. Callers hold s.mu.
func (s *Server) suggestionPayload(sg Suggest) (map[string]any, *view, string, error) {
	u, err := s.activeUser(sg.User)
	if err != nil {
		return nil, nil, "", err
	}
	v := s.st.views[sg.ViewID]
	switch {
	case v == nil || v.user != u.ID:
		return nil, nil, "", fmt.Errorf("view %q is not %s's", sg.ViewID, u.ID)
	case !v.open:
		return nil, nil, "", fmt.Errorf("view %q is closed", sg.ViewID)
	}
	elem, blockID, err := findElement(v.blocks, sg.BlockID, sg.ActionID)
	if err != nil {
		return nil, nil, "", err
	}
	if t, _ := elem["type"].(string); t != "external_select" && t != "multi_external_select" {
		return nil, nil, "", fmt.Errorf("element %s is a %s, not an external select", sg.ActionID, t)
	}
	minLen := defaultMinQueryLength
	if n, ok := elem["min_query_length"].(float64); ok {
		minLen = int(n)
	}
	if utf8.RuneCountInString(sg.Value) < minLen {
		return nil, nil, "", fmt.Errorf("%q is shorter than min_query_length %d: Slack does not ask yet", sg.Value, minLen)
	}
	p := s.interactionBase("block_suggestion", u)
	p["container"] = map[string]any{"type": "view", "view_id": v.id}
	p["action_id"] = sg.ActionID
	p["block_id"] = blockID
	p["value"] = sg.Value
	p["view"] = s.viewJSON(v)
	return p, v, blockID + "\x00" + sg.ActionID, nil
}

// readOptions reads an options answer: {"options":[…]} or
// {"option_groups":[…]}, checked against Block Kit's limits. It returns the
// options, as Option and as sent, and the problems Slack would refuse them for.
func readOptions(payload json.RawMessage) ([]Option, []any, []string) {
	var m map[string]any
	if len(payload) == 0 || json.Unmarshal(payload, &m) != nil || m == nil {
		return nil, nil, []string{"[ERROR] the answer is not a JSON object with options or option_groups [json-pointer:/]"}
	}
	c := &checker{}
	var list []any
	switch {
	case m["option_groups"] != nil:
		list = c.optionGroups(m["option_groups"], "/option_groups")
	case m["options"] != nil:
		list = c.options(m["options"], "/options", 0, maxSelectOptions, true)
	default:
		c.errf("/options", "missing required field: options")
	}
	if len(c.msgs) > 0 {
		return nil, nil, c.msgs
	}
	out := make([]Option, 0, len(list))
	for _, o := range list {
		om, _ := o.(map[string]any)
		t, _ := om["text"].(map[string]any)
		text, _ := t["text"].(string)
		value, _ := om["value"].(string)
		out = append(out, Option{Text: text, Value: value})
	}
	return out, list, nil
}

// RequestURLs are an app's addresses in HTTP mode, as its manifest gives
// them: the slash commands' url, interactivity.request_url and
// interactivity.message_menu_options_url, and the signing secret Slack
// signs every request with (v0). What has no URL goes over Socket Mode.
type RequestURLs struct {
	Commands, Interactivity, Options string
	SigningSecret                    string
}

// SetRequestURLs sets Options.HTTP, for an app whose address is known only
// once it listens.
func (s *Server) SetRequestURLs(u RequestURLs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.HTTP = u
}

// httpTarget returns where an envelope of typ goes in HTTP mode, and the
// secret to sign it with; "" when it goes over Socket Mode.
func (s *Server) httpTarget(typ string) (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.opts.HTTP
	switch typ {
	case "slash_commands":
		return u.Commands, u.SigningSecret
	case "interactive":
		return u.Interactivity, u.SigningSecret
	case "block_suggestion":
		return u.Options, u.SigningSecret
	}
	return "", ""
}

// post delivers env's payload to target as Slack does in HTTP mode: a slash
// command as form fields, an interaction as the form field "payload",
// signed with secret and answered within AckTimeout. The response body is
// the ack's payload; anything but 200 is ErrNoAck.
func (s *Server) post(ctx context.Context, env *envelope, target, secret string) (*Ack, error) {
	var w wireEnvelope
	_ = json.Unmarshal(env.raw, &w)
	form := url.Values{}
	if env.typ == "slash_commands" {
		var fields map[string]any
		_ = json.Unmarshal(w.Payload, &fields)
		for k, v := range fields {
			form.Set(k, fmt.Sprint(v))
		}
	} else {
		form.Set("payload", string(w.Payload))
	}
	body := form.Encode()
	ctx, cancel := context.WithTimeout(ctx, s.opts.AckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("fakeslack: request to %s: %w", target, err)
	}
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + stamp + ":" + body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if errors.Is(err, context.DeadlineExceeded) {
		return &Ack{EnvelopeID: env.id}, fmt.Errorf("%w: %s did not answer within %v", ErrNoAck, target, s.opts.AckTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("fakeslack: request to %s: %w", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("fakeslack: answer from %s: %w", target, err)
	}
	a := Ack{EnvelopeID: env.id, Payload: bytes.TrimSpace(b), Latency: time.Since(start)}
	if len(a.Payload) == 0 {
		a.Payload = nil
	}
	s.mu.Lock()
	env.acks = append(env.acks, a)
	s.mu.Unlock()
	if resp.StatusCode != http.StatusOK {
		return &a, fmt.Errorf("%w: %s answered HTTP %d", ErrNoAck, target, resp.StatusCode)
	}
	s.logf("%s answered by %s after %v", env.typ, target, a.Latency.Round(time.Microsecond))
	return &a, nil
}

// ExternalValue is the state of a multi_external_select (or, with one
// option, an external_select) choosing options the app offered.
func ExternalValue(opts ...Option) map[string]any {
	list := []any{}
	for _, o := range opts {
		list = append(list, map[string]any{"text": map[string]any{"type": "plain_text", "text": o.Text, "emoji": true}, "value": o.Value})
	}
	return map[string]any{"type": "multi_external_select", "selected_options": list}
}

// checkPicked refuses a submitted external select state that picks an option
// the app never offered in this modal and that is not an initial option, as
// no person could pick it. Callers hold s.mu.
func (v *view) checkPicked(bid, aid string, elem, st map[string]any) error {
	var picked []any
	switch o := st["selected_options"].(type) {
	case []any:
		picked = o
	}
	if o, ok := st["selected_option"].(map[string]any); ok {
		picked = append(picked, o)
	}
	known := append([]any(nil), v.offered[bid+"\x00"+aid]...)
	if l, ok := elem["initial_options"].([]any); ok {
		known = append(known, l...)
	}
	if o, ok := elem["initial_option"]; ok {
		known = append(known, o)
	}
	for _, p := range picked {
		pm, _ := p.(map[string]any)
		found := false
		for _, k := range known {
			km, _ := k.(map[string]any)
			if km != nil && pm != nil && km["value"] == pm["value"] {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("option %v was never offered in %s/%s", pm["value"], bid, aid)
		}
	}
	return nil
}
