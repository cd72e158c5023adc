package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// onBlockerTeam handles /blocker team and /blocker escalate-to: who this
// channel's team is, and where its blockers climb to.
func (b blockers) onBlockerTeam(ctx context.Context, r *request, cmd blockerCmd) {
	var (
		msg string
		err error
	)
	switch cmd.Op {
	case opBlockerShowTeam:
		msg, err = b.showTeam(ctx, r)
	case opBlockerClaim:
		msg, err = b.claimTeam(ctx, r, cmd.Parties)
	case opBlockerUnclaim:
		err = b.Blockers.Unclaim(ctx, b.caller(ctx, r), cmd.Parties)
		msg = fmt.Sprintf("Done: blockers that name %s no longer show here, unless they name this channel.", partyList(cmd.Parties))
	case opBlockerShowTarget:
		msg, err = b.showTarget(ctx, r)
	case opBlockerSetTarget:
		msg, err = b.setTarget(ctx, r, cmd.Parties[0])
	case opBlockerClearTarget:
		err = b.Blockers.SetEscalationTarget(ctx, b.caller(ctx, r), nil)
		msg = "Done: a blocker here past its SLA now goes to its reporter and the people it names, and no further."
	}
	if err = rituals.Done(err); err != nil {
		b.replyError(ctx, r, err)
		return
	}
	b.replyText(ctx, r, msg)
}

func (b blockers) showTeam(ctx context.Context, r *request) (string, error) {
	team, err := b.Blockers.Team(ctx, b.caller(ctx, r))
	if err != nil {
		return "", err
	}
	if len(team) == 0 {
		return "This channel has claimed no user group or people as its team. Blockers other channels raise that name this channel show here, under “Waiting on this team”. " +
			"To see those that name your user group too, claim it: `/blocker team @platform-team`.", nil
	}
	return fmt.Sprintf("This channel's team: %s. Blockers other channels raise that name them, or this channel, show here under “Waiting on this team”: in `/blocker list`, the check-in agenda and the digest. "+
		"Remove one with `/blocker team remove @group`.", partyList(team)), nil
}

// claimTeam checks that each named group exists and each person is one,
// then claims them all, or none.
func (b blockers) claimTeam(ctx context.Context, r *request, parties []rituals.Party) (string, error) {
	for i := range parties {
		p := &parties[i]
		switch p.Kind {
		case rituals.PartyGroup:
			if _, err := b.dir.GroupMembers(ctx, r.team, p.ID); err != nil {
				return "", err
			}
		case rituals.PartyUser:
			if err := b.checkPerson(ctx, r, p.ID); err != nil {
				return "", err
			}
		}
	}
	if err := b.Blockers.Claim(ctx, b.caller(ctx, r), parties); err != nil {
		return "", err
	}
	r.log.Info("blocker team claimed", "parties", len(parties))
	return fmt.Sprintf("Done: blockers other channels raise that name %s now show here, under “Waiting on this team”: in `/blocker list`, the check-in agenda and the digest.",
		partyList(parties)), nil
}

func (b blockers) showTarget(ctx context.Context, r *request) (string, error) {
	c := b.caller(ctx, r)
	sla, _, err := b.Blockers.SLA(ctx, c)
	if err != nil {
		return "", err
	}
	target, set, err := b.Blockers.EscalationTarget(ctx, c)
	if err != nil {
		return "", err
	}
	if !set {
		return fmt.Sprintf("This channel has no escalation target: a blocker here open for %s goes to its reporter and the people it names, and no further. "+
			"Send the ones open for twice that to a lead with `/blocker escalate-to @lead` or `/blocker escalate-to #eng-leads`.", rituals.Duration(sla)), nil
	}
	return fmt.Sprintf("A blocker here open for %s goes to its reporter and the people it names; open for %s, it goes to %s too. "+
		"Change it with `/blocker escalate-to @lead`, or stop it with `/blocker escalate-to none`.",
		rituals.Duration(sla), rituals.Duration(2*sla), render.PartyMention(target)), nil
}

// setTarget checks that the target is a person, or a channel the bot can
// post in other than this one, then sets it.
func (b blockers) setTarget(ctx context.Context, r *request, target rituals.Party) (string, error) {
	switch target.Kind {
	case rituals.PartyUser:
		if err := b.checkPerson(ctx, r, target.ID); err != nil {
			return "", err
		}
	case rituals.PartyChannel:
		if target.ID == r.channel {
			return "", rituals.Errorf(rituals.EINVALID, "That is this channel, where its blockers are already. Escalate to a lead or to another channel, e.g. `/blocker escalate-to #eng-leads`.")
		}
		if err := b.checkPostable(ctx, r, &target, "where you want blockers to escalate"); err != nil {
			return "", err
		}
	}
	c := b.caller(ctx, r)
	if err := b.Blockers.SetEscalationTarget(ctx, c, &target); err != nil {
		return "", err
	}
	sla, _, err := b.Blockers.SLA(ctx, c)
	if err != nil {
		return "", err
	}
	r.log.Info("blocker escalation target set", "target", target.ID)
	return fmt.Sprintf("Done: a blocker here still open after %s, twice this channel's SLA, now goes to %s too, once. So does a proposal here still undecided four days past its decide-by date.",
		rituals.Duration(2*sla), render.PartyMention(target)), nil
}

// partyList names parties in a reply only the caller sees.
func partyList(parties []rituals.Party) string {
	out := make([]string, len(parties))
	for i, p := range parties {
		out[i] = render.PartyMention(p)
	}
	return strings.Join(out, ", ")
}
