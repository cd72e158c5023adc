package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// Slack is alignbot's one client of Slack's Web API, paced: the handlers'
// calls, the directory's lookups and the sender's posts all wait for their
// method's rate limit in the same limiter, shared with the other replicas
// when SharedLimits is set. Build it first, and hand it to NewDirectory,
// New and the sender.
type Slack struct {
	api     *slack.Client
	limiter *limiter
}

// NewSlack returns the client for cfg's tokens, paced to cfg.Limits
// (DefaultLimits when zero).
func NewSlack(cfg Config, log *slog.Logger) *Slack {
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	l := newLimiter(cfg.Limits)
	l.shared, l.log = cfg.SharedLimits, log.With("component", "limits")
	return &Slack{api: NewAPI(cfg), limiter: l}
}

// NewAPI returns a Web API client for cfg, unpaced: Slack's own calls
// (Socket Mode's connection) and tests' use it.
func NewAPI(cfg Config) *slack.Client {
	return slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken))
}

// Directory is what alignbot knows of Slack's people and channels, cached
// and shared with other replicas through the store: it implements the
// domain's directory ports (rituals.People, rituals.ChannelMembers and
// rituals.Memberships). Built before the services that use it, so nothing
// is patched after construction.
type Directory struct {
	dir     *directory
	members *memberSets
}

// NewDirectory returns the directory, asking Slack through s.
func NewDirectory(s *Slack, store rituals.ChannelStore, now func() time.Time) *Directory {
	return &Directory{dir: newDirectory(s.api, store, s.limiter, now), members: newMemberSets(s.api, s.limiter, now)}
}

var (
	_ rituals.People         = (*Directory)(nil)
	_ rituals.ChannelMembers = (*Directory)(nil)
	_ rituals.Memberships    = (*Directory)(nil)
)

// Members returns the people of a channel, for the check-ins. It
// implements rituals.People.
func (d *Directory) Members(ctx context.Context, team, channel string) ([]string, error) {
	return d.dir.members(ctx, team, channel)
}

// Person returns a person's display name and time zone. It implements
// rituals.People.
func (d *Directory) Person(ctx context.Context, team, user string) (string, *time.Location, error) {
	u, err := d.dir.user(ctx, team, user)
	if err != nil {
		return "", nil, err
	}
	return u.Name, u.Location, nil
}

// IsMember reports whether user is in channel, paging through its
// members. It implements rituals.ChannelMembers: the people of a channel
// named on a blocker may act on it. A channel the bot cannot see has no
// members it knows of.
func (d *Directory) IsMember(ctx context.Context, team, channel, user string) (bool, error) {
	// Asked afresh, not from App Home's cache: this decides who may act.
	ids, _, err := d.members.fetch(ctx, team, channel)
	return ids[user], err
}

// MemberOf reports which of channels user is in. It implements
// rituals.Memberships, from the cached member lists.
func (d *Directory) MemberOf(ctx context.Context, team, user string, channels []string) (map[string]bool, error) {
	out := make(map[string]bool, len(channels))
	for _, ch := range channels {
		ids, _, err := d.members.members(ctx, team, ch)
		if err != nil {
			return nil, err
		}
		out[ch] = ids[user]
	}
	return out, nil
}
