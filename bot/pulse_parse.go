package bot

import (
	"regexp"
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

type pulseOp int

const (
	pulseForm pulseOp = iota
	pulseHelp
	pulseTemplates
	pulseList
	pulseResults
	pulseClose
	pulseStop
	pulseRolesShow
	pulseRolesSet
	pulseThreshold
)

// pulseCmd is one parsed /pulse command.
type pulseCmd struct {
	Op pulseOp
	// pulseForm: what to fill the form with.
	Question    string
	Group       string // a user group ID (S…)
	GroupHandle string // its handle as typed, e.g. "@eng"
	People      []string
	ID          int64               // results, close, stop, threshold
	Threshold   string              // pulseThreshold
	Limit       int                 // pulseList
	Roles       []rituals.PulseRole // pulseRolesSet; none clears
}

var (
	subteamToken = regexp.MustCompile(`^<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>$`)
	aroundEquals = regexp.MustCompile(`\s*=\s*`)
)

// parsePulse reads the text after "/pulse", already unescaped. A first
// word naming a subcommand makes it that subcommand. Otherwise the text
// fills the form: leading mentions choose its audience (one user group,
// or people) and the rest is the question.
func parsePulse(text string) (pulseCmd, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return pulseCmd{Op: pulseForm}, nil
	}
	args := fields[1:]
	switch strings.ToLower(fields[0]) {
	case "help":
		return pulseCmd{Op: pulseHelp}, nil
	case "templates", "template":
		return pulseCmd{Op: pulseTemplates}, nil
	case "list":
		n, err := parseListLimit("pulse", strings.Join(args, " "), rituals.DefaultPulseList)
		return pulseCmd{Op: pulseList, Limit: n}, err
	case "results", "show", "close", "stop":
		verb := strings.ToLower(fields[0])
		op := map[string]pulseOp{"results": pulseResults, "show": pulseResults, "close": pulseClose, "stop": pulseStop}[verb]
		id, err := numberedID("pulse", verb, strings.Join(args, " "), "P", "P-3")
		return pulseCmd{Op: op, ID: id}, err
	case "threshold":
		if len(args) != 2 {
			return pulseCmd{}, rituals.Errorf(rituals.EINVALID, "`/pulse threshold` takes a pulse ID and a number, e.g. `/pulse threshold P-3 6`.")
		}
		id, err := rituals.ParseID("P", args[0])
		return pulseCmd{Op: pulseThreshold, ID: id, Threshold: args[1]}, err
	case "roles":
		return parseRoles(strings.TrimSpace(text[strings.Index(strings.ToLower(text), "roles")+len("roles"):]))
	}
	return parsePulseForm(fields)
}

// parseRoles reads "@ann @bob = role @group = role …" (people and user
// groups alike, several to a role, as /decide rights takes them),
// "clear", or nothing (show them).
func parseRoles(text string) (pulseCmd, error) {
	switch strings.ToLower(text) {
	case "":
		return pulseCmd{Op: pulseRolesShow}, nil
	case "clear", "none", "off":
		return pulseCmd{Op: pulseRolesSet}, nil
	}
	cmd := pulseCmd{Op: pulseRolesSet}
	var who, named []string // IDs named, and how, waiting for their role
	for _, word := range partyWords(aroundEquals.ReplaceAllString(text, "=")) {
		mention, role, hasRole := strings.Cut(word, "=")
		named = append(named, word)
		if hasRole && (role == "" || mention == "") {
			return pulseCmd{}, notARole(strings.Join(named, " "))
		}
		p, err := readParty(mention, "given a role", roleHolders)
		if err != nil {
			return pulseCmd{}, err
		}
		who = append(who, p.ID)
		if hasRole {
			for _, id := range who {
				cmd.Roles = append(cmd.Roles, rituals.PulseRoleOf(id, role))
			}
			who, named = nil, nil
		}
	}
	if len(who) > 0 {
		return pulseCmd{}, notARole(strings.Join(named, " "))
	}
	return cmd, nil
}

// roleHolders are who may hold a pulse role: people and user groups.
var roleHolders = partyKinds{people: true, groups: true}

func notARole(what string) error {
	return rituals.Errorf(rituals.EINVALID, "“%s” is not a user group and a role, nor people and a role. %s", render.Clip(what, 60), render.PulseRolesUsage)
}

// parsePulseForm reads leading mentions as the audience and the rest as
// the question.
func parsePulseForm(fields []string) (pulseCmd, error) {
	cmd := pulseCmd{Op: pulseForm}
	i := 0
	for ; i < len(fields); i++ {
		if m := subteamToken.FindStringSubmatch(fields[i]); m != nil {
			if cmd.Group != "" {
				return pulseCmd{}, rituals.Errorf(rituals.EINVALID, "A pulse asks one user group at a time; run `/pulse @group` once for each.")
			}
			cmd.Group, cmd.GroupHandle = m[1], m[2]
		} else if m := userToken.FindStringSubmatch(fields[i]); m != nil {
			cmd.People = append(cmd.People, m[1])
		} else {
			break
		}
	}
	if cmd.Group != "" && len(cmd.People) > 0 {
		return pulseCmd{}, rituals.Errorf(rituals.EINVALID, "Ask either a user group or people, not both: `/pulse @group` or `/pulse @ann @bob`.")
	}
	cmd.Question = strings.Join(fields[i:], " ")
	return cmd, nil
}
