package bot

import (
	"strconv"
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// The verbs every command shares read the same way: `list [N]`,
// `show <ID>`, `close <ID>`, `help`. These read their arguments, so each
// command says the same thing when one is wrong.

// parseListLimit reads what follows "/<command> list": nothing (def), or
// a number from 1 to rituals.MaxListLimit. Returns EINVALID otherwise.
func parseListLimit(command, rest string, def int) (int, error) {
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return def, nil
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > rituals.MaxListLimit {
		return 0, rituals.Errorf(rituals.EINVALID, "`/%s list` takes a number from 1 to %d, e.g. `/%s list 20`; “%s” is not one.",
			command, rituals.MaxListLimit, command, render.Clip(rest, 40))
	}
	return n, nil
}

// numberedID reads what follows "/<command> <verb>": one ID of prefix,
// e.g. "B-7" or "7" for prefix "B"; example is one. Returns EINVALID for
// nothing, more than one word, or a word that is not such an ID.
func numberedID(command, verb, rest, prefix, example string) (int64, error) {
	word, err := oneID(command, verb, rest, example)
	if err != nil {
		return 0, err
	}
	return rituals.ParseID(prefix, word)
}

// oneID reads what follows "/<command> <verb>": exactly one word, the ID
// of the item, of which example is one (e.g. "B-7"). Returns EINVALID for
// nothing or more than one word.
func oneID(command, verb, rest, example string) (string, error) {
	rest = strings.TrimSpace(rest)
	if rest == "" || strings.ContainsAny(rest, " \n\t") {
		return "", rituals.Errorf(rituals.EINVALID, "`/%s %s` takes one ID, e.g. `/%s %s %s`.", command, verb, command, verb, example)
	}
	return rest, nil
}
