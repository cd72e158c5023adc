package delivery

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/bot/slackapi"
	"github.com/alignbot/alignbot/rituals"
)

// bulkUsers is the channel size from which one users.list call per 200
// people beats one users.info call per person.
const bulkUsers = 50

// sendPulseLaunch works out a pending pulse's audience from Slack and
// launches it. A refusal from Slack that retrying cannot fix (a channel
// the bot cannot read, a user group that does not exist) cancels the
// pulse and tells its creator; anything else is retried.
func (dl *Deliverer) sendPulseLaunch(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	p, err := dl.store.Pulse(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	if p.Status != rituals.PulsePending {
		return "", "", nil
	}
	members, err := dl.pulseAudience(ctx, p)
	if reason := permanentReason(err); reason != "" {
		dl.log.Warn("pulse audience unreadable; pulse canceled", "team", p.Team, "pulse", p.ID(), "err", err)
		return "", "", rituals.Done(dl.Pulses.Cancel(ctx, p.Team, p.Number, "alignbot could not work out who to ask ("+reason+")"))
	}
	if err != nil {
		return "", "", fmt.Errorf("audience of %s: %w", p.ID(), err)
	}
	_, err = dl.Pulses.Launch(ctx, p.Team, p.Number, members)
	return "", "", rituals.Done(err)
}

// permanentReason returns, for an error no retry can fix, a short reason
// to tell a person; "" for nil or a passing failure.
func permanentReason(err error) string {
	var se slack.SlackErrorResponse
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se) && !retryableSlackErrors[se.Err]:
		return "Slack said " + se.Err
	case rituals.ErrorCode(err) != rituals.EINTERNAL:
		return rituals.ErrorMessage(err)
	}
	return ""
}

// pulseAudience returns the people p asks, bots and deactivated users
// left out, each with their role in p's channel: the first of the
// channel's role groups that holds them. Free-text pulses show no roles,
// so their groups are not looked up.
func (dl *Deliverer) pulseAudience(ctx context.Context, p *rituals.Pulse) ([]rituals.PulseMember, error) {
	var users []string
	var err error
	switch p.Audience {
	case rituals.AudienceChannel:
		if err = dl.warmUsers(ctx, p.Team, p.Channel); err == nil {
			users, err = dl.dir.Members(ctx, p.Team, p.Channel)
		}
	case rituals.AudienceGroup:
		users, err = dl.dir.GroupMembers(ctx, p.Team, p.AudienceRef[0])
	case rituals.AudiencePeople:
		users, err = dl.dir.Humans(ctx, p.Team, p.AudienceRef)
	default:
		err = rituals.Errorf(rituals.EINVALID, "its audience %q is unknown", p.Audience)
	}
	if err != nil {
		return nil, err
	}
	roleOf := map[string]string{}
	if p.Kind != rituals.PulseText {
		roles, err := dl.Pulses.Roles(ctx, p.Team, p.Channel)
		if err != nil {
			return nil, err
		}
		for _, role := range roles { // people named count under their own role, whatever their groups
			if role.User != "" {
				roleOf[role.User] = role.Role
			}
		}
		for _, role := range roles {
			if role.User != "" {
				continue
			}
			ms, err := dl.dir.GroupMembers(ctx, p.Team, role.Group)
			if rituals.ErrorCode(err) == rituals.EINVALID {
				dl.log.Warn("pulse role's user group is gone; role skipped", "team", p.Team, "pulse", p.ID(), "group", role.Group)
				continue
			}
			if err != nil {
				return nil, err
			}
			for _, u := range ms {
				if _, ok := roleOf[u]; !ok {
					roleOf[u] = role.Role
				}
			}
		}
	}
	members := make([]rituals.PulseMember, len(users))
	for i, u := range users {
		members[i] = rituals.PulseMember{User: u, Role: roleOf[u]}
	}
	return members, nil
}

// warmUsers fills the directory's cache from users.list when channel is
// large, so telling people from bots takes a call per 200 people instead
// of one each. It writes the directory's cache under its own key format.
// users.list is Tier 2: a workspace of more than 4,000 people takes more
// pages than a minute allows, and more than one attempt at the launch.
// Each attempt carries on from the page where the last one stopped;
// starting over read the first pages again each time, and never the
// rest (BENCHMARKS.md).
func (dl *Deliverer) warmUsers(ctx context.Context, team, channel string) error {
	var size int
	err := dl.slack.Call(ctx, team, "conversations.info", "", func(api *slack.Client) error {
		ch, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel, IncludeNumMembers: true})
		if err == nil {
			size = ch.NumMembers
		}
		return err
	})
	if err != nil || size < bulkUsers {
		return err
	}
	cursor := dl.userPages.resume(team, dl.now())
	for first := true; first || cursor != ""; first = false {
		err := dl.slack.Call(ctx, team, "users.list", "", func(api *slack.Client) error {
			page := api.GetUsersPaginated(slack.GetUsersOptionLimit(200))
			page.Cursor = cursor
			page, err := page.Next(ctx)
			if err == nil {
				dl.dir.Remember(team, page.Users)
				cursor = page.Cursor
			}
			return err
		})
		if err != nil {
			dl.userPages.stopped(team, cursor)
			return err
		}
	}
	dl.userPages.stopped(team, "")
	return nil
}

// userPages remembers, per workspace, the users.list page where the last
// listing stopped unfinished. Its zero value is ready to use.
type userPages struct {
	mu    sync.Mutex
	where map[string]userPage
}

type userPage struct {
	cursor  string
	started time.Time // when the listing read its first page
}

// resume returns the cursor to carry on from, or "" to start over: when
// the last listing finished, or began so long ago that the directory's
// cache no longer holds its first pages.
func (p *userPages) resume(team string, now time.Time) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	at, ok := p.where[team]
	if !ok || now.Sub(at.started) >= slackapi.CacheTTL {
		at = userPage{started: now}
	}
	if p.where == nil {
		p.where = map[string]userPage{}
	}
	p.where[team] = at
	return at.cursor
}

// stopped records where team's listing stopped: cursor, or "" once it
// read the last page.
func (p *userPages) stopped(team, cursor string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cursor == "" {
		delete(p.where, team)
		return
	}
	at := p.where[team]
	at.cursor = cursor
	p.where[team] = at
}

// sendPulsePrompt posts the DM that asks a person to answer, with the
// ticket from the item's private data in its buttons; with a Target, it
// updates that DM to show the answer the data carries.
func (dl *Deliverer) sendPulsePrompt(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	p, err := dl.store.Pulse(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	var data rituals.PulsePromptData
	if len(it.Data) > 0 {
		if err := json.Unmarshal(it.Data, &data); err != nil {
			return "", "", errPermanent{"pulse prompt data unreadable: " + err.Error()}
		}
	}
	if it.Target == "" {
		if data.Token == "" {
			// Its ticket was erased: the person answered from an earlier
			// attempt, or the item was queued before tickets were dealt.
			// A fresh token still takes an answer; without shares, it
			// only counts once enough others answered.
			if data.Token, err = newAnswerToken(); err != nil {
				return "", "", err
			}
		}
		return dl.post(ctx, it, "", render.PulsePromptFallback(p), render.PulsePrompt(p, data.PulseTicket, ""))
	}
	// The update has a lane of its own, so a quick click may reach it
	// before the DM's send is recorded: wait for that, do not give up.
	if _, _, err := dl.store.SlackMessage(ctx, it.Team, it.Target); rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return "", "", errNotYet{"the DM " + string(it.Target) + " is not recorded as sent yet"}
	}
	answer := data.Value
	if answer == "" {
		// Queued before updates carried the answer.
		answer, err = dl.Pulses.MyAnswer(ctx, it.Team, p.Number, it.User, data.Token)
		if err != nil && rituals.ErrorCode(err) != rituals.ENOTFOUND {
			return "", "", err
		}
	}
	return dl.update(ctx, it, render.PulsePromptFallback(p), render.PulsePrompt(p, data.PulseTicket, answer))
}

// sendPulseReminder nudges one person who has not answered, with a link to
// their DM. Someone who answered since, or a pulse closed early, gets
// nothing, and the reminder ends expired: it does not count toward their
// weekly cap.
func (dl *Deliverer) sendPulseReminder(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	p, err := dl.store.Pulse(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	answered := false
	err = dl.store.InPulseAnswerTx(ctx, func(tx rituals.PulseAnswerTx) error {
		m, err := tx.PulseMember(ctx, it.Team, p.Number, it.User)
		if err == nil {
			answered = m.Answered
		}
		return err
	})
	if err != nil {
		return "", "", err
	}
	if answered || p.Status != rituals.PulseOpen {
		return "", "", errSettled{"answered, or the pulse closed, before the reminder went"}
	}
	link, err := dl.permalink(ctx, it.Team, p.PromptKey(it.User))
	if err != nil {
		return "", "", err
	}
	return dl.post(ctx, it, "", "Reminder: "+render.PulsePromptFallback(p), render.PulseReminder(p, link))
}

// sendPulseResults posts a closed pulse's results in its channel.
func (dl *Deliverer) sendPulseResults(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	r, err := dl.Pulses.Report(ctx, it.Team, it.Ref)
	if err != nil {
		return "", "", err
	}
	return dl.post(ctx, it, "", render.PulseResultsFallback(r), render.PulseResults(r))
}

// newAnswerToken returns a fresh random token for the buttons of a DM
// whose ticket is no longer in the outbox. It is never stored: only its
// hash keys the answer.
func newAnswerToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("answer token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
