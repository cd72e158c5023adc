package bot

import (
	"regexp"
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

type decideOp int

const (
	decideRecord decideOp = iota
	decideModal
	decideHelp
	decideList
	decideSearch
	decideShow
	decideSupersede
	decideRights
	decideRightsAdd
	decideRightsRemove
)

// decideCmd is one parsed /decide command.
type decideCmd struct {
	Op   decideOp
	Text string // decideRecord, decideSupersede: the decision
	Area string // decideRecord, decideModal: the [area] tag; decideRights…: the area
	// Whole is the text as typed, its [tag] included: the decision when the
	// tag names no area (decideRecord, decideModal with an Area).
	Whole string
	Limit int    // decideList
	Query string // decideSearch
	ID    int64  // decideShow, decideSupersede
	Right rightArgs
}

// rightArgs are the people, groups and channels of `/decide rights`, by
// RACI role: one Accountable owner, Responsible, Consulted, Informed.
type rightArgs struct {
	Owner       string
	Responsible []string
	Consulted   []string
	Informed    []string
	// GroupNames are the handles of the user groups named, as their
	// mentions showed them, for exports made without Slack.
	GroupNames map[string]string
}

// parseDecide reads the text after "/decide". A first word naming a
// subcommand makes it that subcommand; anything else is a decision. The
// text is what the person typed, already unescaped.
func parseDecide(text string) (decideCmd, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return decideCmd{Op: decideModal}, nil
	}
	first, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(first, "\n\t"); i >= 0 {
		first, rest = first[:i], first[i+1:]+" "+rest
	}
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(first) {
	case "help":
		return decideCmd{Op: decideHelp}, nil
	case "list":
		n, err := parseListLimit("decide", rest, rituals.DefaultListLimit)
		if err != nil {
			return decideCmd{}, err
		}
		return decideCmd{Op: decideList, Limit: n}, nil
	case "search":
		if rest == "" {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Tell me what to search for: `/decide search <words>`.")
		}
		return decideCmd{Op: decideSearch, Query: rest}, nil
	case "show":
		id, err := numberedID("decide", "show", rest, "D", "D-12")
		if err != nil {
			return decideCmd{}, err
		}
		return decideCmd{Op: decideShow, ID: id}, nil
	case "supersede":
		idText, rest, _ := strings.Cut(rest, " ")
		if idText == "" {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Write `/decide supersede <ID> <the new decision>`, e.g. `/decide supersede D-12 Use calver`.")
		}
		id, err := rituals.ParseID("D", idText)
		if err != nil {
			return decideCmd{}, err
		}
		if rest = strings.TrimSpace(rest); rest == "" {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Say what replaces %s: `/decide supersede %s <the new decision>`.", rituals.FormatID("D", id), rituals.FormatID("D", id))
		}
		return decideCmd{Op: decideSupersede, ID: id, Text: rest}, nil
	case "rights":
		return parseRights(rest)
	}
	// A leading [tag] may name an area; only the areas know (the handler
	// asks them), so Whole keeps the brackets for a tag that names none.
	// Brackets that cannot hold an area's name are part of the decision.
	if area, rest, ok := strings.Cut(strings.TrimPrefix(text, "["), "]"); ok && strings.HasPrefix(text, "[") &&
		strings.TrimSpace(area) != "" && !strings.ContainsAny(area, "[\n") {
		cmd := decideCmd{Op: decideRecord, Area: strings.ToLower(strings.TrimSpace(area)), Text: strings.TrimSpace(rest), Whole: text}
		if cmd.Text == "" {
			cmd.Op = decideModal
		}
		return cmd, nil
	}
	return decideCmd{Op: decideRecord, Text: text}, nil
}

var (
	userToken    = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$`)
	channelToken = regexp.MustCompile(`^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$`)
)

// A RACI role of `/decide rights`, and what may fill it.
type rightRole struct {
	name            string
	people, groups  bool
	channels, multi bool
}

var rightRoles = map[string]rightRole{
	"accountable": {name: "accountable", people: true, groups: true, channels: true},
	"responsible": {name: "responsible", people: true, groups: true, channels: true, multi: true},
	"consulted":   {name: "consulted", people: true, groups: true, multi: true},
	"informed":    {name: "informed", channels: true, multi: true},
}

// parseRights reads what follows `/decide rights`: nothing (the list),
// `remove <area>`, or an area's RACI, as `<area> accountable @owner
// [responsible …] [consulted …] [informed #…]` or the older
// `add <area> @owner [consulted …] [informed #…]`.
func parseRights(text string) (decideCmd, error) {
	words := partyWords(text)
	if len(words) == 0 {
		return decideCmd{Op: decideRights}, nil
	}
	switch strings.ToLower(words[0]) {
	case "remove":
		if len(words) != 2 {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Write `/decide rights remove <area>`.")
		}
		return decideCmd{Op: decideRightsRemove, Area: strings.ToLower(words[1])}, nil
	case "add":
		words = words[1:]
	default:
		if len(words) < 2 || rightRoles[strings.ToLower(words[1])].name == "" {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "`/decide rights` takes an area and its people: %s, or `/decide rights remove <area>`.", render.RightsUsage)
		}
	}
	if len(words) < 2 {
		return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Name the area and its Accountable owner: %s.", render.RightsUsage)
	}
	cmd := decideCmd{Op: decideRightsAdd, Area: strings.ToLower(words[0])}
	words = words[1:]
	if rightRoles[strings.ToLower(words[0])].name == "" {
		// The older form: the owner right after the area.
		words = append([]string{"accountable"}, words...)
	}
	var role rightRole
	for _, w := range words {
		if r, ok := rightRoles[strings.ToLower(w)]; ok {
			if r.name == "accountable" && cmd.Right.Owner != "" {
				return decideCmd{}, rituals.Errorf(rituals.EINVALID, "An area has one Accountable owner; name it once.")
			}
			role = r
			continue
		}
		id, err := rightParty(w, role, &cmd.Right)
		if err != nil {
			return decideCmd{}, err
		}
		switch role.name {
		case "accountable":
			if cmd.Right.Owner != "" {
				return decideCmd{}, rituals.Errorf(rituals.EINVALID, "An area has one Accountable owner, a person or a team; “%s” is a second.", render.Clip(w, 40))
			}
			cmd.Right.Owner = id
		case "responsible":
			cmd.Right.Responsible = append(cmd.Right.Responsible, id)
		case "consulted":
			cmd.Right.Consulted = append(cmd.Right.Consulted, id)
		default:
			cmd.Right.Informed = append(cmd.Right.Informed, id)
		}
	}
	if cmd.Right.Owner == "" {
		return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Name the area's Accountable owner, a person, a user group or a channel: %s.", render.RightsUsage)
	}
	return cmd, nil
}

// rightParty reads one mention w in role, keeping a group's handle in
// args. Returns EINVALID saying what the role takes, as /pulse roles says
// it (readParty).
func rightParty(w string, role rightRole, args *rightArgs) (string, error) {
	if role.name == "" {
		return "", rituals.Errorf(rituals.EINVALID, "Say what “%s” is: accountable, responsible, consulted or informed, as in %s.", render.Clip(w, 40), render.RightsUsage)
	}
	p, err := readParty(w, role.name, partyKinds{people: role.people, groups: role.groups, channels: role.channels, one: !role.multi})
	if err != nil {
		return "", err
	}
	if p.Kind == rituals.PartyGroup && p.Name != "" {
		if args.GroupNames == nil {
			args.GroupNames = map[string]string{}
		}
		args.GroupNames[p.ID] = p.Name
	}
	return p.ID, nil
}
