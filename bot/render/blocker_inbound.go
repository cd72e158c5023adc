package render

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// WaitingOnTeam renders, under /blocker list, the open blockers other
// channels raised that viewer (the channel) must act on: where each was
// raised, its age and its SLA state. One from a private channel shows
// only its ID and "a private channel". Nothing when there are none.
func WaitingOnTeam(bs []*rituals.Blocker, viewer string, now time.Time) []slack.Block {
	if len(bs) == 0 {
		return nil
	}
	lines := make([]string, len(bs))
	for i, b := range bs {
		lines[i] = InboundLine(b, viewer, now)
	}
	blocks := []slack.Block{Section(fmt.Sprintf("*Waiting on this team: %s other channels need from you, oldest first*", CountNoun(len(bs), "blocker")))}
	return append(blocks, linesSections(lines)...)
}

// InboundLine is one blocker another channel needs from viewer: its ID,
// where it was raised, its age, its SLA state and, when viewer may see
// it, its text.
func InboundLine(b *rituals.Blocker, viewer string, now time.Time) string {
	if !b.VisibleIn(viewer) || b.Hidden() {
		return fmt.Sprintf("*%s* · from a private channel · open %s · %s", b.ID(), rituals.FormatAge(b.Age(now)), SLAState(b, now))
	}
	return fmt.Sprintf("*%s* · from <#%s> · open %s · %s · %s", b.ID(), b.Channel, rituals.FormatAge(b.Age(now)), SLAState(b, now),
		Mrkdwn(Clip(oneLine(b.Text), 120)))
}

// SLAState says where an open blocker stands against its channel's SLA:
// within it (with the time left), past it, or escalated and how far.
func SLAState(b *rituals.Blocker, now time.Time) string {
	sla := rituals.Duration(b.SLA)
	switch {
	case b.Level() == rituals.LevelTarget && b.ClimbedTo != "":
		return fmt.Sprintf(":rotating_light: past twice its %s SLA, escalated to %s", sla, climbedTo(b.ClimbedTo))
	case b.Level() == rituals.LevelTarget:
		return fmt.Sprintf(":rotating_light: past twice its %s SLA, escalated further", sla)
	case b.Level() == rituals.LevelParties:
		return fmt.Sprintf(":rotating_light: past its %s SLA, escalated", sla)
	case b.SLA <= 0:
		return "open"
	case b.PastSLA(now):
		return fmt.Sprintf(":warning: past its %s SLA", sla)
	}
	return fmt.Sprintf("within its %s SLA (%s left)", sla, rituals.FormatAge(b.SLA-b.Age(now)))
}

// climbedTo names where a blocker climbed to: a person or a channel.
func climbedTo(id string) string {
	if IsUser(id) {
		return "<@" + id + ">"
	}
	return "<#" + id + ">"
}
