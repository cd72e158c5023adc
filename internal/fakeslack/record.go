package fakeslack

import (
	"encoding/json"
	"maps"
	"time"
)

// Call is one recorded Web API call (or response_url post, as Method
// "response_url"). Params holds the arguments from the form, query string or JSON
// body with the token removed, and with JSON-string arguments such as blocks,
// metadata and view decoded into maps and slices. Status, OK and Error describe
// the answer; Status is 0 if the connection was dropped or the client gave up.
type Call struct {
	Method string
	Params map[string]any
	At     time.Time
	Status int
	OK     bool
	Error  string
}

// Message is a stored message as tests see it: current content after updates.
type Message struct {
	Channel, TS, ThreadTS string
	User, BotID           string // BotID is set on the bot's messages
	Text                  string
	Blocks                []map[string]any
	Metadata              map[string]any
	Edited                bool
	ReplyBroadcast        bool
	// ResponseType is "ephemeral" or "in_channel" for messages that came from a
	// response_url post or an inline slash-command ack, and "" otherwise.
	ResponseType string
	Subtype      string
	Reactions    map[string][]string // emoji name -> users
	FileIDs      []string
}

// View is a stored modal or Home tab as tests see it.
type View struct {
	ID, User, Type string
	CallbackID     string
	// PrivateMetadata, Hash and ExternalID are as the bot last set them.
	PrivateMetadata, Hash, ExternalID string
	Title                             string // the title's text
	Blocks                            []map[string]any
	// Open is false once the modal was closed (by a submission ack, a clear, or
	// CloseView). Home views are always open.
	Open bool
	// Errors is the last response_action "errors" map acked for this view, cleared
	// when the view is updated.
	Errors                     map[string]string
	RootViewID, PreviousViewID string
}

// Frame is a WebSocket frame the app sent that was not an ack of a known envelope.
type Frame struct {
	Conn int
	At   time.Time
	Data json.RawMessage
}

// Delivery is one sending of an envelope on a socket.
type Delivery struct {
	EnvelopeID   string
	Type         string // slash_commands, interactive or events_api
	EventID      string // events_api only
	RetryAttempt int
	Conn         int
	At           time.Time
	Acked        bool // the envelope has been acked, by this delivery or another
}

// record appends a call and returns its index for finish.
func (s *Server) record(method string, params map[string]any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.calls = append(s.st.calls, Call{Method: method, Params: params, At: time.Now()})
	return len(s.st.calls) - 1
}

// finish stores the answer of call idx.
func (s *Server) finish(idx int, res apiResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.st.calls[idx]
	c.Status = res.status
	c.OK, _ = res.body["ok"].(bool)
	c.Error, _ = res.body["error"].(string)
}

// Calls returns the recorded calls of method, or every call if method is "", in
// the order they arrived. The Params maps must be treated as read-only.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.st.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// StrayFrames returns the frames the app sent that were not acks of envelopes the
// fake had sent.
func (s *Server) StrayFrames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.st.frames...)
}

// Deliveries returns every envelope sending, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]Delivery(nil), s.st.deliveries...)
	for i := range out {
		if env := s.st.envelopes[out[i].EnvelopeID]; env != nil {
			out[i].Acked = len(env.acks) > 0
		}
	}
	return out
}

// Messages returns a channel's messages, thread replies included, oldest first,
// with their current content. Deleted messages are left out.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[channel]
	if ch == nil {
		return nil
	}
	out := make([]Message, 0, len(ch.msgs))
	for _, m := range ch.msgs {
		out = append(out, m.public(ch.id))
	}
	return out
}

// DMs returns the messages of the bot's DM with user, oldest first.
func (s *Server) DMs(user string) []Message {
	s.mu.Lock()
	id := ""
	for _, ch := range s.st.channels {
		if ch.im && ch.imUser == user {
			id = ch.id
		}
	}
	s.mu.Unlock()
	if id == "" {
		return nil
	}
	return s.Messages(id)
}

// Ephemerals returns what only user saw, in order: chat.postEphemeral messages to
// them, response_url posts with response_type ephemeral for their requests, and
// inline slash-command ack responses.
func (s *Server) Ephemerals(user string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.st.ephemerals[user] {
		out = append(out, m.public(m.channel))
	}
	return out
}

func (m *message) public(channel string) Message {
	out := Message{
		Channel: channel, TS: m.ts, ThreadTS: m.threadTS, User: m.user, BotID: m.botID,
		Text: m.text, Edited: m.edited, ReplyBroadcast: m.broadcast,
		ResponseType: m.responseType, Subtype: m.subtype,
	}
	for _, b := range m.blocks {
		if bm, ok := b.(map[string]any); ok {
			out.Blocks = append(out.Blocks, cloneJSON(bm).(map[string]any))
		}
	}
	if m.metadata != nil {
		out.Metadata = cloneJSON(m.metadata).(map[string]any)
	}
	if len(m.reactions) > 0 {
		out.Reactions = map[string][]string{}
		for _, r := range m.reactions {
			out.Reactions[r.name] = append([]string(nil), r.users...)
		}
	}
	for _, f := range m.files {
		if fm, ok := f.(map[string]any); ok {
			id, _ := fm["id"].(string)
			out.FileIDs = append(out.FileIDs, id)
		}
	}
	return out
}

// Views returns every modal opened for user, in the order they were created.
func (s *Server) Views(user string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, id := range s.st.viewOrder {
		if v := s.st.views[id]; v.user == user && v.typ != "home" {
			out = append(out, v.public())
		}
	}
	return out
}

// View returns the view with that ID, modal or home.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.st.views[id]
	if v == nil {
		return View{}, false
	}
	return v.public(), true
}

// TopView returns the modal user currently sees: the top of their view stack.
func (s *Server) TopView(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stack := s.st.stacks[user]
	if len(stack) == 0 {
		return View{}, false
	}
	return s.st.views[stack[len(stack)-1]].public(), true
}

// Home returns user's Home tab as last published with views.publish.
func (s *Server) Home(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.st.homes[user]
	if !ok {
		return View{}, false
	}
	return s.st.views[id].public(), true
}

// File returns the bytes uploaded for a file ID.
func (s *Server) File(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.st.files[id]
	if f == nil || !f.uploaded {
		return nil, false
	}
	return append([]byte(nil), f.data...), true
}

func (v *view) public() View {
	out := View{
		ID: v.id, User: v.user, Type: v.typ, CallbackID: v.callbackID,
		PrivateMetadata: v.privateMetadata, Hash: v.hash, ExternalID: v.externalID,
		Title: textOf(v.title), Open: v.open, Errors: maps.Clone(v.errors),
		RootViewID: v.rootID, PreviousViewID: v.previousID,
	}
	for _, b := range v.blocks {
		if bm, ok := b.(map[string]any); ok {
			out.Blocks = append(out.Blocks, cloneJSON(bm).(map[string]any))
		}
	}
	return out
}

// textOf returns the text of a text object, or "".
func textOf(v any) string {
	m, _ := v.(map[string]any)
	t, _ := m["text"].(string)
	return t
}
