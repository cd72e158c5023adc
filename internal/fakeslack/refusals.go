package fakeslack

import "strings"

// payloadErrors are the answers Slack gives a payload it will not take as
// written: broken Block Kit, text too long, nothing to show. A bot that
// gets one has a bug that every real user would meet, so NewT fails the
// test that caused it (see Options.AllowRefusals).
var payloadErrors = map[string]bool{
	"invalid_blocks": true, "invalid_blocks_format": true, "invalid_arguments": true,
	"msg_too_long": true, "view_too_large": true, "no_text": true,
	"invalid_metadata_format": true, "markdown_text_conflict": true,
}

// Refusal is a payload Slack refused for its form: the method (or
// "response_url", or "slash_ack" for an inline slash-command answer), the
// error code and Slack's explanation.
type Refusal struct {
	Method   string
	Error    string
	Messages []string
}

func (r Refusal) String() string {
	s := r.Method + ": " + r.Error
	if len(r.Messages) > 0 {
		s += " " + strings.Join(r.Messages, "; ")
	}
	return s
}

// Refusals returns every payload refused for its form so far, in order.
func (s *Server) Refusals() []Refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Refusal(nil), s.st.refusals...)
}

// noteRefusal records res if it refuses a payload for its form, and tells
// Options.OnRefusal. Injected faults never come here. Callers must not
// hold s.mu.
func (s *Server) noteRefusal(method string, res apiResult) {
	code, _ := res.body["error"].(string)
	if ok, _ := res.body["ok"].(bool); ok || !payloadErrors[code] {
		return
	}
	r := Refusal{Method: method, Error: code}
	if md, ok := res.body["response_metadata"].(map[string]any); ok {
		switch msgs := md["messages"].(type) {
		case []string:
			r.Messages = msgs
		case []any:
			for _, m := range msgs {
				if s, ok := m.(string); ok {
					r.Messages = append(r.Messages, s)
				}
			}
		}
	}
	s.mu.Lock()
	s.st.refusals = append(s.st.refusals, r)
	s.mu.Unlock()
	s.logMu.RLock()
	defer s.logMu.RUnlock()
	if !s.isClosed && s.opts.OnRefusal != nil {
		s.opts.OnRefusal(r)
	}
}
