package bot

import (
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// alignbotCmd is what /alignbot's text asks for: the overview, or the
// channel's working days.
type alignbotCmd struct {
	// Workdays is true for `workdays`: shown alone, set with Days, back
	// to the default with Reset.
	Workdays bool
	Days     rituals.Workdays
	Reset    bool
}

// maxWorkdaysText bounds what `/alignbot workdays` reads: every weekday
// spelled out, with commas, is under 70 characters.
const maxWorkdaysText = 100

// workdaysUsage says how to write `/alignbot workdays`.
const workdaysUsage = "Write `/alignbot workdays` to see this channel's working days, `/alignbot workdays sun-thu` or `/alignbot workdays mon,tue,wed,thu` to set them, or `/alignbot workdays default` for Monday to Friday."

// parseAlignbot reads /alignbot's text: nothing or "help" shows the
// overview; "workdays [<weekdays>|default]" the channel's working days,
// read by the weekday parser of `/checkin every` ("sun-thu",
// "mon,tue,wed,thu", "weekdays"; spaces between the days are allowed).
// Anything else is refused, saying what it takes.
func parseAlignbot(text string) (alignbotCmd, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) == 1 && strings.EqualFold(fields[0], "help") {
		return alignbotCmd{}, nil
	}
	if !strings.EqualFold(fields[0], "workdays") {
		return alignbotCmd{}, rituals.Errorf(rituals.EINVALID, "`/alignbot` takes nothing, `help` or `workdays`, not `%s`. Run `/alignbot` for what alignbot does and what is set up here.",
			render.Mrkdwn(render.Clip(strings.TrimSpace(text), 40)))
	}
	cmd := alignbotCmd{Workdays: true}
	arg := strings.Join(fields[1:], "")
	switch {
	case arg == "":
		return cmd, nil
	case len(arg) > maxWorkdaysText:
		return alignbotCmd{}, rituals.Errorf(rituals.EINVALID, "That is too long for a list of working days. %s", workdaysUsage)
	case strings.EqualFold(arg, "default"):
		cmd.Reset = true
		return cmd, nil
	}
	days, err := parseWeekdays(arg, workdaysUsage)
	if err != nil {
		return alignbotCmd{}, err
	}
	if cmd.Days, err = rituals.NewWorkdays(days); err != nil {
		return alignbotCmd{}, rituals.Errorf(rituals.EINVALID, "Name at least one working day. %s", workdaysUsage)
	}
	return cmd, nil
}
