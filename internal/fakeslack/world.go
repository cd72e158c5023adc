package fakeslack

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// User is a workspace member as a test declares it.
type User struct {
	ID, Name, RealName string
	TZ                 string // an IANA name; default "UTC"
	IsBot, Deleted     bool
	IsAdmin            bool
}

// Channel is a public (C…) or private (G… or C…) channel as a test declares it.
// Include the bot's user ID in Members to make the bot a member.
type Channel struct {
	ID, Name          string
	Private, Archived bool
	Members           []string
}

// channel is the stored form of a conversation: a channel, a DM or a group DM.
type channel struct {
	id, name          string
	private, archived bool
	im, mpim          bool
	imUser            string // the human side of a DM
	opened            bool   // conversations.open has returned this DM
	members           []string
	created           int64
	msgs              []*message // by ts, oldest first
}

// message is one stored message. Deleted messages are removed from channel.msgs.
type message struct {
	ts, threadTS    string
	user, botID     string
	text, subtype   string
	blocks          []any
	metadata        map[string]any
	files           []any
	attachments     []any
	edited          bool
	editedTS        string
	broadcast       bool
	reactions       []reaction
	ephemeral       bool   // only in state.ephemerals
	responseType    string // response_url and ack responses: "ephemeral" or "in_channel"
	channel         string // set on ephemerals
	responseURLUsed string // ephemerals: the response_url id that posted it
}

type reaction struct {
	name  string
	users []string
}

type userGroup struct {
	id, handle, name string
	disabled         bool
	created          int64
	members          []string
}

// UserGroup is a user group (S…) as a test declares it. Name defaults to the
// handle; a disabled group is listed only with include_disabled.
type UserGroup struct {
	ID, Handle, Name string
	Disabled         bool
	Members          []string
}

// state is everything the fake knows. All of it is guarded by Server.mu.
type state struct {
	users      map[string]*User
	userOrder  []string
	channels   map[string]*channel
	groups     map[string]*userGroup
	groupOrder []string
	ephemerals map[string][]*message // by user
	lastTS     int64                 // microseconds of the last minted ts
	seq        int

	views     map[string]*view
	viewOrder []string
	stacks    map[string][]string // user -> open modal view IDs, root first
	homes     map[string]string   // user -> home view ID
	triggers  map[string]*trigger
	responses map[string]*responseURL
	files     map[string]*file

	calls    []Call
	frames   []Frame
	refusals []Refusal

	faults    map[string][]Fault
	holds     map[string]chan struct{} // closed on release
	rates     map[string]*window
	chanRate  *bucketConfig
	buckets   map[string]*bucket
	postLimit *window

	tickets    map[string]time.Time
	conns      map[int]*conn
	connSeq    int
	rr         int
	connCh     chan struct{} // closed and replaced whenever the set of connections changes
	envelopes  map[string]*envelope
	deliveries []Delivery
}

func newState() state {
	return state{
		users:      map[string]*User{},
		channels:   map[string]*channel{},
		groups:     map[string]*userGroup{},
		ephemerals: map[string][]*message{},
		views:      map[string]*view{},
		stacks:     map[string][]string{},
		homes:      map[string]string{},
		triggers:   map[string]*trigger{},
		responses:  map[string]*responseURL{},
		files:      map[string]*file{},
		faults:     map[string][]Fault{},
		holds:      map[string]chan struct{}{},
		rates:      map[string]*window{},
		buckets:    map[string]*bucket{},
		tickets:    map[string]time.Time{},
		conns:      map[int]*conn{},
		connCh:     make(chan struct{}),
		envelopes:  map[string]*envelope{},
	}
}

// AddUser adds or replaces a workspace member.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.addUser(u)
}

func (st *state) addUser(u User) {
	if u.TZ == "" {
		u.TZ = "UTC"
	}
	if _, ok := st.users[u.ID]; !ok {
		st.userOrder = append(st.userOrder, u.ID)
	}
	st.users[u.ID] = &u
}

// AddChannel adds a channel, or replaces its settings and members while keeping
// its messages.
func (s *Server) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[c.ID]
	if ch == nil {
		ch = &channel{id: c.ID, created: time.Now().Unix()}
		s.st.channels[c.ID] = ch
	}
	ch.name, ch.private, ch.archived = c.Name, c.Private, c.Archived
	ch.members = dedupe(c.Members)
}

// AddUserGroup adds or replaces a user group (S…) with the given handle and members.
func (s *Server) AddUserGroup(id, handle string, members ...string) {
	s.AddGroup(UserGroup{ID: id, Handle: handle, Members: members})
}

// AddGroup adds or replaces a user group, keeping its place in
// usergroups.list.
func (s *Server) AddGroup(g UserGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.Name == "" {
		g.Name = g.Handle
	}
	old := s.st.groups[g.ID]
	if old == nil {
		s.st.groupOrder = append(s.st.groupOrder, g.ID)
		old = &userGroup{created: time.Now().Unix()}
	}
	s.st.groups[g.ID] = &userGroup{id: g.ID, handle: g.Handle, name: g.Name, disabled: g.Disabled,
		created: old.created, members: dedupe(g.Members)}
}

// SetMembers replaces a channel's members. It panics if the channel is unknown,
// which is a mistake in the test.
func (s *Server) SetMembers(channelID string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[channelID]
	if ch == nil {
		panic(fmt.Sprintf("fakeslack: SetMembers: unknown channel %q", channelID))
	}
	ch.members = dedupe(members)
}

// DMChannel returns the ID of the bot's DM with user, creating it if needed. It
// is the channel conversations.open returns for that user.
func (s *Server) DMChannel(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dm(user).id
}

// dm returns the bot's DM with user, creating it. Its ID is "D" plus the user
// ID without its first letter, so U0ANN's DM is D0ANN.
func (s *Server) dm(user string) *channel {
	for _, ch := range s.st.channels {
		if ch.im && ch.imUser == user {
			return ch
		}
	}
	id := "D" + user[min(1, len(user)):]
	for s.st.channels[id] != nil {
		s.st.seq++
		id = fmt.Sprintf("D%s%d", user[min(1, len(user)):], s.st.seq)
	}
	ch := &channel{id: id, im: true, imUser: user, private: true,
		members: []string{user, s.opts.BotUserID}, created: time.Now().Unix()}
	s.st.channels[id] = ch
	return ch
}

// mpim returns the bot's group DM with users, creating it.
func (s *Server) mpim(users []string) *channel {
	members := dedupe(append(slices.Clone(users), s.opts.BotUserID))
	slices.Sort(members)
	for _, ch := range s.st.channels {
		if ch.mpim && slices.Equal(ch.members, members) {
			return ch
		}
	}
	s.st.seq++
	id := fmt.Sprintf("G0MPIM%d", s.st.seq)
	ch := &channel{id: id, name: "mpdm-" + strings.Join(members, "--") + "-1", mpim: true,
		private: true, members: members, created: time.Now().Unix()}
	s.st.channels[id] = ch
	return ch
}

func (ch *channel) isMember(user string) bool { return slices.Contains(ch.members, user) }

// kind returns the channel_type used in message events.
func (ch *channel) kind() string {
	switch {
	case ch.im:
		return "im"
	case ch.mpim:
		return "mpim"
	case ch.private:
		return "group"
	}
	return "channel"
}

// find returns the live message with that ts, or nil.
func (ch *channel) find(ts string) *message {
	i, ok := slices.BinarySearchFunc(ch.msgs, ts, func(m *message, ts string) int { return strings.Compare(m.ts, ts) })
	if !ok {
		return nil
	}
	return ch.msgs[i]
}

// replies returns the replies to the thread rooted at root, oldest first.
func (ch *channel) replies(root string) []*message {
	var out []*message
	for _, m := range ch.msgs {
		if m.threadTS == root && m.ts != root {
			out = append(out, m)
		}
	}
	return out
}

func (ch *channel) remove(ts string) {
	ch.msgs = slices.DeleteFunc(ch.msgs, func(m *message) bool { return m.ts == ts })
}

// nextTS mints a message timestamp "seconds.micros" from the wall clock, strictly
// increasing across the whole server so that ordering by ts is ordering by time.
// Like Slack's, it ignores the clock of the app under test, which may be a fake:
// an app that asks for messages since a time must read that time off a real clock.
func (s *Server) nextTS() string {
	now := time.Now().UnixMicro()
	if now <= s.st.lastTS {
		now = s.st.lastTS + 1
	}
	s.st.lastTS = now
	return fmt.Sprintf("%d.%06d", now/1e6, now%1e6)
}

// nextID mints a sequential ID with the given prefix, e.g. "V0000007".
func (s *Server) nextID(prefix string) string {
	s.st.seq++
	return fmt.Sprintf("%s%07d", prefix, s.st.seq)
}

func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, v := range in {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
