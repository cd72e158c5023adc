package bot

import (
	"regexp"
	"strconv"
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
	Op    decideOp
	Text  string // decideRecord, decideSupersede: the decision
	Area  string // decideRecord: the [area] tag; decideRights…: the area
	Limit int    // decideList
	Query string // decideSearch
	ID    int64  // decideShow, decideSupersede
	Right rightArgs
}

// rightArgs are the people and channels of `/decide rights add`.
type rightArgs struct {
	Owner     string
	Consulted []string
	Informed  []string
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
		if rest == "" {
			return decideCmd{Op: decideList, Limit: rituals.DefaultListLimit}, nil
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > rituals.MaxListLimit {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID,
				"`/decide list` takes a number from 1 to %d, e.g. `/decide list 20`; %q is not one.", rituals.MaxListLimit, render.Clip(rest, 40))
		}
		return decideCmd{Op: decideList, Limit: n}, nil
	case "search":
		if rest == "" {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Tell me what to search for: `/decide search <words>`.")
		}
		return decideCmd{Op: decideSearch, Query: rest}, nil
	case "show":
		if rest == "" || strings.ContainsAny(rest, " \n\t") {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "`/decide show` takes one decision ID, e.g. `/decide show D-12`.")
		}
		id, err := rituals.ParseID("D", rest)
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
	if strings.HasPrefix(text, "[") {
		area, rest, ok := strings.Cut(text[1:], "]")
		if !ok || strings.TrimSpace(area) == "" {
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Tag an area like `/decide [api] Use semver`; the closing `]` is missing.")
		}
		if rest = strings.TrimSpace(rest); rest == "" {
			return decideCmd{Op: decideModal, Area: strings.ToLower(strings.TrimSpace(area))}, nil
		}
		return decideCmd{Op: decideRecord, Area: strings.ToLower(strings.TrimSpace(area)), Text: rest}, nil
	}
	return decideCmd{Op: decideRecord, Text: text}, nil
}

var (
	userToken    = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$`)
	channelToken = regexp.MustCompile(`^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$`)
)

// parseRights reads what follows `/decide rights`.
func parseRights(text string) (decideCmd, error) {
	words := strings.Fields(text)
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
	default:
		return decideCmd{}, rituals.Errorf(rituals.EINVALID, "`/decide rights` takes add or remove: %s, or `/decide rights remove <area>`.", render.RightsUsage)
	}
	if len(words) < 3 {
		return decideCmd{}, rituals.Errorf(rituals.EINVALID, "Name the area and its owner: %s.", render.RightsUsage)
	}
	cmd := decideCmd{Op: decideRightsAdd, Area: strings.ToLower(words[1])}
	m := userToken.FindStringSubmatch(words[2])
	if m == nil {
		return decideCmd{}, rituals.Errorf(rituals.EINVALID, "%q is not a person; mention the owner, like @ann: %s.", render.Clip(words[2], 40), render.RightsUsage)
	}
	cmd.Right.Owner = m[1]
	var list *[]string
	for _, w := range words[3:] {
		switch strings.ToLower(w) {
		case "consulted":
			list = &cmd.Right.Consulted
			continue
		case "informed":
			list = &cmd.Right.Informed
			continue
		}
		switch {
		case list == nil:
			return decideCmd{}, rituals.Errorf(rituals.EINVALID, "After the owner come `consulted` and `informed`: %s.", render.RightsUsage)
		case list == &cmd.Right.Consulted:
			m := userToken.FindStringSubmatch(w)
			if m == nil {
				return decideCmd{}, rituals.Errorf(rituals.EINVALID, "%q is not a person; after `consulted`, mention people like @bob.", render.Clip(w, 40))
			}
			*list = append(*list, m[1])
		default:
			m := channelToken.FindStringSubmatch(w)
			if m == nil {
				return decideCmd{}, rituals.Errorf(rituals.EINVALID, "%q is not a channel; after `informed`, name channels like #platform.", render.Clip(w, 40))
			}
			*list = append(*list, m[1])
		}
	}
	return cmd, nil
}
