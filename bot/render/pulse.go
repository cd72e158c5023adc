package render

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// maxPulseButtons is the most choices shown as buttons; a longer list is
// answered in a form.
const maxPulseButtons = 5

// PulseButton is what an answer button carries: the pulse, the person's
// ticket (answer token and key shares) and the choice. It lives only in
// Slack.
type PulseButton struct {
	Pulse  int64    `json:"p"`
	Token  string   `json:"t"`
	Shares []string `json:"s,omitempty"`
	Choice int      `json:"c,omitempty"`
}

func (v PulseButton) encode() string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Ticket is the answer ticket the button carries.
func (v PulseButton) Ticket() rituals.PulseTicket {
	return rituals.PulseTicket{Token: v.Token, Shares: v.Shares}
}

// DecodePulseButton reads an answer button's value. Returns EINVALID if
// s is not one.
func DecodePulseButton(s string) (PulseButton, error) {
	var v PulseButton
	if err := json.Unmarshal([]byte(s), &v); err != nil || v.Pulse <= 0 || v.Token == "" {
		return v, rituals.Errorf(rituals.EINVALID, "That button is not a pulse answer alignbot recognises.")
	}
	return v, nil
}

// PulsePrompt renders the DM that asks a person to answer p, with their
// ticket in its buttons; answer is their recorded answer, if any.
func PulsePrompt(p *rituals.Pulse, t rituals.PulseTicket, answer string) []slack.Block {
	from := fmt.Sprintf(":bar_chart: *Pulse %s* from <@%s>", p.ID(), p.CreatedBy)
	blocks := []slack.Block{Section(from + "\n*" + Mrkdwn(p.Question) + "*")}
	choices := p.Choices()
	chosen := -1
	for i, c := range choices {
		if answer != "" && c == answer {
			chosen = i
		}
	}
	if p.Kind != rituals.PulseText && len(choices) <= maxPulseButtons {
		var buttons []slack.BlockElement
		for i := range choices {
			b := button(ActionPulseAnswer+strconv.Itoa(i), PulseButton{Pulse: p.Number, Token: t.Token, Shares: t.Shares, Choice: i}.encode(), p.ChoiceLabel(i))
			if i == chosen {
				b.Style = slack.StylePrimary
			}
			buttons = append(buttons, b)
		}
		blocks = append(blocks, slack.NewActionBlock("pulse.answers", buttons...))
	} else {
		label := "Answer"
		if answer != "" {
			label = "Change your answer"
		}
		if p.Kind == rituals.PulseChoice && answer == "" {
			label = "Choose…"
		}
		blocks = append(blocks, slack.NewActionBlock("pulse.answers",
			button(ActionPulseAnswerForm, PulseButton{Pulse: p.Number, Token: t.Token, Shares: t.Shares}.encode(), label)))
	}
	if answer != "" {
		shown := " *" + Mrkdwn(answer) + "*"
		if chosen >= 0 {
			shown = " *" + Mrkdwn(p.ChoiceLabel(chosen)) + "*"
		} else if p.Kind == rituals.PulseText {
			shown = "\n" + quote(Clip(answer, 2500))
		}
		blocks = append(blocks, sections("", ":white_check_mark: Your answer:"+shown+"\nYou can change it until the pulse closes.")...)
	}
	return append(blocks, ContextLine(pulsePromise(p)+" Closes "+slackDate(p.ClosesAt)+". Results go to <#"+p.Channel+">."))
}

// pulsePromise says what happens to a person's answer.
func pulsePromise(p *rituals.Pulse) string {
	if p.Anonymous {
		return fmt.Sprintf(":lock: Anonymous: alignbot never stores who gave which answer, and results are shown only for groups of %d or more.", p.Threshold)
	}
	return ":eye: Not anonymous: your name is kept with your answer."
}

// PulsePromptFallback is the pulse DM's plain text.
func PulsePromptFallback(p *rituals.Pulse) string {
	return Clip(fmt.Sprintf("Pulse %s: %s", p.ID(), Mrkdwn(p.Question)), MaxMessageText)
}

// slackDate renders t in each reader's own time zone.
func slackDate(t time.Time) string {
	return fmt.Sprintf("<!date^%d^{date_short_pretty} at {time}|%s>", t.Unix(), t.UTC().Format("Jan 2 15:04 UTC"))
}

// PulseReminder renders the one reminder to someone who has not answered.
func PulseReminder(p *rituals.Pulse, link string) []slack.Block {
	return []slack.Block{Section(fmt.Sprintf(":bell: Pulse *%s* closes %s and your answer is not in yet: <%s|answer it here>, it takes a few seconds.\n>%s",
		p.ID(), slackDate(p.ClosesAt), link, Mrkdwn(Clip(p.Question, 300))))}
}

// PulseLine is one pulse in a list: ID, state, counts, question.
func PulseLine(p *rituals.Pulse) string {
	var state string
	switch p.Status {
	case rituals.PulseOpen:
		state = fmt.Sprintf("open until %s · %d of %d answered", slackDate(p.ClosesAt), p.Answered, p.Asked)
	case rituals.PulseClosed:
		state = fmt.Sprintf("closed %s · %d of %d answered", p.ClosedAt.UTC().Format("2006-01-02"), p.Answered, p.Asked)
	case rituals.PulseCanceled:
		state = "not sent"
	default:
		state = "being sent"
	}
	if p.Repeat != rituals.RepeatNone {
		state += " · repeats " + repeatWords[p.Repeat]
	}
	return fmt.Sprintf("*%s* · %s · %s", p.ID(), state, Mrkdwn(Clip(p.Question, 120)))
}

var repeatWords = map[rituals.PulseRepeat]string{
	rituals.RepeatWeekly: "weekly", rituals.RepeatBiweekly: "every 2 weeks", rituals.RepeatMonthly: "monthly",
}

// PulseList renders the channel's pulses.
func PulseList(ps []*rituals.Pulse) []slack.Block {
	if len(ps) == 0 {
		return []slack.Block{Section("No pulses have been sent from this channel yet. Send one with `/pulse`, or pick a ready one with `/pulse templates`.")}
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = PulseLine(p)
	}
	blocks := append([]slack.Block{Section(fmt.Sprintf("*The last %s sent from this channel*", CountNoun(len(ps), "pulse")))}, linesSections(lines)...)
	return append(blocks, ContextLine("See one's results with `/pulse results "+ps[0].ID()+"`."))
}

// PulseTemplates offers the playbook's questions, each with a button
// that opens the form filled with it.
func PulseTemplates() []slack.Block {
	blocks := []slack.Block{Section("*Ready-to-send pulses from the alignment playbook.* Pick one to open the form with it filled in; change anything before you send it.")}
	for i, in := range rituals.PulseTemplates {
		text := "*" + Mrkdwn(in.Question) + "*\n_" + kindWords(in) + "_"
		blocks = append(blocks, slack.NewSectionBlock(MD(text), nil,
			slack.NewAccessory(button(ActionPulseTemplate, strconv.Itoa(i), "Use this"))))
	}
	return blocks
}

// kindWords describes how a pulse is answered.
func kindWords(in rituals.PulseInput) string {
	switch in.Kind {
	case rituals.PulseScale:
		if labels := strings.Split(in.ScaleLabels, "\n"); len(labels) == 2 {
			return fmt.Sprintf("Scale 1–5, from “%s” to “%s”", labels[0], labels[1])
		}
		return "Scale 1–5"
	case rituals.PulseYesNo:
		return "Yes or no"
	case rituals.PulseChoice:
		return "One of: " + strings.Join(strings.Split(in.Choices, "\n"), " · ")
	}
	return "Free text"
}

const pulseUsage = "*`/pulse` — short surveys by DM, anonymous by default*\n" +
	"• `/pulse` opens the form: question, how people answer (scale 1–5, yes/no, a choice list, free text), who to ask, " +
	"anonymity and its threshold, how long it stays open and whether it repeats. `/pulse <question>` fills in the question.\n" +
	"• `/pulse @group` asks a user group; `/pulse @ann @bob` asks those people.\n" +
	"• `/pulse templates` offers the playbook's questions, ready to send.\n" +
	"• `/pulse list [N]` shows this channel's last pulses; `/pulse show <ID>` shows one, only to you: while it is open who sent it and how many answered, once closed its results (`/pulse results <ID>` too).\n" +
	"• `/pulse close <ID>` ends a pulse early and posts its results; `/pulse stop <ID>` ends its repeats.\n" +
	"• `/pulse roles @ann @bob = engineering @cy = product …` groups this channel's answers by role, so results show where roles disagree; " +
	"give roles to people, to user groups (`@eng = engineering`), or both (someone named counts under their own role); " +
	"`/pulse roles` shows them and `/pulse roles clear` removes them.\n" +
	"• `/pulse help` shows this.\n" +
	"Everyone asked gets a DM with buttons and can change their answer until it closes; one reminder goes 1d before it closes. " +
	"Anonymous pulses never store who answered what, and show no group's results below its threshold (at least 3, fixed once sent); " +
	"the sender's own answer does not count towards it."

// PulseHelp renders `/pulse help`.
func PulseHelp() []slack.Block { return []slack.Block{Section(pulseUsage)} }

// AudienceWords names who a pulse asks, for its creator.
func AudienceWords(p *rituals.Pulse) string {
	switch p.Audience {
	case rituals.AudienceGroup:
		return "the members of <!subteam^" + p.AudienceRef[0] + ">"
	case rituals.AudiencePeople:
		if len(p.AudienceRef) == 1 {
			return "the person you chose"
		}
		return fmt.Sprintf("the %d people you chose", len(p.AudienceRef))
	}
	return "this channel's members"
}

// PulseRoles renders how a channel's pulse answers are grouped by role:
// each role with the people and user groups given it, or how to set
// them.
func PulseRoles(roles []rituals.PulseRole) string {
	if len(roles) == 0 {
		return "This channel's pulse answers are not grouped by role. " + PulseRolesUsage
	}
	var order []string
	who := map[string][]string{}
	for _, r := range roles {
		if who[r.Role] == nil {
			order = append(order, r.Role)
		}
		if r.User != "" {
			who[r.Role] = append(who[r.Role], "<@"+r.User+">")
		} else {
			who[r.Role] = append(who[r.Role], "<!subteam^"+r.Group+">")
		}
	}
	parts := make([]string, len(order))
	for i, role := range order {
		parts[i] = fmt.Sprintf("%s = *%s*", strings.Join(who[role], " "), Mrkdwn(role))
	}
	return "Pulse answers in this channel are grouped by role: " + strings.Join(parts, ", ") +
		". Someone named counts under their own role; someone in several groups, under the first."
}

// PulseRolesUsage is how to write `/pulse roles`, for its reply and its
// refusals.
const PulseRolesUsage = "Write `/pulse roles @people-or-group = role …`, e.g. `/pulse roles @ann @bob = engineering @cy = product`, " +
	"or with user groups, `/pulse roles @eng = engineering @pm = product`."
