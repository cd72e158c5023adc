package bot

import (
	"strconv"
	"strings"

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
	decideLater // a subcommand of the spec this version does not have
)

// decideCmd is one parsed /decide command.
type decideCmd struct {
	Op    decideOp
	Text  string // decideRecord: the decision; decideLater: the subcommand
	Limit int    // decideList
	Query string // decideSearch
	ID    int64  // decideShow
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
				"`/decide list` takes a number from 1 to %d, e.g. `/decide list 20`; %q is not one.", rituals.MaxListLimit, clip(rest, 40))
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
	case "supersede", "rights":
		return decideCmd{Op: decideLater, Text: strings.ToLower(first)}, nil
	}
	return decideCmd{Op: decideRecord, Text: text}, nil
}
